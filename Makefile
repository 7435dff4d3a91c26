# The README's commands. Everything installs through scripts/ on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test serve editor check bench bench-search clean setup-test setup-editor

$(STAMP): pyproject.toml scripts/setup-python.sh scripts/setup-build-system.sh
	bash scripts/setup-python.sh $(VENV)
	touch $(STAMP)

site: $(STAMP) setup-editor  ## Build the site from the bundled sample profiles into site/
	$(VENV)/bin/dienhinh build --strict

serve: $(STAMP) setup-editor  ## Live preview on http://127.0.0.1:8000 (SCOPE=profiles/2024 to narrow it)
	$(VENV)/bin/dienhinh serve $(SCOPE)

editor: $(STAMP) setup-editor  ## The web editor on http://127.0.0.1:8000/quan-tri/, writing into profiles/, with the live preview
	$(VENV)/bin/dienhinh editor

check: $(STAMP)  ## Validate every profile and registry
	$(VENV)/bin/dienhinh check

setup-editor:  ## The web editor's app (Decap CMS) from npm, pinned in package-lock.json
	bash scripts/setup-editor.sh

setup-test: $(STAMP)
	bash scripts/setup-test.sh $(VENV)

test: setup-test  ## Install what the tests need (system packages included), lint, and run them
	$(VENV)/bin/ruff check generator tests scripts
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

bench: $(STAMP)  ## Benchmark: synthetic 1,000 and 10,000 profile sites against plain MkDocs, and rebuilds from the cache
	$(PY) scripts/bench.py --sizes 1000 10000 --repeat 3

bench-search: $(STAMP)  ## Search benchmark on a synthetic 10,000-profile site (headless Chromium)
	$(PY) scripts/bench_search.py

clean:  ## Remove the built site and the photo cache
	rm -rf site .cache
