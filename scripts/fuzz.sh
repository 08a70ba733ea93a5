#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 60) and keeps what it learned, minimised, in
# fuzz/corpus/<target>/. Crashes land in fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      targets: eval_json load_rules
#
# Uses `cargo fuzz` when it is installed. Otherwise (this project's machines have only the
# stable toolchain) it builds the same targets itself: libfuzzer-sys compiles libFuzzer with
# the C++ compiler, and the coverage instrumentation cargo-fuzz would ask for is plain stable
# rustc flags (-C passes=sancov-module and LLVM options). No sanitizer: AddressSanitizer needs
# nightly, and the crate forbids unsafe code anyway.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(eval_json load_rules)
jobs="${FUZZ_JOBS:-1}"

if cargo fuzz --version >/dev/null 2>&1; then
    for t in "${targets[@]}"; do
        RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$t" "corpus/$t" -- \
            -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=2048 -jobs="$jobs" -workers="$jobs"
    done
    exit 0
fi

export CARGO_TARGET_DIR="$PWD/target"
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
host="$(rustc -vV | sed -n 's/^host: //p')"
cargo build --release --target "$host" --bins
bin="$CARGO_TARGET_DIR/$host/release"
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t" "work/$t"
    echo "== fuzzing $t for ${seconds}s"
    # New inputs go to a scratch folder; the saved corpus is then merged (minimised) into a fresh one.
    "$bin/$t" "work/$t" "corpus/$t" -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=2048 \
        -timeout=10 -artifact_prefix="artifacts/$t/" -print_final_stats=1 2>&1 | tail -n 25
    rm -rf "min/$t" && mkdir -p "min/$t"
    "$bin/$t" -merge=1 "min/$t" "corpus/$t" "work/$t" 2>&1 | tail -n 2
    # Keep the saved corpus small: the merged set, without inputs over 16 KiB, and at most
    # FUZZ_KEEP (300) of them, chosen by a fixed shuffle so reruns are stable.
    find "min/$t" -type f -size +16k -delete
    keep="${FUZZ_KEEP:-300}"
    if [ "$(ls "min/$t" | wc -l)" -gt "$keep" ]; then
        ls "min/$t" | sort | shuf --random-source=<(yes) | tail -n +"$((keep + 1))" | sed "s|^|min/$t/|" | xargs rm -f
    fi
    rm -rf "corpus/$t" && mv "min/$t" "corpus/$t" && rm -rf "work/$t"
    echo "== $t: $(ls "corpus/$t" | wc -l) inputs kept in fuzz/corpus/$t"
done
rmdir min work 2>/dev/null || true
