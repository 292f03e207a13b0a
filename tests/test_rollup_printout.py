"""The county's roll-up (`houqin-xl check-many DIR`) as the education bureau prints it:
landscape, one page wide, the school names on every page, a county total, the month each
school was checked for, blanks (never 0.00) for a school that could not be checked, and the
files left beside the school folders named at the top."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from ledger_set import consistent_sheets, write_book
from openpyxl import load_workbook

from houqin_xl.cli import main

ROLLUP_SHEETS = ["学校×发现", "资产分类", "收费收缴率", "无法核对的学校"]


def october(sheets: dict[str, list[list[Any]]]) -> dict[str, list[list[Any]]]:
    """The same books a month earlier: every November date moved to October."""
    def move(value: Any) -> Any:
        if isinstance(value, dt.date) and (value.year, value.month) == (2026, 11):
            return value.replace(month=10)
        return value
    return {name: [[move(v) for v in row] for row in rows] for name, rows in sheets.items()}


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    """Three schools: one done for November, one whose books end in October (no --period:
    each is checked for its own latest month), one whose workbook broke in the post; and a
    file someone left beside the school folders."""
    root = tmp_path_factory.mktemp("county") / "城关镇"
    for name in ("第一小学", "第二小学", "第三小学"):
        (root / name).mkdir(parents=True)
    november = consistent_sheets()
    november["总账"][1][2] = 20800  # 通用设备: the register says 21800
    write_book(root / "第一小学" / "台账.xlsx", november)
    write_book(root / "第二小学" / "台账.xlsx", october(consistent_sheets()))
    (root / "第三小学" / "台账.xlsx").write_bytes(b"PK\x03\x04 truncated in the post")
    write_book(root / "十月份台账（未归档）.xlsx", consistent_sheets())
    assert main(["check-many", str(root), "--jobs", "1", "--quiet"]) == 1
    return root


@pytest.fixture(scope="module")
def rollup(county: Path):
    return load_workbook(county / "核对结果" / "区县汇总.xlsx")


def rows_of(ws) -> dict[str, list[Any]]:
    """Each row by its first cell."""
    return {row[0].value: [c.value for c in row] for row in ws.iter_rows() if row[0].value}


def test_every_rollup_sheet_prints_landscape_one_page_wide_with_school_names_on_every_page(rollup):
    assert rollup.sheetnames == ROLLUP_SHEETS
    for ws in rollup.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0, ws.title  # 1 wide, any tall
        assert ws.print_title_cols == "$A:$A", ws.title  # the school column on every page
        header_row = next(r for r in range(1, 5) if ws.cell(r, 1).value == "学校")
        assert ws.print_title_rows == f"$1:${header_row}", ws.title
        footer = "".join(p.text or "" for p in (ws.oddFooter.left, ws.oddFooter.right))
        assert "&P" in footer and "&N" in footer, ws.title
        assert ws.oddHeader.center.text, ws.title  # what the page is, on every page


def test_the_county_total_adds_the_schools_that_could_be_checked(rollup):
    findings = rows_of(rollup["学校×发现"])
    total = next(v for k, v in findings.items() if str(k).startswith("全县合计"))
    assert "2 所可核对" in total[0] and "无法核对 1 所" in total[1]
    assert total[2] == findings["第一小学"][2] + findings["第二小学"][2] == 2
    assets = rows_of(rollup["资产分类"])
    header = assets["学校"]
    for j in range(1, len(header)):
        assert assets["全县合计"][j] == assets["第一小学"][j] + assets["第二小学"][j], header[j]
    assert assets["全县合计"][header.index("合计")] == 2 * 68800
    fees = rows_of(rollup["收费收缴率"])
    assert fees["全县合计"][1:4] == [3800, 200, 2400]
    assert fees["全县合计"][6] == pytest.approx(2400 / 3600)


def test_each_school_row_says_which_month_it_was_checked_for(rollup):
    findings = rows_of(rollup["学校×发现"])
    column = findings["学校"].index("期间")
    assert findings["第一小学"][column] == "2026-11"
    assert findings["第二小学"][column] == "2026-10"


def test_a_school_that_could_not_be_checked_is_blank_not_zero(rollup):
    for name in ("学校×发现", "资产分类", "收费收缴率"):
        row = rows_of(rollup[name])["第三小学"]
        assert "无法核对" in row
        numbers = [v for v in row if isinstance(v, int | float)]
        assert numbers == [], (name, row)  # nothing is known of it: no 0, no 0.00


def test_a_file_beside_the_school_folders_is_named_at_the_top_of_the_rollup(rollup):
    top = rollup["学校×发现"]
    assert "十月份台账（未归档）.xlsx" in top["A2"].value and "未核对" in top["A2"].value
    assert top["A2"].font.color is not None  # in red, above the table
    failed = rows_of(rollup["无法核对的学校"])
    assert failed["（不是学校）"][1] == "十月份台账（未归档）.xlsx"
