"""Old binary .xls (BIFF) → grids, with xlrd: values, merges, hidden rows and error cells,
typed as the calamine reader types .xlsx cells, so nothing downstream can tell.

xlrd, not calamine, for every BIFF file:
- a damaged BIFF file made calamine hang or abort the whole process (a few bytes inserted:
  an allocation of 11 GB, and 832 GB in another; a date-formatted cell out of chrono's range
  panics), where xlrd — pure Python — raises, and the file is one line (exit 2);
- calamine applies a BIFF8 file's declared code page, which JExcelAPI, NPOI and old PHP
  writers declare as 1252 over UTF-16 text: calamine turns 收费标准 into `6e9\\x8d\\x07hÆQ`,
  Excel and xlrd do not (`calamine_garbles` tells such a file, for the record);
- xlrd was already parsing every .xls once beside calamine (for the error cells and hidden
  rows calamine does not report), so reading with it alone takes no longer (60,000 rows ×
  20 columns: 3.1 s either way).
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from .grid import ExcelError, Grid
from .limits import guarded, run_budget
from .sniff import check_usable, corrupt

BOF, CODEPAGE, BOUNDSHEET, EOF = 0x0809, 0x0042, 0x0085, 0x000A
BIFF8, UTF16_CODEPAGE = 0x0600, 1200
HEAD_SECTORS = 16  # the workbook globals' first records, where CODEPAGE stands


def read(path: Path) -> Iterator[Grid]:
    check_usable(path)  # encrypted, not OLE …: the same lines as for any workbook
    yield from read_with_xlrd(path)


def calamine_garbles(path: Path) -> bool:
    """A BIFF8 workbook that declares a code page other than UTF-16's."""
    return _garbled(*declared_codepage(_stream_head(path)))


def _garbled(version: int | None, codepage: int | None) -> bool:
    return version == BIFF8 and codepage is not None and codepage != UTF16_CODEPAGE


def declared_codepage(head: bytes) -> tuple[int | None, int | None]:
    """(BIFF version of the workbook globals, code page) from the first records of the
    Workbook stream; None where not found."""
    version = codepage = None
    at = 0
    while at + 4 <= len(head):
        kind, size = struct.unpack_from("<HH", head, at)
        body = head[at + 4: at + 4 + size]
        if kind == BOF and version is None and len(body) >= 2:
            version = struct.unpack_from("<H", body)[0]
        elif kind == CODEPAGE and len(body) >= 2:
            codepage = struct.unpack_from("<H", body)[0]
            break
        elif kind in (BOUNDSHEET, EOF):
            break
        at += 4 + size
    return version, codepage


def _stream_head(path: Path) -> bytes:
    """The first sectors of the Workbook stream, without reading a big file whole."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            name = "Workbook" if ole.exists("Workbook") else "Book" if ole.exists("Book") else None
            if name is None:
                return b""
            size = ole.get_size(name)
            if size < ole.minisectorcutoff or size <= HEAD_SECTORS * ole.sector_size:
                with ole.openstream(name) as stream:
                    return stream.read(HEAD_SECTORS * ole.sector_size)
            sector = ole.direntries[ole._find(name)].isectStart
            chunks = []
            for _ in range(HEAD_SECTORS):
                if sector >= len(ole.fat) or sector < 0:
                    break
                chunks.append(ole.getsect(sector))
                sector = ole.fat[sector]
            return b"".join(chunks)
    except Exception:  # noqa: BLE001 - a damaged container: the reader itself will say so
        return b""


@guarded
def read_with_xlrd(path: Path) -> Iterator[Grid]:
    import xlrd

    try:
        # xlrd writes its warnings to stdout unless given a log of its own; the tool's output
        # carries only the tool's lines.
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=io.StringIO())
    except Exception as exc:  # xlrd raises anything on a damaged file: IndexError, struct.error …
        if "encrypt" in str(exc).lower():
            raise InputError(f"工作簿设有打开密码，请先取消加密 / workbook is encrypted: {path}") from exc
        raise corrupt(path) from exc
    budget = run_budget()
    try:
        any_rows = False
        for index in range(book.nsheets):
            try:
                sheet = book.sheet_by_index(index)
            except Exception as exc:  # a damaged sheet stream
                raise corrupt(path, f"工作表{index + 1}") from exc
            budget.take(path, sheet.nrows * sheet.ncols, sheet.name)
            grid = _grid(path, book, sheet)
            book.unload_sheet(index)
            any_rows = any_rows or bool(grid.rows)
            yield grid
    finally:
        book.release_resources()
    if not any_rows:
        raise InputError(f"工作簿里没有任何数据 / workbook is empty: {path}")


def _grid(path: Path, book: Any, sheet: Any) -> Grid:
    import xlrd

    cells = [[_cell(xlrd, book, ctype, value)
              for ctype, value in zip(sheet.row_types(r), sheet.row_values(r), strict=True)]
             for r in range(sheet.nrows)]
    # As calamine's skip_empty_area: the grid starts at the first row and column with data.
    filled_rows = [r for r, line in enumerate(cells) if any(v != "" for v in line)]
    filled_cols = [c for line in cells for c, v in enumerate(line) if v != ""]
    merged = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells]
    hidden = {r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden}
    if not filled_rows:
        return Grid(str(path), sheet.name, [], merged=merged, hidden_rows=hidden)
    top, bottom = filled_rows[0], filled_rows[-1]
    left, right = min(filled_cols), max(filled_cols)
    rows = [(line + [""] * (right + 1 - len(line)))[left:right + 1] for line in cells[top:bottom + 1]]
    return Grid(str(path), sheet.name, rows, top + 1, left + 1, merged, hidden)


def _cell(xlrd: Any, book: Any, ctype: int, value: Any) -> Any:
    """A cell as the calamine reader gives it: '' for an empty cell, int for a whole number,
    date for a date without time."""
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if ctype == xlrd.XL_CELL_NUMBER:
        return int(value) if float(value).is_integer() and abs(value) < 2**53 else value
    if ctype == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate.xldate_as_datetime(value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return value
        if value < 1:
            return moment.time()
        return moment.date() if moment.time() == dt.time(0) else moment
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if ctype == xlrd.XL_CELL_ERROR:
        return ExcelError(xlrd.error_text_from_code.get(value, "#N/A"))
    return value
