#!/usr/bin/env bash
# Benchmarks side by side (bench/README.md): cloudgate wasm in Node, json-rules-engine and
# hand-written JavaScript in one Node process; the native engine against hand-written Rust
# (benches/engine); the batch CLI on 10,000 generated requests. Prints the table and writes
# bench/results.json.
#   scripts/bench.sh           full run (release build; several minutes)
#   scripts/bench.sh --smoke   a few iterations of everything on the debug build (make test);
#                              writes its results to a temporary file, not bench/results.json
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
if [[ "${1:-}" == "--smoke" ]]; then smoke=1; fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# 1. The wasm npm package in js/ (idempotent; fast when already built).
bash scripts/build-wasm.sh

# 2. The harness's own npm dependencies (json-rules-engine), from the lock file.
if [[ ! -f bench/node_modules/.package-lock.json || bench/package-lock.json -nt bench/node_modules/.package-lock.json ]]; then
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

# 3. Native: the criterion bench binary in report mode, and the CLI for batch mode.
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
  CLOUDGATE_BENCH_REPORT="$tmp/native.json" CLOUDGATE_BENCH_ITERS=200 cargo test --quiet --bench engine
  count=200
  node_args=(--smoke --out "$tmp/results.json")
else
  retry cargo build --release --quiet
  cli=target/release/cloudgate
  CLOUDGATE_BENCH_REPORT="$tmp/native.json" retry cargo bench --quiet --bench engine
  count=10000
  node_args=(--out bench/results.json)
fi

# 4. Batch mode: N generated requests (all four scenarios) through `cloudgate check --ndjson`,
#    on every core and on one thread.
"$cli" generate --count "$count" --seed 1 > "$tmp/requests.ndjson"
"$cli" generate --count "$((count / 10))" --seed 2 --scenario termination > "$tmp/termination.ndjson"
batch() { # threads → "decisions seconds"
  local start end
  start=$(date +%s.%N)
  "$cli" check --ndjson "$tmp/requests.ndjson" --as-of 2026-09-02 --jobs "$1" > "$tmp/decisions.ndjson" || true
  end=$(date +%s.%N)
  echo "$(grep -c . "$tmp/decisions.ndjson") $(node -e "console.log($end - $start)")"
}
cores=$(node -e "console.log(require('os').availableParallelism?.() ?? require('os').cpus().length)")
read -r n_all s_all < <(batch "$cores")
read -r n_one s_one < <(batch 1)
node -e '
const [n, s, cores, n1, s1] = process.argv.slice(1).map(Number);
const all = n / s, one = n1 / s1;
console.log(JSON.stringify({ requests: n, threads: cores, seconds: s, per_second: all,
  per_second_per_core: Math.max(one, all / cores), one_thread: { seconds: s1, per_second: one },
  command: "cloudgate check --ndjson FILE --as-of 2026-09-02 --jobs N (FILE from cloudgate generate --count '"$count"' --seed 1)" }));
' "$n_all" "$s_all" "$cores" "$n_one" "$s_one" > "$tmp/batch.json"

# 5. Node: all engines side by side; merges the native figures; prints the table.
cmd="scripts/bench.sh${1:+ $1}"
node bench/run.mjs "${node_args[@]}" --requests "$tmp/termination.ndjson" \
  --native "$tmp/native.json" --batch "$tmp/batch.json" --command "$cmd"

# 6. Full run only: criterion's own statistics for the native benches.
if [[ $smoke == 0 && -z "${CLOUDGATE_BENCH_SKIP_CRITERION:-}" ]]; then
  cargo bench --quiet --bench engine
fi
