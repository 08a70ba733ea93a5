#!/usr/bin/env bash
# Benchmarks side by side (bench/README.md): cloudgate wasm in Node, json-rules-engine, GoRules
# ZEN (native binding, wasm32-wasi build) and hand-written JavaScript in one Node process; the
# native engine against hand-written Rust (benches/engine) and against the native peers, ZEN and
# regorus (bench/peers/*, each beside cloudgate in its own process); the batch CLI on 10,000
# generated requests; and all of cloudgate's figures
# for a baseline build of an earlier commit beside the current build's, in the same run. Prints
# the tables (the last one: old | new | new/old) and writes bench/results.json.
#   scripts/bench.sh                   full run (release builds; ~20 min on 2 cores, more the
#                                      first time, which builds the baseline)
#   scripts/bench.sh --smoke           a few iterations of everything on the debug build, no
#                                      baseline build (make test); writes its results to a
#                                      temporary file, not bench/results.json, and fails if a
#                                      peer's decision differs from cloudgate's on any request
#                                      compared (bench/README.md: the agreement checks)
#   scripts/bench.sh --build-baseline  only builds the baseline
#
#   BENCH_BASELINE=REF   the baseline's commit (default 23a1bf6, the last one with two
#                        evaluators, before issue 26); `none` leaves the baseline out. It is
#                        checked out in a git worktree, target/bench-baseline, and built there
#                        with its own scripts into its own target dir; a later run at the same
#                        commit reuses that build.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd -P)"

smoke=0
build_baseline_only=0
case "${1:-}" in
  --smoke) smoke=1 ;;
  --build-baseline) build_baseline_only=1 ;;
esac
baseline_ref="${BENCH_BASELINE:-23a1bf6}"
if [[ $smoke == 1 || $baseline_ref == none ]]; then baseline_ref=""; fi
baseline_dir="$root/target/bench-baseline"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The baseline: BENCH_BASELINE in a git worktree, built the way that commit's own scripts build
# it (scripts/build-wasm.sh for the package in its js/, `cargo build --release` for the CLI,
# `cargo bench --bench engine` for the native report), with CARGO_TARGET_DIR inside the worktree
# so that it neither shares artefacts nor fights over the lock with this tree's target/. The
# commit built is stamped in target/bench-baseline/target/bench-built; with the stamp and the
# outputs present, nothing is rebuilt.
in_baseline() { # COMMAND… run in the baseline worktree, on its own target dir
  (cd "$baseline_dir" && CARGO_TARGET_DIR="$baseline_dir/target" "$@")
}
build_baseline() {
  local commit stamp="$baseline_dir/target/bench-built"
  if ! commit=$(git rev-parse --verify --quiet "$baseline_ref^{commit}"); then
    echo "bench.sh: BENCH_BASELINE=$baseline_ref is no commit of this repository" >&2
    return 1
  fi
  if [[ -e $baseline_dir/.git && $(git -C "$baseline_dir" rev-parse --show-toplevel 2>/dev/null) == "$baseline_dir" ]]; then
    # The worktree is ours: back to exactly the commit (ignored files, the builds, stay).
    git -C "$baseline_dir" checkout --quiet --force --detach "$commit"
  else
    rm -rf "$baseline_dir"
    git worktree prune
    git worktree add --quiet --detach "$baseline_dir" "$commit"
  fi
  if [[ -f $stamp && $(cat "$stamp") == "$commit" && -x $baseline_dir/target/release/cloudgate
        && -f $baseline_dir/js/pkg/cloudgate_bg.wasm && -f $baseline_dir/js/pkg/cloudgate_edge_bg.wasm ]]; then
    echo "bench.sh: baseline $baseline_ref ($commit) already built in $baseline_dir" >&2
    return 0
  fi
  echo "bench.sh: building the baseline $baseline_ref ($commit) in $baseline_dir (release + wasm: several minutes)" >&2
  rm -f "$stamp"
  in_baseline bash scripts/build-wasm.sh
  in_baseline cargo build --release --quiet
  in_baseline cargo bench --quiet --no-run --bench engine
  echo "$commit" > "$stamp"
}
if [[ $build_baseline_only == 1 ]]; then
  build_baseline
  exit
fi

# 1. The wasm npm package in js/ (idempotent; fast when already built).
bash scripts/build-wasm.sh

# 2. The harness's own npm dependencies (json-rules-engine, ZEN's linux-x64 binding), from the lock
#    file; and ZEN's wasm32-wasi build in a package of its own, bench/peers/zen/wasi: its package
#    declares cpu wasm32, which npm installs on x64 only with --force, here confined to it. If it
#    does not install, run.mjs says so and measures ZEN's native binding alone.
if [[ ! -f bench/node_modules/.package-lock.json || bench/package-lock.json -nt bench/node_modules/.package-lock.json ]]; then
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi
zen_wasi=bench/peers/zen/wasi
if [[ ! -f $zen_wasi/node_modules/.package-lock.json || $zen_wasi/package-lock.json -nt $zen_wasi/node_modules/.package-lock.json ]]; then
  (cd "$zen_wasi" && npm ci --force --no-audit --no-fund --loglevel=error) \
    || echo "bench.sh: ZEN's wasm32-wasi build did not install; it is left out" >&2
fi

# 3. Native: the CLI (batch mode, generated requests), then the criterion bench binary in report
#    mode.
# Linking the CLI against the freshly built library used to fail now and then ("undefined
# symbol: cloudgate::…") while the crate declared rlib + cdylib under LTO; it is rlib-only now
# (the wasm build asks for its cdylib). The retry, rebuilding the cloudgate crate alone, stays as
# a cheap guard.
retry() {
  if ! "$@"; then
    echo "bench.sh: retrying after rebuilding the cloudgate crate: $*" >&2
    cargo clean --quiet --release -p cloudgate
    "$@"
  fi
}
if [[ $smoke == 1 ]]; then
  cargo build --quiet
  cli=target/debug/cloudgate
  count=200
  agree=1000
else
  retry cargo build --release --quiet
  cli=target/release/cloudgate
  count=10000
  agree=2000
fi
if [[ -n $baseline_ref ]]; then
  build_baseline
fi
# Generated requests: all four scenarios for the batch mode, termination ones for the "mixed"
# throughput, and more termination ones only to check that every peer decides as cloudgate does
# (bench/run.mjs and the native bench compare on both termination files; the smoke run fails on
# any difference).
"$cli" generate --count "$count" --seed 1 > "$tmp/requests.ndjson"
"$cli" generate --count "$((count / 10))" --seed 2 --scenario termination > "$tmp/termination.ndjson"
"$cli" generate --count "$agree" --seed 3 --scenario termination > "$tmp/agreement.ndjson"
export CLOUDGATE_BENCH_REQUESTS="$tmp/termination.ndjson:$tmp/agreement.ndjson"
# The native report (benches/engine, CLOUDGATE_BENCH_REPORT). With a baseline, three runs of
# each build's, alternated, so that both meet the VM's slow and fast spells alike; run.mjs takes
# each row from the run with its median p50.
native_files=()
baseline_native_files=()
if [[ $smoke == 1 ]]; then
  CLOUDGATE_BENCH_REPORT="$tmp/native.json" CLOUDGATE_BENCH_ITERS=200 cargo test --quiet --bench engine
  native_files=("$tmp/native.json")
  node_args=(--smoke --out "$tmp/results.json")
else
  native_rounds=1
  if [[ -n $baseline_ref ]]; then native_rounds=3; fi
  for ((round = 1; round <= native_rounds; round++)); do
    if [[ -n $baseline_ref ]]; then
      in_baseline env CLOUDGATE_BENCH_REPORT="$tmp/native-baseline-$round.json" cargo bench --quiet --bench engine
      baseline_native_files+=("$tmp/native-baseline-$round.json")
    fi
    CLOUDGATE_BENCH_REPORT="$tmp/native-$round.json" retry cargo bench --quiet --bench engine
    native_files+=("$tmp/native-$round.json")
  done
  node_args=(--out bench/results.json)
fi

# 3b. The native peers (bench/peers/<name>: GoRules ZEN, regorus), each a crate of its own out of
#    the workspace, built in target/peers, each timing cloudgate's evaluate_json beside the peer
#    in its own process and checking that the peer decides every request as cloudgate does (its
#    exit status is 1 on any difference, after its report is written). The smoke run builds them
#    in debug and runs a few iterations (`cargo test --bench`), the full run in release.
peer_reports=()
peer_failed=()
for manifest in bench/peers/*/Cargo.toml; do
  [[ -f $manifest ]] || continue
  peer=$(basename "$(dirname "$manifest")")
  report="$tmp/peer-$peer.json"
  if [[ $smoke == 1 ]]; then
    peer_cmd=(cargo test --quiet --manifest-path "$manifest" --bench "$peer")
    peer_env=(CLOUDGATE_BENCH_ITERS=200)
  else
    peer_cmd=(cargo bench --quiet --manifest-path "$manifest" --bench "$peer")
    peer_env=()
  fi
  if ! env CARGO_TARGET_DIR="$root/target/peers" CLOUDGATE_BENCH_REPORT="$report" "${peer_env[@]}" "${peer_cmd[@]}"; then
    echo "bench.sh: the $peer peer failed (above): a build error or a disagreement with cloudgate" >&2
    peer_failed+=("$peer")
  fi
  if [[ -f $report ]]; then peer_reports+=("$peer=$report"); fi
done

# 4. Batch mode through `cloudgate check --ndjson`, on every core and on one thread: N copies of
#    the termination allow example (issue 6 sets its targets on that example) and N generated
#    requests of all four scenarios (what the issue asks the batch mode to report). Wall time is
#    what the figures are; CPU time (user + sys) is kept beside it, as the VM's load moves wall
#    time and not much else.
node -e '
const fs = require("fs");
const line = JSON.stringify(JSON.parse(fs.readFileSync(process.argv[1], "utf8")));
fs.writeFileSync(process.argv[2], (line + "\n").repeat(Number(process.argv[3])));
' examples/requests/termination-allow.json "$tmp/allow.ndjson" "$count"
batch() { # CLI FILE THREADS → "decisions wall_seconds cpu_seconds"
  local timing
  timing=$( { TIMEFORMAT='%R %U %S'; time "$1" check --ndjson "$2" --as-of 2026-09-02 --jobs "$3" > "$tmp/decisions.ndjson" 2>/dev/null || true; } 2>&1 )
  read -r real user sys <<< "$timing"
  echo "$(grep -c . "$tmp/decisions.ndjson") $real $(node -e "console.log($user + $sys)")"
}
cores=$(node -e "console.log(require('os').availableParallelism?.() ?? require('os').cpus().length)")
# The profile-guided build of the CLI (scripts/build-pgo.sh), measured beside the plain one with
# the runs alternated: full run only (it takes three builds), and skipped if llvm-tools cannot
# be installed. The baseline's CLI (its plain build) is alternated with them.
clis=("$cli")
pgo_i=""
baseline_i=""
if [[ $smoke == 0 && -z "${CLOUDGATE_BENCH_SKIP_PGO:-}" ]]; then
  if pgo_cli=$(bash scripts/build-pgo.sh); then
    clis+=("$pgo_cli")
    pgo_i=$((${#clis[@]} - 1))
  else
    echo "bench.sh: no profile-guided build (see above); the plain build alone is measured" >&2
  fi
fi
if [[ -n $baseline_ref ]]; then
  clis+=("$baseline_dir/target/release/cloudgate")
  baseline_i=$((${#clis[@]} - 1))
fi
# Each configuration is run $rounds times, the builds alternated, and its median run (by wall
# time) is the figure, with the fastest and slowest beside it: one run of a third of a second
# landed on whatever spell this VM was in (up to 2x apart), so one figure said little.
rounds=5
if [[ $smoke == 1 ]]; then rounds=1; fi
declare -A runs
for file in requests allow; do
  for threads in "$cores" 1; do
    for ((round = 0; round < rounds; round++)); do
      for i in "${!clis[@]}"; do
        runs[$i.$file.$threads]+="$(batch "${clis[$i]}" "$tmp/$file.ndjson" "$threads"),"
      done
    done
  done
done
batch_json() { # INDEX → the figures of that CLI
  node -e '
const [cores, ...configs] = process.argv.slice(1);
// One configuration: its runs ("decisions wall cpu," each), the median run by wall time, and
// the spread of decisions per second over the runs.
const median = (text) => {
  const runs = text.split(",").filter(Boolean).map((r) => r.trim().split(/\s+/).map(Number))
    .sort((a, b) => a[1] - b[1]);
  const [n, s, c] = runs[(runs.length - 1) >> 1];
  const rates = runs.map(([n, s]) => n / s);
  return { n, s, c, runs: runs.length, min: Math.min(...rates), max: Math.max(...rates) };
};
const [all, one, allowAll, allowOne] = configs.map(median);
const figures = (m, m1, what) => ({
  requests: m.n, what, threads: Number(cores), seconds: m.s, cpu_seconds: m.c, per_second: m.n / m.s,
  per_second_per_core: Math.max(m1.n / m1.s, m.n / m.s / cores),
  runs: m.runs, per_second_spread: { min: m.min, max: m.max },
  one_thread: {
    seconds: m1.s, cpu_seconds: m1.c, per_second: m1.n / m1.s, per_cpu_second: m1.n / m1.c,
    per_second_spread: { min: m1.min, max: m1.max },
  },
});
console.log(JSON.stringify({
  ...figures(all, one, "generated requests of all four scenarios (cloudgate generate --count '"$count"' --seed 1)"),
  termination_allow: figures(allowAll, allowOne, "copies of examples/requests/termination-allow.json, one per line"),
  command: "cloudgate check --ndjson FILE --as-of 2026-09-02 --jobs N",
  statistic: "median run of each configuration by wall time; the builds alternated",
}));
' "$cores" "${runs[$1.requests.$cores]}" "${runs[$1.requests.1]}" "${runs[$1.allow.$cores]}" "${runs[$1.allow.1]}"
}
if [[ -n $pgo_i ]]; then
  node -e '
const [plain, pgo] = process.argv.slice(1).map((s) => JSON.parse(s));
console.log(JSON.stringify({ ...plain, pgo: { ...pgo, build: "scripts/build-pgo.sh (make pgo)" } }));
' "$(batch_json 0)" "$(batch_json "$pgo_i")" > "$tmp/batch.json"
else
  batch_json 0 > "$tmp/batch.json"
fi
if [[ -n $baseline_i ]]; then
  batch_json "$baseline_i" > "$tmp/batch-baseline.json"
fi

# 5. Node: all engines side by side, the baseline's package in the same process; merges the
#    native figures; prints the tables. The smoke run, which builds no baseline, compares js/
#    with itself, so that the comparison's code runs in make test too.
join() { local IFS=,; echo "$*"; }
if [[ -n $baseline_ref ]]; then
  node_args+=(--baseline-js "$baseline_dir/js" --baseline-native "$(join "${baseline_native_files[@]}")"
    --baseline-batch "$tmp/batch-baseline.json" --baseline-ref "$baseline_ref")
elif [[ $smoke == 1 ]]; then
  node_args+=(--baseline-js js --baseline-native "$tmp/native.json" --baseline-batch "$tmp/batch.json"
    --baseline-ref "js/ itself (smoke run: exercises the comparison; its figures mean nothing)")
fi
cmd="${BENCH_BASELINE:+BENCH_BASELINE=$BENCH_BASELINE }scripts/bench.sh${1:+ $1}"
if [[ ${#peer_reports[@]} -gt 0 ]]; then node_args+=(--peer-native "$(join "${peer_reports[@]}")"); fi
node bench/run.mjs "${node_args[@]}" --requests "$tmp/termination.ndjson" --agreement "$tmp/agreement.ndjson" \
  --native "$(join "${native_files[@]}")" --batch "$tmp/batch.json" --command "$cmd"
if [[ ${#peer_failed[@]} -gt 0 ]]; then
  echo "bench.sh: native peer(s) failed: ${peer_failed[*]} (above)" >&2
  if [[ $smoke == 1 ]]; then exit 1; fi
fi

# 6. Full run only: criterion's own statistics for the native benches.
if [[ $smoke == 0 && -z "${CLOUDGATE_BENCH_SKIP_CRITERION:-}" ]]; then
  cargo bench --quiet --bench engine
fi
