"""What calamine does not say: Excel error values (which it hands back as empty strings) and
hidden rows, found by one decompression of every part, which also verifies each part's
checksum (calamine does not)."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from .grid import EXCEL_ERROR_CODES, column_index
from .sniff import corrupt, looks_like
from .xls import xls_extras

_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_ROW_NUM = re.compile(rb'\br="(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def start_extras(pool: ThreadPoolExecutor, path: Path, sheet_names: list[str]
                  ) -> tuple[dict[str, Future], Future]:
    """Per sheet, a future of its (error cells, hidden rows); and one future that is done when
    every part has been verified (it raises InputError on damage)."""
    extras: dict[str, Future] = {name: Future() for name in sheet_names}
    if looks_like(path) == "ole":
        def xls() -> None:
            found = xls_extras(path)
            for name, future in extras.items():
                future.set_result(found.get(name, ({}, set())))
        scanned = pool.submit(_settle, xls, extras)
    else:
        scanned = pool.submit(_settle, lambda: scan_zip(path, extras), extras)
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


def scan_zip(path: Path, extras: dict[str, Future]) -> None:
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
                    raise corrupt(path, member.filename) from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise corrupt(path) from exc


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
