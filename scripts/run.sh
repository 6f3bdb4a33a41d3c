#!/usr/bin/env bash
# Builds Northstar and runs it on a local SQLite database with the demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
# cargo-leptos re-runs wasm-bindgen and wasm-opt (about a minute) even when nothing changed,
# so the build is skipped when no source is newer than the last one.
wasm=target/site/pkg/northstar.wasm
changed="$(find src style public migrations end2end/package-lock.json Cargo.toml Cargo.lock -newer "$wasm" -print -quit 2>/dev/null || echo missing)"
if [[ ! -x target/release/northstar || ! -f "$wasm" || -n "$changed" ]]; then
  echo "==> Building (release)" >&2
  cargo leptos build --release
else
  echo "==> Build is up to date" >&2
fi
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
exec target/release/northstar serve --demo "$@"
