"""The live workbook: its ledgers read as grids, the bursar told what is happening, and the
tool's own sheets written (one values call per block, fills per run of rows of one colour).

Data cells are never written: the tool only adds or replaces its own sheets (校验报告, 对账结果,
汇总-…, 汇总数据, and the hidden _houqin_marks). A sheet is the tool's own when it carries the
sheet-scoped name `houqin_xl_sheet`; a sheet of hers that happens to be called 校验报告 is never
replaced — the report goes to 校验报告(2) instead.

Every string is written as text (`as_text`): Excel parses what is written through Range.Value
as if it were typed, so a sheet named 11, a receipt 00123, a month 2026-09, a class 7-1 or
-50元 would come back as a number, a date or a formula.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..check import Checked, check
from ..errors import InputError
from ..outputs.cell_text import EXCEL_TEXT_LIMIT, cell_text
from ..outputs.placing import (
    SHEET_TITLE_ROW,
    column_widths,
    layout,
)
from ..outputs.report import (
    REPORT_SHEETS,
    ReportBlock,
    ReportSheet,
    split_link,
)
from ..outputs.write import HEADER_FILL, NUMBER_FORMATS, SEVERITY_COLOURS
from ..read.grid import EXCEL_ERROR_CODES, ExcelError, Grid
from . import engine

MARKS_SHEET = "_houqin_marks"
PIVOT_DATA_SHEET = "汇总数据"
SUMMARY_SHEETS = ("汇总-资产", "汇总-资产状况", "汇总-折旧", "汇总-出入库", "汇总-领用物品", "汇总-收费")
OWN_SHEETS = (*REPORT_SHEETS, "汇总-资产状况", "汇总-领用物品", PIVOT_DATA_SHEET, MARKS_SHEET)
# The sheet-scoped name that says "this sheet was written by houqin-xl".
OWN_MARKER = "houqin_xl_sheet"
_OWN_MARKER_VALUE = '="houqin-xl"'


def as_text(value: str) -> str:
    """A string as Excel keeps it as text whatever it looks like (=, +, -, @, DDE's
    `=cmd|' /C calc'!A0`): with a leading apostrophe, which Excel takes as "this is text" and
    does not show (nor return when read); and no longer than a cell holds (cell_text)."""
    return "'" + cell_text(value, EXCEL_TEXT_LIMIT - 1)


# ---- reading the live book ------------------------------------------------------------------


def _error_or_value(value: Any) -> Any:
    if isinstance(value, str) and value in EXCEL_ERROR_CODES:
        return ExcelError(value)
    if value == "":
        return None
    return value


def file_extras(path: str) -> dict[str, tuple[list[tuple[int, int, int, int]], set[int]]]:
    """Merged ranges and hidden rows per sheet from the saved file, when there is one."""
    file = Path(path)
    if not path or not file.is_file() or file.suffix.lower() not in (".xlsx", ".xlsm", ".xls"):
        return {}
    try:
        from ..read import read_workbook

        return {g.sheet: (g.merged, g.hidden_rows) for g in read_workbook(file)}
    except Exception:  # the live values are what counts; the file only adds merges
        return {}


def local_file(book: Any) -> Path | None:
    path = Path(str(book.fullname))
    return path if path.is_file() else None


@dataclass
class LiveCheck:
    """One check of the live book, and the merged ranges it was read with (the marks land on
    the top-left cell of a merged range, as Excel shows it)."""

    checked: Checked
    merges: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)


SAVE_FIRST = ("工作簿还没有保存，读不到合并单元格，核对结果会把合并单元格当作漏填。请先保存（Ctrl+S），"
              "再点按钮 / save the workbook first: merged cells cannot be read from this Excel")


def grids_from_book(book: Any, own: set[str] | None = None
                    ) -> tuple[list[Grid], dict[str, list[tuple[int, int, int, int]]]]:
    """Each sheet's used range as a Grid (the tool's own sheets left out), path = book.fullname,
    with its merged ranges: read live on the desktop engines; from the saved file where the
    engine cannot read them (the remote engine), and refused when there is no saved file —
    a merged 使用部门 read as blanks would be reported, and painted, as missing."""
    path = str(book.fullname)
    extras: dict[str, tuple[list[tuple[int, int, int, int]], set[int]]] | None = None
    grids, merges = [], {}
    skip = set(OWN_SHEETS) | (own or set())
    for sheet in book.sheets:
        if sheet.name in skip:
            continue
        used = sheet.used_range
        values = used.options(ndim=2, err_to_str=True).value or [[]]
        rows = [[_error_or_value(v) for v in row] for row in values]
        live = engine.live_merges(sheet)
        if extras is None:
            extras = file_extras(path) if local_file(book) else {}
        merged, hidden = extras.get(sheet.name, ([], set()))
        if live is None:
            if local_file(book) is None and any(v is not None for row in rows for v in row):
                raise InputError(SAVE_FIRST)
            live = list(merged)
        merges[sheet.name] = list(live)
        grids.append(Grid(path, sheet.name, rows, first_row=used.row, first_col=used.column,
                          merged=list(live), hidden_rows=set(hidden)))
    return grids, merges


def run_check(book: Any, say: Callable[[str], None] | None = None,
              own: set[str] | None = None) -> LiveCheck:
    """The one check path: grids from the book, the school's settings beside it, check()."""
    from ..config import load_config

    say = say or (lambda _text: None)
    say("正在读取台账…")
    if own is None:
        own = Workspace(book).ours
    grids, merges = grids_from_book(book, own)
    local = local_file(book)
    config = load_config(None, beside=[local] if local else [])
    stages = {"recognise": "正在识别台账…", "validate": "正在校验…", "reconcile": "正在对账…"}
    checked = check(grids, config, progress=lambda stage: say(stages.get(stage, stage)))
    return LiveCheck(checked, merges)


# ---- talking to the bursar -------------------------------------------------------------------


def status(book: Any, text: str | bool) -> None:
    engine.status(book, text)


def alert(book: Any, text: str, critical: bool = False) -> None:
    with contextlib.suppress(NotImplementedError, AttributeError):
        book.app.alert(text, title="后勤台账", mode="critical" if critical else "info")


# ---- sheets of the tool's own ------------------------------------------------------------------


def find_sheet(book: Any, name: str) -> Any | None:
    for sheet in book.sheets:
        if sheet.name == name:
            return sheet
    return None


def _carries_marker(sheet: Any) -> bool:
    try:
        return any(str(n.name).split("!")[-1] == OWN_MARKER for n in sheet.names)
    except Exception:  # an engine without sheet names: nothing is known to be ours
        return False


class Workspace:
    """The workbook as the button found it: which of its sheets are the tool's own. Taken once,
    when the button is clicked, before any sheet is added or deleted."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.ours: set[str] = {s.name for s in book.sheets if _carries_marker(s)}

    def name_for(self, name: str) -> str:
        """`name` when it is free or ours; else `name(2)`, `name(3)`… — her sheet stays."""
        names = {s.name for s in self.book.sheets}
        candidate, n = name, 1
        while candidate in names and candidate not in self.ours:
            n += 1
            candidate = f"{name}({n})"
        return candidate

    def fresh_sheet(self, name: str) -> Any:
        """An empty sheet of ours called `name` (or `name(2)`… beside a sheet of hers): an old
        one of ours is replaced where it stands, so the sheet order stays as she left it."""
        name = self.name_for(name)
        old = find_sheet(self.book, name)
        if old is not None:
            taken = {s.name for s in self.book.sheets}
            temporary = next(f"~houqin{i}" for i in range(1, 1000) if f"~houqin{i}" not in taken)
            # After the sheet before it (or first): `before=` lands one place early on the
            # remote engine, `after=` is exact on every engine.
            sheets = list(self.book.sheets)
            position = [s.name for s in sheets].index(name)
            sheet = (self.book.sheets.add(name=temporary, after=sheets[position - 1]) if position
                     else self.book.sheets.add(name=temporary, before=old))
            old.delete()
            sheet.name = name
        else:
            sheet = self.book.sheets.add(name=name, after=list(self.book.sheets)[-1])
        sheet.names.add(OWN_MARKER, _OWN_MARKER_VALUE)
        self.ours.add(name)
        return sheet

    def delete(self, name: str) -> None:
        """Delete a sheet of ours; a sheet of hers with that name is left alone."""
        sheet = find_sheet(self.book, name)
        if sheet is not None and name in self.ours:
            sheet.delete()
            self.ours.discard(name)

    def find_own(self, name: str) -> Any | None:
        return find_sheet(self.book, name) if name in self.ours else None


def rgb(hex_colour: str) -> str:
    return "#" + hex_colour.lstrip("#").upper()


def _block_values(block: ReportBlock, local: str | None) -> list[list[Any]]:
    """The block's title, header and rows as one rectangle; links become HYPERLINK formulas
    inside the same values (one call, however many findings)."""
    width = len(block.header)
    out: list[list[Any]] = [[cell_value(block.title)] + [None] * (width - 1),
                            [cell_value(h) for h in block.header]]
    link_col = block.header.index(block.link_column) if block.link_column in block.header else None
    for i, row in enumerate(block.rows):
        values = [cell_value(v) for v in row] + [None] * (width - len(row))
        link = block.links[i] if block.links and i < len(block.links) else None
        if link and link_col is not None and row[link_col] is not None:
            path, location = split_link(link)
            inside = local is not None and same_path(path, local)
            target = "#" + location if inside else link
            text = str(row[link_col]).replace('"', '""')
            values[link_col] = f'=HYPERLINK("{target.replace(chr(34), chr(34) * 2)}","{text}")'
        out.append(values)
    return out


def same_path(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return a == b


def cell_value(value: Any) -> Any:
    """A value as written to a cell: text stays text (never a number, date or formula)."""
    if isinstance(value, str):
        return as_text(value) if value else None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def write_report_sheet(space: Workspace, report: ReportSheet) -> Any:
    """One report sheet: a values call per block, formats per column and block, fills per run
    of rows of one colour, widths per column; the findings' header frozen and filterable."""
    book = space.book
    sheet = space.fresh_sheet(report.name)
    # Findings carry book.fullname as their path, so a link to this book stays inside it.
    local = str(book.fullname)
    if report.title:
        sheet.range((SHEET_TITLE_ROW + 1, 1)).value = cell_value(report.title)
        sheet.range((SHEET_TITLE_ROW + 1, 1)).font.bold = True
    placed_blocks = layout(report)
    for placed in placed_blocks:
        block = placed.block
        top = placed.title_row + 1
        sheet.range((top, 1)).value = _block_values(block, local)
        sheet.range((top, 1)).font.bold = True
        header = sheet.range((placed.header_row + 1, 1), (placed.header_row + 1, len(block.header)))
        header.color = rgb(HEADER_FILL)
        header.font.bold = True
        if not block.rows:
            continue
        first, last = placed.first_row + 1, placed.last_row + 1
        for j in range(len(block.header)):
            fmt = NUMBER_FORMATS.get(block.format_of(j))
            if fmt:
                sheet.range((first, j + 1), (last, j + 1)).number_format = fmt
        if block.severity and any(block.severity):
            colours = [rgb(SEVERITY_COLOURS[s][0]) if s in SEVERITY_COLOURS else None
                       for s in block.severity]
            paint_row_runs(sheet, first, len(block.header), colours)
        if block.total_row:
            sheet.range((last, 1), (last, len(block.header))).font.bold = True
    for j, width in enumerate(column_widths(report)):
        sheet.range((1, j + 1)).column_width = width
    if report.filter_block is not None and report.filter_block < len(placed_blocks):
        placed = placed_blocks[report.filter_block]
        engine.add_autofilter(sheet, placed.header_row + 1, 1, max(placed.last_row,
                              placed.header_row) + 1, placed.width)
    if report.freeze_block is not None and report.freeze_block < len(placed_blocks):
        engine.freeze_header(sheet, placed_blocks[report.freeze_block].header_row + 2)
    return sheet


def paint_row_runs(sheet: Any, top: int, width: int, colours: list[str | None]) -> int:
    """Fill whole rows of a block, one call per run of consecutive rows of one colour (None:
    leave the row as it is). xlwings' set_colors is one COM call per cell on the desktop.
    Returns the number of calls."""
    calls, start = 0, 0
    for i in range(1, len(colours) + 1):
        if i == len(colours) or colours[i] != colours[start]:
            if colours[start] is not None:
                sheet.range((top + start, 1), (top + i - 1, width)).color = colours[start]
                calls += 1
            start = i
    return calls
