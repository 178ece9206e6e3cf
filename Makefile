# sklstm developer commands. Only Python 3.11 and make are needed: every
# target creates .venv itself and installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Installs go through uv (from PyPI, into the venv): it downloads and unpacks
# in parallel, a fresh `make test` installs in well under a minute instead of
# two with pip. It writes no bytecode; recipes unexport PYTHONDONTWRITEBYTECODE
# so that the first import of TensorFlow caches it for every later process.
UV := $(BIN)/python -m uv
EDITABLE := $(UV) pip install -q --python $(BIN)/python -e
export PIP_DISABLE_PIP_VERSION_CHECK := 1
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test lint format docs bench bench-quick wheel-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.uv: | $(BIN)/python
	$(BIN)/python -m pip install -q "uv>=0.5"
	touch $@

$(VENV)/.base: pyproject.toml | $(VENV)/.uv
	$(EDITABLE) .
	touch $@

$(VENV)/.test: pyproject.toml | $(VENV)/.uv
	$(EDITABLE) ".[test,distributed]"
	touch $@

$(VENV)/.bench: pyproject.toml | $(VENV)/.uv
	$(EDITABLE) ".[test,distributed,bench]"
	touch $@

$(VENV)/.docs: pyproject.toml | $(VENV)/.uv
	$(EDITABLE) ".[docs]"
	touch $@

## demo: install sklstm and run the reference tutorial, both ways, shortened
## to 200 epochs on two processes (about a minute; `sklstm tutorial` alone
## trains the tutorial's 1000 epochs, about three minutes on two cores)
demo: $(VENV)/.base
	$(BIN)/sklstm tutorial --epochs 200 --jobs 2

## test: lint (ruff) and run the whole test suite, on every core
test: $(VENV)/.test lint
	$(BIN)/python -m pytest -q -n auto --dist worksteal

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
