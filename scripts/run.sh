#!/usr/bin/env bash
# Builds Northstar and runs it on a local SQLite database with the demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
# cargo-leptos re-runs wasm-bindgen and wasm-opt (minutes) even when nothing changed, so the
# build is skipped when no source is newer than the last one. The hashes are written with the
# bundle, beside the binary, so their file marks a finished build.
hashes=target/release/hash.txt
changed="$(find src style public migrations end2end/package-lock.json Cargo.toml Cargo.lock -newer "$hashes" -print -quit 2>/dev/null || echo missing)"
if [[ ! -x target/release/northstar || ! -f "$hashes" || -n "$changed" ]]; then
  echo "==> Building (release)" >&2
  scripts/build.sh
else
  echo "==> Build is up to date" >&2
fi
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
exec target/release/northstar serve --demo "$@"
