#!/usr/bin/env bash
# Rust tests and lints. Clippy denies unwrap/expect/panic/indexing outside tests (Cargo.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/check-one-evaluator.sh
cargo clippy --quiet --all-targets -- -D warnings
cargo test --quiet
# The library crate packages and builds from its published files alone (the CLI package needs
# the library on crates.io first, so it is left to a release).
cargo package --quiet -p cloudgate --allow-dirty
