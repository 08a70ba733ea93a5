#!/usr/bin/env bash
# Replays the saved fuzz corpora (fuzz/corpus/*) and runs the hostile-rule, hostile-input,
# property, concurrency and CLI tests, natively on the stable toolchain (no cargo-fuzz, no
# nightly). The fuzzers themselves run with scripts/fuzz.sh SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --quiet --test fuzz_replay --test hostile_rules --test hostile_input --test properties --test concurrency --test cli
