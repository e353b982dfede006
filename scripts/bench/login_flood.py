#!/usr/bin/env python3
"""The assessment's login flood, as a measurement: while N connections send wrong-password
sign-ins with made-up emails, how fast are a legitimate sign-in and a case list, how many
threads and how much memory does the backend hold, and does the memory come back after?

Usage: login_flood.py BASE_URL PID [CONNECTIONS] [SECONDS] [fixed|fresh]
Start the backend with HPP_BEHIND_PROXY=1 (the flood's addresses come in X-Forwarded-For).
Prints one line per figure; needs nothing beyond Python's standard library.
"""
import http.client
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse

base = urllib.parse.urlparse(sys.argv[1])
pid = int(sys.argv[2])
connections = int(sys.argv[3]) if len(sys.argv) > 3 else 50
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 10.0
# fixed: each connection is one bot address; fresh: every attempt comes from a new address
# (the worst case: an IPv6 attacker has millions of /64s).
mode = sys.argv[5] if len(sys.argv) > 5 else "fixed"
host, port = base.hostname, base.port


def request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    return response.status, response.getheaders(), data


def sign_in(conn, email, password, address="192.0.2.1"):
    # With HPP_BEHIND_PROXY=1 the backend takes the address from X-Forwarded-For: the flood
    # comes from many addresses (a botnet), so per-address limits do not stop it; only the
    # bounded password checks do.
    body = json.dumps({"email": email, "password": password})
    headers = {"Content-Type": "application/json", "X-Forwarded-For": address}
    return request(conn, "POST", "/api/v1/session", body, headers)


def process_figures():
    status = open(f"/proc/{pid}/status").read()
    rss = int(next(l for l in status.splitlines() if l.startswith("VmRSS")).split()[1]) // 1024
    threads = int(next(l for l in status.splitlines() if l.startswith("Threads")).split()[1])
    return rss, threads


def timed(f):
    start = time.perf_counter()
    result = f()
    return (time.perf_counter() - start) * 1000, result


def legit_latencies(rounds):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    for _ in range(100):
        status, headers, _ = sign_in(conn, "installer@acme.example", "demo-password", "192.0.2.2")
        if status == 200:
            break
        time.sleep(0.1)
    cookie = next(v for k, v in headers if k.lower() == "set-cookie").split(";")[0]
    lists, sign_ins = [], []
    for _ in range(rounds):
        ms, (status, _, _) = timed(lambda: request(conn, "GET", "/api/v1/cases", None, {"Cookie": cookie}))
        lists.append(ms)
        other = http.client.HTTPConnection(host, port, timeout=30)
        ms, (status, _, _) = timed(lambda: sign_in(other, "reseller@acme.example", "demo-password"))
        other.close()
        if status == 200:
            sign_ins.append(ms)
        time.sleep(0.05)
    return lists, sign_ins


stop = threading.Event()
answers = {}
lock = threading.Lock()


def flood(n):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    i = 0
    while not stop.is_set():
        i += 1
        try:
            if mode == "fresh":
                address = f"10.{n % 250}.{i // 250 % 250}.{i % 250}"
            else:
                address = f"10.255.{n % 250}.1"
            status, _, _ = sign_in(conn, f"made-up-{n}-{i}@example.com", "wrong password", address)
        except Exception:
            status = "error"
            conn = http.client.HTTPConnection(host, port, timeout=30)
        with lock:
            answers[status] = answers.get(status, 0) + 1


def p50(values):
    return statistics.median(values) if values else float("nan")


idle_lists, idle_sign_ins = legit_latencies(20)
rss0, threads0 = process_figures()
workers = [threading.Thread(target=flood, args=(n,), daemon=True) for n in range(connections)]
for w in workers:
    w.start()
time.sleep(1)
busy_lists, busy_sign_ins = legit_latencies(int(seconds * 5))
rss1, threads1 = process_figures()
stop.set()
for w in workers:
    w.join(timeout=35)
time.sleep(2)
rss2, threads2 = process_figures()
print(f"flood connections               {connections:>8}  ({mode} addresses)")
print(f"flood answers                   {dict(sorted((str(k), v) for k, v in answers.items()))}")
print(f"GET /cases p50 idle / flooded   {p50(idle_lists):8.1f} / {p50(busy_lists):8.1f} ms")
print(f"sign-in p50 idle / flooded      {p50(idle_sign_ins):8.1f} / {p50(busy_sign_ins):8.1f} ms"
      f"  ({len(busy_sign_ins)} of {len(busy_lists)} legit sign-ins got through)")
print(f"threads before / during / after {threads0:>8} / {threads1} / {threads2}")
print(f"RSS MB before / during / after  {rss0:>8} / {rss1} / {rss2}")
