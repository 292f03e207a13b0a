"""Hostile numbers and dates in a ledger: each is an amount, a date, or a bad_type finding on
its own cell — never an overflow, never a date silently moved, never a crash."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from builders import FA_HEADER, fixed_asset_rows, run, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from houqin_xl.ledgers.money import fen_text
from houqin_xl.ledgers.parse import BAD, MAX_NUMBER, parse_date, parse_number

ORIGINAL = FA_HEADER.index("原值")
ACQUIRED = FA_HEADER.index("取得日期")


def _ledger_with(tmp: Path, column: int, values: list[Any], name: str = "台账.xlsx") -> tuple[Path, int]:
    """The register with one row per value, the value in `column`; returns the first row."""
    template = fixed_asset_rows()[0]
    rows = []
    for k, value in enumerate(values):
        row = list(template)
        row[0] = f"Z{k:04d}"
        row[column] = value
        rows.append(row)
    return write_xlsx(tmp / name, {"台账": [FA_HEADER, *rows]}, engine="xlsxwriter"), 2


def _each_is_a_value_or_a_bad_cell(tmp: Path, column: int, values: list[Any], field: str) -> dict[int, Any]:
    path, first = _ledger_with(tmp, column, values)
    checked = run(path)
    frame = checked.ledgers[0].frame
    bad_rows = {f.row for f in checked.result.findings if f.kind == "bad_type" and f.field == field}
    typed = dict(zip(frame["_row"], frame[field], strict=True))
    for k in range(len(values)):
        row = first + k
        value = typed[row]
        if row in bad_rows:
            assert value is None or (isinstance(value, float) and math.isnan(value)) or value is pd_nat(), (
                values[k], value)
        elif field == "original_value" and not (isinstance(value, float) and math.isnan(value)):
            assert math.isfinite(value) and abs(value) < MAX_NUMBER, (values[k], value)
    return {first + k: (first + k in bad_rows, typed[first + k]) for k in range(len(values))}


def pd_nat() -> Any:
    import pandas as pd

    return pd.NaT


NUMBERS = [1e308, -1e308, -0.0, 1e-320, 10**30, -(10**30), 2**63, 99999999999999.0, 1e14,
           "１２３４５６７８９０" * 3, "１，２００．５０", "1e308", "-1e999", "inf", "-Infinity", "NaN",
           "1_000", "٣٤٥", 12800, "12,800.00"]


def test_every_hostile_number_is_an_amount_or_a_bad_type_on_its_cell(tmp_path: Path) -> None:
    seen = _each_is_a_value_or_a_bad_cell(tmp_path, ORIGINAL, NUMBERS, "original_value")
    shown = dict(zip(NUMBERS, seen.values(), strict=True))
    for huge in (1e308, -1e308, 10**30, 2**63, 1e14, "1e308", "-1e999", "inf", "NaN", "1_000"):
        assert shown[huge][0], f"{huge!r} must be a bad cell"
    assert shown[-0.0] == (False, 0.0) and shown[1e-320][0] is False
    assert shown[99999999999999.0] == (False, 99999999999999.0)  # 14 digits: still an amount
    assert shown["１，２００．５０"] == (False, 1200.5) and shown["12,800.00"] == (False, 12800.0)


def test_a_huge_amount_never_reaches_the_money_code(tmp_path: Path) -> None:
    """1e308 once overflowed in money.py (cannot convert float infinity to integer): exit 3."""
    from houqin_xl.cli import main

    path, _ = _ledger_with(tmp_path, ORIGINAL, [1e308, 10**30, 12800])
    out = tmp_path / "r.json"
    assert main(["check", str(path), "--period", "2026-11", "--json", str(out),
                 "--report", str(tmp_path / "r.xlsx"), "--quiet"]) == 1
    assert fen_text(10**20) == "1000000000000000000.00"  # int fen: no float in the way


DATES = [dt.date(9999, 12, 31), dt.datetime(1899, 12, 31), "1900-01-01", dt.date(1900, 3, 1), dt.date(2262, 4, 11),
         dt.date(2262, 4, 12), "9999-12-31", "1899-12-31", "0001-01-01", "2026-02-30", "2026.9.1"]


def test_a_date_outside_the_calendar_is_bad_type_never_moved(tmp_path: Path) -> None:
    """9999-12-31 became 1816-03-29 in the typed frame (datetime64[ns] wrapped round)."""
    seen = _each_is_a_value_or_a_bad_cell(tmp_path, ACQUIRED, DATES, "acquired_on")
    got = dict(zip(map(repr, DATES), seen.values(), strict=True))
    for outside in (dt.date(9999, 12, 31), dt.datetime(1899, 12, 31), dt.date(2262, 4, 12),
                    "9999-12-31", "1899-12-31", "0001-01-01", "2026-02-30"):
        assert got[repr(outside)][0], f"{outside!r} must be a bad date"
    for inside, day in (("1900-01-01", "1900-01-01"), (dt.date(1900, 3, 1), "1900-03-01"),
                        (dt.date(2262, 4, 11), "2262-04-11"),
                        ("2026.9.1", "2026-09-01")):
        bad, value = got[repr(inside)]
        assert not bad and str(value.date()) == day


@pytest.mark.parametrize(("value", "expected"), [
    (float("inf"), BAD), (float("nan"), BAD), (1e308, BAD), (10**14, BAD), (10**14 - 1, Decimal(10**14 - 1)),
    (Decimal("Infinity"), BAD), (Decimal("NaN"), BAD), ("1" * 400, BAD), ("１" * 400, BAD),
    (-0.0, Decimal("-0.0")), (1e-320, Decimal("1E-320")),
])
def test_parse_number_bounds(value: Any, expected: Any) -> None:
    assert parse_number(value) == expected or parse_number(value) is expected


@pytest.mark.parametrize("value", [dt.date(1899, 12, 31), dt.date(2262, 4, 12), dt.datetime(9999, 12, 31),
                                   "1" * 400, 1e308, float("inf"), -1e308, "2262-04-12"])
def test_parse_date_bounds(value: Any) -> None:
    assert parse_date(value) is BAD


# ---- any value at all (hypothesis) -----------------------------------------------------------

_anything = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=False, allow_infinity=False, places=None).map(str),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
    st.text(alphabet="0123456789０１２３４５６７８９.,-+eE¥￥元 ()", max_size=30),
    st.dates(min_value=dt.date(1900, 1, 1)),
)


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(_anything, min_size=1, max_size=8))
def test_any_value_in_an_amount_or_a_date_cell_is_read_or_reported(tmp_path: Path, values: list[Any]) -> None:
    import shutil

    folder = tmp_path / "h"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    clean = [v for v in values if not (isinstance(v, float) and not math.isfinite(v))]  # XlsxWriter refuses them
    clean = [v[:32_000] if isinstance(v, str) else v for v in clean] or [1]
    _each_is_a_value_or_a_bad_cell(folder, ORIGINAL, clean, "original_value")
    _each_is_a_value_or_a_bad_cell(folder, ACQUIRED, clean, "acquired_on")
