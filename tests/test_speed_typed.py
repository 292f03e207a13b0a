"""The fast paths of typing, validation and totals give exactly what the plain versions give.

typed.py folds each distinct text once and sorts out numbers and dates in C; validate.py
canonicalises each distinct category once and spares pandera a whole-frame isna per row check;
totals.py finds each block by binary search. Each test compares with the straightforward
per-cell / per-row computation, on workbooks written to disk and read back.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from builders import FA_HEADER, fixed_asset_rows, write_xlsx

import houqin_xl.checks.validate as validate_module
from houqin_xl.checks.totals import check_totals
from houqin_xl.checks.validate import Context, validate
from houqin_xl.config import Config
from houqin_xl.findings import Finding
from houqin_xl.ledgers.categories import load_categories
from houqin_xl.ledgers.ledger import Ledger
from houqin_xl.ledgers.money import fen_text, to_fen
from houqin_xl.ledgers.parse import BAD, display, parse_date, parse_number, parse_text
from houqin_xl.ledgers.recognise import recognise
from houqin_xl.ledgers.schemas import load_schemas
from houqin_xl.ledgers.typed import (
    ROW,
    TypedLedger,
    _date_column,
    _number_column,
    _text_column,
    bad_type_message,
    type_ledger,
)
from houqin_xl.period import Period
from houqin_xl.read import read_paths
from houqin_xl.read.grid import ExcelError, column_letter

D = dt.date

# What a text column may hold: numbers and booleans that hashing would merge (1.0, 1, True),
# their look-alike text, full-width and padded text, blanks, Excel errors, dates.
MIXED_TEXT = [1.0, 1, True, False, "1", "TRUE", None, "１２", " x ", "\u3000中文\u3000", "", "   ",
              "#REF!", "#N/A", 0, 0.0, 2.5, 1001.0, D(2026, 1, 2), dt.datetime(2026, 1, 2, 8, 30),
              "ＡＢＣ", "a\u00a0", "A001", "A001 ", "台式电脑"]
MIXED_NUMBER = [1.0, 1, True, "1", "", None, "  ", "1,200", "（300）", "-", "¥12", "abc", "#DIV/0!",
                D(2026, 1, 1), 0.005, -3.0, "１２００", "1e999999999"]
MIXED_DATE = ["2026.13.40", 46266, 46266.5, "2026年9月1日", None, "", "#VALUE!", "明天", 20260901,
              True, dt.datetime(2026, 10, 31, 5), D(2026, 1, 1), "20261130", 12.0]


def _ledgers(tmp_path: Path, sheets: dict[str, list[list[Any]]]) -> list[Ledger]:
    path = write_xlsx(tmp_path / "台账.xlsx", sheets)
    return recognise(read_paths([path]), load_schemas(Config()))


def _fixed_assets(tmp_path: Path, rows: list[list[Any]]) -> Ledger:
    found = [lg for lg in _ledgers(tmp_path, {"固定资产台账": [FA_HEADER, *rows]})
             if lg.name == "fixed_assets"]
    assert len(found) == 1
    return found[0]


def _ctx() -> Context:
    config = Config()
    return Context(config, load_categories(config), Period(2026, 11).end)


# ---- typed.py: each column against the per-cell parse --------------------------------------


def _plain_text(values: list[Any]) -> tuple[list[Any], list[int]]:
    parsed = [parse_text(v) for v in values]
    bad = [i for i, v in enumerate(parsed) if v is BAD]
    return [None if v is BAD else v for v in parsed], bad


def _plain_number(values: list[Any], multiplier: int = 1) -> tuple[list[float], list[int]]:
    out, bad = [], []
    for i, v in enumerate(values):
        if type(v) is float and abs(v) < 1e14:  # the fast path: Excel's own numbers
            out.append(v)
            continue
        # (NaN, inf and 1e308 are bad cells: no spreadsheet program writes them, a hostile
        # file does — issue 16; they once passed as empty.)
        parsed = None if v is None or v == "" else parse_number(v)
        if parsed is BAD:
            bad.append(i)
        out.append(np.nan if parsed is None or parsed is BAD else float(parsed))
    scaled = [x * multiplier for x in out]
    beyond = [i for i, x in enumerate(scaled) if not np.isnan(x) and not abs(x) < 1e14]
    return [np.nan if i in beyond else x for i, x in enumerate(scaled)], sorted({*bad, *beyond})


def _plain_date(values: list[Any]) -> tuple[list[Any], list[int]]:
    out, bad = [], []
    for i, v in enumerate(values):
        day = v.date() if type(v) is dt.datetime else v
        if type(v) in (dt.datetime, dt.date) and dt.date(1900, 1, 1) <= day < dt.date(2262, 4, 12):
            out.append(pd.Timestamp(v).normalize())
            continue
        parsed = None if v is None or v == "" else parse_date(v)
        if parsed is BAD:
            bad.append(i)
        out.append(pd.NaT if parsed is None or parsed is BAD else pd.Timestamp(parsed))
    return out, bad


def _same_objects(got: Any, want: list[Any]) -> None:
    got = list(got)
    assert got == want
    assert [type(v) for v in got] == [type(v) for v in want]


class _Text(str):
    """A str subclass: equal to a plain str, so hashing pools them."""


def test_text_column_mixing_numbers_booleans_errors_and_blanks_matches_the_per_cell_parse() -> None:
    rnd = random.Random(1)
    values = [*MIXED_TEXT, ExcelError("#REF!"), ExcelError("#N/A"), float("nan"), Decimal("NaN"),
              Decimal(1), _Text(" x "), _Text("1"), ["unhashable"]]
    values += [rnd.choice(values) for _ in range(500)]
    got, bad = _text_column(values)
    want, want_bad = _plain_text(values)
    assert got.dtype == object
    _same_objects(got, want)
    assert bad == want_bad


@pytest.mark.parametrize("values", [[], [None, None], ["", " "], ["x"], [1.0, True, 1]])
def test_text_column_edge_cases(values: list[Any]) -> None:
    got, bad = _text_column(values)
    want, want_bad = _plain_text(values)
    _same_objects(got, want)
    assert bad == want_bad


def test_number_and_date_columns_match_the_per_cell_parse() -> None:
    rnd = random.Random(2)
    numbers = [*MIXED_NUMBER, ExcelError("#REF!"), float("nan"), float("inf"), -1e308, 10**30,
               99999999999999.0, -0.0, 1e-320, "１" * 40, dt.date(9999, 12, 31)]
    numbers += [rnd.choice(numbers) for _ in range(300)]
    got, bad = _number_column(numbers, 10000)
    want, want_bad = _plain_number(numbers, 10000)
    np.testing.assert_array_equal(got, np.array(want))
    assert bad == want_bad
    dates = [*MIXED_DATE, ExcelError("#REF!"), dt.date(9999, 12, 31), dt.datetime(1899, 12, 31),
             dt.date(2262, 4, 11), dt.date(1900, 1, 1), "9999-12-31", "1899-12-31", -1e308, float("inf")]
    dates += [rnd.choice(dates) for _ in range(300)]
    got_dates, bad = _date_column(dates)
    want_dates, want_bad = _plain_date(dates)
    np.testing.assert_array_equal(got_dates, pd.DatetimeIndex(want_dates).to_numpy("datetime64[ns]"))
    assert bad == want_bad


def test_a_read_back_ledger_types_every_cell_as_the_per_cell_parse(tmp_path: Path) -> None:
    rnd = random.Random(3)
    rows = []
    for k in range(300):
        row = list(fixed_asset_rows()[k % 6])
        row[0] = f"A{k:04d}"
        for j in (1, 3, 4, 11, 15):  # name, spec, unit, custodian, note
            row[j] = rnd.choice(MIXED_TEXT)
        for j in (5, 6, 13):  # quantity, unit_price, depreciation
            if rnd.random() < 0.3:
                row[j] = rnd.choice(MIXED_NUMBER)
        if rnd.random() < 0.3:
            row[8] = rnd.choice(MIXED_DATE)
        rows.append(row)
    ledger = _fixed_assets(tmp_path, rows)
    typed, findings = type_ledger(ledger)
    frame = typed.frame
    assert list(frame.columns) == [ROW, *ledger.raw]
    want_bad_cells = set()
    for name, values in ledger.raw.items():
        spec = ledger.schema.field(name)
        if spec.numeric:
            want, bad = _plain_number(values, ledger.units.get(name, 1))
            assert frame[name].dtype == np.float64
            np.testing.assert_array_equal(frame[name].to_numpy(), np.array(want))
        elif spec.type == "date":
            want, bad = _plain_date(values)
            assert frame[name].dtype == "datetime64[ns]"
            np.testing.assert_array_equal(frame[name].to_numpy(),
                                          pd.DatetimeIndex(want).to_numpy("datetime64[ns]"))
        else:
            want, bad = _plain_text(values)
            assert frame[name].dtype == object
            _same_objects(frame[name], want)
        want_bad_cells |= {(ledger.rows[i], name) for i in bad}
    assert typed.bad_cells == want_bad_cells
    assert {(f.row, f.field) for f in findings} == want_bad_cells
    assert len(findings) == len(want_bad_cells) > 0


# ---- validate.py ---------------------------------------------------------------------------

CATEGORIES = ["通用设备", "2 通用设备", "2-通用设备", "固定资产-通用设备", "1601 固定资产—专用设备",
              "专用设备", "家具", None, "", "图书档案", 3.0, "通用设备(2)", " 通用设备 "]


def test_categories_are_canonicalised_as_row_by_row(tmp_path: Path) -> None:
    rows = []
    for k in range(120):
        row = list(fixed_asset_rows()[k % 6])
        row[0], row[2] = f"A{k:04d}", CATEGORIES[k % len(CATEGORIES)]
        rows.append(row)
    ledger = _fixed_assets(tmp_path, rows)
    typed, _ = type_ledger(ledger)
    ctx = _ctx()
    canonical = ctx.categories.canonical
    want = typed.frame["category"].map(lambda v: canonical(v) if isinstance(v, str) else v)
    validate(typed, ctx)
    pd.testing.assert_series_equal(typed.frame["category"], want)


@pytest.mark.parametrize("cells", [
    ["2 通用设备", np.nan, None, "通用设备"],  # NaN: not code -1 as None is
    ["2 通用设备", 1.0, True, None],  # values hashing would merge
    [None, None],
    [],
])
def test_categories_in_other_object_columns_are_canonicalised_as_row_by_row(cells: list) -> None:
    ctx = _ctx()
    canonical = ctx.categories.canonical
    frame = pd.DataFrame({"category": pd.Series(cells, dtype=object)})
    want = frame["category"].map(lambda v: canonical(v) if isinstance(v, str) else v)
    validate_module._canonical_categories(frame, ctx)
    pd.testing.assert_series_equal(frame["category"], want)


def _failing_asset_rows(n: int, seed: int) -> list[list[Any]]:
    """Fixed assets with many failing row checks on rows that have blank cells, and cells that
    fail two checks of one kind (a negative unit price is below the threshold too)."""
    rnd = random.Random(seed)
    rows = []
    for k in range(n):
        row = list(fixed_asset_rows()[k % 6])
        row[0] = f"A{k:04d}" if rnd.random() < 0.9 else "A0001"
        for j in (3, 4, 11, 15):
            if rnd.random() < 0.5:
                row[j] = None
        r = rnd.random()
        if r < 0.15:
            row[6] = -rnd.randint(1, 500)  # unit price: negative and below the threshold
        elif r < 0.3:
            row[7] = row[7] + 1  # original value ≠ quantity × price, net value then wrong too
        elif r < 0.4:
            row[13] = row[7] * 2  # depreciation above the value
        elif r < 0.5:
            row[8] = D(2027, 1, 1)  # after the period
        elif r < 0.55:
            row[2] = "不存在的分类"
        rows.append(row)
    return rows


def test_findings_keep_the_order_pandera_gives_with_ignore_na(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = _fixed_assets(tmp_path, _failing_asset_rows(400, seed=4))
    ctx = _ctx()
    typed, _ = type_ledger(ledger)
    fast = [f.to_json() for f in validate(typed, ctx)]
    build_schema = validate_module.build_schema
    # pandera's own default: every frame-level check with ignore_na, a whole-frame isna each
    monkeypatch.setattr(validate_module, "build_schema",
                        lambda schema, present, c, rows_never_blank=False:
                        build_schema(schema, present, c, False))
    typed, _ = type_ledger(ledger)
    plain = [f.to_json() for f in validate(typed, ctx)]
    assert len(fast) > 100
    assert fast == plain


# ---- totals.py -----------------------------------------------------------------------------


def _plain_totals(typed: TypedLedger, tolerance_fen: int) -> list[Finding]:
    """check_totals as a mask over every data row per total row (quadratic, but plain)."""
    ledger = typed.ledger
    fields = [f for f in ledger.schema.totals if f in ledger.columns]
    if not ledger.totals or not fields:
        return []
    rows = typed.frame[ROW].to_numpy()
    sums = {f: to_fen(typed.frame[f].to_numpy(float)) for f in fields}
    findings: list[Finding] = []
    block_start = 0
    for total in ledger.totals:
        if total.scope == "skip":
            block_start = total.row
            continue
        low = block_start if total.scope == "block" else 0
        members = (rows > low) & (rows < total.row)
        for name in fields:
            raw = total.values.get(name)
            header = ledger.headers[name]
            column = column_letter(ledger.columns[name])
            stated = parse_number(raw)
            if stated is None:
                continue
            base = dict(ledger=ledger.name, path=ledger.path, sheet=ledger.sheet, row=total.row,
                        column=column, field=name, header=header, value=display(raw))
            if stated is BAD:
                findings.append(Finding(kind="bad_type", **base, message=bad_type_message(
                    total.row, header, raw, ledger.schema.field(name).type)))
                continue
            if any((int(r), name) in typed.bad_cells for r in rows[members]):
                continue
            stated_fen = to_fen(np.array([float(stated * ledger.units.get(name, 1))]))[0]
            computed = float(np.nansum(sums[name][members]))
            if abs(stated_fen - computed) > tolerance_fen:
                span = (f"第{int(rows[members].min())}–{int(rows[members].max())}行" if members.any()
                        else "无数据行")
                if ledger.schema.field(name).type == "money":
                    amount = fen_text(computed)
                else:
                    value = computed / 100
                    amount = str(int(value)) if float(value).is_integer() else f"{value:g}"
                findings.append(Finding(kind="arithmetic", **base, message=(
                    f"第{total.row}行 {total.label} {header} {display(raw)}：应为 {amount}（{span}之和）")))
        block_start = total.row
    return findings


def _subtotal(label: str, quantity: Any, value: Any, depreciation: Any = None, net: Any = None
              ) -> list[Any]:
    row: list[Any] = [None] * 16
    row[1] = label
    row[5], row[7], row[13], row[14] = quantity, value, depreciation, net
    return row


def _many_blocks(seed: int) -> list[list[Any]]:
    """Two hundred blocks, each closed by a 小计 that is right, wrong, blank or unreadable; some
    blocks empty, some with an unreadable cell, a 本年累计 and 承前页 between, a 合计 at the end."""
    rnd = random.Random(seed)
    rows: list[list[Any]] = []
    total_q = total_v = 0
    for block in range(200):
        q = v = 0
        for k in range(rnd.choice([0, 1, 2, 3, 5])):
            row = list(fixed_asset_rows()[k % 5])
            row[0] = f"A{block:03d}{k}"
            q, v = q + row[5], v + row[7]
            if rnd.random() < 0.03:
                row[7] = "abc"  # an unreadable summed cell: that block's sum is not checked
            rows.append(row)
        total_q, total_v = total_q + q, total_v + v
        r = rnd.random()
        if r < 0.5:
            rows.append(_subtotal("小计", q, v))
        elif r < 0.7:
            rows.append(_subtotal("小计", q + 1, v - 0.5, rnd.choice([None, 7])))
        elif r < 0.8:
            rows.append(_subtotal("小计", None, "合计错"))
        elif r < 0.9:
            rows.append(_subtotal("本年累计", 1, 1))
        else:
            rows.append(_subtotal("承前页", 99, 99))
    rows.append(_subtotal("合计", total_q, total_v + 1))
    return rows


def test_many_subtotals_give_the_findings_of_the_plain_mask(tmp_path: Path) -> None:
    ledger = _fixed_assets(tmp_path, _many_blocks(seed=5))
    assert len(ledger.totals) > 200
    typed, _ = type_ledger(ledger)
    assert typed.bad_cells
    want = [f.to_json() for f in _plain_totals(typed, 1)]
    assert {f["kind"] for f in want} == {"arithmetic", "bad_type"}
    assert [f.to_json() for f in check_totals(typed, 1)] == want
    # rows out of sheet order (a frame not built by recognise) take the mask path, same result
    shuffled = typed.frame.sample(frac=1, random_state=0).reset_index(drop=True)
    typed_shuffled = TypedLedger(typed.ledger, shuffled, typed.bad_cells)
    assert [f.to_json() for f in check_totals(typed_shuffled, 1)] == \
        [f.to_json() for f in _plain_totals(typed_shuffled, 1)]


def test_subtotals_without_any_unreadable_cell(tmp_path: Path) -> None:
    rows = [r for r in _many_blocks(seed=6) if r[7] != "abc"]
    ledger = _fixed_assets(tmp_path, rows)
    typed, _ = type_ledger(ledger)
    assert not typed.bad_cells
    want = [f.to_json() for f in _plain_totals(typed, 1)]
    assert any(f["kind"] == "arithmetic" for f in want)
    assert [f.to_json() for f in check_totals(typed, 1)] == want
