"""An HTML table saved as ".xls" by a web system → one Grid, laid out as Excel lays it out when
it opens the file.

- Every top-level <table> of the body, in document order, from column A. Consecutive tables
  follow each other with no blank row between them — the header table and the body table of a
  datagrid widget line up as one sheet —, and each line of text between them (a paragraph, a
  heading, a bare line, a <br>) takes one row. That is how a browser stacks block content, and
  how LibreOffice Calc, which imitates Excel here, lays out the same document; Microsoft's Office
  HTML reference ("Saving and Opening HTML Files") says the body is stored from cell A1 on.
- Inside a table, the HTML table-forming algorithm: a cell goes to the first column not taken
  by a rowspan from above; colspan/rowspan make merged ranges, the value in the top-left cell.
  A rowspan ends with its row group (<thead>, <tbody>, <tfoot>) and with the table.
- A cell hidden with display:none keeps its place (the body cells under it are still there); a
  row hidden with display:none is a hidden row, as in Excel's own HTML files.
- <br> inside a cell is a line break in the cell; whitespace is collapsed as a browser does;
  entities are decoded by the parser; Excel's error strings (#REF! …) are ExcelError.
- Values stay text — ids such as 00123 and 201010420190003 are never turned into numbers
  (`mso-number-format:"\\@"` says so explicitly, and the typing layer reads numbers and dates
  from text) — except where Excel's own export states a number in `x:num` beside a rounded
  display.
- The sheet's name is the worksheet's own (<x:ExcelWorksheet><x:Name>) when the document names
  it, otherwise the file name, as Excel names it.

lxml's HTML parser (libxml2) does the tokenising and the implicit closing of <td>, <tr> and
friends that exports rely on; it is fed the text as UTF-8 and calls back in document order, so
no tree of the whole document is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from .css import Stylesheet, is_hidden, is_text_format
from .grid import EXCEL_ERROR_CODES, ExcelError, Grid, sheet_name_for, sheet_name_of_file
from .limits import Extent, check_text_size, guarded
from .text import decode

_BLOCKS = frozenset(["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "center", "pre", "blockquote", "address", "hr", "form", "fieldset", "section", "article", "header", "footer", "nav", "table"])
_NO_TEXT = frozenset({"head", "script", "style", "title", "xml", "noscript", "template"})
_SPACES = re.compile(r"[ \t\n\r\f\xa0]+")
_UNTIDY = re.compile(r"^[ \t\n\r\f\xa0]|[ \t\n\r\f\xa0]$|[ \t\n\r\f\xa0]{2}|[\t\n\r\f\xa0]")
_X_NAME = re.compile(r"<x:ExcelWorksheet>\s*<x:Name>(.*?)</x:Name>", re.IGNORECASE | re.DOTALL)
_NUMBER_SHOWN = re.compile(r"[-+(]?[¥￥$]?[\d,]*\.?\d+%?\)?")
_BREAK = "\n"
MAX_COLSPAN, MAX_ROWSPAN = 1000, 65534  # the HTML standard's own caps
FEED_CHARS = 1 << 20


@guarded
def read(path: Path) -> Iterator[Grid]:
    check_text_size(path)
    text, _ = decode(path.read_bytes(), path=path)
    builder = _Builder(path)
    parser = etree.HTMLParser(target=builder, encoding="utf-8", remove_comments=False,
                              no_network=True, huge_tree=False)
    for at in range(0, len(text), FEED_CHARS):
        parser.feed(text[at:at + FEED_CHARS].encode("utf-8"))
    parser.close()
    builder.finish()
    named = builder.sheet_name or _named_in(text)
    yield Grid(str(path), sheet_name_for(named) if named else sheet_name_of_file(path),
               builder.rows, merged=builder.merged, hidden_rows=builder.hidden_rows)


def _named_in(text: str) -> str | None:
    """The worksheet's name in Excel's XML island (usually inside a conditional comment)."""
    m = _X_NAME.search(text[: 1 << 16])
    return _SPACES.sub(" ", m.group(1)).strip() or None if m else None


class _Table:
    """A top-level table being laid out: its first Excel row, its rows so far, and which
    columns rowspans from above still take (column → last table row taken)."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.rows = 0
        self.col = 1
        self.busy: dict[int, int] = {}
        self.merges: list[list[int]] = []


class _Cell:
    def __init__(self, row: int, col: int, attrib: dict, props: dict[str, str]) -> None:
        self.row, self.col, self.attrib, self.props = row, col, attrib, props
        self.parts: list[str] = []


class _Builder:
    """lxml's parser target: start/end/data/comment in document order."""

    def __init__(self, path: Path) -> None:
        self.extent = Extent(path)
        self.rows: list[list[Any]] = []
        self.merged: list[tuple[int, int, int, int]] = []
        self.hidden_rows: set[int] = set()
        self.sheet_name: str | None = None
        self.cursor = 1  # the next free Excel row
        self.styles = Stylesheet()
        self.stack: list[tuple[str, str, str]] = []  # open elements: (tag, class, id)
        self.table: _Table | None = None
        self.table_depth = 0  # tables open, nested ones (inside a cell) included
        self.cell: _Cell | None = None
        self.cell_depth = 0  # cells open: the outer one collects, inner ones are its content
        self.line: list[str] = []  # text outside tables, waiting for its row
        self.quiet = 0  # inside <head>, <script>, <style> …: no text of the sheet
        self.style_text: list[str] | None = None
        self.browser_only = False  # inside <![if supportMisalignedColumns]>: not for Excel
        self.in_name = False
        self.in_caption = 0

    # ---- lxml target interface ---------------------------------------------------------------

    def start(self, tag: str, attrib: Any) -> None:
        tag = tag.lower()
        element = (tag, attrib.get("class", ""), attrib.get("id", ""))
        ancestors = tuple(self.stack) if self.styles.rules else ()  # only rules need the chain
        self.stack.append(element)
        if tag == "style":
            self.style_text = []
        if tag in _NO_TEXT:
            self.quiet += 1
        if tag == "x:name" and self.stack[-2:-1] and self.stack[-2][0] == "x:excelworksheet":
            self.in_name = True
        if self.browser_only or self.quiet:
            return
        if self.cell is not None:
            self._cell_markup(tag, start=True)
            if tag in ("td", "th"):
                self.cell_depth += 1
            return
        if tag == "table":
            self.table_depth += 1
            if self.table_depth == 1:
                self._flush_line()
                self.table = _Table(self.cursor)
        elif self.table is None or self.table_depth > 1:
            if tag in _BLOCKS:
                self._flush_line()
            elif tag == "br":
                self._line_break()
        elif tag in ("thead", "tbody", "tfoot"):
            self._end_row_group()
        elif tag == "tr":
            self._new_row(self.styles.style(element, ancestors, attrib.get("style")))
        elif tag in ("td", "th"):
            if self.table.rows == 0:
                self._new_row({})
            self._open_cell(attrib, self.styles.style(element, ancestors, attrib.get("style")))
        elif tag == "caption":
            self.in_caption += 1
            if self.table.rows == 0:
                self._flush_line()

    def end(self, tag: str) -> None:
        tag = tag.lower()
        if self.stack:
            self.stack.pop()
        if tag == "style" and self.style_text is not None:
            self.styles.add("".join(self.style_text))
            self.style_text = None
        if tag == "x:name":
            self.in_name = False
        if tag in _NO_TEXT:
            self.quiet = max(0, self.quiet - 1)
            return
        if self.browser_only or self.quiet:
            return
        if self.cell is not None:
            if tag in ("td", "th"):
                if self.cell_depth == 0:
                    self._close_cell()
                    return
                self.cell_depth -= 1
            self._cell_markup(tag, start=False)
            return
        if tag == "table" and self.table_depth:
            self.table_depth -= 1
            if self.table_depth == 0 and self.table is not None:
                self._close_table()
        elif tag == "caption" and self.table is not None:
            self.in_caption = max(0, self.in_caption - 1)
            if self.table.rows == 0:  # a caption above the table takes its own row
                self._flush_line()
                self.table.start = self.cursor
        elif tag in _BLOCKS and self.table is None:
            self._flush_line()

    def data(self, data: str) -> None:
        if self.style_text is not None:
            self.style_text.append(data)
        if self.in_name:
            self.sheet_name = (self.sheet_name or "") + data
        if self.quiet or self.browser_only:
            return
        if self.cell is not None:
            self.cell.parts.append(data)
        elif self.table is None or self.table_depth > 1 or self.in_caption:
            self.line.append(data)

    def comment(self, text: str) -> None:
        squeezed = text.replace(" ", "").lower()
        if squeezed.startswith("[ifsupportmisalignedcolumns]"):
            self.browser_only = True  # Excel's own files: a spacer row only browsers show
        elif squeezed.startswith("[endif]"):
            self.browser_only = False
        elif self.sheet_name is None and "excelworksheet" in squeezed:
            m = _X_NAME.search(text)
            if m:
                self.sheet_name = m.group(1)

    def close(self) -> None:
        return None

    # ---- layout ------------------------------------------------------------------------------

    def _put(self, row: int, col: int, value: Any) -> None:
        self.extent.place(row, col)
        while len(self.rows) < row:
            self.rows.append([])
        line = self.rows[row - 1]
        if len(line) < col:
            self.extent.add_cells(col - len(line))
            line.extend([None] * (col - len(line)))
        line[col - 1] = value

    def _flush_line(self) -> None:
        text = _SPACES.sub(" ", "".join(self.line)).strip()
        self.line = []
        if text:
            self._put(self.cursor, 1, text)
            self.cursor += 1

    def _line_break(self) -> None:
        """A <br> outside the tables ends its line; standing alone it is an empty line."""
        if _SPACES.sub("", "".join(self.line)):
            self._flush_line()
        else:
            self.line = []
            self.cursor += 1

    def _new_row(self, props: dict[str, str]) -> None:
        table = self.table
        table.rows += 1
        table.col = 1
        row = table.start + table.rows - 1
        self.extent.place(row, 1)
        self.cursor = row + 1
        if is_hidden(props):
            self.hidden_rows.add(row)

    def _end_row_group(self) -> None:
        """The HTML table algorithm's "ending a row group": a rowspan stops at the end of its
        <thead>/<tbody>/<tfoot>."""
        table = self.table
        last = table.start + table.rows - 1
        for merge in table.merges:
            merge[2] = min(merge[2], max(last, merge[0]))
        table.busy.clear()

    def _open_cell(self, attrib: dict, props: dict[str, str]) -> None:
        table = self.table
        here = table.rows  # 1-based row within the table
        col = table.col
        while table.busy.get(col, 0) >= here:
            col += 1
        colspan = _span(attrib.get("colspan"), MAX_COLSPAN)
        rowspan = _span(attrib.get("rowspan"), MAX_ROWSPAN)
        row = table.start + here - 1
        self.extent.place(row, col + colspan - 1)
        if rowspan > 1:
            self.extent.add_cells(colspan)
            for c in range(col, col + colspan):
                table.busy[c] = here + rowspan - 1
        if colspan > 1 or rowspan > 1:
            table.merges.append([row, col, row + rowspan - 1, col + colspan - 1])
        table.col = col + colspan
        self.cell = _Cell(row, col, attrib, props)
        self.cell_depth = 0

    def _cell_markup(self, tag: str, start: bool) -> None:
        """Markup inside a cell: <br> and block boundaries are line breaks; a nested table's
        cells are set apart by spaces and its rows by line breaks."""
        parts = self.cell.parts
        if (tag == "br" and start) or (tag in _BLOCKS or tag == "tr") and parts and parts[-1] != _BREAK:
            parts.append(_BREAK)
        elif tag in ("td", "th") and start and parts and parts[-1] != _BREAK:
            parts.append(" ")

    def _close_cell(self) -> None:
        cell = self.cell
        self.cell = None
        text = "".join(cell.parts)
        if _UNTIDY.search(text):  # most cells hold one plain word or number
            text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split(_BREAK)).strip("\n")
        value = _value(text, cell.attrib, cell.props)
        if value is not None:
            self._put(cell.row, cell.col, value)

    def _close_table(self) -> None:
        table = self.table
        self.table = None
        last = table.start + table.rows - 1
        for top, left, bottom, right in table.merges:
            if top <= last:
                self.merged.append((top, left, min(bottom, last), right))
        self.cursor = last + 1 if table.rows else table.start

    def finish(self) -> None:
        if self.cell is not None:
            self._close_cell()
        if self.table is not None:
            self._close_table()
        self._flush_line()
        while self.rows and not any(v is not None for v in self.rows[-1]):
            self.rows.pop()


_LEADING_DIGITS = re.compile(r"\s*(\d+)")


def _span(value: str | None, cap: int) -> int:
    """A colspan/rowspan as browsers read it: leading digits, at least 1, at most the cap."""
    if value is None:
        return 1
    m = _LEADING_DIGITS.match(value)
    return min(max(int(m.group(1)), 1), cap) if m else 1


def _value(text: str, attrib: dict, props: dict[str, str]) -> Any:
    error = attrib.get("x:err")
    if error:
        return ExcelError(error.strip())
    if not text:
        return None
    if text in EXCEL_ERROR_CODES:
        return ExcelError(text)
    number = attrib.get("x:num")
    if number and not is_text_format(props.get("mso-number-format")) and _NUMBER_SHOWN.fullmatch(text):
        try:
            value = float(number)
        except ValueError:
            return text
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    return text

