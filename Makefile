# Two commands: `make run` and `make test`. Both create .venv and install on first use.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest pytest-sqlite pytest-pg clean

$(STAMP): pyproject.toml
	@if [ -x scripts/install-system-deps ]; then scripts/install-system-deps; fi
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 | { grep -v '^WARNING: Location' || true; }
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]' 2>&1 | { grep -v '^WARNING: Location' || true; }
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/rectibot run

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest-sqlite: $(STAMP)
	RECTIBOT_TEST_DB=sqlite $(BIN)/pytest -q -p no:cacheprovider -n auto

pytest-pg: $(STAMP)
	$(BIN)/python scripts/run-pg-tests.py

test: lint typecheck pytest-sqlite pytest-pg

clean:
	rm -rf $(VENV) data
