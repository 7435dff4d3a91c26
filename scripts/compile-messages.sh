#!/usr/bin/env bash
# Compile the command line's message catalogue (generator/adapters/locale/*/LC_MESSAGES/*.po)
# into the .mo files gettext reads; run after editing a .po, and commit both. Babel comes with
# the project's dependencies. tests/adapters/test_messages.py fails while a .mo is out of date.
set -euo pipefail
venv=${1:-.venv}
"$venv/bin/pybabel" compile --domain dienhinh --directory generator/adapters/locale --statistics
