"""The fast paths of the rules and summaries give what the plain per-row code gave.

The rules fold, strip and parse each distinct value once and spread the result back to the
rows; the fee and stock ledgers are stacked once per run and shared between rules; the
summaries group on integer codes. Each test below pins one of these against the per-row
reference (the code it replaced), on columns read back from real workbooks where a workbook
can hold the case, and on hand-made columns for what only other callers could pass (1, 1.0
and True in a text column).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from ledger_set import ASSET_HEADER, COUNT_HEADER, consistent_sheets, of_kind, write_book

from houqin_xl.check import Checked, check
from houqin_xl.checks.rules import base, run_rules
from houqin_xl.checks.rules.base import contains_column, fold, fold_column, run_memo, shared
from houqin_xl.checks.rules.fees import _RECEIPT, _receipt_numbers
from houqin_xl.checks.rules.stock import item_codes, item_key
from houqin_xl.checks.validate import Context
from houqin_xl.config import Config
from houqin_xl.ledgers.categories import load_categories
from houqin_xl.outputs import summaries
from houqin_xl.read import read_paths

D = dt.date

# Texts a bursar types: full-width digits and letters, ideographic and non-breaking spaces,
# tabs, half-width katakana, circled digits, a combining accent.
ODD_PLACES = ["３０１教室", "301　教室", " 301\t教室 ", "音乐室", "Ａ栋\u00a0２楼", "ｶﾀｶﾅ室", "①号库",
              "cafe\u0301", "图书室 （二楼）", "\u3000"]


def old_fold_column(values: pd.Series) -> pd.Series:
    """fold_column as it was: every row through pandas' string methods."""
    text = values.astype(object).where(values.notna(), "").astype(str)
    return text.str.normalize("NFKC").str.replace(r"\s+", "", regex=True)


def checked(tmp_path: Path, sheets: dict[str, list[list[Any]]], name: str = "台账.xlsx") -> Checked:
    path = write_book(tmp_path / name, sheets)
    return check(read_paths([path]), Config(), "2026-11")


def frame_of(result: Checked, name: str) -> pd.DataFrame:
    return next(t.frame for t in result.ledgers if t.name == name)


def with_places(places: list[Any]) -> dict[str, list[list[Any]]]:
    """The consistent ledger set with one register row per place (repeated, so that distinct
    values repeat down the column as they do in a real register)."""
    sheets = consistent_sheets()
    for i, place in enumerate(places * 3):
        sheets["固定资产台账"].append([f"Z{i:03d}", "椅子", "通用设备", 1, 100, 100, D(2026, 1, 5),
                                  "教务处", place, "在用"])
    return sheets


# ---- text folding over distinct values ----------------------------------------------------


def test_fold_column_over_a_read_back_column_is_fold_of_every_cell(tmp_path):
    # A number typed into the text column (301) and a blank cell (None) are in there too.
    result = checked(tmp_path, with_places([*ODD_PLACES, 301, None]))
    column = frame_of(result, "fixed_assets")["location"]
    assert column.isna().any() and "301" in set(column)
    folded = fold_column(column)
    assert list(folded) == [fold(v) for v in column]
    pd.testing.assert_series_equal(folded, old_fold_column(column))
    assert set(folded) >= {"301教室", "A栋2楼", "カタカナ室", "1号库", "café", ""}


def test_fold_column_reads_numbers_and_blanks_as_the_row_by_row_code_did():
    # Not from a workbook (typing turns every text cell into str or None), but a caller may
    # pass such a column: 1, 1.0 and True are one key to a hash table, not one text.
    values = pd.Series(["１ ２", 1, 1.0, True, 0.0, -0.0, None, np.nan, pd.NaT, "1", 1, "１"],
                       dtype=object, index=range(10, 22))
    folded = fold_column(values)
    pd.testing.assert_series_equal(folded, old_fold_column(values))
    assert list(folded) == ["12", "1", "1.0", "True", "0.0", "-0.0", "", "", "", "1", "1", "1"]


def test_fold_column_of_a_string_column_with_missing_values():
    values = pd.Series(["  ３０１ ", None, "３０１"], dtype=str)
    pd.testing.assert_series_equal(fold_column(values), old_fold_column(values))


def test_contains_column_is_the_row_by_row_search():
    values = pd.Series(["期初结存", None, "领用", 5, "上月结存 ", np.nan, "结转", "期初结存"],
                       dtype=object)
    pattern = re.compile(r"(?:期初|上月结存|结转)")
    expected = values.fillna("").astype(str).str.contains(pattern).to_numpy()
    assert list(contains_column(values, pattern)) == list(expected)
    # A pattern that matches the empty text matches blank cells, as fillna("") did.
    assert list(contains_column(values, "x*")) == [True] * len(values)


# ---- stock: item keys per distinct (item, spec) pair ----------------------------------------


def test_item_codes_give_item_key_of_every_row_in_sorted_order():
    items = pd.Series(["A4纸", "A4纸 ", "签字笔", None, "A4纸", 12, "　钢笔", "签字笔"], dtype=object)
    specs = pd.Series(["70g", " 70g", None, "0.5mm", "80g", "x", None, ""], dtype=object)
    codes, keys = item_codes(items, specs)
    expected = [item_key(i, s) for i, s in zip(items, specs, strict=True)]
    assert list(keys[codes]) == expected
    assert list(keys) == sorted(set(expected))  # codes order rows as the texts would


def test_stock_items_written_apart_roll_forward_as_one(tmp_path):
    sheets = consistent_sheets()
    stock = sheets["物资出入库"]
    stock[3][3] = "　70g"  # the purchase's spec with an ideographic space: the same item
    result = checked(tmp_path, sheets).result
    items = [r.key["item"] for r in result.reconciliations if r.rule == "stock_rollforward"]
    assert items == ["A4复印纸 70g", "签字笔 0.5mm"]
    assert of_kind(result, "stock_balance") == []


# ---- receipts: numbers parsed once per distinct text -----------------------------------------


@pytest.mark.parametrize("values", [
    # The usual book: ASCII without whitespace, parsed without the regex.
    ["A0001", "A0002", "123", "", "A", "A1B22", "SF-2026-0007", "B07", "0"],
    # Anything else goes value by value: full-width digits, spaces, Arabic-Indic digits.
    ["A0001", "Ａ０００２", "A 0003", "B\u3000７", "\u0661\u0662", "C-١٢", "A\n0004", "  "],
])
def test_receipt_numbers_are_what_the_regex_finds_in_each_folded_value(values):
    cells = np.array([*values, None, 7, 1.0], dtype=object)
    expected = [m.groups() for v in cells if (m := _RECEIPT.match(fold(v)))]
    assert _receipt_numbers(cells) == expected


def test_the_last_row_of_a_receipt_number_sets_its_width(tmp_path):
    # Row by row, a later row with the same number set its width; the widest sets the label.
    sheets = consistent_sheets()
    fees = sheets["收费台账"]
    template = fees[1]
    for numbers in (["B01", "B0002", "B04", "B2"],              # number 2 last written 'B2'
                    ["C01", "C0002", "C04", "C2", "C0002"]):    # … then 'C0002' again
        for number in numbers:
            fees.append([*template[:10], number, *template[11:]])
    sheets["缴款登记"][1][1] = 100 + 50 * 9  # the nine rows' 50 each, paid on the same day
    gaps = [f.key["receipt_no"] for f in of_kind(checked(tmp_path, sheets).result, "receipt_gap")]
    assert gaps == ["B03", "C0003"]


# ---- the shared frames of one run ------------------------------------------------------------


def test_shared_builds_once_per_run_and_forgets_at_its_end():
    calls: list[int] = []

    def build(ledgers: list) -> int:
        calls.append(len(ledgers))
        return len(calls)

    ledgers: list = []
    other: list = []
    assert shared("k", ledgers, build) == 1 and shared("k", ledgers, build) == 2  # no run: fresh
    with run_memo():
        assert shared("k", ledgers, build) == 3
        assert shared("k", ledgers, build) == 3
        assert shared("k", other, build) == 4  # another list is another entry
        assert shared("j", ledgers, build) == 5
    with run_memo():
        assert shared("k", ledgers, build) == 6  # a new run starts empty
    assert base._RUN_MEMO.get() is None


def test_a_second_run_does_not_reuse_the_first_runs_fee_stack(tmp_path):
    first = checked(tmp_path, consistent_sheets())
    assert of_kind(first.result, "fee_balance") == []
    # The very same ledger objects, changed between two runs: the second run must see it.
    fees = next(t for t in first.ledgers if t.name == "fees")
    paid = fees.frame["paid"].to_numpy(copy=True)
    paid[2] = 550.0  # 550 paid + 100 waived on a 600 due
    fees.frame["paid"] = paid
    config = Config()
    ctx = Context(config, load_categories(config), first.period.end)
    findings, _, _ = run_rules(first.ledgers, ctx, first.period)
    assert [(f.kind, f.row, f.field) for f in findings if f.kind == "fee_balance"] == [
        ("fee_balance", 4, "paid")]
    # And another workbook in the same process gets its own frames.
    sheets = consistent_sheets()
    sheets["收费台账"][1][9] = 80  # 80 refunded of 50 paid
    sheets["缴款登记"][1][1] = 20
    second = checked(tmp_path, sheets, "另一个.xlsx")
    assert [(f.row, f.field) for f in of_kind(second.result, "fee_balance")] == [(2, "refunded")]


# ---- assets: count folded once per column ----------------------------------------------------


def test_places_written_differently_are_one_place_in_the_count(tmp_path):
    sheets = consistent_sheets()
    sheets["固定资产台账"][1][8] = "３０１教室"
    sheets["盘点表"][1][2] = "301　教室"
    sheets["固定资产台账"][2][8] = None  # no place on the books: （未填）, not a difference
    result = checked(tmp_path, sheets).result
    assert [f for f in of_kind(result, "count_diff") if f.field == "location"] == []
    places = [r.key["location"] for r in result.reconciliations
              if r.rule == "assets_vs_count" and "location" in r.key]
    assert places[-1] == "合计" and places[:-1] == sorted(places[:-1])
    assert "301教室" in places and "（未填）" in places


def test_count_rows_come_out_in_asset_id_order(tmp_path):
    sheets = {
        "固定资产台账": [ASSET_HEADER,
                   ["Z9", "椅子", "通用设备", 1, 100, 100, D(2026, 1, 5), "教务处", "101", "在用"],
                   ["A5", "椅子", "通用设备", 1, 100, 100, D(2026, 1, 5), "教务处", "101", "在用"],
                   ["M1", "椅子", "通用设备", 1, 100, 100, D(2026, 1, 5), "教务处", "101", "在用"],
                   ["A5", "椅子", "通用设备", 9, 100, 100, D(2026, 1, 5), "教务处", "102", "在用"]],
        "盘点表": [COUNT_HEADER,
                ["Q2", "椅子", "101", 1, "王", D(2026, 11, 28)],
                ["A5", "椅子", "102", 2, "王", D(2026, 11, 28)],
                ["B1", "椅子", "101", 1, "王", D(2026, 11, 28)],
                ["Q2", "椅子", "109", 1, "王", D(2026, 11, 28)]],
    }
    result = checked(tmp_path, sheets).result
    rows = [(r.key["asset_id"], r.right_label) for r in result.reconciliations
            if r.rule == "assets_vs_count" and "asset_id" in r.key]
    # The first row of a repeated id counts; A5 differs in quantity (1 on the books, 2 counted).
    assert rows == [("M1", "实盘数量（盘亏）"), ("Z9", "实盘数量（盘亏）"),
                    ("B1", "实盘数量（盘盈）"), ("Q2", "实盘数量（盘盈）"),
                    ("A5", "实盘数量（数量不符）")]
    moved = [r.key["asset_id"] for r in result.reconciliations if r.rule == "assets_vs_count_location"]
    assert moved == ["A5"]


# ---- summaries grouped on codes --------------------------------------------------------------


def summary_sheets() -> dict[str, list[list[Any]]]:
    sheets = with_places(ODD_PLACES)
    for i, (department, category) in enumerate([("总务处", "专用设备"), (None, "通用设备"),
                                                ("教务处", None), ("Ａ组", "图书档案")] * 4):
        sheets["固定资产台账"].append([f"Y{i:03d}", "柜子", category, 2, 10.5, 21, D(2026, 2, 1),
                                  department, "仓库", "已报废" if i % 5 == 0 else "在用"])
    fees = sheets["收费台账"]
    for i, (grade, klass, item) in enumerate([("二年级", "二(1)班", "校服费"), (None, "三(2)班", "作业本费"),
                                              ("二年级", None, "校服费"), ("一年级", "一(1)班", None)] * 3):
        fees.append(["2026秋", grade, klass, f"T{i:03d}", "某", item, 120, 10, 100.5, 0,
                     f"A00001{i:02d}", D(2026, 11, 5), "陈", "作废" if i == 3 else None])
    stock = sheets["物资出入库"]
    for i, (month, department, item, spec) in enumerate([(10, "教务处", "粉笔", "白"), (11, None, "粉笔", "白"),
                                                         (11, "德育处", "粉笔", None), (9, "教务处", "扫帚", "")] * 3):
        stock.append([D(2026, month, 3 + i), f"LY{i:03d}", item, spec, "盒", "报损" if i == 7 else "领用",
                      None, None, None, 1, 2.5 + i, None, department, "某"])
    return sheets


@pytest.fixture
def summary_ledgers(tmp_path: Path) -> list:
    return checked(tmp_path, summary_sheets()).ledgers


def _in_natural_order(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Groups in the order a bursar expects (classes by code, grades 一 … 六), as the
    summaries give them."""
    order = sorted(range(len(table)), key=lambda i: tuple(summaries.natural_key(table[k].iloc[i])
                                                          for k in keys))
    return table.iloc[order].reset_index(drop=True)


@pytest.mark.parametrize(("base", "keys", "sums", "first"), [
    (summaries.asset_rows, ["category"], ["quantity", "original_fen", "net_fen"], ()),
    (summaries.asset_rows, ["category", "department"], ["quantity", "original_fen"], ("status",)),
    (summaries.asset_rows, ["status"], ["quantity", "original_fen", "net_fen"], ()),
    (summaries.fee_rows, ["grade", "class", "item"], ["due", "waived", "paid", "refunded", "owing"],
     ()),
    (summaries.fee_rows, ["class"], ["due", "paid"], ("item",)),
    (summaries.stock_issues, ["department", "month"], ["amount_fen"], ()),
    (summaries.stock_issues, ["item", "spec"], ["qty", "amount_fen"], ("unit",)),
])
def test_grouping_on_codes_is_grouping_on_the_labels(summary_ledgers, base, keys, sums, first):
    frame = base(summary_ledgers)
    assert len(frame) > 0
    got = summaries._grouped(frame, keys, sums, first=first)
    expected = _in_natural_order(frame.groupby(keys, sort=True).agg(
        **{c: (c, "sum") for c in sums}, size=(sums[0], "size"),
        **{c: (c, "first") for c in first}).reset_index(), keys)
    for column in [*keys, *sums, "size", *first]:
        pd.testing.assert_series_equal(got[column], expected[column])
    # Some rows only, as the asset tables leave out 已报废.
    rows = frame[keys[0]] != frame[keys[0]].iloc[0]
    some = summaries._grouped(frame, keys, sums, first=first, rows=rows)
    expected = _in_natural_order(frame[rows].groupby(keys, sort=True)[sums].sum().reset_index(), keys)
    for column in [*keys, *sums]:
        pd.testing.assert_series_equal(some[column], expected[column])
    # A frame that is not a memoised base is coded on the spot, with the same result.
    pd.testing.assert_frame_equal(summaries._grouped(frame.copy(), keys, sums, first=first), got)


def test_summary_bases_label_and_drop_rows_as_the_row_by_row_code(summary_ledgers):
    stock = summaries.stock_issues(summary_ledgers)
    months = sorted(set(stock["month"]))
    assert months == ["2026-09", "2026-10", "2026-11"]
    assert len(stock) == 3 + 11  # the set's three issues and the added ones but the 报损
    fees = summaries.fee_rows(summary_ledgers)
    assert "（未填）" in set(fees["class"]) and "" in set(fees["grade"])
    # The voided row (作废) is gone: 12 added rows, one voided, on top of the set's five.
    assert len(fees) == 5 + 11
    table = summaries.stock_issues_by_month_department(summary_ledgers)
    assert list(table.columns) == ["领用部门", *months, "合计"]
    body = table.iloc[:-1]
    assert list(body["合计"]) == sorted(body["合计"], reverse=True)
    assert round(body[months].sum(axis=1).sum(), 2) == round(body["合计"].sum(), 2)


def test_months_and_text_search_per_distinct_value_match_pandas():
    dates = pd.Series(pd.to_datetime(["2026-11-03", None, "2026-10-31", "2026-11-03", "2025-01-01"]))
    labels, (codes, names) = summaries._months(dates)
    expected = dates.dt.strftime("%Y-%m").where(dates.notna(), summaries.BLANK_LABEL)
    assert list(labels) == list(expected)
    assert list(names[codes]) == list(expected) and list(names) == sorted(set(expected))
    notes = pd.Series(["作废", None, " 已作废 ", "报损", 3, "盘亏"], dtype=object)
    found = summaries._text_contains(notes, "报损|盘亏")
    reference = summaries._by_distinct(notes, summaries._text, "").str.contains("报损|盘亏")
    assert list(found) == list(reference)


def test_pairs_of_texts_are_converted_once_each_and_pairs_holding_numbers_cell_by_cell():
    """A (grade, class) pair of texts is equal only when written alike: converted once per
    distinct pair (60,000 fee rows took 2.2 s converted one by one). A pair holding a number
    is not: (3, None) and (3.0, None) hash alike but read apart."""
    from houqin_xl.checks.rules.base import per_distinct

    seen: list[object] = []

    def convert(cells):
        seen.extend(cells)
        return [repr(c) for c in cells]

    pairs = [("三年级", "三(1)班"), ("三年级", None)] * 500 + [(3, None), (3.0, None)]
    out = per_distinct(pd.Series(pairs, dtype=object), convert, "")
    assert list(out) == [repr(p) for p in pairs]
    texts = [c for c in seen if all(type(v) is str or v is None for v in c)]
    assert len(texts) == 2  # each pair of texts converted once
