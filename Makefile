# Jeugdstem developer commands. The two that matter:
#   make chat   set up .venv and take the survey in this terminal (SQLite, built-in NLU, no token)
#   make test   set up .venv, .venv-rasa, PostgreSQL binaries and Chromium, then lint,
#               type-check and run every test (the tests start Rasa, PostgreSQL and Chromium)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Re-install when the dependencies or their pins change.
STAMP  := $(VENV)/.installed

.PHONY: setup setup-rasa chat run test lint typecheck pytest audit bench perf clean

setup: $(STAMP)

# Rasa in its own Python 3.10 environment, cached outside the clone (scripts/ensure-rasa.sh).
setup-rasa:
	bash scripts/ensure-rasa.sh

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Jeugdstem needs Python 3.11 or newer (PYTHON=$(PYTHON))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[dev]'
	touch $(STAMP)

chat: setup
	$(BIN)/jeugdstem chat

run: setup
	$(BIN)/jeugdstem run

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy

pytest: setup setup-rasa
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-faketime.sh
	# --durations: the slowest tests in every log, to keep the suite's time in view.
	$(BIN)/pytest --durations=20

test: lint typecheck pytest

# Known vulnerabilities in the locked dependencies (constraints.txt), from PyPI's
# advisory data. pip-audit lives in its own environment: it is a tool, not a dependency.
# --strict: a package it could not check fails the audit rather than passing silently.
AUDIT := .venv-audit
audit:
	test -x $(AUDIT)/bin/pip-audit || \
		{ $(PYTHON) -m venv $(AUDIT) && $(AUDIT)/bin/python -m pip install --quiet 'pip-audit>=2.7'; }
	$(AUDIT)/bin/pip-audit --requirement constraints.txt --no-deps --disable-pip --strict \
		--vulnerability-service pypi --progress-spinner off

bench: setup setup-rasa
	bash scripts/ensure-postgres.sh
	$(BIN)/python -m benchmarks.engine
	$(BIN)/python -m benchmarks.conversation
	$(BIN)/python -m benchmarks.nlu

# A short performance run for every CI log: figures printed, never asserted (these
# machines are shared and noisy; docs/performance.md has the full runs and targets).
perf: setup
	bash scripts/ensure-postgres.sh
	$(BIN)/python -m benchmarks.startup --runs 3
	$(BIN)/python -m benchmarks.conversation --participants 500 --rate 0 --duration 10
	$(BIN)/python -m benchmarks.conversation --participants 500 --rate 0 --duration 10 \
		--database postgresql

clean:
	rm -rf $(VENV) .venv-rasa .venv-audit models .pytest_cache .mypy_cache .ruff_cache *.egg-info
