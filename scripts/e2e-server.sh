#!/usr/bin/env bash
# Starts the release build on a fresh database with the demo data, for the browser tests.
set -euo pipefail
port="${1:-3100}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/target/e2e"
rm -rf "$dir"
mkdir -p "$dir"
export DATABASE_URL="sqlite://$dir/northstar.db"
export LEPTOS_SITE_ROOT="$root/target/site"
export RUST_LOG="${RUST_LOG:-warn}"
exec "$root/target/release/northstar" serve --demo --addr "127.0.0.1:$port"
