#!/usr/bin/env bash
# Installs what building (and, with --test, testing) Northstar needs, skipping what is there.
# Sourced by run.sh and test.sh; safe to run again and again.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want_test=false
[[ "${1:-}" == "--test" ]] && want_test=true

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif have sudo; then sudo "$@"
  else echo "error: need root (or sudo) to run: $*" >&2; exit 1; fi
}

apt_updated=false
apt_install() {
  if ! have apt-get; then
    echo "error: please install $* with your system's package manager" >&2; exit 1
  fi
  if ! $apt_updated; then as_root apt-get update -qq; apt_updated=true; fi
  say "Installing $* (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

have cargo || { echo "error: Rust is not installed; see https://rustup.rs" >&2; exit 1; }
have cc || apt_install build-essential

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos 0.3.10: 0.3.11 needs a newer rustc than these machines have.
if [[ "$(cargo leptos --version 2>/dev/null || true)" != *"0.3.10"* ]]; then
  say "Installing cargo-leptos 0.3.10 (compiles for ~20 minutes the first time)"
  cargo install --locked cargo-leptos --version 0.3.10
fi

# The wasm-bindgen CLI must match the library version in Cargo.lock exactly.
wbg_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")"
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wbg_version" ]]; then
  say "Installing wasm-bindgen-cli $wbg_version"
  cargo install wasm-bindgen-cli --version "$wbg_version"
fi

# Node.js carries wasm-opt (npm package binaryen; Debian's binaryen is too old and breaks
# hydration) and Playwright.
if ! have node || ! have npm; then apt_install nodejs npm; fi
if [[ ! -x "$root/end2end/node_modules/.bin/wasm-opt" || "$root/end2end/package-lock.json" -nt "$root/end2end/node_modules/.package-lock.json" ]]; then
  say "Installing the npm packages in end2end/"
  (cd "$root/end2end" && npm ci --no-audit --no-fund --loglevel=error)
fi
export PATH="$root/end2end/node_modules/.bin:$PATH"

if $want_test; then
  chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [[ ! -x "$chromium" ]]; then
    apt_install chromium
  fi
fi
