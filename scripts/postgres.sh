#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: Debian's PostgreSQL, a cluster in a folder of
# the caller's, on a free port of 127.0.0.1, trusting local connections, in the clear or over
# TLS: DIR/tls/ca.crt is the CA that signed the server's certificate (for `localhost` only, so
# a client that checks names refuses 127.0.0.1), DIR/tls/other-ca.crt one that did not.
#   scripts/postgres.sh start DIR [durable]
#                                   prints the server's URL (postgres://hpp@127.0.0.1:PORT/postgres);
#                                   `durable` keeps PostgreSQL's fsync on (the benchmark's figures)
#   scripts/postgres.sh stop DIR
# initdb refuses to run as root: as root, the cluster belongs to the `postgres` account that
# Debian's package creates.
set -euo pipefail
command="${1:?start or stop}"
dir="${2:?the folder of the cluster}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# A CA, the server's certificate signed by it, and another CA, made with openssl (Debian's
# postgresql depends on it), not with the rustls the backend checks them with.
make_certificates() {
  local tls="$1" ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  mkdir -p "$tls"
  for ca in ca other-ca; do
    openssl req -x509 "${ec[@]}" -days 7 -subj "/CN=HPP test $ca" -keyout "$tls/$ca.key" \
      -out "$tls/$ca.crt" -addext basicConstraints=critical,CA:TRUE \
      -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  done
  openssl req "${ec[@]}" -subj /CN=localhost -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$tls/server.ext"
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial \
    -days 7 -extfile "$tls/server.ext" -out "$tls/server.crt" 2>/dev/null
  # PostgreSQL takes a key only its own account can read.
  chmod 600 "$tls/server.key"
  if [ "$(id -u)" = 0 ]; then chown postgres "$tls/server.key" "$tls/server.crt"; fi
}
case "$command" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$dir"
      # The account must be able to pass through the folders above (mktemp makes them 0700).
      parent=$(dirname "$(realpath "$dir")")
      while [ "$parent" != / ]; do chmod o+x "$parent"; parent=$(dirname "$parent"); done
    fi
    port=$(free_port)
    as_owner "$bin/initdb" -D "$dir/data" -U hpp --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # Each test opens its own database with a handful of connections. For the tests fsync is
    # off, because the cluster is thrown away (the crash test kills the backend, never the
    # server); the benchmark keeps PostgreSQL's defaults, as durable as SQLite's FULL sync.
    make_certificates "$dir/tls"
    options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400"
    options="$options -c ssl=on -c ssl_cert_file=$dir/tls/server.crt -c ssl_key_file=$dir/tls/server.key"
    if [ "${3:-}" != durable ]; then
      options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "$options" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://hpp@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
    ;;
  *) echo "start or stop" >&2; exit 2 ;;
esac
