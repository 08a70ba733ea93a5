#!/usr/bin/env bash
# Placeholder until its issue lands.
echo "scripts/build-wasm.sh: not built yet"
