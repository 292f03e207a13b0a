"""The Excel buttons: each handler is a plain function of an xlwings Book (the active workbook).

The ribbon (houqin.xlam) and the template's sheet buttons call `dispatch(name)` through
xlwings' RunPython; tests drive the same handlers through xlwings' remote engine
(`xw.Book(json=...)`) and replay the actions it returns. Every handler takes the one path:
grids from the live book → `check()` → `build_report()` / `summaries` → the book.

Rules kept here:
- Data cells are never written. The tool only adds or replaces its own sheets (校验报告,
  对账结果, 汇总-…, 汇总数据, and the hidden _houqin_marks) and its own marks.
- Writes are bulk: one values call per report block, fills batched per band of rows, never a
  call per cell for values. Notes are the exception: Excel keeps one note per cell.
- Marks are reversible: before a cell is first marked, its own fill and note are recorded in
  the hidden sheet _houqin_marks; 清除标记 puts exactly those back.
- Running a button twice gives the same workbook as running it once: the old marks are
  undone (from the record) before the new ones are made, and report sheets are replaced.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .check import Checked, check
from .findings import Finding
from .grid import EXCEL_ERROR_CODES, ExcelError, Grid, cell_ref, column_index
from .report import (
    REPORT_SHEETS,
    SEVERITY_TEXT,
    SHEET_TITLE_ROW,
    ReportBlock,
    ReportSheet,
    build_report,
    column_widths,
    layout,
    split_link,
)
from .write import HEADER_FILL, NUMBER_FORMATS, SEVERITY_COLOURS

MARKS_SHEET = "_houqin_marks"
PIVOT_DATA_SHEET = "汇总数据"
SUMMARY_SHEETS = ("汇总-资产", "汇总-出入库", "汇总-收费")
OWN_SHEETS = (*REPORT_SHEETS, PIVOT_DATA_SHEET, MARKS_SHEET)
NOTE_HEAD = "【台账核对】"
MARKS_HEADER = ["sheet", "cell", "original_fill", "had_note", "original_note", "mark_fill",
                "mark_note"]
# set_colors takes at most 10,000 cells a call.
_MAX_CELLS_PER_CALL = 10_000


class MarksUnavailable(Exception):
    """The Excel client cannot tell a cell's own fill or note, so a mark could not be undone."""


# ---- reading the live book ------------------------------------------------------------------


def _error_or_value(value: Any) -> Any:
    if isinstance(value, str) and value in EXCEL_ERROR_CODES:
        return ExcelError(value)
    if value == "":
        return None
    return value


def _file_extras(path: str) -> dict[str, tuple[list[tuple[int, int, int, int]], set[int]]]:
    """Merged ranges and hidden rows per sheet from the saved file, when there is one: the
    engines cannot report merges cheaply, and they rarely change between a save and a click."""
    file = Path(path)
    if not path or not file.is_file() or file.suffix.lower() not in (".xlsx", ".xlsm", ".xls"):
        return {}
    try:
        from .read import read_workbook

        return {g.sheet: (g.merged, g.hidden_rows) for g in read_workbook(file)}
    except Exception:  # the live values are what counts; merges are a bonus
        return {}


def grids_from_book(book: Any) -> list[Grid]:
    """Each sheet's used range as a Grid (the tool's own sheets left out); path = book.fullname."""
    path = str(book.fullname)
    extras = _file_extras(path)
    grids = []
    for sheet in book.sheets:
        if sheet.name in OWN_SHEETS:
            continue
        used = sheet.used_range
        values = used.options(ndim=2, err_to_str=True).value or [[]]
        rows = [[_error_or_value(v) for v in row] for row in values]
        merged, hidden = extras.get(sheet.name, ([], set()))
        grids.append(Grid(path, sheet.name, rows, first_row=used.row, first_col=used.column,
                          merged=list(merged), hidden_rows=set(hidden)))
    return grids


def _local_file(book: Any) -> Path | None:
    path = Path(str(book.fullname))
    return path if path.is_file() else None


def run_check(book: Any, say: Callable[[str], None] | None = None) -> Checked:
    """The one check path: grids from the book, the school's settings beside it, check()."""
    from .config import load_config

    say = say or (lambda _text: None)
    say("正在读取台账…")
    grids = grids_from_book(book)
    local = _local_file(book)
    config = load_config(None, beside=[local] if local else [])
    stages = {"recognise": "正在识别台账…", "validate": "正在校验…", "reconcile": "正在对账…"}
    return check(grids, config, progress=lambda stage: say(stages.get(stage, stage)))


# ---- talking to the bursar -------------------------------------------------------------------


def _status(book: Any, text: str | bool) -> None:
    # The remote engine has no status bar; the closing message still shows there.
    with contextlib.suppress(NotImplementedError, AttributeError):
        book.app.status_bar = text


def _alert(book: Any, text: str, critical: bool = False) -> None:
    with contextlib.suppress(NotImplementedError, AttributeError):
        book.app.alert(text, title="后勤台账", mode="critical" if critical else "info")


# ---- sheets of the tool's own ------------------------------------------------------------------


def _sheet(book: Any, name: str) -> Any | None:
    for sheet in book.sheets:
        if sheet.name == name:
            return sheet
    return None


def _fresh_sheet(book: Any, name: str) -> Any:
    """Replace the tool's sheet `name` by an empty one at the end of the book."""
    old = _sheet(book, name)
    if old is not None:
        old.delete()
    sheets = list(book.sheets)
    return book.sheets.add(name=name, after=sheets[-1])


def _rgb(hex_colour: str) -> str:
    return "#" + hex_colour.lstrip("#").upper()


def _block_values(block: ReportBlock, local: str | None) -> list[list[Any]]:
    """The block's title, header and rows as one rectangle; links become HYPERLINK formulas
    inside the same values (one call, however many findings)."""
    width = len(block.header)
    out: list[list[Any]] = [[block.title] + [None] * (width - 1), list(block.header)]
    link_col = block.header.index(block.link_column) if block.link_column in block.header else None
    for i, row in enumerate(block.rows):
        values = [_cell_value(v) for v in row] + [None] * (width - len(row))
        link = block.links[i] if block.links and i < len(block.links) else None
        if link and link_col is not None and values[link_col] is not None:
            path, location = split_link(link)
            inside = local is not None and _same_path(path, local)
            target = "#" + location if inside else link
            text = str(values[link_col]).replace('"', '""')
            values[link_col] = f'=HYPERLINK("{target.replace(chr(34), chr(34) * 2)}","{text}")'
        out.append(values)
    return out


def _same_path(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return a == b


def _cell_value(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("="):
        return "'" + value  # text, never a formula the bursar did not write
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def write_report_sheet(book: Any, report: ReportSheet) -> Any:
    """One report sheet: a values call per block, formats per column and block, row colours
    per block, widths per column. Never a call per value."""
    sheet = _fresh_sheet(book, report.name)
    # Findings carry book.fullname as their path, so a link to this book stays inside it.
    local = str(book.fullname)
    if report.title:
        sheet.range((SHEET_TITLE_ROW + 1, 1)).value = report.title
        sheet.range((SHEET_TITLE_ROW + 1, 1)).font.bold = True
    placed_blocks = layout(report)
    for placed in placed_blocks:
        block = placed.block
        top = placed.title_row + 1
        sheet.range((top, 1)).value = _block_values(block, local)
        sheet.range((top, 1)).font.bold = True
        header = sheet.range((placed.header_row + 1, 1), (placed.header_row + 1, len(block.header)))
        header.color = _rgb(HEADER_FILL)
        header.font.bold = True
        if not block.rows:
            continue
        first, last = placed.first_row + 1, placed.last_row + 1
        for j in range(len(block.header)):
            fmt = NUMBER_FORMATS.get(block.format_of(j))
            if fmt:
                sheet.range((first, j + 1), (last, j + 1)).number_format = fmt
        if block.severity and any(block.severity):
            colours = [[_rgb(SEVERITY_COLOURS[s][0]) if s in SEVERITY_COLOURS else ...]
                       * len(block.header) for s in block.severity]
            _set_colours_banded(sheet, first, 1, colours)
        if block.total_row:
            sheet.range((last, 1), (last, len(block.header))).font.bold = True
    for j, width in enumerate(column_widths(report)):
        sheet.range((1, j + 1)).column_width = width
    if report.freeze_block is not None and report.freeze_block < len(placed_blocks):
        row = placed_blocks[report.freeze_block].header_row + 2
        with contextlib.suppress(NotImplementedError, AttributeError):
            sheet.freeze_panes.freeze_at(sheet.range((row, 1)))
    return sheet


def _set_colours_banded(sheet: Any, top: int, left: int, colours: list[list[Any]]) -> None:
    """Per-cell fills as few calls as possible: bands of whole rows within the call limit."""
    if not colours:
        return
    width = max(len(row) for row in colours)
    band = max(1, _MAX_CELLS_PER_CALL // max(width, 1))
    for start in range(0, len(colours), band):
        rows = [row + [...] * (width - len(row)) for row in colours[start:start + band]]
        if all(c is ... for row in rows for c in row):
            continue
        target = sheet.range((top + start, left), (top + start + len(rows) - 1, left + width - 1))
        target.set_colors(rows)


# ---- marks ------------------------------------------------------------------------------------


@dataclass
class Mark:
    """One marked cell: what it had before the tool touched it, and what the tool put there."""

    sheet: str
    cell: str
    original_fill: str | None
    had_note: bool
    original_note: str | None
    mark_fill: str
    mark_note: str

    def row(self) -> list[Any]:
        return [self.sheet, self.cell, self.original_fill or "", "1" if self.had_note else "",
                self.original_note or "", self.mark_fill, self.mark_note]

    @classmethod
    def from_row(cls, row: list[Any]) -> Mark:
        def text(v: Any) -> str:
            return "" if v is None else str(v)

        return cls(text(row[0]), text(row[1]), text(row[2]) or None, text(row[3]) in ("1", "1.0"),
                   text(row[4]) or None, text(row[5]), text(row[6]))


def recorded_marks(book: Any) -> list[Mark]:
    sheet = _sheet(book, MARKS_SHEET)
    if sheet is None:
        return []
    values = sheet.used_range.options(ndim=2).value or []
    return [Mark.from_row(list(row) + [None] * 7) for row in values[1:] if row and row[0]]


def _note_text(findings: list[Finding]) -> str:
    lines = [f"{SEVERITY_TEXT[f.severity]}：{f.message}" for f in findings]
    return NOTE_HEAD + "\n" + "\n".join(dict.fromkeys(lines))


def _cells_to_mark(checked: Checked, book: Any) -> dict[tuple[str, str], list[Finding]]:
    """(sheet, A1 cell) → the findings standing on it, for the sheets of this book. A cell in
    a merged range is marked on the range's top-left cell, the one Excel shows."""
    sheets = {s.name for s in book.sheets} - set(OWN_SHEETS)
    merged = {g.sheet: g.merged for g in grids_for_merges(book)}
    out: dict[tuple[str, str], list[Finding]] = {}
    for f in checked.result.findings:
        if f.sheet not in sheets or f.row is None or not f.column:
            continue
        if f.path is not None and not _same_path(f.path, str(book.fullname)):
            continue
        row, col = f.row, column_index(f.column)
        for top, left, bottom, right in merged.get(f.sheet, []):
            if top <= row <= bottom and left <= col <= right:
                row, col = top, left
                break
        out.setdefault((f.sheet, cell_ref(row, col)), []).append(f)
    return out


def grids_for_merges(book: Any) -> list[Grid]:
    extras = _file_extras(str(book.fullname))
    return [Grid(str(book.fullname), name, [], merged=m) for name, (m, _h) in extras.items()]


def _cell_state(sheet: Any, address: str) -> tuple[str | None, bool, str | None]:
    """The cell's own fill (#RRGGBB or None) and note, as the engine can tell them."""
    rng = sheet.range(address)
    try:
        colour = rng.color
        note = rng.note
        text = note.text if note is not None else None
    except NotImplementedError:
        return _payload_cell_state(sheet, address)
    if isinstance(colour, tuple):
        colour = "#{:02X}{:02X}{:02X}".format(*colour)
    return colour, note is not None, text


def _payload_cell_state(sheet: Any, address: str) -> tuple[str | None, bool, str | None]:
    """xlwings' remote engine reads neither fills nor note texts synchronously. A client that
    sends them (`cell_fills`: {address: '#RRGGBB'} on the sheet, `text` on each note entry)
    lets the marks be undone exactly; without them no mark is made."""
    api = getattr(sheet, "impl", sheet)
    api = getattr(api, "api", {})
    fills = api.get("cell_fills") if isinstance(api, dict) else None
    if fills is None:
        return _file_cell_state(sheet, address)
    key = address.replace("$", "").upper()
    for note in api.get("notes") or []:
        if note.get("address", "").replace("$", "").upper() == key:
            if "text" not in note:
                return _file_cell_state(sheet, address)
            return fills.get(key), True, note["text"]
    return fills.get(key), False, None


def _file_cell_state(sheet: Any, address: str) -> tuple[str | None, bool, str | None]:
    """A cell's fill and note as last saved, read from the workbook file itself: what the
    remote engine cannot tell us synchronously, the saved ledger can (the bursar saves
    before clicking; docs/excel.md says so). No saved file: no mark is made."""
    path = Path(str(sheet.book.fullname))
    if not path.is_file() or path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise MarksUnavailable(sheet.name)
    book = _saved_book(str(path), path.stat().st_mtime_ns)
    if sheet.name not in book.sheetnames:
        raise MarksUnavailable(sheet.name)
    cell = book[sheet.name][address.replace("$", "")]
    fill = None
    if cell.fill is not None and cell.fill.fill_type == "solid":
        rgb = cell.fill.fgColor.rgb if cell.fill.fgColor.type == "rgb" else None
        if isinstance(rgb, str) and len(rgb) >= 6:
            fill = "#" + rgb[-6:].upper()
    comment = cell.comment
    return fill, comment is not None, comment.text if comment is not None else None


@lru_cache(maxsize=2)
def _saved_book(path: str, mtime_ns: int) -> Any:
    from openpyxl import load_workbook

    return load_workbook(path, keep_vba=path.lower().endswith(".xlsm"))


def _runs(cells: Iterable[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Cells (row, col) → horizontal runs (row, first col, last col)."""
    runs: list[tuple[int, int, int]] = []
    for row, col in sorted(cells):
        if runs and runs[-1][0] == row and runs[-1][2] == col - 1:
            runs[-1] = (row, runs[-1][1], col)
        else:
            runs.append((row, col, col))
    return runs


def _paint(sheet: Any, fills: dict[tuple[int, int], str | None]) -> None:
    """Fill cells in batches: one call per horizontal run of cells sharing a colour."""
    by_colour: dict[str | None, list[tuple[int, int]]] = {}
    for cell, colour in fills.items():
        by_colour.setdefault(colour, []).append(cell)
    for colour, cells in sorted(by_colour.items(), key=lambda kv: kv[0] or ""):
        for row, first, last in _runs(cells):
            sheet.range((row, first), (row, last)).color = colour


def _split(address: str) -> tuple[int, int]:
    letters = "".join(ch for ch in address if ch.isalpha())
    return int(address[len(letters):]), column_index(letters)


def _undo_marks(book: Any, marks: list[Mark]) -> int:
    """Put back each marked cell's own fill and note; return how many cells were restored."""
    by_sheet: dict[str, list[Mark]] = {}
    for mark in marks:
        by_sheet.setdefault(mark.sheet, []).append(mark)
    restored = 0
    for name, sheet_marks in by_sheet.items():
        sheet = _sheet(book, name)
        if sheet is None:
            continue
        _paint(sheet, {_split(m.cell): m.original_fill for m in sheet_marks})
        for mark in sheet_marks:
            rng = sheet.range(mark.cell)
            if mark.had_note:
                rng.note.text = mark.original_note or ""
            elif rng.note is not None:
                rng.note.delete()
            restored += 1
    return restored


def _write_marks_record(book: Any, marks: list[Mark]) -> None:
    old = _sheet(book, MARKS_SHEET)
    if old is not None:
        old.delete()
    if not marks:
        return
    sheets = list(book.sheets)
    record = book.sheets.add(name=MARKS_SHEET, after=sheets[-1])
    record.range((1, 1)).value = [MARKS_HEADER] + [m.row() for m in marks]
    record.visible = False


def mark_findings(book: Any, checked: Checked) -> tuple[int, bool]:
    """Undo the previous marks, then fill and note every cell with a finding. Returns the
    number of cells marked and whether marking was possible on this client."""
    previous = {(m.sheet, m.cell): m for m in recorded_marks(book)}
    wanted = _cells_to_mark(checked, book)
    try:
        states = {}
        for sheet_name, cell in wanted:
            if (sheet_name, cell) in previous:
                before = previous[(sheet_name, cell)]
                states[(sheet_name, cell)] = (before.original_fill, before.had_note,
                                              before.original_note)
            else:
                states[(sheet_name, cell)] = _cell_state(_sheet(book, sheet_name), cell)
    except MarksUnavailable:
        return 0, False
    # Cells marked last time and clean now go back to what they were.
    _undo_marks(book, [m for key, m in previous.items() if key not in wanted])
    marks = []
    for (sheet_name, cell), found in sorted(wanted.items(), key=lambda kv: (kv[0][0], _split(kv[0][1]))):
        worst = "error" if any(f.severity == "error" for f in found) else "warning"
        fill, had_note, note = states[(sheet_name, cell)]
        text = _note_text(found)
        marks.append(Mark(sheet_name, cell, fill, had_note, note, _rgb(SEVERITY_COLOURS[worst][0]),
                          text))
    by_sheet: dict[str, list[Mark]] = {}
    for mark in marks:
        by_sheet.setdefault(mark.sheet, []).append(mark)
    for name, sheet_marks in by_sheet.items():
        sheet = _sheet(book, name)
        _paint(sheet, {_split(m.cell): m.mark_fill for m in sheet_marks})
        for mark in sheet_marks:
            # The bursar's own note stays first; ours follows it.
            text = (mark.original_note.rstrip() + "\n\n" + mark.mark_note) if mark.original_note \
                else mark.mark_note
            rng = sheet.range(mark.cell)
            if mark.had_note or (mark.sheet, mark.cell) in previous:
                rng.note.text = text
            else:
                rng.add_note(text)
    _write_marks_record(book, marks)
    return len(marks), True


# ---- summaries: PivotTables, or formatted tables ---------------------------------------------


def _yuan(fen: Any) -> float:
    return round(float(fen) / 100, 2)


def pivot_sources(checked: Checked) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The flat tables the PivotTables summarise, one row per asset / issue / fee row, taken
    from summaries.py so the pivots add up to the same totals as the report. Headers avoid
    the ledgers' own header words, so this sheet is never read back as a ledger."""
    from . import summaries

    ledgers = checked.ledgers
    out: dict[str, tuple[list[str], list[list[Any]]]] = {}
    if summaries.has_ledger(ledgers, "fixed_assets"):
        assets = summaries.asset_rows(ledgers)
        out["资产"] = (["资产类", "部门名称", "状况", "在账", "件数", "数量合计", "原值元", "净值元"], [
            [r.category, r.department, r.status, "否" if r.status == summaries.DISPOSED else "是",
             1, float(r.quantity), _yuan(r.original_fen), _yuan(r.net_fen)]
            for r in assets.itertuples(index=False)])
    if summaries.has_ledger(ledgers, "stock_moves"):
        issues = summaries.stock_issues(ledgers)
        out["出入库"] = (["月份", "部门名称", "物品", "规格说明", "领用数量合计", "领用金额元"], [
            [r.month, r.department, r.item, r.spec, float(r.qty), _yuan(r.amount_fen)]
            for r in issues.itertuples(index=False)])
    if summaries.has_ledger(ledgers, "fees"):
        fees = summaries.fee_rows(ledgers)
        out["收费"] = (["班级名称", "项目", "应收元", "减免元", "实收元", "退费元", "欠费元"], [
            [r[1], r.item, _yuan(r.due), _yuan(r.waived), _yuan(r.paid),
             _yuan(r.refunded), _yuan(r.owing)]
            for r in fees.itertuples(index=False)])
    return out


# Per 汇总 sheet: the source table and the PivotTables made from it
# (rows, columns, filters, values {source field: caption}).
_PIVOTS: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "汇总-资产": ("资产", [
        {"rows": ["资产类", "部门名称"], "filters": ["在账"],
         "values": {"件数": "资产数", "原值元": "原值", "净值元": "净值"}},
        {"rows": ["状况"], "values": {"件数": "资产数 ", "原值元": "原值 ", "净值元": "净值 "}},
    ]),
    "汇总-出入库": ("出入库", [
        {"rows": ["部门名称"], "columns": ["月份"], "values": {"领用金额元": "领用金额"}},
        {"rows": ["物品"], "values": {"领用金额元": "领用金额 ", "领用数量合计": "领用数量"}},
    ]),
    "汇总-收费": ("收费", [
        {"rows": ["班级名称", "项目"],
         "values": {"应收元": "应收", "减免元": "减免", "实收元": "实收", "退费元": "退费",
                    "欠费元": "欠费"}},
    ]),
}


def _pivots_supported(book: Any) -> bool:
    try:
        _ = list(book.sheets)[0].pivot_tables
    except (NotImplementedError, AttributeError):
        return False
    return True


def write_pivot_summaries(book: Any, checked: Checked) -> list[str]:
    """The source tables on 汇总数据 and real PivotTables on the 汇总 sheets; a summary whose
    ledger is missing gets the report's formatted table instead. Returns the sheets written."""
    sources = pivot_sources(checked)
    report = {s.name: s for s in build_report(checked)}
    data = _fresh_sheet(book, PIVOT_DATA_SHEET)
    placed: dict[str, Any] = {}
    column = 1
    for key, (header, rows) in sources.items():
        if not rows:
            continue
        data.range((1, column)).value = [header] + rows
        placed[key] = data.range((1, column), (len(rows) + 1, column + len(header) - 1))
        data.range((2, column), (len(rows) + 1, column + len(header) - 1)).number_format = "General"
        column += len(header) + 1
    written = []
    for sheet_name, (key, pivots) in _PIVOTS.items():
        if key not in placed:
            write_report_sheet(book, report[sheet_name])
            written.append(sheet_name)
            continue
        sheet = _fresh_sheet(book, sheet_name)
        sheet.range((1, 1)).value = [[report[sheet_name].title],
                                     [f"数据透视表，数据来源：{PIVOT_DATA_SHEET}"]]
        sheet.range((1, 1)).font.bold = True
        top = 4
        for i, spec in enumerate(pivots):
            name = f"houqin_{key}_{i + 1}"
            table = sheet.pivot_tables.add(
                placed[key], sheet.range((top, 1)), name=name,
                rows=spec.get("rows"), columns=spec.get("columns"), filters=spec.get("filters"),
                layout="tabular")
            for field, caption in spec["values"].items():
                fmt = NUMBER_FORMATS["int"] if field == "件数" else NUMBER_FORMATS["money"]
                table.values.add(field, function="sum", name=caption, number_format=fmt)
            # The next table starts below the largest this one can grow to.
            top += _pivot_height(sources[key][1], sources[key][0], spec) + 3
        written.append(sheet_name)
    return written


def _pivot_height(rows: list[list[Any]], header: list[str], spec: dict[str, Any]) -> int:
    keys = [header.index(f) for f in spec.get("rows", [])]
    combos = {tuple(r[k] for k in keys) for r in rows}
    firsts = {r[keys[0]] for r in rows} if keys else set()
    return len(combos) + len(firsts) + 4 + 2 * len(spec.get("filters", []))


def write_table_summaries(book: Any, checked: Checked) -> list[str]:
    """Where the client cannot make PivotTables: the same summaries as formatted tables."""
    written = []
    for sheet in build_report(checked)[2:]:
        write_report_sheet(book, sheet)
        written.append(sheet.name)
    old = _sheet(book, PIVOT_DATA_SHEET)
    if old is not None:
        old.delete()
    return written


# ---- the buttons ----------------------------------------------------------------------------


def _counts(checked: Checked) -> str:
    result = checked.result
    return f"错误 {result.errors} 条，警告 {result.warnings} 条"


def validate(book: Any, checked: Checked | None = None) -> str:
    """校验台账: the 校验报告 sheet, and every offending cell filled and noted."""
    checked = checked or run_check(book, lambda text: _status(book, text))
    _status(book, "正在写校验报告…")
    write_report_sheet(book, build_report(checked)[0])
    _status(book, "正在标记单元格…")
    marked, possible = mark_findings(book, checked)
    message = f"校验完成：{_counts(checked)}，已在台账中标出 {marked} 个单元格。详见“校验报告”。"
    if not possible:
        message = (f"校验完成：{_counts(checked)}。详见“校验报告”。"
                   "（此Excel客户端无法读取单元格原有底色和批注，为保证可以恢复，未在台账中做标记。）")
    return message


def reconcile(book: Any, checked: Checked | None = None) -> str:
    """对账: the 对账结果 sheet, every comparison, matched or not."""
    checked = checked or run_check(book, lambda text: _status(book, text))
    _status(book, "正在写对账结果…")
    write_report_sheet(book, build_report(checked)[1])
    recs = checked.result.reconciliations
    bad = sum(1 for r in recs if r.status != "ok")
    return f"对账完成：核对 {len(recs)} 项，相符 {len(recs) - bad} 项，不符 {bad} 项。详见“对账结果”。"


def summarise(book: Any, checked: Checked | None = None) -> str:
    """汇总: PivotTables on 汇总-资产, 汇总-出入库, 汇总-收费 (formatted tables where the
    client cannot make PivotTables)."""
    checked = checked or run_check(book, lambda text: _status(book, text))
    _status(book, "正在生成汇总…")
    if _pivots_supported(book):
        written = write_pivot_summaries(book, checked)
        return "汇总完成：已生成数据透视表（" + "、".join(written) + "）。"
    written = write_table_summaries(book, checked)
    return "汇总完成：" + "、".join(written) + "（此Excel不支持数据透视表，以表格列出）。"


def clear_marks(book: Any) -> str:
    """清除标记: only the tool's marks go; each cell gets back its own fill and note."""
    _status(book, "正在清除标记…")
    marks = recorded_marks(book)
    restored = _undo_marks(book, marks)
    _write_marks_record(book, [])
    return f"已清除 {restored} 个单元格的标记，恢复了原来的底色和批注。"


def report_path(book: Any, checked: Checked) -> Path | None:
    local = _local_file(book)
    if local is None:
        return None
    period = checked.result.period or dt.date.today().strftime("%Y-%m")
    return local.with_name(f"{local.stem}-核对报告-{period}.xlsx")


def monthly(book: Any) -> str:
    """月度对账: validate, reconcile and summarise from one check, and the report workbook
    saved beside the ledger."""
    from .safe_write import write_bytes_atomic
    from .write import report_bytes

    checked = run_check(book, lambda text: _status(book, text))
    messages = [validate(book, checked), reconcile(book, checked), summarise(book, checked)]
    target = report_path(book, checked)
    if target is not None:
        _status(book, "正在保存核对报告…")
        write_bytes_atomic(target, report_bytes(checked))
        messages.append(f"核对报告已保存：{target}")
    else:
        messages.append("工作簿尚未保存到磁盘，核对报告未另存。")
    return "\n".join(messages)


HANDLERS: dict[str, Callable[..., str]] = {
    "validate": validate,
    "reconcile": reconcile,
    "summarise": summarise,
    "clear_marks": clear_marks,
    "monthly": monthly,
}


def run_handler(book: Any, name: str) -> str:
    """Run one handler on `book`; show progress in the status bar and the result in a short
    message. Returns the message."""
    from .read import InputError

    if name not in HANDLERS:
        raise ValueError(f"unknown button {name!r}; known: {', '.join(HANDLERS)}")
    try:
        message = HANDLERS[name](book)
    except InputError as exc:
        message = f"无法核对：{exc}"
        _status(book, False)
        _alert(book, message, critical=True)
        return message
    _status(book, message.splitlines()[0])
    _alert(book, message)
    return message


def dispatch(name: str) -> str:
    """Entry point of every button: `RunPython "import houqin_xl.excel as h; h.dispatch('…')"`."""
    import xlwings as xw

    # The result stays in the status bar until Excel's next message replaces it.
    return run_handler(xw.Book.caller(), name)
