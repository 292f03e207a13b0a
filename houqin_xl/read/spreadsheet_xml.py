"""SpreadsheetML 2003 ("XML Spreadsheet 2003", saved as .xls by finance and asset software) →
one Grid per <Worksheet>, named by its ss:Name, cells where Excel puts them:

- `ss:Index` on a Row or a Cell jumps to that row or column; without it the next one follows
  (after a Row's `ss:Span`, the rows it spans), skipping columns a MergeDown from above covers;
- `ss:MergeAcross` / `ss:MergeDown` → merged ranges, the value in the top-left cell;
- `<Data ss:Type>`: Number → int or float (int when whole, as the .xlsx reader gives), String →
  str, DateTime → datetime (a date when it has no time), Boolean → bool, Error → ExcelError;
  text inside Data made of inline HTML (<Font>, <B> …) is read as its text; a cell's comment
  (<Comment><Data>) is not its value;
- `ss:Hidden` on a Row → hidden rows.

The XML comes from outside: defusedxml refuses a document type declaration and entities
outright (no billion laughs, no external entities), and expat is fed the text as UTF-8, so a
GB2312 declaration (which expat cannot decode) reads too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ..errors import InputError
from .grid import ExcelError, Grid, sheet_name_for
from .limits import Extent, check_text_size, guarded
from .sniff import corrupt
from .text import decode

_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
FEED_CHARS = 1 << 20


@guarded
def read(path: Path) -> Iterator[Grid]:
    check_text_size(path)
    text, _ = decode(path.read_bytes(), path=path)
    text = _XML_DECLARATION.sub("", text, count=1)  # its encoding is no longer the bytes'
    builder = _Builder(path)
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    try:
        for at in range(0, len(text), FEED_CHARS):
            parser.feed(text[at:at + FEED_CHARS].encode("utf-8"))
        parser.close()
    except DefusedXmlException as exc:
        raise InputError(f"XML文件含有文档类型或实体声明，出于安全不读取 / XML with a DTD or entities "
                         f"is refused: {path}") from exc
    except ParseError as exc:
        raise corrupt(path, "XML") from exc
    if not builder.sheets:
        raise InputError(f"不是Excel工作簿（XML中没有工作表）/ not an Excel workbook: {path}")
    if not any(grid.rows for grid in builder.sheets):
        raise InputError(f"工作簿里没有任何数据 / workbook is empty: {path}")
    yield from builder.sheets


_LOCAL: dict[str, str] = {}  # '{urn…}Row' → 'Row': a document repeats a handful of names


def _local(name: str) -> str:
    local = _LOCAL.get(name)
    if local is None:
        local = _LOCAL[name] = name.rsplit("}", 1)[-1].split(":")[-1]
    return local


def _attrs(attrib: dict[str, str]) -> dict[str, str]:
    """ss: attributes by local name, namespaced as Excel writes them or bare as some writers do."""
    return {_local(key): value for key, value in attrib.items()} if attrib else {}


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(str(value).strip()) if value is not None else default
    except ValueError:
        return default


class _Builder:
    """The XML parser's target: start/end/data in document order, one worksheet at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sheets: list[Grid] = []
        self.sheet: Grid | None = None
        self.extent = Extent(path)
        self.row = 0
        self.next_row = 1
        self.col = 0
        self.hidden_row = False
        self.down: dict[int, int] = {}  # column → last row a MergeDown from above covers
        self.cell: tuple[int, int] | None = None
        self.data_type: str | None = None
        self.parts: list[str] | None = None
        self.depth_in_cell = 0  # elements open inside the current Cell
        self.in_comment = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name = _local(tag)
        attrib = _attrs(attrib)
        if self.cell is not None:
            self.depth_in_cell += 1
            if name == "Comment":
                self.in_comment += 1
            elif name == "Data" and self.depth_in_cell == 1 and not self.in_comment:
                self.data_type = (attrib.get("Type") or "String").strip()
                self.parts = []
            return
        if name == "Worksheet":
            sheet_name = sheet_name_for(attrib.get("Name") or f"Sheet{len(self.sheets) + 1}")
            self.sheet = Grid(str(self.path), sheet_name, [])
            self.next_row, self.down = 1, {}
        elif name == "Row" and self.sheet is not None:
            self.row = _int(attrib.get("Index"), self.next_row)
            self.extent.place(self.row, 1)
            span = max(_int(attrib.get("Span")), 0)
            self.extent.place(self.row + span, 1)
            self.next_row = self.row + span + 1
            self.col = 0
            if attrib.get("Hidden") in ("1", "true", "True"):
                self.sheet.hidden_rows.update(range(self.row, self.row + span + 1))
        elif name == "Cell" and self.sheet is not None and self.row:
            self._open_cell(attrib)

    def _open_cell(self, attrib: dict[str, str]) -> None:
        index = attrib.get("Index")
        if index is not None:
            col = _int(index, self.col + 1)
        else:
            col = self.col + 1
            while self.down.get(col, 0) >= self.row:
                col += 1
        across = max(_int(attrib["MergeAcross"]), 0) if "MergeAcross" in attrib else 0
        down = max(_int(attrib["MergeDown"]), 0) if "MergeDown" in attrib else 0
        self.extent.place(self.row + down, col + across)
        if across or down:
            self.sheet.merged.append((self.row, col, self.row + down, col + across))
        if down:
            self.extent.add_cells(across + 1)
            for c in range(col, col + across + 1):
                self.down[c] = self.row + down
        self.col = col + across
        self.cell = (self.row, col)
        self.depth_in_cell = 0

    def end(self, tag: str) -> None:
        name = _local(tag)
        if self.cell is not None:
            if self.depth_in_cell == 0:  # the Cell itself
                self._close_cell()
                return
            self.depth_in_cell -= 1
            if name == "Comment":
                self.in_comment -= 1
            return
        if name == "Worksheet" and self.sheet is not None:
            rows = self.sheet.rows
            while rows and not any(v is not None for v in rows[-1]):
                rows.pop()
            self.sheets.append(self.sheet)
            self.sheet = None

    def data(self, text: str) -> None:
        if self.parts is not None and not self.in_comment:
            self.parts.append(text)

    def close(self) -> None:
        return None

    def _close_cell(self) -> None:
        row, col = self.cell
        self.cell = None
        if self.parts is None:
            return
        value = _value(self.data_type or "String", "".join(self.parts))
        self.parts, self.data_type = None, None
        if value is None:
            return
        rows = self.sheet.rows
        while len(rows) < row:
            rows.append([])
        line = rows[row - 1]
        if len(line) < col:
            self.extent.add_cells(col - len(line))
            line.extend([None] * (col - len(line)))
        line[col - 1] = value


def _value(kind: str, text: str) -> Any:
    kind = kind.lower()
    if kind == "string":
        return text if text != "" else None
    stripped = text.strip()
    if not stripped:
        return None
    if kind == "number":
        try:
            number = float(stripped)
        except ValueError:
            return text
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if kind == "datetime":
        try:
            moment = dt.datetime.fromisoformat(stripped.rstrip("Z"))
        except ValueError:
            return text
        return moment.date() if moment.time() == dt.time(0) else moment
    if kind == "boolean":
        return stripped in ("1", "true", "TRUE", "True")
    if kind == "error":
        return ExcelError(stripped)
    return text
