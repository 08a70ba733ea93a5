#!/usr/bin/env bash
# One evaluator: outside the tests, no code calls Rhai's interpreter (`eval*`, `run*`,
# `call_fn*`, `on_progress`, registering functions for it). Rhai parses rules; src/eval runs them.
# Fails naming every call it finds in the library, the CLI and the wasm surface.
set -euo pipefail
cd "$(dirname "$0")/.."
pattern='\.(eval|eval_ast|eval_ast_with_scope|eval_with_scope|eval_expression|eval_expression_with_scope|eval_file|run|run_ast|run_ast_with_scope|run_with_scope|run_file|call_fn|call_fn_with_options|call_native_fn|on_progress|register_fn|register_global_module)(::<[^>]*>)?\(|rhai::(eval|run|eval_file|run_file)\(|FuncRegistration'
# Code under `#[cfg(test)]` sits at the end of each file (after a line `mod tests {`): cut there.
found=0
while IFS= read -r file; do
  hits=$(awk '/^mod tests \{/ { exit } { print FILENAME ":" FNR ": " $0 }' "$file" | grep -E "$pattern" || true)
  if [[ -n "$hits" ]]; then
    echo "$hits"
    found=1
  fi
done < <(find src cli/src wasm/src build.rs -name '*.rs' | sort)
if [[ $found == 1 ]]; then
  echo "check-one-evaluator: the lines above call Rhai's interpreter outside the tests; rules run in src/eval only" >&2
  exit 1
fi
echo "check-one-evaluator: no call of Rhai's interpreter outside the tests"
