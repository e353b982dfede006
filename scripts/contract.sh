#!/usr/bin/env bash
# The contract check: schemathesis (from PyPI) fuzzes the live reference backend with
# openapi.yaml, signed in as each role, and fails on any 5xx or any response that breaks the
# schema. Sign-in itself is left out: its own tests cover it, and fuzzing it would lock accounts.
# The event stream is left out too: it stays open by design (backend/tests/events.rs covers it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SCHEMATHESIS_VERSION=4.32.5
VENV=.tools/venv
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
# The backend that scripts/test.sh built with its tests, or one built here.
backend_bin="${HPP_BACKEND_BIN:-}"
if [ -z "$backend_bin" ]; then
  cargo build -q -p hpp-backend
  backend_bin=target/debug/hpp-backend
fi
data=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port/api/v1"
# With HPP_TEST_POSTGRES_URL (scripts/test.sh sets it), the backend runs on a new database
# on that PostgreSQL server; otherwise on SQLite in the data dir.
database_url=""
if [ -n "${HPP_TEST_POSTGRES_URL:-}" ]; then
  name="contract_$$_$(date +%s)"
  psql -q "$HPP_TEST_POSTGRES_URL" -c "CREATE DATABASE $name"
  database_url="${HPP_TEST_POSTGRES_URL%/*}/$name"
fi
HPP_DATABASE_URL="$database_url" HPP_DATA_DIR="$data" HPP_DIST_DIR="$data/no-app" HPP_ADDR="127.0.0.1:$port" \
  "$backend_bin" > "$data/backend.log" 2>&1 &
backend=$!
trap 'kill $backend 2>/dev/null || true; rm -rf "$data"' EXIT
# Up once it answers at all (signed out, `GET /session` is 204).
for _ in $(seq 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/session")" != 000 ] && break
  sleep 0.2
done
# The three roles at once, each into its own log, shown when all are done: the checks judge
# each answer on its own, so one role's writes cannot make another's run fail.
pids=()
accounts=(support@hpp.example installer@acme.example reseller@acme.example)
for account in "${accounts[@]}"; do
  me=$(curl -sf -H 'content-type: application/json' \
    -d "{\"email\":\"$account\",\"password\":\"demo-password\"}" -c "$data/jar-$account" "$base/session")
  csrf=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf_token"])' <<<"$me")
  cookie=$(awk '$6 == "hpp_session" { print $6 "=" $7 }' "$data/jar-$account")
  "$VENV/bin/schemathesis" run openapi.yaml --url "$base" \
    -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H "Idempotency-Key: contract-$account" \
    --checks not_a_server_error,response_schema_conformance \
    --exclude-path /session --exclude-path /events --max-examples 30 --seed 1 \
    > "$data/schemathesis-$account.log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!accounts[@]}"; do
  wait "${pids[$i]}" || failed=1
  echo "== schemathesis as ${accounts[$i]}"
  cat "$data/schemathesis-${accounts[$i]}.log"
done
exit $failed
