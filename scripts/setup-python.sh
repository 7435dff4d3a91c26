#!/usr/bin/env bash
# Create the virtual environment and install the project with its test extras, after the few
# system libraries the build itself needs.
set -euo pipefail
venv=${1:-.venv}
bash "$(dirname "$0")/setup-build-system.sh"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -e '.[test]'
