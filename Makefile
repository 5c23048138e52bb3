# Two commands: `make run` and `make test`. Both create .venv and install on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest pytest-sqlite pytest-pg clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/rectibot run

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest-sqlite: $(STAMP)
	RECTIBOT_TEST_DB=sqlite $(BIN)/pytest -q -p no:cacheprovider

pytest-pg: $(STAMP)
	$(BIN)/python scripts/run-pg-tests.py

test: lint typecheck pytest-sqlite pytest-pg

clean:
	rm -rf $(VENV) data
