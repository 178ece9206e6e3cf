# sklstm developer commands. Only Python 3.11 and make are needed: every
# target creates .venv itself and installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
# Editable installs: -qq keeps pip's errors but hides setuptools' notice that
# every editable install prints ("Editable installation ... be careful with
# folders in your working directory"); the packaging itself is checked,
# warnings as errors, by `make wheel-check`.
EDITABLE := $(PIP) install -qq -e
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test lint format docs bench bench-quick wheel-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.base: pyproject.toml | $(BIN)/python
	$(EDITABLE) .
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(EDITABLE) ".[test,distributed]"
	touch $@

$(VENV)/.bench: pyproject.toml | $(BIN)/python
	$(EDITABLE) ".[test,distributed,bench]"
	touch $@

$(VENV)/.docs: pyproject.toml | $(BIN)/python
	$(EDITABLE) ".[docs]"
	touch $@

## demo: install sklstm and run the reference tutorial (about a minute or two)
demo: $(VENV)/.base
	$(BIN)/sklstm tutorial

## test: lint (ruff) and run the whole test suite, on every core
test: $(VENV)/.test lint
	$(BIN)/python -m pytest -q -n auto

lint: $(VENV)/.test
	$(BIN)/ruff check sklstm tests benchmarks docs
	$(BIN)/ruff format --check sklstm tests benchmarks docs

format: $(VENV)/.test
	$(BIN)/ruff check --fix sklstm tests benchmarks docs
	$(BIN)/ruff format sklstm tests benchmarks docs

## wheel-check: build sdist+wheel, twine check, run the tutorial from the wheel
wheel-check: $(VENV)/.test
	.ci/check_wheel $(BIN)/python

## docs: build the Sphinx site, warnings as errors
docs: $(VENV)/.docs
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

## bench: the side-by-side benchmarks (slow); bench-quick: their smoke mode
bench: $(VENV)/.bench
	$(BIN)/python -m benchmarks

bench-quick: $(VENV)/.test
	$(BIN)/python -m benchmarks --quick

clean:
	rm -rf $(VENV) dist docs/_build docs/generated docs/auto_examples docs/sg_execution_times.rst build *.egg-info
