#!/usr/bin/env bash
# System packages the tests need: Debian's chromium (driven by Playwright, never a browser
# download), a Java runtime for the Nu Html Checker, the npm packages vnu-jar and axe-core pinned
# in package-lock.json (with Decap CMS, which every site the tests build ships), and ICU's headers
# for PyICU. The rest of the Python side (pytest, Playwright) comes from setup-python.sh.
# Run from the repository root (make setup-test).
set -euo pipefail

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)  # the path tests/browser_support.py launches
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
fc-list 2>/dev/null | grep -qi 'dejavu' || need_apt+=(fonts-dejavu-core)
[ -f /usr/share/java/epubcheck.jar ] || need_apt+=(epubcheck)  # validates the publication's EPUB
# PyICU, the reference for our Vietnamese collation, compiles against ICU's headers.
pkg-config --exists icu-i18n 2>/dev/null || need_apt+=(libicu-dev pkg-config)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

venv=${1:-.venv}
"$venv/bin/python" -c "import icu" 2>/dev/null || "$venv/bin/python" -m pip install --quiet -e '.[icu]'

# --ignore-scripts: vnu-jar's postinstall would download a Java runtime from GitHub when it finds
# none; the jar itself is in the package, and the JRE comes from Debian above.
if [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] || [ ! -f node_modules/axe-core/axe.min.js ] \
   || [ ! -f node_modules/decap-cms/dist/decap-cms.js ] || [ ! -f node_modules/decap-server/dist/index.js ]; then
  npm ci --ignore-scripts --no-audit --no-fund --silent
fi
