#!/usr/bin/env bash
# Builds Northstar and runs it on a local SQLite database with the demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
echo "==> Building (release)" >&2
cargo leptos build --release
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
exec target/release/northstar serve --demo "$@"
