#!/usr/bin/env bash
# Installs what the wasm build needs: the wasm32 target and wasm-bindgen-cli at exactly the
# wasm-bindgen version in Cargo.lock (the CLI refuses modules made by another version).
# Idempotent; takes well under a second when both are present.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v rustup >/dev/null 2>&1; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "setup-wasm: adding the wasm32-unknown-unknown target" >&2
    rustup target add wasm32-unknown-unknown
  fi
fi

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$want" ]; then
  echo "setup-wasm: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  echo "setup-wasm: installing wasm-bindgen-cli $want (found: ${have:-none}); this takes a few minutes once" >&2
  # `--locked` is tried first; on these machines one of its locked dependencies is missing
  # from the registry mirror, and the unlocked resolution builds fine.
  cargo install wasm-bindgen-cli --version "$want" --locked \
    || cargo install wasm-bindgen-cli --version "$want"
fi
