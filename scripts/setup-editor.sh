#!/usr/bin/env bash
# The web editor: Decap CMS, shipped at /quan-tri/, and decap-server, its local backend for
# `dienhinh editor`; the npm packages pinned in package.json and package-lock.json, installed from
# the npm registry (Debian's npm first, where the machine has none). Only the production
# dependencies: the test tools come with setup-test.sh.
# Run from the repository root (make site, make serve, make editor).
set -euo pipefail

[ -f node_modules/decap-cms/dist/decap-cms.js ] && [ -f node_modules/decap-server/dist/index.js ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
# --ignore-scripts: nothing is built on install; Decap's package holds its built files.
npm ci --omit=dev --ignore-scripts --no-audit --no-fund --silent
