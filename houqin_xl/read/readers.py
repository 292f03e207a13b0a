"""One reader per kind of file, listed once; `read_file` sniffs a file's kind by its content and
hands it to its reader. Every reader ends in the same `Grid`s, in Excel's own coordinates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import InputError
from . import biff, csv_text, html_table, spreadsheet_xml
from .grid import Grid
from .sniff import CSV, HTML, OTHER, WPS, WPS_REFUSED, XLS, XLSX, XML2003, sniff
from .workbook import iter_workbook

Reader = Callable[[Path], Iterator[Grid]]

READERS: dict[str, Reader] = {
    XLSX: iter_workbook,  # .xlsx / .xlsm, whatever the name says (python-calamine)
    XLS: biff.read,  # BIFF .xls: calamine, or xlrd when the code page lies
    HTML: html_table.read,  # HTML table ".xls" from web systems
    XML2003: spreadsheet_xml.read,  # SpreadsheetML 2003 ".xls"
    CSV: csv_text.read,  # CSV / TSV
}


def read_file(path: str | Path) -> Iterator[Grid]:
    """Every sheet of one file as a grid, whatever kind of spreadsheet it really is."""
    path = Path(path)
    try:
        kind = sniff(path)
    except OSError as exc:  # no permission, a device, a folder given as a file …
        raise InputError(f"无法读取文件（{exc.strerror or type(exc).__name__}）/ cannot read file: {path}") from exc
    if kind == WPS:
        raise InputError(f"{WPS_REFUSED}: {path}")
    if kind == OTHER:
        raise InputError(f"不是Excel工作簿 / not an Excel workbook: {path}")
    yield from READERS[kind](path)


def read_workbook(path: str | Path) -> list[Grid]:
    """Every sheet of one file as a list of grids."""
    return list(read_file(path))
