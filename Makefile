# Quick start: `make demo` and `make test` each build .venv from nothing on a fresh clone.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench bench-quick bench-floor fuzz clean venv

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

# The benchmark has its own venv: its baseline needs fastexcel and pyarrow (the `bench` extra),
# and with pyarrow installed pandas changes its string storage, so they stay out of .venv.
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

# Issue #15's benchmark, every timing a fresh process: bursar-style and export-like workbooks at
# 0.1x, 1x, 2x (+ the inline-string 1x), then check-many on 200 small schools. ≈ 25 min on the
# 2-core machine when others leave it quiet, the workbooks generated on first use (≈ 4 min more).
bench: $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python bench/run.py
	$(BENCH_VENV)/bin/python bench/district.py --schools 200

# The same at 0.1x and 1x only, check-many on 40 schools (≈ 8 min); its results in bench/data/
# (git-ignored): the committed results are the full run's.
bench-quick: $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python bench/run.py --sizes 0.1,1 --export-sizes 0.1,1 --inline-sizes "" --results bench/data/results-quick.md
	$(BENCH_VENV)/bin/python bench/district.py --schools 40 --results bench/data/results-district-quick.md

# The floors under issue #15's targets (≈ 6 min): processes doing only what every check must do
# (the imports, the read, the hostile-input scan), beside the baseline and the check; results in
# bench/data/results-floor.md (git-ignored; the committed figures are in bench/results-floor.md).
bench-floor: $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python bench/floor.py

clean:
	rm -rf $(VENV) $(BENCH_VENV) out build *.egg-info
