#!/usr/bin/env bash
# Runs every test: unit and integration (cargo), then the browser tests (Playwright, Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh --test
echo "==> Unit and integration tests" >&2
cargo test --features ssr --locked
echo "==> Release build for the browser tests" >&2
scripts/build.sh
echo "==> Browser bundle size" >&2
node scripts/wasm-size.mjs
echo "==> Browser tests" >&2
cd end2end
npx playwright test "$@"
