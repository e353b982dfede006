#!/usr/bin/env bash
# Builds the app in release mode and starts it with the reference backend on its embedded
# database (demo accounts seeded on first start). Prints the URL and the accounts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release
cargo build --release -p hpp-backend
export HPP_DIST_DIR="${HPP_DIST_DIR:-$PWD/dist}"
export HPP_DATA_DIR="${HPP_DATA_DIR:-$PWD/data}"
exec target/release/hpp-backend
