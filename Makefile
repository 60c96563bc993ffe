# Everything a new machine needs, from a plain Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app caseflow
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint bench clean translations compile-translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the dependencies change.
$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: setup.cfg pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

## run: install, migrate the SQLite database, load the demo once, serve on http://$(HOST):$(PORT)
## with a local mail catcher (read the mail on /admin/mail) and the scheduler that delivers it
# Links in e-mails and the calendar address point where `make run` serves, unless the environment says otherwise.
run: export CASEFLOW_BASE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed compile-translations
	$(FLASK) init-db
	$(FLASK) demo
	@echo "Serving on http://$(HOST):$(PORT); the mail it sends is shown on /admin/mail  (Ctrl-C stops)"
	$(FLASK) dev --host $(HOST) --port $(PORT)

## test: the whole suite (SQLite; PostgreSQL too when CASEFLOW_TEST_DATABASE_URL is set)
test: $(VENV)/.installed-dev compile-translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## translations: extract every message (code, templates, workflow files, WTForms'), update the ru, ky and
## en catalogues (caseflow/translations/*/LC_MESSAGES/messages.po, the source) and compile them
translations: $(VENV)/.installed
	$(FLASK) translations update

# The .mo files the app reads are built from the .po files, never committed.
compile-translations: $(VENV)/.installed
	$(FLASK) translations compile

## lint: ruff, the layers and no cycles between packages (import-linter, setup.cfg), the workflow files
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check caseflow tests bench
	$(BIN)/lint-imports --config setup.cfg
	$(FLASK) workflows check

## bench: the engine against its transaction, and the reminder scan among 1,000 and 1,000,000 deadlines
## (fails if the second is over 1.5x the first); PostgreSQL too when CASEFLOW_BENCH_DATABASE_URL is set
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.transitions
	$(BIN)/python -m bench.scan

clean:
	rm -rf $(VENV) instance .pytest_cache
