"""An .xlsx / .xlsm / .xls workbook → grids, sheet by sheet, with python-calamine (fast).

Calamine parses the next sheet in a thread while the caller works on the one before; the part
scan (zip_scan.py, or xls.py for old binary files) adds what calamine does not report. Unusable
input raises `InputError` with one line a bursar can act on.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import python_calamine

from ..errors import InputError
from .grid import ExcelError, Grid
from .sniff import check_usable, looks_like
from .zip_scan import start_extras


def _open(path: Path) -> python_calamine.CalamineWorkbook:
    """Open by content, not by name: offices rename .xlsx files to .xls and back, and the
    school systems they export from do too."""
    kind = looks_like(path)
    named = "ole" if path.suffix.lower() == ".xls" else "zip"
    if kind == named:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    with path.open("rb") as fh:
        return python_calamine.CalamineWorkbook.from_filelike(fh)


def iter_workbook(path: str | Path) -> Iterator[Grid]:
    """Every sheet of one workbook as a grid, sheet by sheet, as soon as each is read (visible
    or not: a hidden sheet is still data).

    Two helper threads work beside the caller, because on a big workbook they are most of the
    time and neither needs Python's lock for long: one has calamine parse the next sheets while
    the caller recognises and types the previous one (calamine releases the GIL while it
    parses; only turning cells into Python objects, `to_python`, needs it), the other
    decompresses every part once, verifying its checksum (calamine does not) and finding error
    cells and hidden rows on the way. Any damage is raised before the last grid is handed over,
    so a run that fails has written nothing.
    """
    path = Path(path)
    check_usable(path)
    try:
        book = _open(path)
        names = list(book.sheet_names)
    except python_calamine.PasswordError as exc:
        raise InputError(f"工作簿设有打开密码，请先取消加密 / workbook is encrypted: {path}") from exc
    except Exception as exc:  # calamine raises several types for broken files
        raise InputError(f"无法读取工作簿（{type(exc).__name__}）/ cannot read workbook: {path}") from exc

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="houqin-read")
    try:
        extras, scanned = start_extras(pool, path, names)
        parser = _Parser(book, len(names))
        try:
            any_rows = False
            for index, name in enumerate(names):
                try:
                    sheet, cells = parser.take(index)
                    rows = sheet.to_python(skip_empty_area=True)
                except Exception as exc:
                    _raise_damage(scanned)  # a damaged part explains it better, if that is it
                    raise InputError(f"工作表“{name}”无法读取 / sheet cannot be read: {path}") from exc
                parser.used(cells)
                errors, hidden = extras[name].result()
                grid = _grid(path, name, sheet, rows, errors, hidden)
                del sheet, rows
                any_rows = any_rows or bool(grid.rows)
                yield grid
            scanned.result()  # every part's checksum, before the caller may write anything
        finally:
            parser.close()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        book.close()
    if not any_rows:
        raise InputError(f"工作簿里没有任何数据 / workbook is empty: {path}")


# How far calamine may parse ahead of the sheet in use, in cells: enough that it never waits
# for a caller busy with a big sheet while small ones follow, small enough that a workbook of
# many big sheets is not held parsed all at once (a parsed cell costs Rust ≈ 32 bytes).
AHEAD_CELLS = 4_000_000


class _Parser:
    """Calamine parsing the sheets in order in its own thread (calamine releases the GIL while
    it parses), running ahead of the reader while the parsed, unused sheets hold fewer than
    AHEAD_CELLS cells."""

    def __init__(self, book: python_calamine.CalamineWorkbook, count: int) -> None:
        self._book = book
        self._results: list[Future] = [Future() for _ in range(count)]
        self._ready = threading.Condition()
        self._pending = 0
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="houqin-parse", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for index, future in enumerate(self._results):
            with self._ready:
                self._ready.wait_for(lambda: self._stop or self._pending < AHEAD_CELLS)
                if self._stop:
                    return
            try:
                sheet = self._book.get_sheet_by_index(index)
                cells = sheet.height * sheet.width
            except BaseException as exc:  # handed to the reader, which names the sheet
                future.set_exception(exc)
                continue
            with self._ready:
                self._pending += cells
            future.set_result((sheet, cells))

    def take(self, index: int) -> tuple[python_calamine.CalamineSheet, int]:
        return self._results[index].result()

    def used(self, cells: int) -> None:
        """The reader has turned a sheet into Python lists: its parsed form may go."""
        with self._ready:
            self._pending -= cells
            self._ready.notify()

    def close(self) -> None:
        with self._ready:
            self._stop = True
            self._ready.notify()
        self._thread.join()


def _raise_damage(scanned: Future) -> None:
    try:
        scanned.result()
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - not a damage report: the caller's message stands
        return


def _grid(path: Path, name: str, sheet: python_calamine.CalamineSheet, rows: list[list[Any]],
          errors: dict[tuple[int, int], str], hidden: set[int]) -> Grid:
    start = sheet.start or (0, 0)
    first_row, first_col = start[0] + 1, start[1] + 1
    merged = [
        (r0 + 1, c0 + 1, r1 + 1, c1 + 1)
        for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])
    ]
    for (row, col), code in errors.items():
        i, j = row - first_row, col - first_col
        if 0 <= i < len(rows):
            line = rows[i]
            if j >= len(line):
                line.extend([""] * (j + 1 - len(line)))
            line[j] = ExcelError(code)
    return Grid(str(path), name, rows, first_row, first_col, merged, hidden)


def read_workbook(path: str | Path) -> list[Grid]:
    """Every sheet of one workbook as grids."""
    return list(iter_workbook(path))
