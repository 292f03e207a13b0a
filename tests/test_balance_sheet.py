"""The finance office hands over its 科目余额表 as the accounting software exports it: every
account of the chart, a two-level header, text amounts, blanks for zero, a closing 合计. The
tool reads it as the general ledger — the children of 1601 against the register, 1601 as the
grand total, 1602 kept for depreciation, every other account left alone — and re-adds the
sheet's own arithmetic."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from builders import (
    FA_HEADER,
    cells,
    describe,
    errors,
    fixed_asset_rows,
    ledger,
    run,
    write_workbook,
)

from houqin_xl.ledgers.layouts.cells import MergeMap
from houqin_xl.ledgers.recognise import recognise_grid
from houqin_xl.ledgers.schemas import load_schemas
from houqin_xl.read import read_paths
from houqin_xl.read.grid import column_letter

SHEET = "科目余额表"
D = Decimal

# (code, name, opening, period debit, period credit, year debit, year credit): balances signed
# 借方 − 贷方. Agrees with builders.fixed_asset_rows() (the disposed computer is not in 1601)
# and with itself: a parent is the sum of its children, opening + debit − credit = closing.
ACCOUNTS: list[tuple[str, str, D, D, D, D, D]] = [
    ("1001", "库存现金", D("5000.00"), D("1000.00"), D("2000.00"), D("31000.50"), D("30000")),
    ("1002", "银行存款", D("100000.00"), D("20000.00"), D("30000.00"), D("250000"), D("180000")),
    ("100201", "基本户", D("60000.00"), D("0"), D("30000.00"), D("50000"), D("180000")),
    ("100202", "代收费专户", D("40000.00"), D("20000.00"), D("0"), D("200000"), D("0")),
    ("1601", "固定资产", D("40000.00"), D("6800.00"), D("0"), D("6800"), D("0")),
    ("160102", "通用设备", D("5000.00"), D("6800.00"), D("0"), D("6800"), D("0")),
    ("160103", "专用设备", D("12000.00"), D("0"), D("0"), D("0"), D("0")),
    ("160105", "图书档案", D("15000.00"), D("0"), D("0"), D("0"), D("0")),
    ("160106", "家具用具装具及动植物", D("8000.00"), D("0"), D("0"), D("0"), D("0")),
    # 1602's children are the register's Σ 累计折旧 per class (depreciation_vs_gl).
    ("1602", "固定资产累计折旧", D("-13352.78"), D("0"), D("1200.00"), D("0"), D("13200")),
    ("160202", "通用设备", D("-3641.67"), D("0"), D("200.00"), D("0"), D("2200")),
    ("160203", "专用设备", D("-7900.00"), D("0"), D("500.00"), D("0"), D("5500")),
    ("160206", "家具用具装具及动植物", D("-1811.11"), D("0"), D("500.00"), D("0"), D("5500")),
    ("1702", "无形资产累计摊销", D("-300.00"), D("0"), D("0"), D("0"), D("0")),
    ("2307", "其他应付款", D("-20000.00"), D("0"), D("0"), D("0"), D("0")),
    ("3001", "累计盈余", D("-111347.22"), D("0"), D("0"), D("0"), D("0")),
]


def _closing(account: tuple) -> D:
    _, _, opening, debit, credit, _, _ = account
    return opening + debit - credit


def _text(amount: D) -> str | None:
    """An amount as exports print it: text with separators and a trailing space, a zero blank."""
    return None if amount == 0 else f"{amount:,.2f} "


def _pair(amount: D) -> list[str | None]:
    return [_text(amount), None] if amount >= 0 else [None, _text(-amount)]


def _name(code: str, name: str, style: str) -> str:
    if len(code) == 4:
        return name
    if style == "dash" and code.startswith("160"):
        return ("固定资产—" if code.startswith("1601") else "固定资产累计折旧—") + name
    return "    " + name  # indented


def debit_credit_sheet(code_as_number: bool = True, names: str = "indent",
                       quantities: bool = False) -> tuple[list[list[Any]], list[str]]:
    """The 借方 | 贷方 export: title, 编制单位 line, two header rows (科目编码 / 科目名称 merged
    down, each sub-header its own merged cell padded with spaces), blank rows between account
    groups, a 合计 of the level-1 accounts with a blank code, a footer."""
    rows: list[list[Any]] = [
        ["科目余额表"],
        ["编制单位：阳光实验小学", None, None, None, "期间：2026年11月", None, None, "单位：元"],
        ["科目编码", "科目名称", "期初余额", None, "本期发生额", None, "本年累计", None, "期末余额", None],
        [None, None, *["   借方   ", "   贷方   "] * 4],
    ]
    merges = ["A1:J1", "A3:A4", "B3:B4", "C3:D3", "E3:F3", "G3:H3", "I3:J3",
              *[f"{column_letter(c)}4:{column_letter(c)}4" for c in range(3, 11)]]
    if quantities:
        rows[2].append("期末数量")
    totals = [D(0)] * 8
    for account in ACCOUNTS:
        code, name, opening, debit, credit, year_debit, year_credit = account
        if code in ("1601", "2307", "3001"):
            rows.append([])  # exports leave a blank row between account groups
        figures = [*_pair(opening), _text(debit), _text(credit), _text(year_debit),
                   _text(year_credit), *_pair(_closing(account))]
        shown_code: Any = float(code) if code_as_number and len(code) == 4 else code
        line = [shown_code, _name(code, name, names), *figures]
        if quantities:
            line.append({"160102": 3, "160103": 1, "160105": 500, "160106": 10,
                         "1601": 514}.get(code))
        rows.append(line)
        if len(code) == 4:
            for k, value in enumerate([*_signed_pair(opening), debit, credit, year_debit,
                                       year_credit, *_signed_pair(_closing(account))]):
                totals[k] += value
    rows.append([None, "合计", *[_text(t) for t in totals]])
    rows.append([])
    rows.append(["制表：李秀英", None, None, None, "审核：王建国"])
    return rows, merges


def _signed_pair(amount: D) -> list[D]:
    return [amount, D(0)] if amount >= 0 else [D(0), -amount]


def direction_sheet() -> tuple[list[list[Any]], list[str]]:
    """The 方向 | 金额 export: 期初余额 and 期末余额 each over 方向 | 金额, the movements as
    本期借方 | 本期贷方 merged down, real numbers, codes as numbers, children named
    固定资产—设备 style, a 合计 that states the movements only."""
    rows: list[list[Any]] = [
        ["科目余额表"],
        ["核算单位：阳光实验小学", None, None, None, None, "会计期间：2026年第11期", None, "金额单位：元"],
        ["科目编码", "科目名称", "期初余额", None, "本期借方", "本期贷方", "期末余额", None],
        [None, None, "方向", "金额", None, None, "方向", "金额"],
    ]
    merges = ["A1:H1", "A3:A4", "B3:B4", "C3:D3", "E3:E4", "F3:F4", "G3:H3"]
    debit_total = credit_total = D(0)
    for account in ACCOUNTS:
        code, name, opening, debit, credit, _, _ = account
        closing = _closing(account)
        rows.append([int(code), _name(code, name, "dash"), *_direction(opening),
                     float(debit) or None, float(credit) or None, *_direction(closing)])
        if len(code) == 4:
            debit_total += debit
            credit_total += credit
    rows.append([None, "合计", None, None, float(debit_total), float(credit_total), None, None])
    return rows, merges


def _direction(amount: D) -> list[Any]:
    if amount == 0:
        return ["平", None]
    return ["借", float(amount)] if amount > 0 else ["贷", float(-amount)]


def write_set(tmp_path: Path, rows: list[list[Any]], merges: list[str], suffix: str = ".xlsx",
              register: bool = True) -> list[Path]:
    paths = [write_workbook(tmp_path / f"科目余额表{suffix}", {SHEET: rows}, {SHEET: merges})]
    if register:
        paths.append(write_workbook(tmp_path / "固定资产台账.xlsx",
                                    {"固定资产台账": [FA_HEADER, *fixed_asset_rows()]}))
    return paths


def row_of(rows: list[list[Any]], code: str) -> int:
    for index, line in enumerate(rows):
        if line and str(line[0]).split(".")[0] == code:
            return index + 1
    raise KeyError(code)


def gl_reconciliations(checked: Any) -> dict[str, tuple[str, str, str]]:
    return {r.key["category"]: (r.left, r.right, r.status) for r in checked.result.reconciliations
            if r.rule == "assets_vs_gl"}


# ---- a clean export against a clean register ---------------------------------------------

@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_a_clean_balance_export_against_a_clean_register_gives_no_finding(tmp_path, suffix):
    rows, merges = debit_credit_sheet()
    checked = run(*write_set(tmp_path, rows, merges, suffix))
    assert checked.result.findings == [], describe(checked.result.findings)
    assert gl_reconciliations(checked) == {
        "通用设备": ("11800.00", "11800.00", "ok"), "专用设备": ("12000.00", "12000.00", "ok"),
        "图书档案": ("15000.00", "15000.00", "ok"),
        "家具用具装具及动植物": ("8000.00", "8000.00", "ok"), "合计": ("46800.00", "46800.00", "ok")}
    assert "assets_vs_gl" not in {s["rule"] for s in checked.result.skipped_rules}


def test_the_方向_金额_export_reads_the_same_balances(tmp_path):
    rows, merges = direction_sheet()
    checked = run(*write_set(tmp_path, rows, merges))
    assert checked.result.findings == [], describe(checked.result.findings)
    recs = gl_reconciliations(checked)
    assert recs["合计"] == ("46800.00", "46800.00", "ok")
    assert all(status == "ok" for _, _, status in recs.values())


def test_codes_as_text_and_names_written_固定资产_dash_class(tmp_path):
    rows, merges = debit_credit_sheet(code_as_number=False, names="dash")
    checked = run(*write_set(tmp_path, rows, merges))
    assert checked.result.findings == [], describe(checked.result.findings)
    assert gl_reconciliations(checked)["通用设备"] == ("11800.00", "11800.00", "ok")


def test_every_account_is_a_record_with_its_own_cells(tmp_path):
    rows, merges = debit_credit_sheet()
    checked = run(*write_set(tmp_path, rows, merges, register=False))
    gl = ledger(checked, "gl_balances")
    frame, book = gl.frame, gl.ledger
    assert book.layout == "balance_sheet" and book.header_rows == [3, 4]
    assert list(frame["account_code"]) == [a[0] for a in ACCOUNTS]
    assert frame["_row"].tolist() == [row_of(rows, a[0]) for a in ACCOUNTS]
    by_code = frame.set_index("account_code")
    # Other accounts: never a category, never a family.
    assert pd.isna(by_code.loc["1001", "category"]) and pd.isna(by_code.loc["1001", "family"])
    assert pd.isna(by_code.loc["1601", "category"]) and by_code.loc["1601", "level"] == 1
    assert by_code.loc["160102", "category"] == "通用设备" and by_code.loc["160102", "level"] == 2
    assert by_code.loc["160202", "family"] == "1602" and by_code.loc["160202", "category"] == "通用设备"
    # Balances signed 借方 − 贷方: 1602's is a credit.
    assert by_code.loc["160102", "balance"] == 11800 and by_code.loc["160102", "opening"] == 5000
    assert by_code.loc["1602", "balance"] == -14552.78 and by_code.loc["1602", "credit"] == 1200
    assert by_code.loc["1001", "year_debit"] == 31000.5
    # Each value's own cell: a credit balance stands in the 贷方 column (J), a debit one in I.
    position = list(frame["account_code"]).index("1602")
    assert book.cell_of("balance", position) == (row_of(rows, "1602"), 10)
    assert book.header_of("balance", position) == "期末余额 贷方"
    position = list(frame["account_code"]).index("160102")
    assert book.cell_of("balance", position) == (row_of(rows, "160102"), 9)
    assert book.cell_of("category", position) == (row_of(rows, "160102"), 2)


def test_1602_累计折旧_is_an_account_not_a_total_row(tmp_path):
    rows, merges = debit_credit_sheet()
    checked = run(*write_set(tmp_path, rows, merges, register=False))
    codes = set(ledger(checked, "gl_balances").frame["account_code"])
    assert {"1602", "160202", "1702"} <= codes  # 累计折旧, 累计摊销: accounts all


def test_1602_never_enters_the_register_comparison(tmp_path):
    rows, merges = debit_credit_sheet()
    # Depreciation of a class the register does not have: were 1602 compared, it would show.
    rows[row_of(rows, "160203") - 1][1] = "    文物和陈列品"
    checked = run(*write_set(tmp_path, rows, merges))
    assert "文物和陈列品" not in gl_reconciliations(checked)
    # 1602 is compared with the register's 累计折旧 instead (depreciation_vs_gl, issue 13).
    found = checked.result.findings
    assert sorted(f.key["category"] for f in found) == ["专用设备", "文物和陈列品"], describe(found)
    assert all("1602" in f.message and f.kind == "ledger_mismatch" for f in found)


# ---- the sheet's own arithmetic -----------------------------------------------------------

def test_a_parent_that_is_not_the_sum_of_its_children_is_reported_on_the_parent(tmp_path):
    rows, merges = debit_credit_sheet()
    line = rows[row_of(rows, "1601") - 1]
    line[8] = "46,900.00 "  # 期末 借方; its own row still adds up once 本期借方 is changed too
    line[4] = "6,900.00 "
    line[6] = "6,900.00 "
    checked = run(*write_set(tmp_path, rows, merges, register=False))
    found = [f for f in checked.result.findings if f.kind == "arithmetic"]
    where = {(f.row, f.column) for f in found}
    row = row_of(rows, "1601")
    assert (row, "I") in where and (row, "E") in where and (row, "G") in where
    message = next(f.message for f in found if (f.row, f.column) == (row, "I"))
    assert "1601 固定资产" in message and "46800.00" in message and "下级科目之和" in message


def test_a_row_whose_opening_plus_debit_minus_credit_is_not_its_closing(tmp_path):
    rows, merges = debit_credit_sheet()
    row = row_of(rows, "100202")
    rows[row - 1][8] = "60,100.00 "
    checked = run(*write_set(tmp_path, rows, merges, register=False))
    found = [(f.row, f.column, f.field) for f in checked.result.findings if f.kind == "arithmetic"]
    assert (row, "I", "balance") in found
    message = next(f.message for f in checked.result.findings if (f.row, f.column) == (row, "I"))
    assert "应为 60000.00" in message and "期初余额+本期借方−本期贷方" in message
    # The parent 1002 no longer adds up either, on its own cell; nothing else is blamed.
    assert {r for r, _, _ in found} == {row, row_of(rows, "1002")}


def test_a_credit_balance_is_checked_on_its_credit_side(tmp_path):
    rows, merges = debit_credit_sheet()
    row = row_of(rows, "160203")
    rows[row - 1][9] = "3,100.00 "
    checked = run(*write_set(tmp_path, rows, merges, register=False))
    assert (SHEET, row, "J", "arithmetic") in cells(checked)


def test_the_合计_row_adds_the_level_1_accounts_only(tmp_path):
    rows, merges = debit_credit_sheet()
    total_row = next(i + 1 for i, line in enumerate(rows) if len(line) > 1 and line[1] == "合计")
    rows[total_row - 1][2] = "1.00 "  # 期初 借方 合计
    checked = run(*write_set(tmp_path, rows, merges, register=False))
    found = [f for f in checked.result.findings if f.kind == "arithmetic"]
    assert [(f.row, f.column) for f in found] == [(total_row, "C")]
    expected = sum(a[2] for a in ACCOUNTS if len(a[0]) == 4 and a[2] > 0)
    assert f"应为 {expected:.2f}" in found[0].message and "一级科目之和" in found[0].message


def test_a_方向_amount_off_in_the_direction_form(tmp_path):
    rows, merges = direction_sheet()
    row = row_of(rows, "160202")
    rows[row - 1][7] = 1300.0
    checked = run(*write_set(tmp_path, rows, merges, register=False))
    found = {(f.row, f.column) for f in checked.result.findings if f.kind == "arithmetic"}
    assert found == {(row, "H"), (row_of(rows, "1602"), "H")}


def test_an_unreadable_amount_is_bad_type_on_its_cell(tmp_path):
    rows, merges = debit_credit_sheet()
    row = row_of(rows, "1001")
    rows[row - 1][4] = "1,OOO.00"
    checked = run(*write_set(tmp_path, rows, merges, register=False))
    assert [(f.row, f.column, f.kind) for f in checked.result.findings] == [(row, "E", "bad_type")]


# ---- against the register ----------------------------------------------------------------

def test_a_class_balance_off_is_a_ledger_mismatch_keyed_by_the_class(tmp_path):
    rows, merges = debit_credit_sheet()
    # The finance office booked 1000 more to 通用设备 (a real posting: the sheet still adds up).
    for code in ("160102", "1601"):
        line = rows[row_of(rows, code) - 1]
        line[4] = "7,800.00 "
        line[6] = "7,800.00 "
        line[8] = _text(_closing(next(a for a in ACCOUNTS if a[0] == code)) + 1000)
    total_row = next(i for i, line in enumerate(rows) if len(line) > 1 and line[1] == "合计")
    for k in (4, 6, 8):
        rows[total_row][k] = _text(D(rows[total_row][k].replace(",", "")) + 1000)
    checked = run(*write_set(tmp_path, rows, merges))
    assert [(f.kind, f.key) for f in errors(checked)] == [
        ("ledger_mismatch", {"category": "通用设备"}), ("ledger_mismatch", {"category": "合计"})]
    assert gl_reconciliations(checked)["合计"] == ("46800.00", "47800.00", "mismatch")


def test_the_grand_total_is_1601_itself_not_the_sum_of_the_classes(tmp_path):
    rows, merges = debit_credit_sheet()
    # A child the register does not know: its class is bad, and 1601 still holds it.
    child = ["160199", "    其他", "1,000.00 ", None, None, None, None, None, "1,000.00 ", None]
    at = row_of(rows, "1602") - 1
    rows.insert(at, child)
    for k in (2, 8):
        line = rows[row_of(rows, "1601") - 1]
        line[k] = _text(D(line[k].replace(",", "")) + 1000)
    checked = run(*write_set(tmp_path, rows, merges))
    recs = gl_reconciliations(checked)
    assert recs["合计"] == ("46800.00", "47800.00", "mismatch")
    assert (SHEET, at + 1, "B", "bad_value") in cells(checked)


def test_only_1601_without_its_classes_compares_the_grand_total_and_says_so(tmp_path):
    rows, merges = debit_credit_sheet()
    rows = [line for line in rows if not (line and str(line[0]).startswith(("16010", "16020")))]
    checked = run(*write_set(tmp_path, rows, merges))
    assert gl_reconciliations(checked) == {"合计": ("46800.00", "46800.00", "ok")}
    reason = next(s["reason"] for s in checked.result.skipped_rules if s["rule"] == "assets_vs_gl")
    assert "只核对了合计" in reason


def test_a_general_ledger_without_fixed_assets_is_no_register_of_zero(tmp_path):
    rows, merges = debit_credit_sheet()
    rows = [line for line in rows if not (line and str(line[0]).startswith("160"))]
    total_row = next(i for i, line in enumerate(rows) if len(line) > 1 and line[1] == "合计")
    rows[total_row] = [None, "合计"]  # left empty: states nothing
    checked = run(*write_set(tmp_path, rows, merges))
    assert [f for f in checked.result.findings if f.kind == "ledger_mismatch"] == []
    assert gl_reconciliations(checked) == {}
    reason = next(s["reason"] for s in checked.result.skipped_rules if s["rule"] == "assets_vs_gl")
    assert "1601" in reason


def test_quantities_where_the_export_gives_them(tmp_path):
    rows, merges = debit_credit_sheet(quantities=True)
    checked = run(*write_set(tmp_path, rows, merges))
    assert checked.result.findings == [], describe(checked.result.findings)
    counted = {r.key["category"]: (r.left, r.right) for r in checked.result.reconciliations
               if r.rule == "assets_vs_gl_quantity"}
    assert counted["图书档案"] == ("500", "500") and counted["合计"] == ("514", "514")


def test_万元_on_the_unit_line(tmp_path):
    rows, merges = direction_sheet()
    rows[1][7] = "金额单位：万元"
    for line in rows[4:]:
        for k in (3, 4, 5, 7):
            if k < len(line) and isinstance(line[k], float):
                line[k] = line[k] / 10000
    checked = run(*write_set(tmp_path, rows, merges))
    assert gl_reconciliations(checked)["合计"] == ("46800.00", "46800.00", "ok")


# ---- what is not a general ledger --------------------------------------------------------

def _recognised(path: Path) -> list[Any]:
    schemas = list(load_schemas().values())
    return [recognise_grid(grid, schemas) for grid in read_paths([path])]


def test_a_list_of_budget_units_is_not_the_general_ledger(tmp_path):
    """A finance bureau's 单位余额表: unit codes and names in one cell, 方向 before each amount."""
    rows = [["单位余额表"], [],
            ["单位列表", "借贷方向", "年初数", "借方合计", "贷方合计", "借贷方向", "本月合计"],
            ["1010区委区府办", "平", 0.0, 757483.34, 0.0, "平", 757483.34],
            ["101001普陀区委区府办公室", "平", 0.0, 648643.45, 0.0, "借", 648643.45],
            ["1020区人大办", "平", 0.0, 473433.82, 0.0, "借", 473433.82]]
    path = write_workbook(tmp_path / "余额表.xls", {"Sheet1": rows})
    [found] = _recognised(path)
    assert found.ledgers == [] and found.reason


def test_a_table_of_accounts_without_codes_is_listed_not_read_as_classes(tmp_path):
    rows = [["科目名称", "期末余额"], ["库存现金", 5000], ["银行存款", 90000], ["应付账款", 300],
            ["通用设备", 11800]]
    path = write_workbook(tmp_path / "余额.xlsx", {"Sheet1": rows})
    [found] = _recognised(path)
    assert found.ledgers == []
    assert "不是资产分类" in found.reason and "库存现金" in found.reason


def test_a_quantity_amount_balance_list_is_a_stock_ledger_not_the_general_ledger(tmp_path):
    rows = [["数量金额余额表"],
            ["科目编码", "科目名称", "单位", "期初余额", None, None, None, "期末余额", None, None, None],
            [None, None, None, "方向", "数量", "单价", "金额", "方向", "数量", "单价", "金额"],
            ["1403000", "原材料", None, "借", None, None, 5334.5, "借", None, None, 4606],
            ["1403000_0001", "原材料_A4复印纸", "包", "借", 227, 23.5, 5334.5, "借", 196, 23.5, 4606]]
    merges = ["A2:A3", "B2:B3", "C2:C3", "D2:G2", "H2:K2"]
    path = write_workbook(tmp_path / "数量金额余额表.xlsx", {"Sheet1": rows}, {"Sheet1": merges})
    [found] = _recognised(path)
    assert all(ledger.name != "gl_balances" for ledger in found.ledgers)


def test_a_bank_journal_is_never_the_general_ledger(tmp_path):
    rows = [["明细账"], ["日期", "凭证号", "摘要", "科目名称", "借方", "贷方", "余额"],
            ["2026-11-02", "记-001", "存入", "银行存款", 100, None, 100]]
    path = write_workbook(tmp_path / "明细账.xlsx", {"Sheet1": rows})
    [found] = _recognised(path)
    assert all(ledger.name != "gl_balances" for ledger in found.ledgers)


def test_an_empty_period_export_is_a_ledger_of_no_rows_not_a_crash(tmp_path):
    rows, merges = debit_credit_sheet()
    checked = run(write_workbook(tmp_path / "科目余额表.xlsx", {SHEET: rows[:4]}, {SHEET: merges}))
    [info] = checked.result.ledgers
    assert (info.ledger, info.rows) == ("gl_balances", 0)


def test_padded_sub_headers_are_each_their_own_merged_cell(tmp_path):
    rows, merges = debit_credit_sheet()
    path = write_workbook(tmp_path / "a.xlsx", {SHEET: rows}, {SHEET: merges})
    [grid] = list(read_paths([path]))
    merge_map = MergeMap(grid, 10)
    assert merge_map.value(4, 10) == "   贷方   "  # not the 期末余额 group's first column
    [found] = _recognised(path)
    assert found.ledgers[0].column_headers[10] == "期末余额 贷方"


# ---- the register side of the comparison ------------------------------------------------

def test_a_register_without_a_category_column_is_compared_in_total_and_says_so(tmp_path):
    rows, merges = debit_credit_sheet()
    gl = write_workbook(tmp_path / "科目余额表.xlsx", {SHEET: rows}, {SHEET: merges})
    keep = [i for i, name in enumerate(FA_HEADER) if name != "资产分类"]
    register = [[line[i] for i in keep] for line in [FA_HEADER, *fixed_asset_rows()]]
    checked = run(gl, write_workbook(tmp_path / "台账.xlsx", {"固定资产台账": register}))
    assert gl_reconciliations(checked) == {"合计": ("46800.00", "46800.00", "ok")}
    reason = next(s["reason"] for s in checked.result.skipped_rules if s["rule"] == "assets_vs_gl")
    assert "没有资产分类列" in reason


def test_an_asset_without_a_class_still_counts_in_the_grand_total(tmp_path):
    rows, merges = debit_credit_sheet()
    gl = write_workbook(tmp_path / "科目余额表.xlsx", {SHEET: rows}, {SHEET: merges})
    assets = fixed_asset_rows()
    assets[1][2] = None  # the projector's class left blank: 7000 of 通用设备
    checked = run(gl, write_workbook(tmp_path / "台账.xlsx", {"固定资产台账": [FA_HEADER, *assets]}))
    recs = gl_reconciliations(checked)
    assert recs["合计"] == ("46800.00", "46800.00", "ok")  # never a total that drops it
    assert recs["（未分类）"] == ("7000.00", "0.00", "mismatch")
    assert recs["通用设备"] == ("4800.00", "11800.00", "mismatch")
    assert ("固定资产台账", 3, "C", "missing") in cells(checked)


def test_the_older_one_row_per_class_summary_is_still_read_by_name_or_code(tmp_path):
    rows = [["资产分类汇总表"], ["单位：元"], ["资产分类", "数量", "期末余额"],
            ["2", 3, 11800], ["3 专用设备", 1, 12000], ["图书档案", 500, 15000],
            ["家具用具装具及动植物", 10, 8000], ["合计", 514, 46800]]
    gl = write_workbook(tmp_path / "汇总.xlsx", {"资产分类汇总": rows})
    register = write_workbook(tmp_path / "台账.xlsx", {"固定资产台账": [FA_HEADER, *fixed_asset_rows()]})
    checked = run(gl, register)
    assert checked.result.findings == [], describe(checked.result.findings)
    assert ledger(checked, "gl_balances").ledger.layout == "table"
    assert gl_reconciliations(checked)["通用设备"] == ("11800.00", "11800.00", "ok")


def test_an_account_split_by_核算项目_counts_once(tmp_path):
    """用友-style 辅助核算: 160102 on its own row, then a row per department under it."""
    rows = [["科目余额表"],
            ["科目编码", "科目名称", "核算项目", "期初余额", None, "本期发生额", None, "期末余额", None],
            [None, None, None, "借方", "贷方", "借方", "贷方", "借方", "贷方"],
            ["1601", "固定资产", None, 40000, None, 6800, None, 46800, None],
            ["160102", "通用设备", None, 5000, None, 6800, None, 11800, None],
            ["160102", "通用设备", "教务处", 5000, None, 6800, None, 11800, None],
            ["160103", "专用设备", None, 12000, None, None, None, 12000, None],
            ["160105", "图书档案", None, 15000, None, None, None, 15000, None],
            ["160106", "家具用具装具及动植物", None, 8000, None, None, None, 8000, None]]
    merges = ["A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:G2", "H2:I2"]
    checked = run(write_workbook(tmp_path / "科目余额表.xlsx", {SHEET: rows}, {SHEET: merges}),
                  write_workbook(tmp_path / "台账.xlsx", {"固定资产台账": [FA_HEADER, *fixed_asset_rows()]}))
    assert checked.result.findings == [], describe(checked.result.findings)
    assert gl_reconciliations(checked)["通用设备"] == ("11800.00", "11800.00", "ok")
    assert gl_reconciliations(checked)["合计"] == ("46800.00", "46800.00", "ok")
