#!/usr/bin/env bash
# Installs, once, every tool the build and the tests need, at the versions pinned below.
# Safe to run again: each step is skipped when the right version is already there.
set -euo pipefail

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132.0.0
AXE_CORE_VERSION=4.11.0
# 12.x: the newest Lighthouse that runs on Node 20 (13 needs Node 22.19).
LIGHTHOUSE_VERSION=12.8.2

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
export PATH="$TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"

want_browser="${1:-}"
want_lighthouse=""
# --bench: everything the benchmark needs, which is the browser and Lighthouse.
if [ "$want_browser" = "--bench" ]; then want_browser="--browser"; want_lighthouse=1; fi

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    log "adding the $component component"
    rustup component add "$component"
  fi
done

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  log "installing trunk $TRUNK_VERSION (about 10 minutes, once)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes, once)"
  # Not --locked: its lockfile names a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  log "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm"
  mkdir -p "$TOOLS"
  (cd "$TOOLS" && [ -f package.json ] || echo '{"private":true}' > "$TOOLS/package.json")
  npm install --prefix "$TOOLS" --no-audit --no-fund "binaryen@$BINARYEN_VERSION"
fi

if [ "$want_browser" = "--browser" ] \
  && ! grep -qs "\"version\": \"$AXE_CORE_VERSION\"" "$TOOLS/node_modules/axe-core/package.json"; then
  log "installing axe-core $AXE_CORE_VERSION (accessibility checks in the end-to-end tests)"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund "axe-core@$AXE_CORE_VERSION"
fi

if [ -n "$want_lighthouse" ] \
  && ! grep -qs "\"version\": \"$LIGHTHOUSE_VERSION\"" "$TOOLS/node_modules/lighthouse/package.json"; then
  log "installing lighthouse $LIGHTHOUSE_VERSION (the benchmark's page audits)"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund "lighthouse@$LIGHTHOUSE_VERSION"
fi

# A real SMTP server for the mail tests (backend/tests/mail_delivery.rs): aiosmtpd, pinned, in a venv.
MAIL_VENV="$TOOLS/mail-venv"
if ! cmp -s "$ROOT/scripts/mail/requirements.txt" "$MAIL_VENV/requirements.txt"; then
  log "installing the mail tests' SMTP server (scripts/mail/requirements.txt)"
  rm -rf "$MAIL_VENV"
  mkdir -p "$TOOLS"
  python3 -m venv "$MAIL_VENV"
  "$MAIL_VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/scripts/mail/requirements.txt"
  cp "$ROOT/scripts/mail/requirements.txt" "$MAIL_VENV/requirements.txt"
fi

# A local S3-compatible server for the file store's tests (backend/tests/objects.rs, the
# two-instance e2e test): moto's server, pinned, in a venv. The tests start and stop it.
S3_VENV="$TOOLS/s3-venv"
if ! cmp -s "$ROOT/scripts/s3/requirements.txt" "$S3_VENV/requirements.txt"; then
  log "installing the file store tests' S3 server (scripts/s3/requirements.txt)"
  rm -rf "$S3_VENV"
  mkdir -p "$TOOLS"
  python3 -m venv "$S3_VENV"
  "$S3_VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/scripts/s3/requirements.txt"
  cp "$ROOT/scripts/s3/requirements.txt" "$S3_VENV/requirements.txt"
fi

# PostgreSQL, the second database engine: Debian's server, which the tests run in a folder of
# their own (scripts/postgres.sh), and openssl, which makes that cluster's certificates.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v openssl >/dev/null; then
  log "installing Debian's postgresql (the backend's tests on its second engine)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql openssl
fi

# The test material made by another hand (scripts/corpus): segno and pillow, pinned, in a venv.
CORPUS_VENV="$TOOLS/corpus-venv"
if [ "$want_browser" = "--browser" ] \
  && ! cmp -s "$ROOT/scripts/corpus/requirements.txt" "$CORPUS_VENV/requirements.txt"; then
  log "installing the corpus generators' Python packages (scripts/corpus/requirements.txt)"
  rm -rf "$CORPUS_VENV"
  python3 -m venv "$CORPUS_VENV"
  "$CORPUS_VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/scripts/corpus/requirements.txt"
  cp "$ROOT/scripts/corpus/requirements.txt" "$CORPUS_VENV/requirements.txt"
fi

# zbar, the peer the benchmark measures the QR reader against.
if [ -n "$want_lighthouse" ] && ! command -v zbarimg >/dev/null; then
  log "installing Debian's zbar-tools (the QR peer of the benchmark)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq zbar-tools
fi

if [ "$want_browser" = "--browser" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "installing Debian's chromium and chromium-driver"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver
  fi
fi

log "tools ready: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version)"
