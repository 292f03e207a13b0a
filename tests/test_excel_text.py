"""Text stays text: Excel parses every string written through Range.Value as if typed.

A ledger sheet named 11 or 2026-11, a receipt 00123, a class 7-1, a month 2026-09, a value
-4060 or -50元 would come back from Excel as numbers, dates or formulas — in the report, in
the pivot source and in the _houqin_marks record, which then no longer finds its cells. The
Excel-behaviour layer converts them as Excel does; the buttons write them as text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from excel_client import ExcelClient, desktop_excel, typed  # noqa: F401
from openpyxl import load_workbook
from openpyxl.comments import Comment

from houqin_xl.excel import sheets
from houqin_xl.outputs.report import build_report
from houqin_xl.outputs.report_text import NOTE_HEAD

REPO = Path(__file__).resolve().parent.parent
ERRORS_BOOK = REPO / "workbooks" / "示例3-错误台账" / "阳光实验小学后勤台账（含错误）.xlsx"


@pytest.fixture(autouse=True)
def _desktop_behaviour(desktop_excel):  # noqa: F811
    yield


def test_the_layer_reads_strings_as_excel_does():
    import datetime as dt

    assert typed("11") == 11 and typed("00123") == 123 and typed("-4060") == -4060
    assert typed("2026-09") == dt.datetime(2026, 9, 1)
    assert typed("7-1") == dt.datetime(2026, 7, 1)
    assert typed("-50元").startswith("=") and typed("+86 138 0000 0000").startswith("=")
    assert typed("'00123") == "00123" and typed("'-50元") == "-50元"
    assert typed("一（1）班") == "一（1）班"


@pytest.fixture
def awkward_ledger(tmp_path) -> Path:
    """示例3 as a bursar might keep it: sheets named 11 and 2026-11, receipts 00123, a class
    7-1, and her own note -50元 on a cell the tool will mark."""
    if not ERRORS_BOOK.exists():
        pytest.skip("sample workbooks not generated (houqin-xl demo)")
    path = tmp_path / "台账.xlsx"
    shutil.copy(ERRORS_BOOK, path)
    book = load_workbook(path)
    book["固定资产台账"].title = "11"
    fees = book["收费台账"]
    fees.title = "2026-11"
    fees["K111"] = fees["K212"] = "00123"
    for row in range(2, 40):
        fees.cell(row=row, column=3).value = "7-1"
    book["11"]["G19"].comment = Comment("-50元", "bursar")
    book.save(path)
    return path


def _text_cells(book, name):
    return [c.value for row in book[name].iter_rows() for c in row]


def test_report_values_are_the_texts_the_findings_give(awkward_ledger):
    client = ExcelClient(load_workbook(awkward_ledger), name=str(awkward_ledger))
    client.click("validate")
    live = sheets.run_check(ExcelClient(load_workbook(awkward_ledger),
                                        name=str(awkward_ledger)).remote_book())
    report = build_report(live.checked)[0]
    findings = report.blocks[report.filter_block]
    shown = client.book["校验报告"]
    width = len(findings.header)
    header_row = next(r for r in shown.iter_rows()
                      if [c.value for c in r[:width]] == list(findings.header))
    first = header_row[0].row + 1
    column = findings.header.index("值") + 1
    sheet_column = findings.header.index("工作表") + 1
    for i, row in enumerate(findings.rows):
        assert shown.cell(row=first + i, column=column).value == (row[column - 1] or None), row
        assert shown.cell(row=first + i, column=sheet_column).value == row[sheet_column - 1]
    values = _text_cells(client.book, "校验报告")
    assert "00123" in values and "11" in values and "2026-11" in values
    assert not any(isinstance(v, str) and v.startswith("=") and not v.startswith("=HYPERLINK(")
                   for v in values), "no ledger text became a live formula"


def test_marks_on_sheets_named_like_numbers_come_off_and_never_double(awkward_ledger):
    """Replayed with Excel's conversion, the record used to say sheet 11.0 and cell notes
    -50: 清除标记 left 15 cells marked for ever and the next run doubled the notes."""
    client = ExcelClient(load_workbook(awkward_ledger), name=str(awkward_ledger))
    before = {ws.title: [[(c.value, c.fill.fgColor.rgb if c.fill.fill_type else None,
                           c.comment.text if c.comment else None) for c in row]
                         for row in ws.iter_rows()] for ws in client.book.worksheets}
    client.click("validate")
    recorded = {(row[0].value, row[1].value)
                for row in client.book[sheets.MARKS_SHEET].iter_rows(min_row=2)}
    assert {sheet for sheet, _cell in recorded} == {"11", "2026-11", "物资出入库登记", "资产盘点表", "资产处置登记"}
    noted = client.book["11"]["G19"].comment.text
    assert noted.startswith("-50元\n\n" + NOTE_HEAD) and noted.count(NOTE_HEAD) == 1

    client.click("validate")
    assert client.book["11"]["G19"].comment.text == noted, "a second click does not double"
    client.click("clear_marks")
    after = {ws.title: [[(c.value, c.fill.fgColor.rgb if c.fill.fill_type else None,
                          c.comment.text if c.comment else None) for c in row]
                        for row in ws.iter_rows()] for ws in client.book.worksheets
             if ws.title in before}
    assert after == before, "every mark came off, her note -50元 is back as it was"


def test_pivot_source_keeps_months_and_classes_as_text(awkward_ledger):
    client = ExcelClient(load_workbook(awkward_ledger), name=str(awkward_ledger))
    client.click("summarise")
    data = client.book[sheets.PIVOT_DATA_SHEET]
    header = [c.value for c in data[1]]
    months = {row[header.index("月份")] for row in data.iter_rows(min_row=2, values_only=True)
              if row[header.index("月份")] is not None}
    assert months and all(isinstance(m, str) and m.startswith("2026-") for m in months)
    classes = {row[header.index("班级名称")]
               for row in data.iter_rows(min_row=2, values_only=True)}
    assert "7-1" in classes
