"""The Excel buttons, driven through xlwings' remote engine on Linux.

Each test builds an Office.js-shaped payload from a real workbook (openpyxl), opens it with
`xw.Book(json=...)`, runs a handler, and replays the returned actions on an openpyxl copy of
the workbook, so the assertions are about the sheets, fills and notes the bursar would see.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from houqin_xl.check import check
from houqin_xl.excel import handlers, marks, sheets
from houqin_xl.outputs.report import ReportBlock, ReportSheet
from houqin_xl.read import read_paths
from houqin_xl.read.grid import column_index, parse_range

REPO = Path(__file__).resolve().parent.parent
ERRORS_BOOK = REPO / "workbooks" / "示例3-错误台账" / "阳光实验小学后勤台账（含错误）.xlsx"


@pytest.fixture(autouse=True)
def _xlwings_noncommercial(monkeypatch):
    # xlwings' remote engine is xlwings PRO code: free for noncommercial use such as tests.
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")


@pytest.fixture
def ledger(tmp_path) -> Path:
    if not ERRORS_BOOK.exists():
        pytest.skip("sample workbooks not generated (houqin-xl demo)")
    target = tmp_path / ERRORS_BOOK.name
    shutil.copy(ERRORS_BOOK, target)
    return target


# ---- the Office.js side, played by openpyxl ---------------------------------------------------


def _fill(cell) -> str | None:
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return None
    rgb = fill.fgColor.rgb if isinstance(fill.fgColor.rgb, str) else None
    return ("#" + rgb[-6:].upper()) if rgb else None


def _payload_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return value


def payload(book, name: str, pivots: bool = True) -> dict[str, Any]:
    """What the Office.js client sends, plus the fills and note texts of the cells (see
    marks._payload_cell_state) so that marks can be undone exactly."""
    import xlwings as xw

    sheets = []
    for ws in book.worksheets:
        rows = max(ws.max_row, 1)
        cols = max(ws.max_column, 1)
        values = [[_payload_value(c.value) for c in row]
                  for row in ws.iter_rows(min_row=1, min_col=1, max_row=rows, max_col=cols)]
        notes, fills = [], {}
        for row in ws.iter_rows():
            for c in row:
                if c.comment is not None:
                    notes.append({"address": c.coordinate, "text": c.comment.text})
                if _fill(c):
                    fills[c.coordinate] = _fill(c)
        sheets.append({
            "name": ws.title, "values": values, "pictures": [], "shapes": [], "charts": [],
            "tables": [], "notes": notes, "notes_supported": True, "cell_fills": fills,
            "pivot_tables": [] if pivots else None,
            "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden",
            "show_gridlines": True, "print_area": None,
            "used_range_address": f"A1:{get_column_letter(cols)}{rows}",
        })
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
            "names": [], "sheets": sheets}


def remote_book(book, name: str = "台账.xlsx", pivots: bool = True):
    import xlwings as xw

    return xw.Book(json=payload(book, name, pivots))


class Replay:
    """Apply xlwings' remote actions to an openpyxl workbook, as the Office.js client would."""

    def __init__(self, book) -> None:
        self.book = book
        self.pivots: list[dict[str, Any]] = []
        self.alerts: list[str] = []

    def _cells(self, ws, a):
        for r in range(a["row_count"]):
            for c in range(a["column_count"]):
                yield ws.cell(row=a["start_row"] + r + 1, column=a["start_column"] + c + 1)

    def _at(self, ws, address: str):
        row, col, _, _ = parse_range(address)
        return ws.cell(row=row, column=col)

    def apply(self, actions: list[dict[str, Any]]) -> None:
        for a in actions:
            func, args = a["func"], a["args"]
            ws = (self.book.worksheets[a["sheet_position"]]
                  if a["sheet_position"] is not None else None)
            if func == "addSheet":
                self.book.create_sheet(args[1], args[0])
            elif func == "sheetDelete":
                self.book.remove(ws)
            elif func == "setSheetVisibility":
                ws.sheet_state = "hidden" if args[0] == "Hidden" else "visible"
            elif func == "setValues":
                for i, row in enumerate(a["values"]):
                    for j, value in enumerate(row):
                        cell = ws.cell(row=a["start_row"] + i + 1, column=a["start_column"] + j + 1)
                        cell.value = None if value == "" else value
            elif func == "setRangeColor":
                for cell in self._cells(ws, a):
                    cell.fill = _solid(args[0])
            elif func == "setRangeColors":
                for i, row in enumerate(args[0]):
                    for j, colour in enumerate(row):
                        if colour != "keep":
                            ws.cell(row=a["start_row"] + i + 1,
                                    column=a["start_column"] + j + 1).fill = _solid(colour)
            elif func in ("addNote", "setNoteText"):
                cell = self._at(ws, args[0])
                if func == "addNote":
                    assert cell.comment is None, f"Office.js refuses a second note on {args[0]}"
                else:
                    assert cell.comment is not None, f"no note to set on {args[0]}"
                cell.comment = Comment(args[1], "houqin-xl")
            elif func == "deleteNote":
                self._at(ws, args[0]).comment = None
            elif func == "setNumberFormat":
                for cell in self._cells(ws, a):
                    cell.number_format = args[0]
            elif func == "setFontProperty" and args[0] == "bold":
                for cell in self._cells(ws, a):
                    cell.font = Font(bold=args[1])
            elif func == "setColumnWidth":
                ws.column_dimensions[get_column_letter(a["start_column"] + 1)].width = args[0]
            elif func == "freezePaneAtRange":
                ws.freeze_panes = ws.cell(row=parse_range(args[0])[0] + 1, column=1)
            elif func == "addPivotTable":
                self.pivots.append({"sheet": ws.title, "name": args[0], "source": args[2],
                                    "destination": args[3], "rows": [], "columns": [],
                                    "filters": [], "values": []})
            elif func == "addPivotField":
                self._pivot(a)[args[1]].append(args[2])
            elif func == "addPivotValueField":
                self._pivot(a)["values"].append((args[1], args[2], args[3]))
            elif func == "setPivotLayout":
                self._pivot(a)["layout"] = args[2]
            elif func == "alert":
                self.alerts.append(args[0])
            else:
                raise AssertionError(f"the test client does not know action {func}")

    def _pivot(self, action):
        return next(p for p in self.pivots if p["name"] == action["pivot_name"])


def _solid(colour: str | None) -> PatternFill:
    if colour is None:
        return PatternFill(fill_type=None)
    rgb = "FF" + colour.lstrip("#").upper()
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


def run(book, handler: str, name: str = "台账.xlsx", pivots: bool = True) -> Replay:
    remote = remote_book(book, name, pivots)
    handlers.run_handler(remote, handler)
    replay = Replay(book)
    replay.apply(remote.json()["actions"])
    return replay


def snapshot(book, sheets=None) -> dict[str, Any]:
    """Values, fills and notes of every cell, sheet by sheet."""
    out = {}
    for ws in book.worksheets:
        if sheets is not None and ws.title not in sheets:
            continue
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                state = (c.value, _fill(c), c.comment.text if c.comment else None)
                if state != (None, None, None):
                    cells[c.coordinate] = state
        out[ws.title] = (ws.sheet_state, cells)
    return out


def _expected_cells(path: Path) -> set[tuple[str, int, int]]:
    result = check(read_paths([str(path)])).result.to_json("test")
    return {(f["sheet"], f["row"], column_index(f["column"]))
            for f in result["findings"] if f["row"] is not None and f["column"]}


def _marked(book) -> set[tuple[str, int, int]]:
    return {(ws.title, c.row, c.column) for ws in book.worksheets for row in ws.iter_rows()
            for c in row if c.comment is not None and marks.NOTE_HEAD in c.comment.text}


# ---- the stories -------------------------------------------------------------------------------


def test_the_live_book_gives_the_same_findings_as_the_file(ledger):
    book = load_workbook(ledger, data_only=True)
    from_book = sheets.run_check(remote_book(book, str(ledger))).result.findings
    from_file = check(read_paths([str(ledger)])).result.findings
    key = lambda f: (f.kind, f.sheet, f.row, f.column, f.message)  # noqa: E731
    assert sorted(map(key, from_book)) == sorted(map(key, from_file))


def test_validate_reports_marks_exactly_the_findings_and_clear_restores_the_original(ledger):
    book = load_workbook(ledger)
    expected = _expected_cells(ledger)
    assert expected
    # The bursar's own fill and note on a cell the tool will mark, and a fill on one it won't.
    sheet, row, col = sorted(expected)[0]
    own = book[sheet].cell(row=row, column=col)
    own.fill = _solid("#00B0F0")
    own.comment = Comment("会计：待核实", "bursar")
    book[sheet].cell(row=1, column=1).fill = _solid("#FFFF00")
    original = snapshot(book)

    replay = run(book, "validate")
    assert "校验报告" in book.sheetnames
    assert sheets.MARKS_SHEET in book.sheetnames and book[sheets.MARKS_SHEET].sheet_state == "hidden"
    assert _marked(book) == expected
    assert own.comment.text.startswith("会计：待核实")
    assert _fill(own) in {"#FFC7CE", "#FFEB9C"}
    report = book["校验报告"]
    texts = [c.value for r in report.iter_rows() for c in r if isinstance(c.value, str)]
    assert any(t.startswith("=HYPERLINK(\"#'") for t in texts), "cell links point into the book"
    assert replay.alerts and "校验完成" in replay.alerts[0]
    # Data cells are never changed.
    for title, (_state, cells) in original.items():
        after = snapshot(book, [title])[title][1]
        assert {k: v[0] for k, v in after.items() if v[0] is not None} == \
               {k: v[0] for k, v in cells.items() if v[0] is not None}

    once = snapshot(book)
    run(book, "validate")
    assert snapshot(book) == once, "a second click gives the same workbook"

    run(book, "clear_marks")
    assert sheets.MARKS_SHEET not in book.sheetnames
    assert snapshot(book, list(original)) == original


def test_reconcile_writes_every_comparison(ledger):
    book = load_workbook(ledger)
    run(book, "reconcile")
    checked = sheets.run_check(remote_book(load_workbook(ledger)))
    sheet = book["对账结果"]
    shown = [c.value for r in sheet.iter_rows() for c in r]
    assert sum(1 for v in shown if v in ("相符", "不符")) >= len(checked.result.reconciliations)
    run(book, "reconcile")
    assert book.sheetnames.count("对账结果") == 1


def test_summarise_makes_pivot_tables_from_the_summaries_source(ledger):
    book = load_workbook(ledger)
    replay = run(book, "summarise")
    for name in sheets.SUMMARY_SHEETS:
        assert name in book.sheetnames
    assert {p["sheet"] for p in replay.pivots} == set(sheets.SUMMARY_SHEETS)
    data = book[sheets.PIVOT_DATA_SHEET]
    for pivot in replay.pivots:
        sheet_name, address = pivot["source"].split("!")
        assert sheet_name.strip("'") == sheets.PIVOT_DATA_SHEET
        top, left, bottom, right = parse_range(address)
        header = [data.cell(row=top, column=c).value for c in range(left, right + 1)]
        used = pivot["rows"] + pivot["columns"] + pivot["filters"] + [v[0] for v in pivot["values"]]
        assert set(used) <= set(header)
        assert all(caption not in header for _f, _fn, caption in pivot["values"])
    # The pivot source adds up to the same 原值 as the report's summary.
    from houqin_xl.outputs import summaries

    checked = sheets.run_check(remote_book(load_workbook(ledger)))
    assets = summaries.assets_by_category(checked.ledgers)
    header = [c.value for c in data[1]]
    col = header.index("原值元")
    live = [r for r in data.iter_rows(min_row=2, values_only=True) if r[col] is not None
            and r[header.index("在账")] == "是"]
    assert round(sum(r[col] for r in live), 2) == round(float(assets.iloc[-1]["原值合计"]), 2)


def test_summarise_falls_back_to_tables_where_the_client_has_no_pivot_tables(ledger):
    book = load_workbook(ledger)
    replay = run(book, "summarise", pivots=False)
    assert not replay.pivots
    for name in sheets.SUMMARY_SHEETS:
        values = [c.value for r in book[name].iter_rows() for c in r if c.value is not None]
        assert "合计" in values
    assert sheets.PIVOT_DATA_SHEET not in book.sheetnames


def test_monthly_runs_everything_from_one_check(ledger):
    book = load_workbook(ledger)
    replay = run(book, "monthly")
    for name in ("校验报告", "对账结果", *sheets.SUMMARY_SHEETS):
        assert name in book.sheetnames
    assert "核对报告未另存" in replay.alerts[-1]  # the remote book is not a file on this disk


def test_monthly_saves_the_report_beside_the_ledger(ledger, monkeypatch):
    book = load_workbook(ledger)
    remote = remote_book(book, str(ledger))
    monkeypatch.setattr(type(remote), "fullname", property(lambda self: str(ledger)))
    message = handlers.run_handler(remote, "monthly")
    saved = list(ledger.parent.glob("*核对报告*.xlsx"))
    assert len(saved) == 1 and str(saved[0]) in message
    assert {"校验报告", "对账结果"} <= set(load_workbook(saved[0]).sheetnames)


def _report(rows: int) -> ReportSheet:
    block = ReportBlock(title="块", header=["单元格", "金额", "状态"],
                        rows=[[f"A{i}", i * 1.5, "x"] for i in range(rows)],
                        formats={"金额": "money"}, total_row=True,
                        severity=["error" if i % 2 else "ok" for i in range(rows)])
    return ReportSheet("校验报告", [block, block], title="标题", freeze_block=0)


def test_actions_grow_with_report_blocks_not_with_values():
    import xlwings as xw

    counts = []
    for rows in (5, 500):
        book = xw.Book(json={"client": "Office.js", "version": xw.__version__,
                             "book": {"name": "b.xlsx", "active_sheet_index": 0},
                             "names": [], "sheets": [{"name": "台账", "values": [[""]],
                                                      "pivot_tables": [], "notes": []}]})
        sheets.write_report_sheet(book, _report(rows))
        counts.append(Counter(a["func"] for a in book.json()["actions"]))
    assert counts[0] == counts[1]


def test_every_handler_is_reachable_by_name():
    assert set(handlers.HANDLERS) == {"validate", "reconcile", "summarise", "clear_marks", "monthly"}
    with pytest.raises(ValueError):
        handlers.run_handler(object(), "no_such_button")


def test_marks_without_fills_in_the_payload_use_the_saved_workbook(ledger):
    """A plain Office.js payload carries neither fills nor note texts: the saved ledger gives
    each cell's own fill and note, so marks are still made and still undone exactly."""
    book = load_workbook(ledger)
    expected = _expected_cells(ledger)
    sheet, row, col = sorted(expected)[0]
    own = book[sheet].cell(row=row, column=col)
    own.fill = _solid("#00B0F0")
    own.comment = Comment("会计：待核实", "bursar")
    book.save(ledger)  # the bursar saves before clicking
    book = load_workbook(ledger)
    original = snapshot(book)

    def bare(handler: str) -> None:
        data = payload(book, str(ledger))
        for entry in data["sheets"]:
            entry.pop("cell_fills")
            for note in entry["notes"]:
                note.pop("text")
        import xlwings as xw

        remote = xw.Book(json=data)
        handlers.run_handler(remote, handler)
        Replay(book).apply(remote.json()["actions"])

    bare("validate")
    assert _marked(book) == expected
    assert book[sheet].cell(row=row, column=col).comment.text.startswith("会计：待核实")
    bare("clear_marks")
    assert snapshot(book, list(original)) == original
