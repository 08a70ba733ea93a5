#!/usr/bin/env bash
# Placeholder until its issue lands.
echo "scripts/test-js.sh: not built yet"
