#!/usr/bin/env python3
"""Make a corpus of "phone photos" of the QR code that Hikvision's SADP tool
shows on a computer monitor, plus a few plain screenshots of it.

Why: the app's own QR test pictures come from the same hands (and the same
Rust `qrcode` crate) as the reader that decodes them. These pictures are made
by another tool entirely -- the codes are drawn by `segno`, the photo is faked
with pillow -- and from fixed seeds, so a test can regenerate exactly the same
set at test time instead of shipping binaries.

Usage:  qr_photos.py OUT_DIR [--count N] [--seed S]      (defaults 240, 11)

Each picture is planned from its own seed (`seed * 1000003 + index`, written
in the manifest), so one picture can be rebuilt alone. What is in a picture:

* a monitor (bezel, wallpaper, task bar) showing a SADP-like window with a
  device table and a "Forgot Password" dialog holding the QR code, laid on a
  desk/wall background when the monitor does not fill the frame;
* the code seen through a pinhole camera: roll ("rotation", up to +-25 deg),
  pitch/yaw ("perspective", keystone up to ~30 deg), done with one
  Image.transform(PERSPECTIVE);
* optical and sensor effects: "blur" (gaussian defocus), "motion_blur"
  (short box blur along one axis), "moire" (coloured low-frequency fringes on
  the screen), "scanlines" (the monitor's pixel grid drawn on the screen and
  aliased by the resampling), "glare" (a bright soft blob over part of the
  code), "low_contrast" (dark grey code on light grey), "inverted" (light code
  on a dark-theme screen), "small_code" (the symbol only 10-16% of the
  picture's width, the whole monitor in view), "jpeg" (JPEG quality < 75; every
  JPEG's quality, 50-95, is in the manifest as `jpeg_quality`).
* Every photo also gets a small roll (<= 2 deg), a slight keystone (<= 4 deg),
  mild sensor noise, a slight vignette and colour cast; those are a phone's
  baseline and are not listed in `distortions`. Photos above 6 MP are drawn at
  half the area and upscaled (as a phone's 12 MP output is soft at pixel level).
* ~15% are PNG screenshots: clean, or "rescale" (downscaled by a messenger).

Realism bounds: the module stays >= ~2.6 px on its shortest side after
perspective, blur radius <= ~0.3 module, glare never fully whites out the
code. Opaque payload blobs never contain a run of 9+ [A-Z0-9] characters, so
they carry nothing serial-shaped.

Manifest: OUT_DIR/manifest.json, a list of {"file", "payload", "serial",
"width", "height", "format", "distortions", "seed"}, plus "jpeg_quality"
(null for PNG) and "module_px" (the shortest module side in the picture).
"serial" is the serial the payload carries, full or short as written, or null.

Output is byte-identical for the same seed, count and pinned pillow/segno
(requirements.txt). Note for checks with zbar: zbarimg reads light-on-dark
("inverted") codes only with `-Stest-inverted`.
"""

import argparse
import base64
import json
import math
import os
import random
import re
import string
import sys
import time

import segno
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

BIL = Image.Resampling.BILINEAR
BIC = Image.Resampling.BICUBIC
NEAREST = Image.Resampling.NEAREST

# ---------------------------------------------------------------- payloads

MODELS_CAM = ["DS-2CD2143G2-I", "DS-2CD2047G2-L", "DS-2CD1023G0E-I",
              "DS-2DE4425IW-DE", "iDS-2CD7A46G0-IZHS", "DS-2CD2387G2-LU"]
MODELS_NVR = ["DS-7608NI-K2/8P", "DS-7732NI-I4/16P", "iDS-7204HUHI-M1/S",
              "DS-7104NI-Q1/4P", "DS-7616NXI-K2", "DS-7216HQHI-K1"]
GRADES = ["AA", "AB", "BB", "CC", "CB", "CD"]
REGIONS = ["CH", "EU", "WR", "RR", "BR"]
FEATURES = ["", "", "W", "WV", "WCV", "WCVU", "U", "CV"]
OUIS = ["44:19:b6", "c0:56:e3", "bc:ad:28", "4c:bd:8f", "a4:14:37",
        "28:57:be", "54:c4:15", "8c:e7:48", "e0:ca:3c", "24:28:fd"]
BRIEF_SERIAL = "DS-7608NI-K2/8P0820230417CCRRE61958062WCVU"
SERIAL_RUN = re.compile(r"[A-Z0-9]{9,}")


def short_serial(rng):
    r = rng.random()
    digits = "".join(rng.choice(string.digits) for _ in range(9))
    if r < 0.4:
        return digits
    if r < 0.85:
        return rng.choice("ABCDEFGJKLMQ") + digits[1:]
    return rng.choice("ABCDEFGJKL") + rng.choice("ABCDEFGJKL") + digits[2:]


def full_serial(rng):
    if rng.random() < 0.5:
        model, infix = rng.choice(MODELS_CAM), ""
    else:
        model = rng.choice(MODELS_NVR)
        # Real NVR serials (like the one in the brief) carry a 2-digit
        # channel count between model and date.
        infix = rng.choice(["04", "08", "16"]) if rng.random() < 0.3 else ""
    date = "%04d%02d%02d" % (rng.randint(2015, 2024), rng.randint(1, 12),
                             rng.randint(1, 28))
    return (model + infix + date + rng.choice(GRADES) + rng.choice(REGIONS)
            + short_serial(rng) + rng.choice(FEATURES))


def mac(rng):
    return rng.choice(OUIS) + "".join(":%02x" % rng.randrange(256)
                                      for _ in range(3))


def iso_time(rng):
    return "%04d-%02d-%02dT%02d:%02d:%02d%s" % (
        rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28),
        rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
        rng.choice(["Z", "+08:00", "+01:00", "-05:00"]))


def opaque(rng, n, kind):
    """base64 or lowercase hex with no run of 9+ [A-Z0-9] (nothing serial-shaped)."""
    while True:
        raw = bytes(rng.randrange(256) for _ in range(n))
        if kind == "hex":
            s = raw.hex()[:n]
        else:
            s = base64.b64encode(raw).decode()[:n]
        if not SERIAL_RUN.search(s):
            return s


def make_payload(rng, index):
    if index == 3:
        return BRIEF_SERIAL, BRIEF_SERIAL, "bare_serial"
    kind = rng.choice(["query", "query", "sadp", "bare", "embedded", "blob"])
    if kind == "query":
        serial = full_serial(rng) if rng.random() < 0.7 else short_serial(rng)
        m = mac(rng)
        if rng.random() < 0.4:
            m = m.upper().replace(":", "-")
        return ("sn=%s&mac=%s&code=%s" % (serial, m, opaque(rng, rng.randint(16, 40), "b64")),
                serial, "query")
    if kind == "sadp":
        serial = full_serial(rng) if rng.random() < 0.8 else short_serial(rng)
        return ("SADP|%s|%s|%s" % (serial, iso_time(rng), opaque(rng, rng.randint(16, 48), "hex")),
                serial, "sadp")
    if kind == "bare":
        serial = full_serial(rng)
        return serial, serial, "bare_serial"
    if kind == "embedded":
        serial = short_serial(rng)
        tpl = rng.choice([
            "Hik-Connect device %s verify",
            "dev:%s;v=2;t=reset",
            "Serial No. %s - scan in Hik-Partner Pro",
            "{\"sn\":\"%s\",\"op\":\"reset\"}",
            "reset?s=%s&l=en",
        ])
        return tpl % serial, serial, "embedded_short"
    n = rng.randint(40, 120)
    return opaque(rng, n, rng.choice(["hex", "b64"])), None, "blob"


# ---------------------------------------------------------------- geometry

def solve_h(src, dst):
    """3x3 homography (row-major, h33 = 1) mapping 4 src points onto 4 dst points."""
    a, b = [], []
    for (x, y), (u, v) in zip(src, dst):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y]); b.append(u)
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y]); b.append(v)
    n = 8
    m = [row[:] + [rhs] for row, rhs in zip(a, b)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[r][c]:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    h = [m[i][n] / m[i][i] for i in range(n)]
    return [h[0:3], h[3:6], [h[6], h[7], 1.0]]


def apply_h(h, x, y):
    w = h[2][0] * x + h[2][1] * y + h[2][2]
    if w <= 1e-9:
        return None
    return ((h[0][0] * x + h[0][1] * y + h[0][2]) / w,
            (h[1][0] * x + h[1][1] * y + h[1][2]) / w)


def camera_quad(roll, pitch, yaw, dist):
    """Corners of a unit square (centred) seen by a pinhole camera at `dist`."""
    cp, sp = math.cos(pitch), math.sin(pitch)
    cy, sy = math.cos(yaw), math.sin(yaw)
    cr, sr = math.cos(roll), math.sin(roll)
    out = []
    for x, y in [(-.5, -.5), (.5, -.5), (.5, .5), (-.5, .5)]:
        # pitch about x, then yaw about y
        y1, z1 = y * cp, y * sp
        x2, z2 = x * cy + z1 * sy, -x * sy + z1 * cy
        u, v = x2 / (z2 + dist), y1 / (z2 + dist)
        out.append((u * cr - v * sr, u * sr + v * cr))
    return out


# ---------------------------------------------------------------- drawing

_FONTS = {}


def font(px):
    px = max(6, int(round(px)))
    if px not in _FONTS:
        _FONTS[px] = ImageFont.load_default(size=px)
    return _FONTS[px]


class Canvas:
    """A piece of the monitor plane, in world units (monitor pixels) scaled by s."""

    def __init__(self, bbox, s, fill):
        self.x0, self.y0, x1, y1 = bbox
        self.s = s
        self.w = max(1, int(math.ceil((x1 - self.x0) * s)))
        self.h = max(1, int(math.ceil((y1 - self.y0) * s)))
        self.img = Image.new("RGB", (self.w, self.h), fill)
        self.d = ImageDraw.Draw(self.img)

    def p(self, x, y):
        return ((x - self.x0) * self.s, (y - self.y0) * self.s)

    def visible(self, x0, y0, x1, y1):
        a, b = self.p(x0, y0)
        c, d = self.p(x1, y1)
        return c >= 0 and d >= 0 and a <= self.w and b <= self.h

    def rect(self, x0, y0, x1, y1, fill, outline=None):
        if self.visible(x0, y0, x1, y1):
            self.d.rectangle([self.p(x0, y0), self.p(x1, y1)], fill=fill, outline=outline)

    def text(self, x, y, s, size, fill):
        w = len(s) * size * 0.6
        if self.visible(x, y, x + w, y + size * 1.3):
            self.d.text(self.p(x, y), s, font=font(size * self.s), fill=fill)


def theme(kind, rng):
    if kind == "dark":
        bg = rng.randint(28, 44)
        return dict(win=(bg, bg, bg + 4), title=(bg + 14, bg + 14, bg + 20), text=(205, 205, 210),
                    grid=(bg + 22,) * 3, head=(bg + 10,) * 3, sel=(30, 70, 120),
                    dialog=(bg + 6, bg + 6, bg + 8), qr_fg=(rng.randint(205, 240),) * 3,
                    qr_bg=(bg + 6, bg + 6, bg + 8), accent=(60, 130, 220))
    if kind == "low":
        fg, bg = rng.randint(60, 100), rng.randint(165, 200)
        return dict(win=(bg + 20, bg + 20, bg + 22), title=(bg, bg, bg + 6), text=(fg, fg, fg),
                    grid=(bg + 5,) * 3, head=(bg + 10,) * 3, sel=(150, 175, 205),
                    dialog=(bg, bg, bg), qr_fg=(fg, fg, fg + 4), qr_bg=(bg, bg, bg),
                    accent=(90, 120, 170))
    w = rng.randint(244, 255)
    return dict(win=(w, w, w), title=(225, 230, 238), text=(30, 30, 34), grid=(220, 220, 224),
                head=(238, 240, 244), sel=(204, 228, 247), dialog=(w, w, w),
                qr_fg=(rng.randint(0, 25),) * 3, qr_bg=(w, w, w), accent=(20, 110, 200))


def layout(rng, plan):
    """World layout of the screen: returns dict with monitor, window, dialog, code rects."""
    sw, sh = plan["screen"]
    n = plan["n"]
    m = plan["m_s"]
    L = n * m
    bezel = rng.randint(10, 28) if plan["shot"] is None else 0
    taskbar = rng.choice([30, 40, 48])
    ww = min(sw - 20, max(L + 420, int(sw * rng.uniform(0.55, 0.9))))
    wh = min(sh - taskbar - 20, max(L + 260, int(sh * rng.uniform(0.55, 0.85))))
    wx = rng.randint(0, max(0, sw - ww))
    wy = rng.randint(0, max(0, sh - taskbar - wh))
    dw = L + 8 * m + 2 * rng.randint(20, 60)
    dh = L + 8 * m + rng.randint(140, 200)
    dx = wx + rng.randint(10, max(11, ww - dw - 10)) if ww > dw + 20 else max(0, wx + (ww - dw) // 2)
    dy = wy + rng.randint(40, max(41, wh - dh - 10)) if wh > dh + 50 else max(0, wy + (wh - dh) // 2)
    qx = dx + (dw - L) // 2
    qy = dy + 70 + 4 * m
    return dict(monitor=(-bezel, -bezel, sw + bezel, sh + bezel), screen=(0, 0, sw, sh),
                taskbar=taskbar, window=(wx, wy, wx + ww, wy + wh),
                dialog=(dx, dy, dx + dw, dy + dh), code=(qx, qy, qx + L, qy + L))


def draw_screen(cv, lay, plan, rng, th):
    sw, sh = lay["screen"][2:]
    mon = lay["monitor"]
    cv.rect(*mon, fill=(rng.randint(12, 30),) * 3)
    wall = plan["wallpaper"]
    cv.rect(0, 0, sw, sh, fill=wall)
    tb = lay["taskbar"]
    cv.rect(0, sh - tb, sw, sh, fill=(30, 32, 38) if plan["theme"] != "light" else (232, 236, 242))
    for i in range(8):
        cv.rect(60 + i * 48, sh - tb + 6, 90 + i * 48, sh - 6, fill=(90 + 15 * i % 120, 110, 150))
    wx0, wy0, wx1, wy1 = lay["window"]
    cv.rect(wx0, wy0, wx1, wy1, fill=th["win"], outline=th["grid"])
    cv.rect(wx0, wy0, wx1, wy0 + 30, fill=th["title"])
    cv.text(wx0 + 10, wy0 + 8, "SADP", 13, th["text"])
    cv.text(wx1 - 60, wy0 + 6, "_  []  X", 13, th["text"])
    cv.text(wx0 + 12, wy0 + 42, "Total number of online devices: %d" % rng.randint(3, 40), 12, th["text"])
    cv.rect(wx1 - 180, wy0 + 38, wx1 - 100, wy0 + 60, fill=th["head"], outline=th["grid"])
    cv.text(wx1 - 170, wy0 + 42, "Export", 12, th["text"])
    cv.rect(wx1 - 90, wy0 + 38, wx1 - 12, wy0 + 60, fill=th["head"], outline=th["grid"])
    cv.text(wx1 - 80, wy0 + 42, "Refresh", 12, th["text"])
    ty = wy0 + 70
    cv.rect(wx0 + 8, ty, wx1 - 8, ty + 24, fill=th["head"], outline=th["grid"])
    cols = ["ID", "Device Type", "Status", "IPv4 Address", "Port", "Software Version", "Device Serial No."]
    spread = max(1.0, (wx1 - wx0 - 60) / 720)
    cx = [int(x * spread) for x in (0, 40, 190, 260, 380, 430, 580)]
    for c, x in zip(cols, cx):
        if wx0 + 14 + x < wx1 - 40:
            cv.text(wx0 + 14 + x, ty + 6, c, 12, th["text"])
    rows = max(0, min(plan["rows"], int((wy1 - ty - 30) / 24)))
    for r in range(rows):
        y = ty + 26 + r * 24
        if r == plan["sel_row"]:
            cv.rect(wx0 + 8, y, wx1 - 8, y + 22, fill=th["sel"])
        model = rng.choice(MODELS_CAM + MODELS_NVR)
        vals = ["%03d" % (r + 1), model, rng.choice(["Active", "Active", "Inactive"]),
                "192.168.%d.%d" % (rng.randint(0, 3), rng.randint(2, 250)), "8000",
                "V%d.%d.%d build %02d%02d%02d" % (rng.randint(3, 5), rng.randint(0, 9), rng.randint(0, 99),
                                                 rng.randint(18, 24), rng.randint(1, 12), rng.randint(1, 28)),
                model + "%d" % rng.randint(2018, 2024)]
        for v, x in zip(vals, cx):
            if wx0 + 14 + x < wx1 - 40:
                cv.text(wx0 + 14 + x, y + 5, v, 11, th["text"])
        cv.rect(wx0 + 8, y + 22, wx1 - 8, y + 23, fill=th["grid"])
    dx0, dy0, dx1, dy1 = lay["dialog"]
    cv.rect(dx0 + 4, dy0 + 4, dx1 + 4, dy1 + 4, fill=(0, 0, 0) if plan["theme"] == "dark" else (150, 150, 155))
    cv.rect(dx0, dy0, dx1, dy1, fill=th["dialog"], outline=th["grid"])
    cv.rect(dx0, dy0, dx1, dy0 + 28, fill=th["title"])
    cv.text(dx0 + 10, dy0 + 7, "Forgot Password", 13, th["text"])
    cv.text(dx0 + 12, dy0 + 38, "Mode: QR Code    Export Key", 12, th["text"])
    qx0, qy0, qx1, qy1 = lay["code"]
    cv.text(dx0 + 12, qy1 + 4 * plan["m_s"] + 8, "Scan the QR code with Hik-Partner Pro", 11, th["text"])
    cv.text(dx0 + 12, qy1 + 4 * plan["m_s"] + 26, "and send the result to technical support.", 11, th["text"])
    by = dy1 - 36
    cv.rect(dx1 - 170, by, dx1 - 95, by + 24, fill=th["accent"])
    cv.text(dx1 - 150, by + 6, "Confirm", 12, (255, 255, 255))
    cv.rect(dx1 - 85, by, dx1 - 12, by + 24, fill=th["head"], outline=th["grid"])
    cv.text(dx1 - 70, by + 6, "Cancel", 12, th["text"])
    # the symbol: segno's matrix, one pixel per module, scaled with NEAREST
    m = plan["m_s"]
    cv.rect(qx0 - 4 * m, qy0 - 4 * m, qx1 + 4 * m, qy1 + 4 * m, fill=th["qr_bg"])
    a0, b0 = cv.p(qx0, qy0)
    a1, b1 = cv.p(qx1, qy1)
    size = (int(round(a1 - a0)), int(round(b1 - b0)))
    mask = plan["qr_mask"].resize(size, NEAREST)
    cv.img.paste(th["qr_fg"], (int(round(a0)), int(round(b0))), mask)


def line_pattern(size, period, angle, amp, phase):
    """L image: 255 * (1 - amp * (0.5 + 0.5 sin)) of stripes at `angle`."""
    w, h = size
    ca, sa = math.cos(angle), math.sin(angle)
    span = int(abs(ca) * w + abs(sa) * h) + 4
    off = (-min(0, ca * w) - min(0, sa * h)) + 1
    row = bytes(int(255 * (1 - amp * (0.5 + 0.5 * math.sin(2 * math.pi * i / period + phase))))
                for i in range(span))
    src = Image.frombytes("L", (span, 1), row).resize((span, 3), NEAREST)
    return src.transform((w, h), Image.Transform.AFFINE, (ca, sa, off, 0, 0, 1.5), BIL)


def pixel_grid(cv, rng, px):
    """The monitor's pixel grid: a dark gap after every monitor pixel row (and column)."""
    period = max(2.0, px)
    amp = rng.uniform(0.06, 0.15)
    rows = bytes(int(255 * (1 - amp * (0.5 + 0.5 * math.cos(2 * math.pi * i / period))))
                 for i in range(cv.h))
    pat = Image.frombytes("L", (1, cv.h), rows).resize((cv.w, cv.h), NEAREST)
    if px >= 3 and rng.random() < 0.6:
        cols = bytes(int(255 * (1 - amp * 0.6 * (0.5 + 0.5 * math.cos(2 * math.pi * i / period))))
                     for i in range(cv.w))
        pat = ImageChops.multiply(pat, Image.frombytes("L", (cv.w, 1), cols).resize((cv.w, cv.h), NEAREST))
    cv.img = ImageChops.multiply(cv.img, Image.merge("RGB", (pat, pat, pat)))


def background(size, rng):
    """A wall above a desk edge, both lit unevenly, a few things on the desk."""
    w, h = size
    wall = tuple(rng.randint(120, 215) for _ in range(3))
    desk = tuple(rng.randint(50, 170) for _ in range(3))
    edge = int(h * rng.uniform(0.6, 0.85))
    g = Image.linear_gradient("L").resize((w, h), BIL)
    if rng.random() < 0.5:
        g = g.transpose(Image.Transpose.ROTATE_180)
    dim = lambda c: tuple(max(0, v - rng.randint(20, 60)) for v in c)
    bg = Image.composite(Image.new("RGB", size, wall), Image.new("RGB", size, dim(wall)), g)
    desk_img = Image.composite(Image.new("RGB", size, desk), Image.new("RGB", size, dim(desk)), g)
    bg.paste(desk_img.crop((0, edge, w, h)), (0, edge))
    d = ImageDraw.Draw(bg)
    for _ in range(rng.randint(2, 5)):  # keyboard, mug, papers...
        x, y = rng.randint(0, w), rng.randint(edge, h)
        ww, hh = rng.randint(w // 10, w // 3), rng.randint(h // 20, h // 6)
        col = tuple(rng.randint(20, 235) for _ in range(3))
        d.rounded_rectangle([x, y, x + ww, y + hh], radius=max(2, hh // 6), fill=col)
    return bg.filter(ImageFilter.BoxBlur(max(1, w // 300)))


# ---------------------------------------------------------------- planning

CATEGORIES = ["rotation", "perspective", "blur", "motion_blur", "jpeg", "moire",
              "scanlines", "low_contrast", "glare", "small_code", "inverted"]
PROB = dict(rotation=0.4, perspective=0.4, blur=0.3, motion_blur=0.13, jpeg=0.3,
            moire=0.25, scanlines=0.3, low_contrast=0.17, glare=0.2, small_code=0.17,
            inverted=0.08)
SCREENS = [(1366, 768), (1600, 900), (1920, 1080), (1920, 1200), (2560, 1440)]


def plan_all(count, seed):
    plans = []
    for i in range(count):
        pseed = seed * 1000003 + i
        rng = random.Random(pseed)
        payload, serial, pkind = make_payload(rng, i)
        p = dict(index=i, seed=pseed, payload=payload, serial=serial, pkind=pkind)
        r = rng.random()
        p["size_class"] = "small" if r < 0.1 else ("large" if r < 0.21 else "mid")
        p["shot"] = None
        if rng.random() < 0.15:
            p["shot"] = "rescale" if rng.random() < 0.4 else "clean"
        d = set()
        if p["shot"]:
            for c in ("low_contrast", "inverted"):
                if rng.random() < PROB[c] * 0.8:
                    d.add(c)
        elif rng.random() < 0.2:
            d.add(rng.choice(CATEGORIES))
            p["single"] = True
        else:
            for c in CATEGORIES:
                if rng.random() < PROB[c]:
                    d.add(c)
        p["d"] = d
        plans.append(p)
    for p in plans:  # one screen theme per picture
        if "low_contrast" in p["d"] and "inverted" in p["d"]:
            p["d"].discard("low_contrast" if p["index"] % 2 else "inverted")
    # top-up: every category in at least ~9% of the set
    need = max(1, int(math.ceil(count * 0.09)))
    top = random.Random(seed * 7919 + 1)
    other = {"low_contrast": "inverted", "inverted": "low_contrast"}
    for c in CATEGORIES:
        have = [p for p in plans if c in p["d"]]
        pool = [p for p in plans if c not in p["d"] and other.get(c) not in p["d"]
                and not p["shot"] and not p.get("single")]
        top.shuffle(pool)
        while len(have) < need and pool:
            q = pool.pop()
            q["d"].add(c)
            have.append(q)
    for p in plans:
        if p["shot"] is None and "small_code" in p["d"] and p["size_class"] == "small":
            p["size_class"] = "mid"
    return plans


def pick_size(rng, cls, portrait_ok=True):
    mp = {"small": (0.3, 0.5), "mid": (1.0, 4.0), "large": (8.0, 12.0)}[cls]
    mp = rng.uniform(*mp)
    ar = rng.choice([4 / 3, 4 / 3, 4 / 3, 16 / 9])
    w = int(math.sqrt(mp * 1e6 * ar)) // 2 * 2
    h = int(mp * 1e6 / w) // 2 * 2
    if portrait_ok and rng.random() < 0.45:
        w, h = h, w
    return w, h


# ---------------------------------------------------------------- rendering

def render(p):
    rng = random.Random(p["seed"] ^ 0x5EED)
    d = p["d"]
    qr = segno.make_qr(p["payload"], error=rng.choice(["m", "m", "q", "l"]))
    n = qr.symbol_size(border=0)[0]
    mask = Image.new("L", (n, n))
    mask.putdata([255 if v else 0 for row in qr.matrix for v in row])
    plan = dict(n=n, qr_mask=mask, shot=p["shot"], rows=rng.randint(4, 18),
                theme="dark" if "inverted" in d else ("low" if "low_contrast" in d else "light"))
    plan["sel_row"] = rng.randint(0, plan["rows"] - 1)
    plan["wallpaper"] = rng.choice([(0, 84, 150), (32, 46, 70), (80, 110, 90), (180, 190, 200), (20, 20, 24)])
    th = theme({"dark": "dark", "low": "low"}.get(plan["theme"], "light"), rng)
    out = dict(distortions=set(d))
    if p["shot"]:
        return render_shot(p, plan, rng, th, out)
    return render_photo(p, plan, rng, th, out)


def area_of(r):
    return (r[2] - r[0]) * (r[3] - r[1])


def render_shot(p, plan, rng, th, out):
    cls = p["size_class"]
    if cls == "large":
        plan["screen"] = rng.choice([(3840, 2160), (3840, 2400)])
        scale_ui = 2
    else:
        plan["screen"] = rng.choice(SCREENS[1:] if cls == "mid" else SCREENS)
        scale_ui = 1
    plan["m_s"] = rng.choice([4, 5] if cls == "small" or plan["n"] > 41 else [4, 5, 6]) * scale_ui
    lay = layout(rng, plan)
    sw, sh = plan["screen"]
    if cls == "small":  # a crop around the dialog, 0.3-0.5 MP
        dx0, dy0, dx1, dy1 = lay["dialog"]
        area = rng.uniform(0.3e6, 0.5e6)
        cw = max(dx1 - dx0 + 20, int(math.sqrt(area * rng.uniform(1.0, 1.6))))
        ch = int(area / cw)
        ch = max(ch, dy1 - dy0 + 20)
        cx0 = max(0, min(sw - cw, (dx0 + dx1) // 2 - cw // 2 + rng.randint(-30, 30)))
        cy0 = max(0, min(sh - ch, (dy0 + dy1) // 2 - ch // 2 + rng.randint(-30, 30)))
        bbox = (cx0, cy0, cx0 + cw, cy0 + ch)
    elif cls == "mid" and rng.random() < 0.3 and area_of(lay["window"]) >= 1.05e6:  # window only
        bbox = lay["window"]
    else:
        bbox = (0, 0, sw, sh)
    cv = Canvas(bbox, 1.0, (0, 0, 0))
    draw_screen(cv, lay, plan, rng, th)
    img = cv.img
    module = plan["m_s"]
    if p["shot"] == "rescale":
        f = rng.uniform(0.7, 0.9)
        if module * f < 3:
            f = 3.0 / module
        if cls == "small":
            f = max(f, 0.95)
        elif cls == "mid":  # stay >= 1 MP
            f = max(f, min(1.0, math.sqrt(1.05e6 / (img.width * img.height))))
        else:  # stay >= 8 MP
            f = max(f, min(1.0, math.sqrt(8.05e6 / (img.width * img.height))))
        img = img.resize((int(img.width * f), int(img.height * f)), Image.Resampling.LANCZOS)
        module *= f
        out["distortions"].add("rescale")
    L = plan["n"] * module
    if L / img.width <= 0.16:
        out["distortions"].add("small_code")
    else:
        out["distortions"].discard("small_code")
    out.update(img=img, fmt="png", module=module, quality=None)
    return out


def render_photo(p, plan, rng, th, out):
    d = out["distortions"]
    n = plan["n"]
    W, H = pick_size(rng, p["size_class"])
    # photos above 6 MP: drawn at half the area, upscaled at the end
    up = 1.0
    if W * H > 6e6:
        up = math.sqrt(2)
    w, h = int(W / up), int(H / up)
    min_mod = 3.7 * (1.25 if "perspective" in d else 1.0)  # nominal, before keystone
    # camera
    roll = math.radians(rng.uniform(3, 25) * rng.choice([-1, 1]) if "rotation" in d else rng.uniform(-2, 2))
    if "perspective" in d:
        mag = math.radians(rng.uniform(12, 30))
        ang = rng.uniform(0, 2 * math.pi)
        pitch, yaw = mag * math.sin(ang), mag * math.cos(ang)
        dist = rng.uniform(1.8, 3.5)
    else:
        pitch, yaw = math.radians(rng.uniform(-4, 4)), math.radians(rng.uniform(-4, 4))
        dist = rng.uniform(3, 6)
    if "small_code" in d:
        frac = rng.uniform(0.10, 0.15)
        frac = min(0.15, max(frac, n * min_mod / (W / up)))  # a bigger code before a bigger picture
        need = n * min_mod / frac / up
        if w < need:  # grow the picture within reason (keeps the size class mostly)
            f = need / w
            w, h = int(w * f), int(h * f)
            W, H = int(w * up), int(h * up)
        side = frac * W / up
        plan["screen"] = rng.choice(SCREENS)
        sw = plan["screen"][0]
        plan["m_s"] = max(3, int(round(frac / rng.uniform(0.75, 0.95) * sw / n)))
    else:
        lo = n * min_mod
        hi = min(w, h) * rng.uniform(0.45, 0.8)
        side = rng.uniform(max(lo, min(w, h) * 0.25), max(lo, hi))
        plan["screen"] = rng.choice(SCREENS)
        plan["m_s"] = rng.choice([3, 4, 5, 6])
    if "blur" in d or "motion_blur" in d:
        side = max(side, n * 4.5)  # keep blur small relative to the module
    side = min(side, 0.85 * min(w, h))
    lay = layout(rng, plan)
    if "small_code" in d:  # the camera is about a monitor's width away, not a code's
        dist = plan["screen"][0] / (n * plan["m_s"]) * rng.uniform(0.8, 1.3)
    quad = camera_quad(roll, pitch, yaw, dist)
    # scale quad so its mean side is `side`, and centre it somewhere it fits
    def edges(q):
        return [math.dist(q[i], q[(i + 1) % 4]) for i in range(4)]
    k = side / (sum(edges(quad)) / 4)
    quad = [(x * k, y * k) for x, y in quad]
    # frame the symbol with (most of) its quiet zone: fit the quad grown by 3 modules a side
    def grown(q):
        mx, my = sum(x for x, _ in q) / 4, sum(y for _, y in q) / 4
        g = (n + 6.0) / n
        return [(mx + (x - mx) * g, my + (y - my) * g) for x, y in q]
    xs, ys = [q[0] for q in grown(quad)], [q[1] for q in grown(quad)]
    bw, bh = max(xs) - min(xs), max(ys) - min(ys)
    if bw > 0.98 * w or bh > 0.98 * h:
        f = min(0.98 * w / bw, 0.98 * h / bh)
        quad = [(x * f, y * f) for x, y in quad]
        xs, ys = [q[0] for q in grown(quad)], [q[1] for q in grown(quad)]
        bw, bh = max(xs) - min(xs), max(ys) - min(ys)
    lo_x, hi_x = -min(xs) + 0.02 * w, w - max(xs) - 0.02 * w
    lo_y, hi_y = -min(ys) + 0.02 * h, h - max(ys) - 0.02 * h
    if "small_code" in d:  # frame the monitor, not the code
        qx0, qy0, qx1, qy1 = lay["code"]
        h_w2p = solve_h([(qx0, qy0), (qx1, qy0), (qx1, qy1), (qx0, qy1)], quad)
        mc = apply_h(h_w2p, plan["screen"][0] / 2, plan["screen"][1] / 2) or (0, 0)
        cx = w / 2 - mc[0] + rng.uniform(-0.06, 0.06) * w
        cy = h * 0.45 - mc[1] + rng.uniform(-0.06, 0.06) * h
        cx = min(max(cx, lo_x), hi_x) if lo_x <= hi_x else w / 2 - (min(xs) + max(xs)) / 2
        cy = min(max(cy, lo_y), hi_y) if lo_y <= hi_y else h / 2 - (min(ys) + max(ys)) / 2
    else:
        cx = rng.uniform(lo_x, hi_x) if lo_x <= hi_x else w / 2 - (min(xs) + max(xs)) / 2
        cy = rng.uniform(lo_y, hi_y) if lo_y <= hi_y else h / 2 - (min(ys) + max(ys)) / 2
    quad = [(x + cx, y + cy) for x, y in quad]
    module = min(edges(quad)) / n * up
    qx0, qy0, qx1, qy1 = lay["code"]
    world = [(qx0, qy0), (qx1, qy0), (qx1, qy1), (qx0, qy1)]
    h_p2w = solve_h(quad, world)
    # visible part of the monitor
    mon = lay["monitor"]
    pts = [apply_h(h_p2w, x, y) for x, y in [(0, 0), (w, 0), (w, h), (0, h)]]
    if any(q is None for q in pts):
        bbox = mon
        covers = False
    else:
        bx = [q[0] for q in pts]; by = [q[1] for q in pts]
        bbox = (max(mon[0], min(bx) - 4), max(mon[1], min(by) - 4),
                min(mon[2], max(bx) + 4), min(mon[3], max(by) + 4))
        covers = all(mon[0] <= q[0] <= mon[2] and mon[1] <= q[1] <= mon[3] for q in pts)
    s = (sum(edges(quad)) / 4) / (qx1 - qx0)  # canvas px per monitor px, ~1:1 with the photo
    area = (bbox[2] - bbox[0]) * (bbox[3] - bbox[1]) * s * s
    if area > 2.5 * w * h:
        s *= math.sqrt(2.5 * w * h / area)
    cv = Canvas(bbox, s, (0, 0, 0))
    draw_screen(cv, lay, plan, rng, th)
    if "scanlines" in d:
        pixel_grid(cv, rng, s)
    h_p2c = [[s * h_p2w[0][j] - s * cv.x0 * h_p2w[2][j] for j in range(3)],
             [s * h_p2w[1][j] - s * cv.y0 * h_p2w[2][j] for j in range(3)],
             h_p2w[2]]
    coeffs = tuple(v / h_p2c[2][2] for row in h_p2c for v in row)[:8]
    layer = cv.img.transform((w, h), Image.Transform.PERSPECTIVE, coeffs, BIL)
    if "moire" in d:
        # two beating stripe sets, phase-shifted per channel: coloured fringes
        sw_, sh_ = max(8, w // 4), max(8, h // 4)
        scale = (min(w, h) / 1000) ** 0.5
        sets = [(rng.uniform(14, 60) * scale, rng.uniform(0, math.pi), rng.uniform(0.03, 0.08))
                for _ in range(2)]
        chans = []
        for ph in (0.0, 2.1, 4.2):
            a, b = [line_pattern((sw_, sh_), per / 4, ang, amp, ph + k)
                    for k, (per, ang, amp) in enumerate(sets)]
            chans.append(ImageChops.multiply(a, b).resize((w, h), BIL))
        layer = ImageChops.multiply(layer, Image.merge("RGB", chans))
    if covers:
        img = layer
    else:
        cmask = Image.new("L", (cv.w, cv.h), 255)
        alpha = cmask.transform((w, h), Image.Transform.PERSPECTIVE, coeffs, BIL)
        img = Image.composite(layer, background((w, h), rng), alpha)
    # screen glow / vignette / white-balance cast
    vig = Image.radial_gradient("L").resize((w, h), BIL).point(
        lambda v, a=rng.uniform(0.1, 0.3): int(255 - a * v * v / 255))
    cast = tuple(int(255 - rng.uniform(0, 25)) for _ in range(3))
    img = ImageChops.multiply(img, Image.merge("RGB", (vig, vig, vig)))
    img = ImageChops.multiply(img, Image.new("RGB", (w, h), cast))
    if "glare" in d:
        strength = rng.uniform(0.35, 0.6) if "low_contrast" not in d else rng.uniform(0.25, 0.4)
        gw = int(side * rng.uniform(0.6, 1.4))
        gh = int(gw * rng.uniform(0.5, 1.0))
        blob = Image.radial_gradient("L").resize((gw, gh), BIL).point(
            lambda v: int(strength * 255 * max(0.0, 1 - v / 181) ** 1.3))  # 181: edge midpoint
        gmask = Image.new("L", (w, h), 0)
        ccx, ccy = sum(q[0] for q in quad) / 4, sum(q[1] for q in quad) / 4
        gx = int(ccx + rng.uniform(-0.5, 0.5) * side - gw / 2)
        gy = int(ccy + rng.uniform(-0.5, 0.5) * side - gh / 2)
        gmask.paste(blob, (gx, gy))
        img = Image.composite(Image.new("RGB", (w, h), (255, 252, 245)), img, gmask)
    # sensor noise, before the ISP's softening (half resolution: phones' denoising leaves blotchy grain)
    nw, nh = max(1, w // 2), max(1, h // 2)
    noise = Image.effect_noise((nw, nh), rng.uniform(2, 5)).resize((w, h), BIL)
    img = ImageChops.add(img, Image.merge("RGB", (noise, noise, noise)), 1.0, -128)
    mod_here = module / up
    if "blur" not in d and "motion_blur" not in d:  # the phone's lens and demosaicing
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.8)))
    if "blur" in d:
        r = rng.uniform(0.6, max(0.7, min(2.2, 0.3 * mod_here)))
        img = img.filter(ImageFilter.GaussianBlur(r))
    if "motion_blur" in d:
        r = rng.uniform(0.8, max(1.0, min(2.5, 0.3 * mod_here)))
        img = img.filter(ImageFilter.BoxBlur((r, 0.3) if rng.random() < 0.6 else (0.3, r)))
    if up != 1.0:
        img = img.resize((W, H), BIC)
    q = rng.randint(50, 74) if "jpeg" in d else rng.randint(75, 95)
    out.update(img=img, fmt="jpeg", module=module, quality=q)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--count", type=int, default=240)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)
    t0 = time.time()
    manifest = []
    for p in plan_all(args.count, args.seed):
        r = render(p)
        name = "qr_%04d.%s" % (p["index"], "png" if r["fmt"] == "png" else "jpg")
        path = os.path.join(args.out_dir, name)
        if r["fmt"] == "png":
            r["img"].save(path, "PNG", compress_level=3)
        else:
            r["img"].save(path, "JPEG", quality=r["quality"], subsampling=2)
        manifest.append(dict(file=name, payload=p["payload"], serial=p["serial"],
                             width=r["img"].width, height=r["img"].height, format=r["fmt"],
                             distortions=sorted(r["distortions"]), seed=p["seed"],
                             jpeg_quality=r["quality"], module_px=round(r["module"], 2)))
    with open(os.path.join(args.out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print("%d pictures in %.1f s -> %s" % (len(manifest), time.time() - t0, args.out_dir),
          file=sys.stderr)


if __name__ == "__main__":
    main()
