#!/usr/bin/env bash
# The release build: the server binary and the browser bundle, split into a shell and one module
# per area's islands (`--split`, see src/ui/island.rs), every file named by its content hash
# (`hash-files` in Cargo.toml) and written once more as .br and .gz (`--precompress`), which the
# server sends as they are. The server finds the names in hash.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo leptos build --release --split --precompress "$@"
# The hashes go with the site folder too, so copying the binary and that folder is a deployment.
cp target/release/hash.txt target/site/hash.txt
