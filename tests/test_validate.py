"""Validation: consistent ledgers give no error; every seeded defect is found at its cell.

The messy ledger set (tests/builders.py `messy_book`) holds all seven ledgers laid out the way
bursars keep them: titles, unit lines, aliases, two-level headers, merged data cells, numbers
and dates as text, cached formulas, subtotals, footers, blank and hidden rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from builders import (
    FA_HEADER,
    FEES_HEADER,
    Book,
    Formula,
    cells,
    column_of,
    describe,
    errors,
    fee_rows,
    fixed_asset_rows,
    ledger,
    run,
    warnings,
    write_workbook,
    write_xlsx,
)

from houqin_xl.config import Config

CELL_KINDS = ("missing", "bad_type", "bad_value", "duplicate", "arithmetic")


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".xls"])
def test_consistent_messy_ledgers_give_no_error_finding(tmp_path: Path, book: Book, suffix: str) -> None:
    checked = run(book.write(tmp_path / f"台账{suffix}"))
    assert len(checked.ledgers) == 7
    assert errors(checked) == [], describe(errors(checked))
    assert warnings(checked) == [], describe(warnings(checked))


def test_consistent_messy_ledgers_one_file_each_in_a_folder(tmp_path: Path, book: Book) -> None:
    checked = run(book.write_folder(tmp_path / "台账"))
    assert len(checked.ledgers) == 7
    assert errors(checked) == [], describe(errors(checked))


def test_consistent_tidy_ledgers_give_no_finding(tmp_path: Path) -> None:
    from builders import tidy_sheets

    checked = run(write_xlsx(tmp_path / "tidy.xlsx", tidy_sheets()))
    assert checked.result.findings == [], describe(checked.result.findings)


# (sheet, cell, value seeded, kind expected, other cells the defect rightly breaks)
DEFECTS = [
    # fixed_assets (Sheet1): data rows 5, 6, 8, 10 (hidden), 11, 12
    ("Sheet1", "H5", "#REF!", "bad_type", []),
    ("Sheet1", "H8", Formula("=F8*#REF!", "#REF!"), "bad_type", []),
    ("Sheet1", "I5", "2026.13.40", "bad_type", []),
    ("Sheet1", "F10", "五百", "bad_type", []),
    ("Sheet1", "A8", "A001", "duplicate", []),
    ("Sheet1", "A10", None, "missing", []),
    ("Sheet1", "B11", None, "missing", []),
    ("Sheet1", "K6", " ", "missing", []),
    ("Sheet1", "C11", "杂物", "bad_value", []),  # 桌椅 is a detailed name of 家具 (REAL-FORMATS §2)
    ("Sheet1", "M12", "维修中", "bad_value", []),  # 报废 is a status of older exports
    ("Sheet1", "I8", "2026.12.5", "bad_value", []),
    ("Sheet1", "H11", 8800, "arithmetic", ["O11", "H13", "H14"]),  # totals no longer agree either
    ("Sheet1", "H6", Formula("=F6*G6+100", 7100), "arithmetic", ["O6", "H9", "H14"]),
    ("Sheet1", "O12", 100, "arithmetic", ["O13", "O14"]),
    ("Sheet1", "N11", 9000, "bad_value", ["O11", "N13", "N14"]),
    # gl_balances (Sheet2, 万元): rows 4–7
    ("Sheet2", "C5", "一百万", "bad_type", []),
    ("Sheet2", "A7", "杂物", "bad_value", []),  # 家具 is 家具用具装具及动植物 (REAL-FORMATS §2)
    ("Sheet2", "A6", "通用设备", "duplicate", []),
    # asset_count (Sheet3): rows 3–7
    ("Sheet3", "D4", "两", "bad_type", []),
    ("Sheet3", "A5", None, "missing", []),
    ("Sheet3", "F6", "2026.11.31", "bad_type", []),
    ("Sheet3", "A7", "A001", "duplicate", []),
    # stock_moves (Sheet4, two-level header): rows 5–9
    ("Sheet4", "I6", 1300, "arithmetic", ["I10"]),
    ("Sheet4", "A8", None, "missing", []),
    ("Sheet4", "A7", "2026.11.35", "bad_type", []),
    ("Sheet4", "J9", "#DIV/0!", "bad_type", []),
    # fees (Sheet5): rows 4–8, row 6 hidden
    ("Sheet5", "K5", None, "missing", []),
    ("Sheet5", "L5", None, "missing", []),
    ("Sheet5", "K8", "B0001", "duplicate", []),
    ("Sheet5", "G6", "六十", "bad_type", []),
    ("Sheet5", "L8", "2026.12.2", "bad_value", []),
    ("Sheet5", "J8", -5, "bad_value", ["J9"]),
    # fee_standards (Sheet6): rows 3–4
    ("Sheet6", "C4", "一百", "bad_type", []),
    ("Sheet6", "A3", None, "missing", []),
    # deposits (Sheet7): rows 3–4
    ("Sheet7", "B3", 0, "bad_value", ["B5"]),
    ("Sheet7", "C4", "JK001", "duplicate", []),
    ("Sheet7", "A4", "2026.11.4x", "bad_type", []),
]


def _split(cell: str) -> tuple[str, int]:
    letters = "".join(ch for ch in cell if ch.isalpha())
    return letters, int(cell[len(letters):])


@pytest.mark.parametrize(("sheet", "cell", "value", "kind", "also"), DEFECTS,
                         ids=[f"{d[0]}!{d[1]}-{d[3]}" for d in DEFECTS])
def test_seeded_defect_is_reported_at_its_cell(tmp_path: Path, book: Book, sheet: str, cell: str,
                                               value: object, kind: str, also: list[str]) -> None:
    book.set(sheet, cell, value)
    checked = run(book.write(tmp_path / "台账.xlsx"))
    column, row = _split(cell)
    found = cells(checked, CELL_KINDS)
    assert (sheet, row, column, kind) in found, describe(checked.result.findings)
    allowed = {(sheet, *reversed(_split(c))) for c in [cell, *also]}
    stray = {f for f in found if (f[0], f[1], f[2]) not in allowed}
    assert stray == set(), describe(checked.result.findings)
    for extra in also:
        extra_col, extra_row = _split(extra)
        assert any(f[:3] == (sheet, extra_row, extra_col) for f in found), extra


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_many_defects_at_once_in_every_format(tmp_path: Path, book: Book, suffix: str) -> None:
    chosen = [d for d in DEFECTS if not d[4] and not isinstance(d[2], Formula)]
    for sheet, cell, value, _kind, _also in chosen:
        book.set(sheet, cell, value)
    checked = run(book.write(tmp_path / f"台账{suffix}"))
    found = cells(checked, CELL_KINDS)
    # With A001 seeded twice on the register (Sheet1!A8), A001 twice on the count is one row
    # per card, as an app exports them: no duplicate of the count's own (REAL-FORMATS §4).
    expected = {(s, _split(c)[1], _split(c)[0], k) for s, c, _v, k, _a in chosen
                if (s, c) != ("Sheet3", "A7")}
    assert expected <= found, describe(checked.result.findings)
    assert all(f.severity == "error" for f in checked.result.findings if f.kind in CELL_KINDS)


# ---- one finding kind at a time, on a plain register ----------------------------------------

def _register(tmp_path: Path, rows: list[list], config: Config | None = None,
              period: str | None = "2026-11"):
    return run(write_xlsx(tmp_path / "r.xlsx", {"台账": [FA_HEADER, *rows]}), config=config,
               period=period)


def _at(checked, column_name: str, row: int, kind: str | None = None):
    column = column_of(FA_HEADER, column_name)
    return [f for f in checked.result.findings if f.row == row and f.column == column
            and (kind is None or f.kind == kind)]


def test_excel_error_is_bad_type_never_missing(tmp_path: Path) -> None:
    rows = fixed_asset_rows()
    rows[0][7] = "#REF!"
    rows[1][1] = "#N/A"
    rows[2][8] = "#VALUE!"
    checked = _register(tmp_path, rows)
    for name, row in (("原值", 2), ("资产名称", 3), ("取得日期", 4)):
        found = _at(checked, name, row)
        assert [f.kind for f in found] == ["bad_type"], describe(checked.result.findings)
        assert "Excel错误值" in found[0].message
    assert not any(f.kind == "missing" for f in checked.result.findings)


def test_duplicate_reported_on_the_later_row_naming_the_earlier(tmp_path: Path) -> None:
    rows = fixed_asset_rows()
    rows[3][0] = "A002"
    rows[5][0] = "A002"
    checked = _register(tmp_path, rows)
    dups = [f for f in checked.result.findings if f.kind == "duplicate"]
    assert [(f.row, f.column) for f in dups] == [(5, "A"), (7, "A")]
    assert all("第3行" in f.message for f in dups), describe(dups)
    assert dups[0].message.startswith("第5行 资产编号 A002")


def test_duplicate_ids_differing_only_in_width_or_spaces(tmp_path: Path) -> None:
    rows = fixed_asset_rows()
    rows[3][0] = " Ａ００２ "
    checked = _register(tmp_path, rows)
    assert [(f.kind, f.row) for f in checked.result.findings] == [("duplicate", 5)]


def test_arithmetic_is_reported_on_the_result_cell_with_what_was_expected(tmp_path: Path) -> None:
    rows = fixed_asset_rows()
    rows[1][7] = 7500  # 2 × 3500 = 7000: 原值 wrong
    rows[1][14] = 5458.33  # and 净值 consistent with it (7500 − 2041.67)
    rows[2][14] = 9999  # 12000 − 8400 = 3600: 净值 wrong
    checked = _register(tmp_path, rows)
    found = [(f.row, f.column, f.field) for f in checked.result.findings if f.kind == "arithmetic"]
    assert found == [(3, "H", "original_value"), (4, "O", "net_value")]
    messages = [f.message for f in checked.result.findings if f.kind == "arithmetic"]
    assert "7000.00" in messages[0] and "3600.00" in messages[1]


def test_arithmetic_tolerates_a_fen(tmp_path: Path) -> None:
    rows = fixed_asset_rows()
    rows[1][6], rows[1][7] = 3333.335, 6666.67
    rows[1][13], rows[1][14] = 1944.45, 4722.22  # 6666.67 × 21/72, and 原值 − that
    assert _register(tmp_path, rows).result.findings == []


def test_missing_reports_each_empty_required_cell(tmp_path: Path) -> None:
    rows = fixed_asset_rows()
    rows[0][9] = None   # 使用部门
    rows[4][10] = "  "  # 存放地点 only spaces
    checked = _register(tmp_path, rows)
    assert {(f.kind, f.row, f.column) for f in checked.result.findings} == {
        ("missing", 2, "J"), ("missing", 6, "K")}
    assert checked.result.findings[0].message == "第2行 使用部门：必填项不能为空"


def test_missing_required_column_is_reported_on_the_header_row(tmp_path: Path) -> None:
    header = [h for h in FA_HEADER if h != "使用部门"]
    rows = [[v for h, v in zip(FA_HEADER, r, strict=True) if h != "使用部门"] for r in fixed_asset_rows()]
    checked = run(write_xlsx(tmp_path / "m.xlsx", {"台账": [header, *rows]}))
    assert [(f.kind, f.row, f.field) for f in errors(checked)] == [("missing", 1, "department")]


def test_category_by_name_by_code_and_by_code_name(tmp_path: Path) -> None:
    rows = fixed_asset_rows()
    rows[0][2], rows[1][2], rows[2][2], rows[3][2] = "2", "2 通用设备", "3-专用设备", "图书档案(5)"
    checked = _register(tmp_path, rows)
    assert checked.result.findings == [], describe(checked.result.findings)
    frame = ledger(checked, "fixed_assets").frame
    assert list(frame["category"][:4]) == ["通用设备", "通用设备", "专用设备", "图书档案"]


def test_unknown_category_is_bad_value(tmp_path: Path) -> None:
    rows = fixed_asset_rows()
    rows[0][2] = "9"
    rows[1][2] = "电子设备"
    checked = _register(tmp_path, rows)
    assert {(f.kind, f.row, f.column) for f in checked.result.findings} == {
        ("bad_value", 2, "C"), ("bad_value", 3, "C")}


def test_the_2022_category_list_through_settings(tmp_path: Path) -> None:
    rows = fixed_asset_rows()
    gb2022 = {"通用设备": "设备", "专用设备": "2 设备", "图书档案": "图书和档案",
              "家具用具装具及动植物": "5"}
    for row in rows:
        row[2] = gb2022[row[2]]
    checked = _register(tmp_path, rows, config=Config(category_set="gb2022"))
    assert checked.result.findings == [], describe(checked.result.findings)
    # The 2010 names map onto the 2022 classes (REAL-FORMATS §2: a general ledger kept in 2010
    # names must reconcile with a 2022 register), so a 2022 run reads them too.
    old = fixed_asset_rows()
    checked = _register(tmp_path, old, config=Config(category_set="gb2022"))
    assert checked.result.findings == [], describe(checked.result.findings)
    assert set(ledger(checked, "fixed_assets").frame["category"]) <= {
        "设备", "图书和档案", "家具和用具"}


def test_category_set_from_a_houqin_toml_beside_the_workbook(tmp_path: Path) -> None:
    rows = fixed_asset_rows()
    for row in rows:
        row[2] = {"图书档案": "图书和档案", "家具用具装具及动植物": "家具和用具"}.get(row[2], "设备")
    path = write_xlsx(tmp_path / "r.xlsx", {"台账": [FA_HEADER, *rows]})
    (tmp_path / "houqin.toml").write_text('category_set = "gb2022"\n', encoding="utf-8")
    checked = run(path)
    assert errors(checked) == [], describe(checked.result.findings)


def test_alias_from_settings_file(tmp_path: Path) -> None:
    header = ["财产编号", *FA_HEADER[1:]]
    path = write_xlsx(tmp_path / "r.xlsx", {"台账": [header, *fixed_asset_rows()]})
    (tmp_path / "houqin.toml").write_text(
        '[aliases.fixed_assets]\nasset_id = ["财产编号"]\n', encoding="utf-8")
    checked = run(path)
    assert [t.name for t in checked.ledgers] == ["fixed_assets"]
    assert checked.result.findings == []


def test_cheap_item_on_the_register_is_a_warning_not_an_error(tmp_path: Path) -> None:
    rows = fixed_asset_rows()
    rows.append(["A007", "扫帚", "家具用具装具及动植物", None, "把", 1, 20, 20, dt.date(2026, 11, 2),
                 "总务处", "仓库", None, "在用", 0, 20, None])
    rows.append(["A008", "词典", "图书档案", None, "本", 1, 80, 80, dt.date(2026, 11, 2),
                 "图书室", "图书室", None, "在用", 0, 80, None])  # books count whatever the price
    checked = _register(tmp_path, rows)
    assert errors(checked) == []
    assert [(f.kind, f.severity, f.row, f.column) for f in warnings(checked)] == [
        ("bad_value", "warning", 8, "G")]
    # A005 (10 desks at 800, bought in bulk) is exempt too: no warning on row 6


def test_threshold_follows_the_setting(tmp_path: Path) -> None:
    rows = fixed_asset_rows()
    checked = _register(tmp_path, rows, config=Config(capitalization_threshold=5000))
    # 4800 a unit is now below the standard; two projectors at 3500 were bought as a batch
    assert [(f.row, f.severity) for f in checked.result.findings] == [(2, "warning")]


def test_acquired_after_the_period_end_is_bad_value(tmp_path: Path) -> None:
    rows = fixed_asset_rows()
    rows[0][8] = "2026年12月1日"
    rows[1][8] = "2026.11.30"  # the last day of the period is fine
    rows[1][13], rows[1][14] = 97.22, 6902.78  # bought this month: one month, 7000 × 1/72
    checked = _register(tmp_path, rows, period="2026-11")
    found = [(f.kind, f.row, f.column) for f in checked.result.findings]
    assert found == [("bad_value", 2, "I")]
    assert "2026-11-30" in checked.result.findings[0].message


def test_negative_amount_is_bad_value_with_the_bursars_message(tmp_path: Path) -> None:
    rows = fixed_asset_rows()
    rows[0][6], rows[0][7], rows[0][14] = -300, -300, -1500
    checked = _register(tmp_path, rows)
    value = [f for f in checked.result.findings if f.field == "original_value"]
    assert [(f.kind, f.row, f.column, f.value) for f in value] == [("bad_value", 2, "H", "-300")]
    assert value[0].message == "第2行 原值 -300：金额不能为负数"


# ---- fees -------------------------------------------------------------------------------------

def _fees(tmp_path: Path, rows: list[list]):
    return run(write_xlsx(tmp_path / "f.xlsx", {"收费": [FEES_HEADER, *rows]}))


def test_unpaid_rows_need_no_receipt_but_paid_rows_do(tmp_path: Path) -> None:
    rows = fee_rows()
    assert _fees(tmp_path, rows).result.findings == []
    rows[0][10] = None  # paid 60, no receipt number
    rows[1][11] = None  # paid 60, no date
    checked = _fees(tmp_path, rows)
    cell_findings = {(f.kind, f.row, f.column) for f in checked.result.findings if f.row}
    assert ("missing", 2, column_of(FEES_HEADER, "票据号")) in cell_findings
    assert ("missing", 3, column_of(FEES_HEADER, "缴费日期")) in cell_findings
    assert {k for k, _r, _c in cell_findings} <= {"missing", "receipt_gap"}


def test_duplicate_receipt_number(tmp_path: Path) -> None:
    rows = fee_rows()
    rows[4][10] = "B0002"
    checked = _fees(tmp_path, rows)
    dups = [f for f in checked.result.findings if f.kind == "duplicate"]
    assert [(f.row, f.column) for f in dups] == [(6, "K")]
    assert "第3行" in dups[0].message


def test_messy_paid_amounts_are_exact(tmp_path: Path) -> None:
    rows = fee_rows()
    rows[0][8], rows[1][8], rows[4][8] = "¥60.00", "６０元", "1,00.00"
    checked = _fees(tmp_path, rows)
    assert [(f.kind, f.row, f.column) for f in checked.result.findings if f.row] == [
        ("bad_type", 6, "I")]


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_finding_positions_are_the_same_in_every_format(tmp_path: Path, suffix: str) -> None:
    rows = fixed_asset_rows()
    rows[2][7] = "#DIV/0!"
    rows[4][0] = "A001"
    sheets = {"台账": [["固定资产台账"], ["单位：元"], FA_HEADER, *rows]}
    checked = run(write_workbook(tmp_path / f"x{suffix}", sheets, merges={"台账": ["A1:P1"]}))
    assert {(f.sheet, f.row, f.column, f.kind) for f in checked.result.findings} == {
        ("台账", 6, "H", "bad_type"), ("台账", 8, "A", "duplicate")}
