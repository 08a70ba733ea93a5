#!/usr/bin/env bash
# Rust tests and lints. Clippy denies unwrap/expect/panic/indexing outside tests (Cargo.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo clippy --quiet --all-targets -- -D warnings
cargo test --quiet
