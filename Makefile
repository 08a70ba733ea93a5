# cloudgate — every entry point a user or CI needs. Each target installs what it needs itself.
.PHONY: test test-rust test-pack test-js test-package test-www package test-fuzz bench bench-smoke wasm pgo demo clean

## The full test suite: what CI runs (.ci/run calls exactly `make test`).
test: test-rust test-pack test-fuzz test-js test-package test-www bench-smoke

## Rust: unit tests, integration tests over case files, clippy with the panic lints.
test-rust:
	bash scripts/test-rust.sh

## The default pack's own test cases (`cloudgate test`).
test-pack:
	cargo run --quiet -- test

## Replays the saved fuzz corpora and the hostile corpora natively.
test-fuzz:
	bash scripts/test-fuzz.sh

## wasm build + Node, Cloudflare Workers (workerd), Deno and Chromium tests.
test-js:
	bash scripts/test-js.sh

## The packed tarball installed into fresh projects: Node (ESM, CommonJS), TypeScript, Vite,
## webpack and esbuild in Chromium, Deno, Bun, workerd, edge-light (js/README.md has the table).
test-package:
	bash scripts/test-package.sh

## The portal and simulator, end to end in headless Chromium.
test-www:
	bash scripts/test-www.sh

## A few iterations of every benchmark, to keep the harness working.
bench-smoke:
	bash scripts/bench.sh --smoke

## Benchmarks side by side (prints the table, writes bench/results.json).
bench:
	bash scripts/bench.sh

## The CLI built with profile-guided optimisation (prints its path; bench/README.md).
pgo:
	bash scripts/build-pgo.sh

## The npm package as a tarball, complete from a clean checkout: dist/cloudgate-<version>.tgz.
package:
	bash scripts/package.sh

## Builds the wasm module and the npm package in js/.
wasm:
	bash scripts/build-wasm.sh

## Serves the portal and training simulator on http://127.0.0.1:$${PORT:-8080}.
demo:
	bash scripts/demo.sh

clean:
	cargo clean
