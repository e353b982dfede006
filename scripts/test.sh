#!/usr/bin/env bash
# Runs every check and test of the project, installing what they need first.
#   fmt · clippy · native unit tests · backend tests · browser component tests · end-to-end tests
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --browser
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# Incremental caches double target/ and buy nothing on a fresh clone; set it to 1 to keep them.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# Scratch files (browser profiles among them) go here and go at the end, even when a step fails.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export TMPDIR="$scratch"

# Each step says when it starts, so a slow run shows where its minutes went.
started=$(date +%s)
step() { printf '\n\033[1m== %s (at %d s)\033[0m\n' "$*" "$(( $(date +%s) - started ))"; }

step "format"
cargo fmt --all --check

step "clippy (native and wasm32)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p hpp-web -p qr-worker -p leptos-counter --target wasm32-unknown-unknown --all-targets -- -D warnings

step "native unit tests and backend tests"
cargo test --workspace --exclude hpp-e2e
# The backend's test programs and the backend as built just now: the contract and the
# PostgreSQL pass run these again. Built for `-p hpp-backend` alone, the dependencies' features
# resolve otherwise, and 25 crates were compiled a second time (77 s).
backend_tests=$(cargo test --workspace --exclude hpp-e2e --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"] \
            and m["manifest_path"].endswith("/backend/Cargo.toml"):
        print(m["executable"])')
export HPP_BACKEND_BIN="$PWD/target/debug/hpp-backend"

step "contract: schemathesis against the live reference backend"
bash scripts/contract.sh

step "the backend again on PostgreSQL: every backend test, the authorization matrix, kill -9, the contract"
# A cluster of its own in the scratch folder, stopped at the end whatever happens.
postgres_url=$(bash scripts/postgres.sh start "$scratch/postgres")
trap 'bash scripts/postgres.sh stop "$scratch/postgres"; rm -rf "$scratch"' EXIT
export HPP_TEST_POSTGRES_URL="$postgres_url"
# The CA of the cluster's certificate (for `localhost`), for the test of TLS to PostgreSQL.
export HPP_TEST_POSTGRES_CA="$scratch/postgres/tls/ca.crt"
# As `cargo test` runs them: from the package's folder.
for program in $backend_tests; do (cd backend && "$program"); done
bash scripts/contract.sh
unset HPP_TEST_POSTGRES_URL HPP_TEST_POSTGRES_CA

step "component tests in headless Chromium"
# webdriver.json, with a browser profile in the scratch directory: the runner closes the window
# but not the session, so a profile chromedriver made itself would stay in /tmp.
python3 -c 'import json, sys; caps = json.load(open("webdriver.json"))
caps["goog:chromeOptions"]["args"].append("--user-data-dir=" + sys.argv[1])
json.dump(caps, open(sys.argv[2], "w"))' "$scratch/component-profile" "$scratch/webdriver.json"
WASM_BINDGEN_TEST_WEBDRIVER_JSON="$scratch/webdriver.json" \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p hpp-web --target wasm32-unknown-unknown --test web

step "release build of the app"
trunk build --release

step "end-to-end tests: the built app, the real backend, headless Chromium"
# On SQLite, but for the instances test, which runs two backends on PostgreSQL (over TLS, the
# server's certificate verified) and S3 too.
tls_url="${postgres_url/127.0.0.1/localhost}?sslmode=verify-full&sslrootcert=$scratch/postgres/tls/ca.crt"
HPP_E2E_POSTGRES_URL="$tls_url" HPP_DIST_DIR="$PWD/dist" cargo test -p hpp-e2e -- --test-threads=2

echo
echo "all checks passed in $(( $(date +%s) - started )) s; target/ holds $(du -sh target | cut -f1)"
