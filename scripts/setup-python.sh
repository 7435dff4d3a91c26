#!/usr/bin/env bash
# Create the virtual environment and install the project with its test extras.
set -euo pipefail
venv=${1:-.venv}
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -e '.[test]'
