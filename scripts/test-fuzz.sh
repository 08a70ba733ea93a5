#!/usr/bin/env bash
# Replays the saved fuzz corpora (fuzz/corpus/*) through the fuzz targets' entry points,
# natively on the stable toolchain (no cargo-fuzz, no nightly). The hostile-rule, hostile-input,
# property, concurrency and CLI tests run with every other Rust test in scripts/test-rust.sh.
# The fuzzers themselves run with scripts/fuzz.sh SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --quiet --test fuzz_replay -- --ignored
