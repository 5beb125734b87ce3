#!/usr/bin/env bash
# Chromium and its driver for the end-to-end tests (Debian packages; Playwright's own browser
# download does not work here). Installed only when missing.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium for the end-to-end tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
fi
