"""Files → grids. python-calamine reads the values (fast); what calamine cannot tell —
Excel error values, which it hands back as empty strings, and hidden rows — comes from one
quick scan of the sheet XML (xlsx/xlsm) or from xlrd (xls). Unusable input raises
`InputError` with one line a bursar can act on."""

from __future__ import annotations

import re
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

import python_calamine

from .grid import EXCEL_ERROR_CODES, ExcelError, Grid

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
# Sheets the tool writes itself (report, summaries, pivot sources, the record of marks): never a
# ledger, so never read as one, whichever workbook they sit in.
TOOL_SHEETS = ("校验报告", "对账结果", "汇总-资产", "汇总-出入库", "汇总-收费", "汇总数据",
               "_houqin_marks")
# The custom document property an annotated copy carries: found in a folder beside its
# original, reading it too would count every ledger twice.
COPY_MARKER = "houqin_xl_annotated_copy"


class InputError(Exception):
    """Input that cannot be used: the CLI prints the message and exits with status 2."""


def _looks_like(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"
    return "other"


def _is_encrypted_ole(path: Path) -> bool:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            return ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage")
    except Exception:  # a damaged container raises anything; the reader says it is unreadable
        return False


def _check_usable(path: Path) -> None:
    """The cheap checks before calamine opens the file. The parts' checksums are verified
    later, by the scan that runs beside calamine (`_scan_zip`), in the same decompression."""
    if not path.exists():
        raise InputError(f"找不到文件 / file not found: {path}")
    if path.stat().st_size == 0:
        raise InputError(f"文件是空的（0字节）/ file is empty: {path}")
    kind = _looks_like(path)
    if kind == "other":
        raise InputError(f"不是Excel工作簿 / not an Excel workbook: {path}")
    if kind == "ole" and _is_encrypted_ole(path):
        raise InputError(f"工作簿设有打开密码，请先取消加密 / workbook is encrypted: {path}")
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise InputError(f"文件已损坏或不完整 / file is corrupt or truncated: {path}") from exc
        if "xl/workbook.xml" not in names:
            raise InputError(f"不是Excel工作簿 / not an Excel workbook: {path}")


def _corrupt(path: Path, part: str | None = None) -> InputError:
    where = f"（{part}）" if part else ""
    return InputError(f"文件已损坏{where}/ file is corrupt or truncated: {path}")


def list_workbooks(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into the Excel files they hold; keep files as given."""
    out: list[Path] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in EXCEL_SUFFIXES and not f.name.startswith("~$")
            )
            if not found:
                raise InputError(f"文件夹中没有Excel工作簿 / no Excel workbook in folder: {p}")
            out.extend(found)
        else:
            if not p.exists():
                raise InputError(f"找不到文件 / file not found: {p}")
            out.append(p)
    return out


def _open(path: Path) -> python_calamine.CalamineWorkbook:
    """Open by content, not by name: offices rename .xlsx files to .xls and back, and the
    school systems they export from do too."""
    kind = _looks_like(path)
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
    _check_usable(path)
    try:
        book = _open(path)
        names = list(book.sheet_names)
    except python_calamine.PasswordError as exc:
        raise InputError(f"工作簿设有打开密码，请先取消加密 / workbook is encrypted: {path}") from exc
    except Exception as exc:  # calamine raises several types for broken files
        raise InputError(f"无法读取工作簿（{type(exc).__name__}）/ cannot read workbook: {path}") from exc

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="houqin-read")
    try:
        extras, scanned = _start_extras(pool, path, names)
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


def is_annotated_copy(path: Path) -> bool:
    """True for a copy written by `houqin-xl annotate` (its docProps/custom.xml names it)."""
    if _looks_like(path) != "zip":
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            if "docProps/custom.xml" not in zf.namelist():
                return False
            return COPY_MARKER.encode() in zf.read("docProps/custom.xml")
    except (zipfile.BadZipFile, OSError):
        return False


def iter_grids(paths: Iterable[str | Path],
               on_file: Callable[[Path, int, int], None] | None = None) -> Iterator[Grid]:
    """All ledger-bearing grids of all workbooks named or found in folders, one at a time, so
    the caller can work on one sheet while the next is read and need not hold them all.

    The tool's own sheets are left out everywhere. An annotated copy found in a folder is
    skipped (its original is there too); named explicitly, it is read like any other.
    `on_file(path, done, total)` is called after each workbook, for progress display.
    """
    paths = list(paths)
    explicit = {Path(p) for p in paths if not Path(p).is_dir()}
    files = list_workbooks(paths)
    for done, path in enumerate(files, start=1):
        if path in explicit or not is_annotated_copy(path):
            yield from (g for g in iter_workbook(path) if g.sheet not in TOOL_SHEETS)
        if on_file:
            on_file(path, done, len(files))


def read_paths(paths: Iterable[str | Path],
               on_file: Callable[[Path, int, int], None] | None = None) -> list[Grid]:
    """`iter_grids` as a list."""
    return list(iter_grids(paths, on_file))


# ---- what calamine does not say -------------------------------------------------------

_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_ROW_NUM = re.compile(rb'\br="(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def _start_extras(pool: ThreadPoolExecutor, path: Path, sheet_names: list[str]
                  ) -> tuple[dict[str, Future], Future]:
    """Per sheet, a future of its (error cells, hidden rows); and one future that is done when
    every part has been verified (it raises InputError on damage)."""
    extras: dict[str, Future] = {name: Future() for name in sheet_names}
    if _looks_like(path) == "ole":
        def xls() -> None:
            found = _xls_extras(path)
            for name, future in extras.items():
                future.set_result(found.get(name, ({}, set())))
        scanned = pool.submit(_settle, xls, extras)
    else:
        scanned = pool.submit(_settle, lambda: _scan_zip(path, extras), extras)
    return extras, scanned


def _settle(work: Callable[[], None], extras: dict[str, Future]) -> None:
    """Run the scan; whatever happens, no sheet's future is left pending (the reader would
    wait forever): on damage each gets the error, otherwise an empty result."""
    try:
        work()
    except BaseException as exc:
        for future in extras.values():
            if not future.done():
                future.set_exception(exc)
        raise
    for future in extras.values():
        if not future.done():
            future.set_result(({}, set()))


def _scan_zip(path: Path, extras: dict[str, Future]) -> None:
    """Decompress every part once: zipfile checks each part's CRC as it reads it to the end,
    and the sheet parts are searched for error cells and hidden rows on the way. Sheet parts
    come first, in workbook order, so the first sheet's answer is ready first."""
    try:
        with zipfile.ZipFile(path) as zf:
            try:
                parts = _sheet_parts(zf)
            except (KeyError, ElementTree.ParseError):
                parts = {}
            members = zf.infolist()
            sheet_of = {part: name for name, part in parts.items() if name in extras}
            order = {part: i for i, part in enumerate(sheet_of)}
            members.sort(key=lambda m: order.get(m.filename, len(order)))
            for member in members:
                if member.is_dir():
                    continue
                name = sheet_of.get(member.filename)
                try:
                    if name is not None:
                        data = zf.read(member)
                        extras[name].set_result((_error_cells(data), _hidden_rows(data)))
                        del data
                    else:  # pictures and the like: only their checksum, a chunk at a time
                        with zf.open(member) as part:
                            while part.read(1 << 20):
                                pass
                except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
                    raise _corrupt(path, member.filename) from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise _corrupt(path) from exc


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → XML part name, from the workbook and its relationships."""
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        targets[rel.get("Id")] = target
    parts = {}
    for sheet in workbook.iter(f"{ns_main}sheet"):
        rid = sheet.get(f"{ns_rel}id")
        if rid in targets:
            parts[sheet.get("name")] = targets[rid]
    return parts


def _tag_around(xml: bytes, pos: int, tag: bytes) -> tuple[int, int] | None:
    """Start and end of the opening tag `<tag …>` (optionally prefixed) containing pos."""
    start = xml.rfind(b"<", 0, pos)
    if start < 0:
        return None
    end = xml.find(b">", pos)
    head = xml[start + 1 : start + 1 + 12].split(b" ", 1)[0]
    if head.split(b":")[-1] != tag:
        return None
    return start, end


def _error_cells(xml: bytes) -> dict[tuple[int, int], str]:
    """Cells typed t="e" — rare, so we look only where that attribute stands."""
    from .grid import column_index

    found: dict[tuple[int, int], str] = {}
    pos = xml.find(b't="e"')
    while pos >= 0:
        span = _tag_around(xml, pos, b"c")
        if span:
            start, end = span
            ref = _CELL_REF.search(xml, start, end)
            close = xml.find(b"</", end)
            value = _VALUE.search(xml, end, xml.find(b"c>", close) + 2 if close >= 0 else len(xml))
            if ref:
                code = value.group(1).decode() if value else "#N/A"
                if code not in EXCEL_ERROR_CODES:
                    code = code or "#N/A"
                found[(int(ref.group(2)), column_index(ref.group(1).decode()))] = code
        pos = xml.find(b't="e"', pos + 5)
    return found


def _hidden_rows(xml: bytes) -> set[int]:
    hidden: set[int] = set()
    for marker in (b'hidden="1"', b'hidden="true"'):
        pos = xml.find(marker)
        while pos >= 0:
            span = _tag_around(xml, pos, b"row")
            if span:
                num = _ROW_NUM.search(xml, span[0], span[1])
                if num:
                    hidden.add(int(num.group(1)))
            pos = xml.find(marker, pos + len(marker))
    return hidden


def _xls_extras(path: Path) -> dict[str, tuple[dict, set]]:
    import xlrd

    out: dict[str, tuple[dict, set]] = {}
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception:
        return out
    try:
        for sheet in book.sheets():
            errors = {}
            for r in range(sheet.nrows):
                for c, ctype in enumerate(sheet.row_types(r)):
                    if ctype == xlrd.XL_CELL_ERROR:
                        code = xlrd.error_text_from_code.get(sheet.cell_value(r, c), "#N/A")
                        errors[(r + 1, c + 1)] = code
            hidden = {r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden}
            out[sheet.name] = (errors, hidden)
    finally:
        book.release_resources()
    return out
