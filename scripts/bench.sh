#!/usr/bin/env bash
# Placeholder until its issue lands.
echo "scripts/bench.sh: not built yet"
