"""The live workbook: its ledgers read as grids, the bursar told what is happening, and the
tool's own sheets written (one values call per block, fills per band of rows).

Data cells are never written: the tool only adds or replaces its own sheets (校验报告, 对账结果,
汇总-…, 汇总数据, and the hidden _houqin_marks).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..check import Checked, check
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

MARKS_SHEET = "_houqin_marks"
PIVOT_DATA_SHEET = "汇总数据"
SUMMARY_SHEETS = ("汇总-资产", "汇总-出入库", "汇总-收费")
OWN_SHEETS = (*REPORT_SHEETS, PIVOT_DATA_SHEET, MARKS_SHEET)
# set_colors takes at most 10,000 cells a call.
_MAX_CELLS_PER_CALL = 10_000


# ---- reading the live book ------------------------------------------------------------------


def _error_or_value(value: Any) -> Any:
    if isinstance(value, str) and value in EXCEL_ERROR_CODES:
        return ExcelError(value)
    if value == "":
        return None
    return value


def file_extras(path: str) -> dict[str, tuple[list[tuple[int, int, int, int]], set[int]]]:
    """Merged ranges and hidden rows per sheet from the saved file, when there is one: the
    engines cannot report merges cheaply, and they rarely change between a save and a click."""
    file = Path(path)
    if not path or not file.is_file() or file.suffix.lower() not in (".xlsx", ".xlsm", ".xls"):
        return {}
    try:
        from ..read import read_workbook

        return {g.sheet: (g.merged, g.hidden_rows) for g in read_workbook(file)}
    except Exception:  # the live values are what counts; merges are a bonus
        return {}


def grids_from_book(book: Any) -> list[Grid]:
    """Each sheet's used range as a Grid (the tool's own sheets left out); path = book.fullname."""
    path = str(book.fullname)
    extras = file_extras(path)
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


def local_file(book: Any) -> Path | None:
    path = Path(str(book.fullname))
    return path if path.is_file() else None


def run_check(book: Any, say: Callable[[str], None] | None = None) -> Checked:
    """The one check path: grids from the book, the school's settings beside it, check()."""
    from ..config import load_config

    say = say or (lambda _text: None)
    say("正在读取台账…")
    grids = grids_from_book(book)
    local = local_file(book)
    config = load_config(None, beside=[local] if local else [])
    stages = {"recognise": "正在识别台账…", "validate": "正在校验…", "reconcile": "正在对账…"}
    return check(grids, config, progress=lambda stage: say(stages.get(stage, stage)))


# ---- talking to the bursar -------------------------------------------------------------------


def status(book: Any, text: str | bool) -> None:
    # The remote engine has no status bar; the closing message still shows there.
    with contextlib.suppress(NotImplementedError, AttributeError):
        book.app.status_bar = text


def alert(book: Any, text: str, critical: bool = False) -> None:
    with contextlib.suppress(NotImplementedError, AttributeError):
        book.app.alert(text, title="后勤台账", mode="critical" if critical else "info")


# ---- sheets of the tool's own ------------------------------------------------------------------


def find_sheet(book: Any, name: str) -> Any | None:
    for sheet in book.sheets:
        if sheet.name == name:
            return sheet
    return None


def fresh_sheet(book: Any, name: str) -> Any:
    """Replace the tool's sheet `name` by an empty one at the end of the book."""
    old = find_sheet(book, name)
    if old is not None:
        old.delete()
    sheets = list(book.sheets)
    return book.sheets.add(name=name, after=sheets[-1])


def rgb(hex_colour: str) -> str:
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
            inside = local is not None and same_path(path, local)
            target = "#" + location if inside else link
            text = str(values[link_col]).replace('"', '""')
            values[link_col] = f'=HYPERLINK("{target.replace(chr(34), chr(34) * 2)}","{text}")'
        out.append(values)
    return out


def same_path(a: str, b: str) -> bool:
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
    sheet = fresh_sheet(book, report.name)
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
            colours = [[rgb(SEVERITY_COLOURS[s][0]) if s in SEVERITY_COLOURS else ...]
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


