#!/usr/bin/env bash
# Install Debian's Chromium and ChromeDriver for the workbench browser tests (idempotent).
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi
