"""The fuzz suite in `make test`: a fixed-seed set of a few hundred hostile cases and the large
ones, through the real command (tests/fuzz.py says what each must come to). `make fuzz N=5000`
runs more, from another seed each time (or SEED=…)."""

from __future__ import annotations

import datetime as dt
import math
import os
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from fuzz import PEAK_LIMIT_KB, Worker, large_cases, run_case, run_suite
from hostile_files import FORMATS, HOSTILE_VALUES, Case, consistent_sheets, write_set
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CASES = int(os.environ.get("HOUQIN_FUZZ_CASES", "240"))
SEED = 20261128


def test_a_fixed_seed_set_of_hostile_cases_all_end_cleanly(tmp_path: Path) -> None:
    summary = run_suite(CASES, SEED, tmp_path, jobs=2, with_large=False)
    print(summary.text())
    assert summary.cases >= CASES * 0.95  # (a builder may refuse a case it cannot write)
    assert not summary.failures, summary.text()
    assert set(summary.exits) <= {"0", "1", "2"}
    assert {"0", "1", "2"} <= set(summary.exits)  # the cases reach every ending


def test_the_largest_cases_stay_under_2_gib(tmp_path: Path) -> None:
    """Zip bombs (declared and lying), the biggest sheet the limits let through (10 million
    cells), every one of 1,048,576 rows: each as its own process, its peak memory measured."""
    peaks = {}
    for case in large_cases(tmp_path):
        outcome = run_case(case, None)
        assert not outcome.problems, (case.name, outcome.problems, [r.stderr for r in outcome.runs])
        peaks[case.name] = max(run.peak_kb for run in outcome.runs)
        shutil.rmtree(case.folder, ignore_errors=True)
    print({name: f"{kb // 1024} MiB" for name, kb in peaks.items()})
    assert max(peaks.values()) < PEAK_LIMIT_KB


# ---- hypothesis: any values, any format ---------------------------------------------------------

_values = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.text(max_size=60),
    st.text(alphabet="=+-@|!'\"cmd/C calc A0()，。#REF!", max_size=30),
    st.dates(min_value=dt.date(1900, 3, 1)),
)


@pytest.fixture(scope="module")
def worker():
    w = Worker()
    yield w
    w.close()


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kind=st.sampled_from(FORMATS), values=st.lists(_values, min_size=1, max_size=10),
       seed=st.integers(0, 2**16))
def test_any_values_in_any_format_end_cleanly(tmp_path: Path, worker: Worker, kind: str,
                                               values: list[Any], seed: int) -> None:
    rng = random.Random(seed)
    sheets = consistent_sheets()
    cells = [(name, r, c) for name, rows in sheets.items() for r in range(1, len(rows)) for c in range(len(rows[r]))]
    for (name, r, c), value in zip(rng.sample(cells, len(values)), values, strict=False):
        if isinstance(value, float) and not math.isfinite(value):
            continue
        sheets[name][r][c] = value[:32_000] if isinstance(value, str) else value
    folder = tmp_path / f"h{seed}-{kind}"
    shutil.rmtree(folder, ignore_errors=True)
    try:
        inputs = write_set(folder / "in", sheets, kind)
    except Exception:  # noqa: BLE001 - a writer refusing a value is not the tool's business
        return
    outcome = run_case(Case(f"hypothesis-{kind}", inputs, folder, annotate=kind == "xlsxwriter"), worker)
    assert not outcome.problems, (outcome.problems, [r.stderr for r in outcome.runs])
    shutil.rmtree(folder, ignore_errors=True)
