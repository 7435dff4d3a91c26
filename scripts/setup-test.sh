#!/usr/bin/env bash
# System packages the tests need: Debian's chromium (driven by Playwright, never a browser
# download), a Java runtime for the Nu Html Checker, and the npm packages vnu-jar and axe-core.
set -euo pipefail
venv=${1:-.venv}
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
fc-list 2>/dev/null | grep -qi 'dejavu' || need_apt+=(fonts-dejavu-core)
if [ ${#need_apt[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
if [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm install --no-audit --no-fund --silent
fi
