# Two entry points matter (the README's first lines): `make run` and `make test`.
# Both need only Python 3.11, make and apt on a fresh machine.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run demo parts test lint typecheck pytest bench bench-smoke clean

$(STAMP): pyproject.toml
	@# Debian's own python3 keeps venv in a separate package; fetch it if needed.
	$(PYTHON) -m venv $(VENV) || { bash .ci/install-parts --venv && $(PYTHON) -m venv --clear $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# The embedded default: SQLite, a Maildir inbox and the desk on http://127.0.0.1:8700/
run: setup
	$(BIN)/enquiry-desk demo
	$(BIN)/enquiry-desk run

demo: setup
	$(BIN)/enquiry-desk demo

# Real servers the tests talk to (Debian packages); needs root or sudo.
parts:
	bash .ci/install-parts

test: setup parts lint typecheck pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python .ci/import_cycles.py

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest

bench: setup
	$(BIN)/python bench/import_records.py --rows 1000000
	$(BIN)/python bench/match.py --sizes 100000 1000000
	$(BIN)/python bench/name_dob.py --sizes 100000 1000000
	$(BIN)/python bench/quotes.py
	$(BIN)/python bench/verification.py
	$(BIN)/python bench/intents.py
	$(BIN)/python bench/desk.py --contacts 1000000 --drafts 10000
	$(BIN)/python bench/chat.py --records 1000000 --questions 200
	$(BIN)/python bench/ingest.py --messages 10000
	$(BIN)/python bench/load.py --messages 10000 --rate 50 --seconds 60

# The benchmarks at a size CI can afford, to keep them working.
bench-smoke: setup
	$(BIN)/python bench/import_records.py --rows 20000
	$(BIN)/python bench/match.py --sizes 5000 --enquiries 100
	$(BIN)/python bench/name_dob.py --sizes 20000
	$(BIN)/python bench/quotes.py
	$(BIN)/python bench/verification.py
	$(BIN)/python bench/intents.py
	$(BIN)/python bench/desk.py --contacts 20000 --drafts 2000 --records 5000 --requests 60
	$(BIN)/python bench/chat.py --records 5000 --questions 50 --rounds 2
	$(BIN)/python bench/ingest.py --messages 200 --records 5000
	$(BIN)/python bench/load.py --messages 200 --rate 10 --seconds 10 --records 5000

clean:
	rm -rf $(VENV) enquiry-desk-data .mypy_cache .ruff_cache .pytest_cache
