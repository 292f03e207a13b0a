"""An .xlsx package measured and verified before calamine parses it, and what calamine does not
say about it.

`open_package` (before calamine opens the workbook): the package's parts are counted and
their declared sizes checked (limits.py), every part that is not a worksheet is decompressed
once and verified — calamine reads the shared strings and styles when it opens — and the
worksheets are mapped from the workbook's relationships.

`Scan` (a thread beside calamine): each worksheet in turn is decompressed once and verified,
its used rectangle bounded (sheet_extent.py) — and only then may calamine parse it (`gate`);
then its error cells (which calamine hands back as empty strings), hidden rows and the cells
calamine could not convert (date_cells.py) are found (`extras`).
"""

from __future__ import annotations

import posixpath
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree as SafeTree

from ..errors import InputError
from .date_cells import date_styles, risky_cells
from .formulas import Formula
from .grid import EXCEL_ERROR_CODES, column_index
from .limits import Budget, Limits, too_big
from .sheet_extent import extent
from .text_cost import SharedText, inline_cells
from .zip_parts import Package, corrupt

_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_ROW_NUM = re.compile(rb'\br="(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
# A formula whose result the file does not give — no <v>, an empty one, or 0 (XlsxWriter's
# placeholder) — found from the formula on (rare, and re's literal search is fast), its cell
# read backwards from there. Formulas with a result need nothing: calamine reads the result.
_WITHOUT_RESULT = re.compile(
    rb"<f(?:\s[^>]*)?(?:/>|>(?P<text>[^<]*)</f>)\s*(?:<v\s*/>|<v>(?P<value>\s*(?:0|0\.0)?\s*)</v>)?\s*</c>")
_CELL_HEAD = re.compile(rb"<c\s(?P<head>[^>]*)>\s*$")
_TEXT_RESULT = re.compile(rb'\bt="(?:str|s|inlineStr|b|e)"')
_FULL_CALC = re.compile(rb"<(?:\w+:)?calcPr\b[^>]*\bfullCalcOnLoad=\"(?:1|true)\"")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@dataclass
class SheetExtras:
    """What the scan found in one sheet."""

    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden: set[int] = field(default_factory=set)
    risky: list[tuple[int, int]] = field(default_factory=list)  # cells calamine cannot convert
    part: str | None = None
    formulas: dict[tuple[int, int], Formula] = field(default_factory=dict)
    recalc_on_load: bool = False  # the file asks Excel to compute every formula when it opens


@dataclass
class Opened:
    """A package checked and ready for calamine."""

    package: Package
    sheets: dict[str, str]  # sheet name → its part
    date_styles: frozenset[int]
    budget: Budget  # the run's cells, which each sheet takes its rectangle from
    shared: SharedText = field(default_factory=lambda: SharedText(None))  # its strings' lengths
    recalc_on_load: bool = False  # <calcPr fullCalcOnLoad="1"/>: cached results are placeholders


def open_package(path: Path, limits: Limits, budget: Budget) -> Opened:
    """Measure and verify everything calamine reads when it opens the workbook."""
    package = Package(path, limits)
    with path.open("rb") as fh:
        sheets = _sheet_parts(package, fh)
        sheet_parts = set(sheets.values())
        styles = None
        shared = SharedText(None)
        recalc_on_load = False
        for member in package.members:
            if member.filename in sheet_parts:
                continue
            if member.filename == "xl/styles.xml":
                styles = package.read(fh, member.filename)
                data: bytes | bytearray | None = styles
            elif member.filename.endswith(".xml"):
                data = package.read(fh, member.filename)
                if member.filename.lower() == "xl/sharedstrings.xml":  # as calamine finds it
                    shared = SharedText(data)
                elif member.filename == "xl/workbook.xml":
                    # openpyxl and XlsxWriter ask Excel to compute every formula on opening:
                    # their cached results are none, or 0 (formulas.py computes them).
                    recalc_on_load = _FULL_CALC.search(data) is not None
            else:
                package.verify(fh, member.filename)
                data = None
            if data is not None and b"<sheetData" in data:
                # A worksheet no relationship names: calamine might still read it as one.
                _refuse_extent(path, member.filename, data, budget, shared)
    return Opened(package, sheets, date_styles(styles), budget, shared, recalc_on_load)


def _sheet_parts(package: Package, fh) -> dict[str, str]:
    """Sheet name → XML part name, from the workbook and its relationships (as calamine
    resolves them). No DTD or entity is expanded: the XML comes from outside."""
    try:
        workbook = SafeTree.fromstring(bytes(package.read(fh, "xl/workbook.xml")), forbid_dtd=True)
        rels = SafeTree.fromstring(bytes(package.read(fh, "xl/_rels/workbook.xml.rels")),
                                   forbid_dtd=True)
    except KeyError:
        return {}
    except InputError:
        raise
    except Exception as exc:  # DTDs, entities, broken XML
        raise corrupt(package.path, "xl/workbook.xml") from exc
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        targets[rel.get("Id")] = target
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"))
        if target in package.by_name:
            parts[sheet.get("name")] = target
    return parts


def _refuse_extent(path: Path, part: str, xml: bytes | bytearray, budget: Budget,
                   shared: SharedText) -> None:
    """The sheet's used rectangle and its long texts (text_cost.py), taken from the run's
    budget of cells before calamine lays it out (or the sheet refused)."""
    bound = extent(xml)
    if bound.beyond_excel:
        raise too_big(path, f"{part}：单元格超出 XFD1048576")
    budget.take(path, bound.cells + shared.cells(xml) + inline_cells(xml), part)


class Scan:
    """The worksheets of an opened package, one after another in a thread of the pool: for
    each sheet name, `gate(name)` is done when calamine may parse it (or raises the reason it
    may not), `extras(name)` when its errors, hidden rows and risky cells are known.
    `finished` is done when every sheet has been verified."""

    def __init__(self, opened: Opened, names: list[str], pool: ThreadPoolExecutor) -> None:
        self.opened = opened
        self.names = names
        self._gates: dict[str, Future] = {name: Future() for name in names}
        self._extras: dict[str, Future] = {name: Future() for name in names}
        self._stop = threading.Event()
        self.finished = pool.submit(self._settle, self._run)

    def gate(self, name: str) -> None:
        self._gates[name].result()

    def extras(self, name: str) -> SheetExtras:
        return self._extras[name].result()

    def stop(self) -> None:
        self._stop.set()

    def _settle(self, work: Callable[[], None]) -> None:
        """Whatever happens, no future is left pending (a reader would wait for ever)."""
        try:
            work()
        except BaseException as exc:
            for future in (*self._gates.values(), *self._extras.values()):
                if not future.done():
                    future.set_exception(exc)
            raise
        # Only a stopped scan leaves sheets unmeasured: calamine must not parse them.
        stopped = InputError(f"读取已停止 / reading stopped: {self.opened.package.path}")
        for future in (*self._gates.values(), *self._extras.values()):
            if not future.done():
                future.set_exception(stopped)

    def _run(self) -> None:
        opened, path = self.opened, self.opened.package.path
        with path.open("rb") as fh:
            for name in self.names:
                if self._stop.is_set():
                    return
                part = opened.sheets.get(name)
                if part is None:  # no part of its own (a chart sheet): nothing to parse
                    self._gates[name].set_result(None)
                    self._extras[name].set_result(SheetExtras())
                    continue
                try:
                    xml = opened.package.read(fh, part)
                    _refuse_extent(path, part, xml, opened.budget, opened.shared)
                except InputError as exc:
                    self._gates[name].set_exception(exc)
                    self._extras[name].set_exception(exc)
                    raise
                self._gates[name].set_result(None)
                self._extras[name].set_result(SheetExtras(
                    _error_cells(xml), _hidden_rows(xml), risky_cells(xml, opened.date_styles), part,
                    _formula_cells(xml), opened.recalc_on_load))
                del xml


def _tag_around(xml: bytes | bytearray, pos: int, tag: bytes) -> tuple[int, int] | None:
    """Start and end of the opening tag `<tag …>` (optionally prefixed) containing pos."""
    start = xml.rfind(b"<", 0, pos)
    if start < 0:
        return None
    end = xml.find(b">", pos)
    head = bytes(xml[start + 1 : start + 1 + 12]).split(b" ", 1)[0]
    if head.split(b":")[-1] != tag:
        return None
    return start, end


def _error_cells(xml: bytes | bytearray) -> dict[tuple[int, int], str]:
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
                code = value.group(1).decode("ascii", "replace") if value else "#N/A"
                if code not in EXCEL_ERROR_CODES:
                    code = code or "#N/A"
                found[(int(ref.group(2)), column_index(ref.group(1).decode()))] = code
        pos = xml.find(b't="e"', pos + 5)
    return found


def _formula_cells(xml: bytes | bytearray) -> dict[tuple[int, int], Formula]:
    """(row, column) → the formula of each formula cell whose result the file does not give
    (none, an empty one, or 0), for formulas.py to compute. An empty result stands only for a
    text formula (t="str", `=IF(A2="","",…)`); openpyxl's `<f>D2*E2</f><v></v>` is no result."""
    if xml.find(b"<f") < 0:
        return {}
    found = {}
    for match in _WITHOUT_RESULT.finditer(xml):
        start = xml.rfind(b"<c ", 0, match.start())
        head_match = _CELL_HEAD.match(bytes(xml[start:match.start()])) if start >= 0 else None
        if head_match is None:
            continue  # the formula is not the first thing in its cell: not a shape we read
        head = head_match.group("head")
        ref = _CELL_REF.search(b" " + head)
        if ref is None:
            continue
        value = match.group("value")
        empty = value is not None and not value.strip()
        if empty and _TEXT_RESULT.search(head):
            continue  # a text formula's empty result is a result
        cached = value is not None and not empty
        text = match.group("text")
        follower = text is None or not text.strip()
        found[(int(ref.group(2)), column_index(ref.group(1).decode()))] = Formula(
            None if follower else text.decode("utf-8", "replace"), cached, zero=cached)
    return found


def _hidden_rows(xml: bytes | bytearray) -> set[int]:
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


def cells_present(path: Path, limits: Limits) -> int:
    """How many cells the workbook's sheets hold (written ones, not the rectangle), counted
    in C over each verified sheet part: what a reader that keeps every cell as an object
    (openpyxl, for the annotated copy) would build."""
    package = Package(path, limits)
    with path.open("rb") as fh:
        parts = _sheet_parts(package, fh).values()
        total = 0
        for part in parts:
            xml = package.read(fh, part)
            total += xml.count(b"<c ") + xml.count(b"<c>") + len(re.findall(rb"<\w+:c[\s>]", xml))
            del xml
    return total

