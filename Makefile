# Quick start: `make demo` and `make test` each build .venv from nothing on a fresh clone.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench fuzz clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/houqin-xl demo --out out/demo --workbooks workbooks

test: $(STAMP)
	$(BIN)/python -m pytest

# The fuzz suite beyond the fixed-seed set `make test` runs: N hostile cases from SEED (a new
# seed each time unless given; failed cases are kept under FUZZ_DIR with the seed printed).
N ?= 5000
SEED ?=
FUZZ_DIR ?=
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz.py --cases $(N) $(if $(SEED),--seed $(SEED)) $(if $(FUZZ_DIR),--keep $(FUZZ_DIR))

lint: $(STAMP)
	$(BIN)/ruff check houqin_xl tests bench schemas

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) out build *.egg-info
