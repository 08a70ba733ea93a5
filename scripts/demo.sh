#!/usr/bin/env bash
# Placeholder until its issue lands.
echo "scripts/demo.sh: not built yet"
