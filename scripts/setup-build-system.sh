#!/usr/bin/env bash
# System libraries the *build* needs (not only the tests): WeasyPrint, which renders the
# publication's PDF, loads Pango through ctypes. Installed from Debian only when missing.
set -euo pipefail
if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 >/dev/null
fi
