"""The Excel buttons, driven through xlwings' remote engine with desktop Excel's behaviour.

Each test opens a real workbook from disk (openpyxl) in an `ExcelClient`, clicks a button, and
replays the actions xlwings returns on the same workbook, so the assertions are about the sheets,
fills and notes the bursar would see. The Excel-behaviour layer (excel_client.py) is on in every
test here: strings written as values are parsed as Excel parses them, freeze_panes raises, a
second PivotTable on a sheet is refused.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from excel_client import (  # noqa: F401
    ExcelClient,
    desktop_excel,
    fill_of,
    read_merges_live,
    solid,
)
from openpyxl import load_workbook
from openpyxl.comments import Comment

from houqin_xl.check import check
from houqin_xl.excel import handlers, sheets
from houqin_xl.outputs.report import ReportBlock, ReportSheet
from houqin_xl.outputs.report_text import NOTE_HEAD
from houqin_xl.read import read_paths
from houqin_xl.read.grid import column_index, parse_range

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "workbooks"
TIDY_BOOK = SAMPLES / "示例1-规范台账" / "阳光实验小学后勤台账（2026年11月）.xlsx"
ERRORS_BOOK = SAMPLES / "示例3-错误台账" / "阳光实验小学后勤台账（含错误）.xlsx"


@pytest.fixture(autouse=True)
def _desktop_behaviour(desktop_excel):  # noqa: F811
    yield


def copy_of(source: Path, tmp_path: Path) -> Path:
    if not source.exists():
        pytest.skip("sample workbooks not generated (houqin-xl demo)")
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


@pytest.fixture
def ledger(tmp_path) -> Path:
    return copy_of(ERRORS_BOOK, tmp_path)


def opened(path: Path, **options: Any) -> ExcelClient:
    """The saved ledger open in Excel (the client's book name is its full path)."""
    return ExcelClient(load_workbook(path), name=str(path), **options)


def snapshot(book, names=None) -> dict[str, Any]:
    """Values, fills and notes of every cell, sheet by sheet."""
    out = {}
    for ws in book.worksheets:
        if names is not None and ws.title not in names:
            continue
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                state = (c.value, fill_of(c), c.comment.text if c.comment else None)
                if state != (None, None, None):
                    cells[c.coordinate] = state
        out[ws.title] = (ws.sheet_state, cells)
    return out


def expected_cells(path: Path) -> set[tuple[str, int, int]]:
    result = check(read_paths([str(path)])).result.to_json("test")
    return {(f["sheet"], f["row"], column_index(f["column"]))
            for f in result["findings"] if f["row"] is not None and f["column"]}


def marked(book) -> set[tuple[str, int, int]]:
    return {(ws.title, c.row, c.column) for ws in book.worksheets for row in ws.iter_rows()
            for c in row if c.comment is not None and NOTE_HEAD in c.comment.text}


def ledger_values(book, names) -> dict[str, dict[str, Any]]:
    return {n: {c.coordinate: c.value for row in book[n].iter_rows() for c in row
                if c.value is not None} for n in names}


# ---- the stories -------------------------------------------------------------------------------


def test_the_live_book_gives_the_same_findings_as_the_file(ledger):
    client = opened(ledger)
    from_book = sheets.run_check(client.remote_book()).checked.result.findings
    from_file = check(read_paths([str(ledger)])).result.findings
    # An aggregate finding (no row: 总账不符) beside one on a row of the same sheet and kind.
    key = lambda f: (f.kind, f.sheet, f.row or 0, f.column or "", f.message)  # noqa: E731
    assert sorted(map(key, from_book)) == sorted(map(key, from_file))


def test_validate_reports_marks_exactly_the_findings_and_clear_restores_the_original(ledger):
    client = opened(ledger)
    book = client.book
    expected = expected_cells(ledger)
    assert expected
    # The bursar's own fill and note on a cell the tool will mark, and a fill on one it won't.
    sheet, row, col = sorted(expected)[0]
    own = book[sheet].cell(row=row, column=col)
    own.fill = solid("#00B0F0")
    own.comment = Comment("会计：待核实", "bursar")
    book[sheet].cell(row=1, column=1).fill = solid("#FFFF00")
    original = snapshot(book)

    message = client.click("validate")
    assert "校验报告" in book.sheetnames
    assert sheets.MARKS_SHEET in book.sheetnames and book[sheets.MARKS_SHEET].sheet_state == "hidden"
    assert marked(book) == expected
    assert own.comment.text.startswith("会计：待核实")
    assert fill_of(own) in {"#FFC7CE", "#FFEB9C"}
    report = book["校验报告"]
    texts = [c.value for r in report.iter_rows() for c in r if isinstance(c.value, str)]
    assert any(t.startswith("=HYPERLINK(\"#'") for t in texts), "cell links point into the book"
    assert client.alerts and client.alerts[0] == message and "校验完成" in message
    # Data cells are never changed.
    assert ledger_values(book, original) == {
        title: {k: v[0] for k, v in cells.items() if v[0] is not None}
        for title, (_state, cells) in original.items()}

    once = snapshot(book)
    client.click("validate")
    assert snapshot(book) == once, "a second click gives the same workbook"

    client.click("clear_marks")
    assert sheets.MARKS_SHEET not in book.sheetnames
    assert snapshot(book, list(original)) == original


def test_reconcile_writes_every_comparison(ledger):
    client = opened(ledger)
    client.click("reconcile")
    live = sheets.run_check(opened(ledger).remote_book())
    shown = [c.value for r in client.book["对账结果"].iter_rows() for c in r]
    assert sum(1 for v in shown if v in ("相符", "不符")) >= len(live.checked.result.reconciliations)
    client.click("reconcile")
    assert client.book.sheetnames.count("对账结果") == 1


def _pivot_source_rows(client: ExcelClient, pivot: dict[str, Any]) -> tuple[list, list[tuple]]:
    sheet_name, address = pivot["source"].split("!")
    top, left, bottom, right = parse_range(address)
    data = client.book[sheet_name.strip("'")]
    rows = [tuple(data.cell(row=r, column=c).value for c in range(left, right + 1))
            for r in range(top, bottom + 1)]
    return list(rows[0]), rows[1:]


def test_summarise_makes_one_pivot_table_per_sheet_as_excel_for_mac_requires(ledger):
    """xlwings on macOS refuses a second PivotTable on a sheet (the layer refuses it too):
    every view has a sheet of its own, and 汇总 works where it used to crash."""
    client = opened(ledger)
    message = client.click("summarise")
    assert "汇总完成" in message, message
    assert Counter(p["sheet"] for p in client.pivot_tables) == Counter(sheets.SUMMARY_SHEETS)
    for pivot in client.pivot_tables:
        assert pivot["source"].split("!")[0].strip("'") == sheets.PIVOT_DATA_SHEET
        header, _rows = _pivot_source_rows(client, pivot)
        used = pivot["rows"] + pivot["columns"] + pivot["filters"] + [v[0] for v in pivot["values"]]
        assert set(used) <= set(header)
        assert all(caption not in header for _f, _fn, caption in pivot["values"])
    client.click("summarise")
    assert Counter(p["sheet"] for p in client.pivot_tables) == Counter(sheets.SUMMARY_SHEETS)


def test_the_asset_pivot_adds_up_to_the_general_ledger_not_counting_disposed_assets(tmp_path):
    """示例1: the 汇总-资产 PivotTable used to count 已报废 assets (8,335,940.00) where the 总账
    and 对账结果 say 8,209,040.00."""
    tidy = copy_of(TIDY_BOOK, tmp_path)
    client = opened(tidy)
    client.click("summarise")
    pivot = next(p for p in client.pivot_tables if p["sheet"] == "汇总-资产")
    header, rows = _pivot_source_rows(client, pivot)
    assert not pivot["filters"], "no page filter left for the bursar to set"
    assert {row[header.index("在账")] for row in rows} == {"是"}
    assert round(sum(row[header.index("原值元")] for row in rows), 2) == 8_209_040.00
    balances = [v for row in load_workbook(tidy)["总账科目余额"].iter_rows(values_only=True)
                for v in row if isinstance(v, int | float)]
    assert max(balances) == 8_209_040.00, "the 总账's 1601 固定资产"
    status = next(p for p in client.pivot_tables if p["sheet"] == "汇总-资产状况")
    _header, every_asset = _pivot_source_rows(client, status)
    assert round(sum(row[header.index("原值元")] for row in every_asset), 2) == 8_335_940.00


def test_summarise_falls_back_to_tables_where_the_client_has_no_pivot_tables(ledger):
    client = opened(ledger, pivots=False)
    client.click("summarise")
    assert not client.pivot_tables
    for name in ("汇总-资产", "汇总-出入库", "汇总-收费"):
        values = [c.value for r in client.book[name].iter_rows() for c in r if c.value is not None]
        assert "合计" in values
    assert sheets.PIVOT_DATA_SHEET not in client.book.sheetnames


def test_monthly_runs_everything_from_one_check(ledger, monkeypatch):
    client = ExcelClient(load_workbook(ledger))  # a book Excel has not saved anywhere here
    read_merges_live(monkeypatch, client)  # as on the desktop, where merges are read live
    message = client.click("monthly")
    for name in ("校验报告", "对账结果", *sheets.SUMMARY_SHEETS):
        assert name in client.book.sheetnames
    assert "核对报告未另存" in message


def test_monthly_saves_the_report_beside_the_ledger(ledger):
    message = opened(ledger).click("monthly")
    saved = list(ledger.parent.glob("*核对报告*.xlsx"))
    assert len(saved) == 1 and str(saved[0]) in message
    assert {"校验报告", "对账结果"} <= set(load_workbook(saved[0]).sheetnames)


def test_the_report_file_is_saved_even_when_a_summary_fails(ledger, monkeypatch):
    """Issue 17: on the Mac a refused PivotTable lost the report file, written after the
    summaries. The file comes from the check alone: whatever fails in the workbook later,
    the auditor's report is already beside the ledger."""
    from houqin_xl.excel import handlers

    def refused(*_args, **_kwargs):
        raise NotImplementedError("a second PivotTable on a sheet (Excel for Mac)")

    monkeypatch.setattr(handlers, "summarise", refused)
    with pytest.raises(NotImplementedError):
        opened(ledger).click("monthly")
    saved = list(ledger.parent.glob("*核对报告*.xlsx"))
    assert len(saved) == 1
    assert {"校验报告", "对账结果"} <= set(load_workbook(saved[0]).sheetnames)


def test_a_report_file_that_cannot_be_saved_is_not_a_failed_check(ledger, monkeypatch):
    """Every sheet was written; only the file beside the ledger could not be (a read-only
    folder, the report open in Excel): the message says exactly that, not 无法核对."""
    from houqin_xl.errors import InputError
    from houqin_xl.outputs import safe_write

    def refuse(*_args, **_kwargs):
        raise InputError("无法写入 / cannot write: 核对报告.xlsx")

    monkeypatch.setattr(safe_write, "write_bytes_atomic", refuse)
    client = opened(ledger)
    message = client.click("monthly")
    assert "无法核对" not in message
    assert "各表已写好，但核对报告未能保存" in message
    assert {"校验报告", "对账结果", *sheets.SUMMARY_SHEETS} <= set(client.book.sheetnames)


def _report(rows: int) -> ReportSheet:
    block = ReportBlock(title="块", header=["单元格", "金额", "状态"],
                        rows=[[f"A{i}", i * 1.5, "x"] for i in range(rows)],
                        formats={"金额": "money"}, total_row=True,
                        severity=["error" if i < rows // 2 else "ok" for i in range(rows)])
    return ReportSheet("校验报告", [block, block], title="标题", freeze_block=0)


def _empty_book():
    import xlwings as xw

    return xw.Book(json={"client": "Office.js", "version": xw.__version__,
                         "book": {"name": "b.xlsx", "active_sheet_index": 0},
                         "names": [], "sheets": [{"name": "台账", "values": [[""]],
                                                  "pivot_tables": [], "notes": []}]})


def test_actions_grow_with_report_blocks_not_with_values():
    counts = []
    for rows in (5, 500):
        book = _empty_book()
        sheets.write_report_sheet(sheets.Workspace(book), _report(rows))
        counts.append(Counter(a["func"] for a in book.json()["actions"]))
    assert counts[0] == counts[1]


def test_row_colours_are_one_call_per_run_of_rows_never_one_per_cell(ledger):
    """xlwings' set_colors is a COM call per cell on Windows and the Mac: the report fills a
    run of rows of one colour in one call, and the screen is not redrawn meanwhile."""
    book = _empty_book()
    sheets.write_report_sheet(sheets.Workspace(book), _report(500))
    funcs = Counter(a["func"] for a in book.json()["actions"])
    assert "setRangeColors" not in funcs
    # Per block: the header, the error rows, the ok rows.
    assert funcs["setRangeColor"] == 2 * 3

    client = opened(ledger)
    client.click("validate")
    assert "setRangeColors" not in {a["func"] for a in client.actions}
    assert client.screen_updating[:1] == [False], "screen updating off while writing"


def test_every_handler_is_reachable_by_name():
    assert set(handlers.HANDLERS) == {"validate", "reconcile", "summarise", "clear_marks", "monthly"}
    with pytest.raises(ValueError):
        handlers.run_handler(object(), "no_such_button")


def test_marks_without_fills_in_the_payload_use_the_saved_workbook(ledger):
    """xlwings' own Office.js payload carries neither fills nor note texts: the saved ledger
    gives each cell's own fill and note, so marks are still made and still undone exactly."""
    book = load_workbook(ledger)
    expected = expected_cells(ledger)
    sheet, row, col = sorted(expected)[0]
    own = book[sheet].cell(row=row, column=col)
    own.fill = solid("#00B0F0")
    own.comment = Comment("会计：待核实", "bursar")
    book.save(ledger)  # the bursar saves before clicking
    client = opened(ledger, fills=False)
    original = snapshot(client.book)

    client.click("validate")
    assert marked(client.book) == expected
    assert client.book[sheet].cell(row=row, column=col).comment.text.startswith("会计：待核实")
    client.click("clear_marks")
    assert snapshot(client.book, list(original)) == original


@pytest.mark.parametrize("sample, expected", [
    (TIDY_BOOK, ["校验完成：错误 0 条，警告 0 条，已在台账中标出 0 个单元格。",
                 "对账完成：核对 77 项，相符 77 项，不符 0 项。"]),
    (ERRORS_BOOK, ["校验完成：错误 35 条，警告 0 条，已在台账中标出 24 个单元格。",
                   "对账完成：核对 82 项，相符 65 项，不符 17 项。"]),
])
def test_the_real_pc_checklist_counts(sample, expected, tmp_path):
    """docs/excel.md's ten-minute checklist quotes these messages: keep them true."""
    client = opened(copy_of(sample, tmp_path))
    messages = [client.click("validate"), client.click("reconcile")]
    assert [m.split("详见")[0] for m in messages] == expected
    count = re.search(r"标出 (\d+) 个", expected[0]).group(1)
    assert client.click("clear_marks").startswith(f"已清除 {count} 个")
    checklist = (REPO / "docs" / "excel.md").read_text(encoding="utf-8")
    assert all(line.split("：", 1)[1] in checklist for line in expected)
