#!/usr/bin/env bash
# Builds the CLI with profile-guided optimisation (PGO): an instrumented build decides a training
# set, LLVM's profile of that run guides the optimised build's inlining, code layout and branch
# order. Natively the decision path is an interpreter's dispatch and a JSON reader's branches,
# which is what PGO helps most (bench/README.md). `make pgo` runs this;
# `make bench` measures the binary it builds beside the plain release build.
#
# The training set is not what the benchmarks decide: 4,000 generated requests of all four
# scenarios with their own seed (the benchmarks use seeds 1 and 2 and the termination allow
# example), and the default pack's test cases (good, bad and refused requests alike).
#
# Prints the optimised binary's path on stdout. Needs rustup's llvm-tools component (installed
# here, once; exits 3 if it cannot be had, so that callers can fall back to the plain build).
# The result decides exactly as the plain build: only the machine code differs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

host="$(rustc -vV | sed -n 's/^host: //p')"
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [[ ! -x "$profdata" ]]; then
  if ! rustup component add llvm-tools >&2 || [[ ! -x "$profdata" ]]; then
    echo "build-pgo: llvm-profdata (rustup component llvm-tools) is not available" >&2
    exit 3
  fi
fi

work="$root/target/pgo"
raw="$work/raw"
rm -rf "$raw"
mkdir -p "$raw"

# `--target` so that RUSTFLAGS reach only the CLI and its dependencies, not build scripts.
echo "build-pgo: instrumented build" >&2
RUSTFLAGS="-Cprofile-generate=$raw" cargo build --quiet --release --target "$host" \
  --target-dir "$work/instrumented" >&2
trained="$work/instrumented/$host/release/cloudgate"

echo "build-pgo: training run" >&2
"$trained" generate --count 4000 --seed 7 > "$work/train.ndjson"
"$trained" check --ndjson "$work/train.ndjson" --as-of 2026-09-02 --jobs 1 > /dev/null || true
"$trained" test > /dev/null || true
"$profdata" merge -o "$work/merged.profdata" "$raw"

# The profile's digest in its path: RUSTFLAGS are part of cargo's fingerprint, so a new profile
# rebuilds every crate with it instead of reusing code optimised for the old one.
digest="$(sha256sum "$work/merged.profdata" | cut -c1-16)"
profile="$work/profile-$digest.profdata"
cp "$work/merged.profdata" "$profile"
find "$work" -maxdepth 1 -name 'profile-*.profdata' ! -name "profile-$digest.profdata" -delete

echo "build-pgo: optimised build" >&2
# Functions the training never ran have no profile; LLVM's note about each is noise here.
RUSTFLAGS="-Cprofile-use=$profile -Cllvm-args=-pgo-warn-missing-function=false" \
  cargo build --quiet --release --target "$host" --target-dir "$work/optimised" >&2
echo "$work/optimised/$host/release/cloudgate"
