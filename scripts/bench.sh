#!/usr/bin/env bash
# Builds the release app and a minimal Leptos counter (same profile), then prints the benchmark
# table: first-load bytes, Lighthouse mobile and desktop for four routes and for the counter,
# case-list latency at 10 000 and 100 000 cases, a bounded load run on loopback, and
# filter-to-rows time in headless Chromium at 10 000 cases, 10 000 open event streams on one backend
# process (its memory, change-to-event p50/p99), and filing cases with photos into the folder and
# the S3 file store; the backend figures on SQLite and on PostgreSQL. Each budget line ends in PASS
# or FAIL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --bench
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
trunk build --release
(cd counter && trunk build --release --dist "$PWD/../target/counter-dist")
cargo build --release -p hpp-e2e --example bench
cargo build --release -p hpp-backend --bin hpp-backend
# PostgreSQL beside SQLite: a durable cluster of the benchmark's own, stopped at the end.
postgres=$(mktemp -d)
trap 'bash scripts/postgres.sh stop "$postgres"; rm -rf "$postgres"' EXIT
HPP_BENCH_POSTGRES_URL=$(bash scripts/postgres.sh start "$postgres" durable)
export HPP_BENCH_POSTGRES_URL
HPP_DIST_DIR="$PWD/dist" target/release/examples/bench --counter-dist "$PWD/target/counter-dist" "$@"
