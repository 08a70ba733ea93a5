#!/usr/bin/env bash
# The npm package in four real runtimes: Node (parity with the native CLI over every case,
# hostile input, traps, the API), Cloudflare Workers (workerd), Deno and Chromium, plus the
# TypeScript declarations. Installs what it needs; fast when everything is present.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/setup-js.sh
bash scripts/setup-chromium.sh
bash scripts/build-wasm.sh
# The wasm-only code (src/wasm.rs, cfg'd paths) under the same lints as the native build.
cargo clippy --quiet -p cloudgate-wasm --lib --target wasm32-unknown-unknown --no-default-features --features parser -- -D warnings
cargo clippy --quiet -p cloudgate-wasm --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings
# The native CLI is the reference for parity (same sources, same embedded pack).
cargo build --quiet --bin cloudgate
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
export CLOUDGATE_CLI="$target_dir/debug/cloudgate"

cd js
# One file at a time: the runtimes (workerd, deno, chromium) are heavy on a 2-core machine.
node --test --test-concurrency=1 test/*.test.mjs
