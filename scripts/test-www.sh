#!/usr/bin/env bash
# Placeholder until its issue lands.
echo "scripts/test-www.sh: not built yet"
