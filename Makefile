# Two commands set up a fresh clone: `make run` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MODEL ?= Helsinki-NLP/opus-mt-de-en
SEED := seeds/belarus-russland-2020-08.de.txt
OUT ?= out

.PHONY: install run test lint format tiny-model clean

install: $(INSTALLED)

# pyproject.toml pins every dependency; torch==2.13.0 resolves to the CPU build here.
$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(INSTALLED)
	$(BIN)/debrief translate $(SEED) --model $(MODEL) -o $(OUT)/belarus-russland-2020-08.en.txt
	$(BIN)/debrief translate $(SEED) --model $(MODEL) -o $(OUT)/belarus-russland-2020-08.json -q

test: $(INSTALLED) lint
	$(BIN)/python -m pytest

lint: $(INSTALLED)
	$(BIN)/ruff check translate tests
	$(BIN)/ruff format --check translate tests

format: $(INSTALLED)
	$(BIN)/ruff format translate tests
	$(BIN)/ruff check --fix translate tests

# A tiny random-weight model for trying the commands offline: make run MODEL=out/tiny-marian
tiny-model: $(INSTALLED)
	$(BIN)/python tests/tiny_models.py marian $(OUT)/tiny-marian

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache .hypothesis
