#!/usr/bin/env bash
# Placeholder until its issue lands.
echo "scripts/test-fuzz.sh: not built yet"
