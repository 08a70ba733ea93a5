#!/usr/bin/env bash
# Debian's chromium for the browser tests (playwright-core drives it; no browser download), with
# two font packages so pages lay out as they would for a person (recommends are skipped).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "setup-chromium: /usr/bin/chromium is missing and this user cannot install it (not root, no sudo)" >&2
    exit 1
  fi
fi
echo "setup-chromium: installing Debian's chromium" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation fonts-dejavu-core >/dev/null
