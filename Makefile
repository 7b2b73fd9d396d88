# Two entry points, both from a fresh clone (the tools run as `PYTHONPATH=hooks python -m portal …`):
#   make build   set up .venv and build the portal into site/ (strict)
#   make test    set up .venv with the test tools and run the whole suite
export NO_MKDOCS_2_WARNING := 1
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: build serve check new test clean

build: $(VENV)/.runtime
	$(BIN)/mkdocs build --strict

serve: $(VENV)/.runtime
	$(BIN)/mkdocs serve

# Editors' and CI's quick check of content/ (no site is built); CHECK_ARGS=--json, --github or --strict.
# Quiet: only the check's own output reaches stdout, so `make check CHECK_ARGS=--json` is valid JSON.
check:
	@$(MAKE) -s --no-print-directory $(VENV)/.runtime >&2
	@PYTHONPATH=hooks $(BIN)/python -m portal check $(CHECK_ARGS)

# A new news item, correctly filled (hooks/portal/cli/new.py): `make new` asks; or give
# TITLE=… EDITOR=… RESPONSIBLE=… and optionally COLUMN=… ORG=… DATE=… TAGS=… NAME=…
new: $(VENV)/.runtime
	@PYTHONPATH=hooks $(BIN)/python -m portal new

test: $(VENV)/.dev
	$(BIN)/python -m pytest

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $(VENV)/.runtime $@

clean:
	rm -rf site .cache
