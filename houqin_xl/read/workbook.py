"""An .xlsx / .xlsm workbook → grids, sheet by sheet, with python-calamine (fast).

Calamine parses the next sheet in a thread while the caller works on the one before; the scan
(zip_scan.py) verifies and measures each part before calamine may touch it, and adds what
calamine does not report. Unusable input raises `InputError` with one line a bursar can act
on; a panic inside calamine (a Rust BaseException) is one of those lines too, never a
traceback. (Old binary .xls goes to biff.py.)
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import python_calamine

from ..errors import InputError
from . import date_cells
from .formulas import settle as settle_formulas
from .grid import ExcelError, Grid
from .limits import active, check_part_count, is_reader_failure, run_budget
from .sniff import check_usable, looks_like
from .zip_scan import Opened, Scan, SheetExtras, open_package


def iter_workbook(path: str | Path) -> Iterator[Grid]:
    """Every sheet of one workbook as a grid, sheet by sheet, as soon as each is read (visible
    or not: a hidden sheet is still data).

    Two helper threads work beside the caller, because on a big workbook they are most of the
    time and neither needs Python's lock for long: the scan decompresses each sheet once,
    verifying its size and checksum and bounding its used rectangle, and then lets calamine
    parse it; calamine parses the next sheets while the caller recognises and types the
    previous one (calamine releases the GIL while it parses; only turning cells into Python
    objects, `to_python`, needs it). Any damage is raised before the last grid is handed over,
    so a run that fails has written nothing.
    """
    path = Path(path)
    limits = active()
    if path.is_file() and looks_like(path) == "zip":
        check_part_count(path, limits)  # before anything lists the parts
    check_usable(path)
    if looks_like(path) == "ole":  # an old .xls handed here directly: its own reader
        from .biff import read_with_xlrd

        yield from read_with_xlrd(path)
        return
    opened = open_package(path, limits, run_budget())
    try:
        book = _open(path)
        names = list(book.sheet_names)
    except python_calamine.PasswordError as exc:
        raise InputError(f"工作簿设有打开密码，请先取消加密 / workbook is encrypted: {path}") from exc
    except BaseException as exc:  # calamine raises several types for broken files, and panics
        if not is_reader_failure(exc):
            raise
        raise InputError(f"无法读取工作簿（{type(exc).__name__}）/ cannot read workbook: {path}") from exc

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="houqin-read")
    scan = Scan(opened, names, pool)
    try:
        parser = _Parser(book, names, scan)
        try:
            any_rows = False
            for index, name in enumerate(names):
                try:
                    sheet, cells = parser.take(index)
                except InputError:
                    raise
                except BaseException as exc:
                    if not is_reader_failure(exc):
                        raise
                    _raise_damage(scan.finished)  # a damaged part explains it better
                    raise InputError(f"工作表“{name}”无法读取 / sheet cannot be read: {path}") from exc
                extras = scan.extras(name)
                rows = _rows(path, opened, name, sheet, extras)
                parser.used(cells)
                grid = _grid(path, name, sheet, rows, extras)
                del sheet, rows
                any_rows = any_rows or bool(grid.rows)
                yield grid
            scan.finished.result()  # every part verified, before the caller may write anything
        finally:
            scan.stop()
            parser.close()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        book.close()
    if not any_rows:
        raise InputError(f"工作簿里没有任何数据 / workbook is empty: {path}")


def _open(path: Path) -> python_calamine.CalamineWorkbook:
    """By content, not by name: offices rename .xlsx files to .xls and back, and the school
    systems they export from do too (calamine goes by the name when given one)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return python_calamine.CalamineWorkbook.from_path(str(path))
    with path.open("rb") as fh:
        return python_calamine.CalamineWorkbook.from_filelike(fh)


def _rows(path: Path, opened: Opened, name: str, sheet: Any, extras: SheetExtras) -> list[list[Any]]:
    """The sheet's cells as Python lists. Cells calamine cannot convert (a date past 9999) are
    read as text from a copy of the sheet; if calamine fails on the sheet anyway, every number
    is read as text — either way one bad cell does not lose the ledger."""
    if not extras.risky:
        try:
            return sheet.to_python(skip_empty_area=True)
        except BaseException as exc:
            if not is_reader_failure(exc):
                raise
    attempts = [extras.risky] if extras.risky else []
    for pick in (*attempts, None):
        try:
            return _patched_rows(opened, name, extras.part, pick)
        except InputError:
            raise
        except BaseException as exc:
            if not is_reader_failure(exc):
                raise
            failure = exc
    raise InputError(f"工作表“{name}”无法读取（{type(failure).__name__}）/ sheet cannot be read: {path}")


def _patched_rows(opened: Opened, name: str, part: str | None,
                  cells: list[tuple[int, int]] | None) -> list[list[Any]]:
    """The sheet read by calamine from a copy of the package holding only what it needs, the
    given cells (None: every numeric cell) written as text."""
    if part is None:
        raise InputError(f"工作表“{name}”无法读取 / sheet cannot be read: {opened.package.path}")
    package = opened.package
    keep = {part, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml"}
    buffer = io.BytesIO()
    with package.path.open("rb") as fh, zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
        for member in package.members:
            if member.filename not in keep:
                continue
            data = package.read(fh, member.filename)
            if member.filename == part:
                data = date_cells.as_text(data, cells if cells is not None else date_cells.all_cells(data))
            out.writestr(member.filename, bytes(data))
    buffer.seek(0)
    book = python_calamine.CalamineWorkbook.from_filelike(buffer)
    try:
        return book.get_sheet_by_name(name).to_python(skip_empty_area=True)
    finally:
        book.close()


# How far calamine may parse ahead of the sheet in use, in cells: enough that it never waits
# for a caller busy with a big sheet while small ones follow, small enough that a workbook of
# many big sheets is not held parsed all at once (a parsed cell costs Rust ≈ 32 bytes).
AHEAD_CELLS = 4_000_000


class _Parser:
    """Calamine parsing the sheets in order in its own thread (calamine releases the GIL while
    it parses), each only once the scan has measured it, running ahead of the reader while the
    parsed, unused sheets hold fewer than AHEAD_CELLS cells."""

    def __init__(self, book: python_calamine.CalamineWorkbook, names: list[str], scan: Scan) -> None:
        self._book = book
        self._names = names
        self._scan = scan
        self._results: list[Future] = [Future() for _ in names]
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
                    break
            try:
                self._scan.gate(self._names[index])  # measured and within the limits
                sheet = self._book.get_sheet_by_index(index)
                cells = sheet.height * sheet.width
            except BaseException as exc:  # handed to the reader, which names the sheet
                future.set_exception(exc)
                if isinstance(exc, InputError):
                    break  # the file is refused: parse nothing more
                continue
            with self._ready:
                self._pending += cells
            future.set_result((sheet, cells))
            sheet = None  # the reader's, now: not held here while the next one waits its turn
        for future in self._results:  # nothing left for the reader to wait on for ever
            if not future.done():
                future.set_exception(InputError("读取已停止 / reading stopped"))

    def take(self, index: int) -> tuple[python_calamine.CalamineSheet, int]:
        future = self._results[index]
        taken = future.result()
        # The future would keep the parsed sheet (calamine's cells, in Rust) alive until the
        # workbook's last sheet is read; a fresh, empty one in its place lets it go with the
        # reader's last reference (on the benchmark's 1× workbook, 80 MiB less at the peak).
        self._results[index] = Future()
        self._results[index].set_result(None)
        return taken

    def used(self, cells: int) -> None:
        """The reader has turned a sheet into Python lists: its parsed form may go."""
        with self._ready:
            self._pending -= cells
            self._ready.notify()

    def close(self) -> None:
        with self._ready:
            self._stop = True
            self._ready.notify()
        self._scan.stop()
        self._thread.join()


def _raise_damage(scanned: Future) -> None:
    try:
        scanned.result()
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - not a damage report: the caller's message stands
        return


def _grid(path: Path, name: str, sheet: python_calamine.CalamineSheet, rows: list[list[Any]],
          extras: SheetExtras) -> Grid:
    start = sheet.start or (0, 0)
    first_row, first_col = start[0] + 1, start[1] + 1
    merged = [
        (r0 + 1, c0 + 1, r1 + 1, c1 + 1)
        for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])
    ]
    for (row, col), code in extras.errors.items():
        i, j = row - first_row, col - first_col
        if 0 <= i < len(rows) and j >= 0:
            line = rows[i]
            if j >= len(line):
                line.extend([""] * (j + 1 - len(line)))
            line[j] = ExcelError(code)
    if extras.formulas:  # results the file does not hold, computed as Excel would show them
        settle_formulas(rows, first_row, first_col, extras.formulas, extras.recalc_on_load)
    return Grid(str(path), name, rows, first_row, first_col, merged, extras.hidden)


def read_workbook(path: str | Path) -> list[Grid]:
    """Every sheet of one workbook as grids."""
    return list(iter_workbook(path))
