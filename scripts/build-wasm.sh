#!/usr/bin/env bash
# Builds the wasm module and the npm package in js/ (the generated glue and the .wasm land in
# js/pkg/). Installs what it needs first. `make wasm` runs this.
#
#   CLOUDGATE_WASM_OPT=1  also run binaryen's wasm-opt -Oz (from npm): 13 % fewer raw bytes but
#                         < 1 % fewer gzip bytes, for ~2 min of build (bench/README.md),
#                         so it is off by default
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/setup-wasm.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# Two modules from the same sources (wasm/), with the same evaluator:
#   full (`parser`, profile wasm-release): Rhai's parser, any pack;
#   edge (no `parser`, profile wasm-edge: our crates at opt-level "s" for a faster cold start):
#   the default pack only, whose rules build.rs lowered.
# Both export the same functions and import the same JS, so one glue serves both (checked below).
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
raw="$target_dir/wasm32-unknown-unknown/wasm-release/cloudgate-full.wasm"
raw_edge="$target_dir/wasm32-unknown-unknown/wasm-edge/cloudgate-edge.wasm"
build() { # $1: cargo profile, $2: extra cargo flags, $3: where the raw module goes
  # shellcheck disable=SC2086
  cargo build --quiet -p cloudgate-wasm --lib --target wasm32-unknown-unknown --no-default-features $2 --profile "$1"
  local built="$target_dir/wasm32-unknown-unknown/$1/cloudgate.wasm"
  cmp -s "$built" "$3" 2>/dev/null || cp "$built" "$3"
}
build wasm-release "--features parser" "$raw"
build wasm-edge "" "$raw_edge"
out="$root/js/pkg"
glue="$out/cloudgate.js"
wasm="$out/cloudgate_bg.wasm"
wasm_edge="$out/cloudgate_edge_bg.wasm"

if [ -f "$wasm" ] && [ -f "$wasm_edge" ] && [ -f "$glue" ] && [ "$wasm" -nt "$raw" ] && [ "$wasm_edge" -nt "$raw_edge" ] \
  && grep -q '__cloudgate_reset' "$glue"; then
  exit 0 # up to date
fi

tmp="$out.tmp"
rm -rf "$tmp" "$tmp-edge"
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir "$tmp" --out-name cloudgate "$raw"
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir "$tmp-edge" --out-name cloudgate "$raw_edge"
for f in cloudgate.js cloudgate.d.ts; do
  if ! cmp -s "$tmp/$f" "$tmp-edge/$f"; then
    echo "build-wasm: the edge module needs other glue than the full one ($f differs); they must share it" >&2
    diff "$tmp/$f" "$tmp-edge/$f" | head -20 >&2
    exit 1
  fi
done
mv "$tmp-edge/cloudgate_bg.wasm" "$tmp/cloudgate_edge_bg.wasm"
rm -rf "$tmp-edge"

# The glue keeps its instance in module variables. After a trap the instance is unusable, so
# the wrapper (js/core.js) needs a way to drop it and instantiate the same module again.
for needle in 'let wasmModule, wasmInstance, wasm;' 'let __wbg_init_promise;' 'function initSync(module) {'; do
  if ! grep -qF "$needle" "$tmp/cloudgate.js"; then
    echo "build-wasm: the wasm-bindgen glue changed shape (no \`$needle\`); update the reset hook" >&2
    exit 1
  fi
done
cat >> "$tmp/cloudgate.js" <<'JS'

/** cloudgate: drops a trapped instance so that `initSync` instantiates the module afresh. */
export function __cloudgate_reset() {
    wasm = undefined;
    wasmInstance = undefined;
    __wbg_init_promise = undefined;
}
JS

if [ "${CLOUDGATE_WASM_OPT:-0}" = 1 ]; then
  bash scripts/setup-js.sh
  # No `--all-features`: with it binaryen 132 writes encodings Node 20 refuses to load
  # ("unknown import kind 0x7e"); the module's own target_features section says what is used.
  for m in cloudgate_bg cloudgate_edge_bg; do
    "$root/js/node_modules/.bin/wasm-opt" -Oz --strip-debug --strip-producers \
      "$tmp/$m.wasm" -o "$tmp/$m.opt.wasm"
    mv "$tmp/$m.opt.wasm" "$tmp/$m.wasm"
  done
fi

rm -rf "$out"
mv "$tmp" "$out"
size=$(wc -c < "$wasm")
gz=$(gzip -9c "$wasm" | wc -c)
echo "build-wasm: js/pkg/cloudgate_bg.wasm $size bytes, $gz gzip -9" >&2
