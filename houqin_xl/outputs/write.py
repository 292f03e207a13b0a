"""The report workbook: `build_report(checked)` rendered with XlsxWriter.

What the bursar gets: money as #,##0.00, rates as percentages, 合计 rows bold, frozen headers,
an autofilter on the findings, widths that fit Chinese text, errors red / warnings yellow /
matches green, every cell reference a working link into the source workbook, and a chart
where a picture says more (category values, collection rate by class).

The colours and number formats are declared once here; annotate.py renders the same sheets
into an annotated copy with openpyxl using these same declarations.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter

from ..read.files import OUTPUT_MARKER
from .cell_text import EXCEL_LINKS, EXCEL_ROWS, MARGIN_LIMIT, cell_text, cut_note, rows_that_fit
from .placing import (
    SHEET_TITLE_ROW,
    Placed,
    chart_size,
    column_layout,
    layout,
    row_heights,
)
from .report import (
    ReportBlock,
    ReportSheet,
    build_report,
)

if TYPE_CHECKING:
    from ..check import Checked

NUMBER_FORMATS = {"money": "#,##0.00", "percent": "0.0%", "int": "#,##0", "date": "yyyy-mm-dd"}
# (fill, font colour) per row severity: Excel's own "bad / neutral / good" cell styles.
SEVERITY_COLOURS = {"error": ("FFC7CE", "9C0006"), "warning": ("FFEB9C", "9C5700"),
                    "ok": ("C6EFCE", "006100")}
HEADER_FILL = "DDEBF7"
BORDER_COLOUR = "BFBFBF"
LINK_COLOUR = "0563C1"


SIGN_OFF = "制表人：____________　　审核人：____________　　日期：____________"


def _escape_margin(text: str) -> str:
    # & starts a code in Excel's header and footer, which hold 255 characters with the codes
    text = cell_text(text).replace("&", "&&")
    return text if len(text) <= MARGIN_LIMIT - 40 else text[:MARGIN_LIMIT - 41] + "…"


def page_header_footer(sheet: ReportSheet) -> tuple[str, str]:
    """Excel header/footer codes: the school and the sheet at the top, the time of the check
    and `第 3 页，共 7 页` at the bottom (&P page, &N pages)."""
    left = _escape_margin(f"{sheet.school}　{sheet.name}" if sheet.school else sheet.name)
    when = _escape_margin(f"核对时间 {sheet.checked_at}" if sheet.checked_at else "")
    return f"&L{left}&Rhouqin-xl", f"&L{when}&R第 &P 页，共 &N 页"


def number_format(block: ReportBlock, column: int, value: Any) -> str | None:
    """The Excel number format for one value; an int in a money column is a quantity."""
    fmt = block.format_of(column)
    if isinstance(value, dt.date):
        return NUMBER_FORMATS["date"]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if fmt == "money" and isinstance(value, int):
        return NUMBER_FORMATS["int"]
    return NUMBER_FORMATS.get(fmt)


# ---- XlsxWriter ----------------------------------------------------------------------------

try:  # XlsxWriter ≥ 3.2: Url objects let a POSIX file link stay absolute
    from xlsxwriter.url import Url as _Url
except ImportError:  # pragma: no cover - older XlsxWriter writes the link as given
    _Url = None


if _Url is not None:
    class _AbsoluteFileUrl(_Url):
        """XlsxWriter reads `file:///` as a Windows path and turns `/home/x.xlsx` into the
        relative `home\\x.xlsx`; keep a POSIX absolute URL as it is (Windows ones are left to
        XlsxWriter, which writes them the way Excel does)."""

        def _parse_url(self) -> None:
            super()._parse_url()
            base, _, anchor = self._original_url.partition("#")
            self._link = base
            self._relationship_link = base
            self._anchor = anchor


# XlsxWriter (and Excel) refuse a link longer than this, or a location longer than 255.
_URL_LIMIT, _LOCATION_LIMIT = 2079, 255


def _url(link: str, text: str) -> Any:
    """The link as XlsxWriter takes it, or None where Excel cannot hold it (too long): the cell
    then keeps its text without a link."""
    base, _, location = link.partition("#")
    if len(base) > _URL_LIMIT or len(location) > _LOCATION_LIMIT or cell_text(link) != link:
        return None
    if not link.startswith(("file:///", "internal:", "http://", "https://")):
        return "external:" + link  # a path relative to the report's folder (report.relative_link)
    path = link.removeprefix("file:///")
    windows = len(path) > 1 and path[1] == ":"
    if _Url is None or not link.startswith("file:///") or windows:
        return link
    url = _AbsoluteFileUrl(link)
    url.text = text
    return url


class _Formats:
    """XlsxWriter formats made once per combination."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.workbook = workbook
        self.cache: dict[tuple, Any] = {}
        base = {"font_name": "等线", "font_size": 10}
        self.base = base
        self.sheet_title = workbook.add_format({**base, "bold": True, "font_size": 14})
        self.block_title = workbook.add_format({**base, "bold": True, "font_size": 11})
        self.header = workbook.add_format({
            **base, "bold": True, "bg_color": "#" + HEADER_FILL, "border": 1,
            "border_color": "#" + BORDER_COLOUR, "align": "center", "valign": "vcenter",
            "text_wrap": True})

    def cell(self, num_format: str | None, bold: bool, severity: str | None, link: bool,
             wrap: bool) -> Any:
        key = (num_format, bold, severity, link, wrap)
        if key not in self.cache:
            spec: dict[str, Any] = {**self.base, "border": 1, "border_color": "#" + BORDER_COLOUR,
                                    "valign": "vcenter"}
            if num_format:
                spec["num_format"] = num_format
            if bold:
                spec["bold"] = True
                spec["top"] = 2
            if severity in SEVERITY_COLOURS:
                fill, font = SEVERITY_COLOURS[severity]
                spec["bg_color"] = "#" + fill
                spec["font_color"] = "#" + font
            if link:
                spec["font_color"] = "#" + LINK_COLOUR
                spec["underline"] = 1
            if wrap:
                spec["text_wrap"] = True
            self.cache[key] = self.workbook.add_format(spec)
        return self.cache[key]


def _write_value(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, float) and not math.isfinite(value):
        ws.write_string(row, col, str(value), fmt)  # Excel has no infinity or NaN
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    else:
        # A ledger's text stays text: write_string never makes a formula, and cell_text keeps
        # it to what the file format and Excel hold.
        ws.write_string(row, col, cell_text(str(value)), fmt)


def _write_block(ws: Any, formats: _Formats, placed: Placed, wrap: set[int],
                 links_left: list[int]) -> None:
    block = placed.block
    fit = rows_that_fit(placed.first_row, len(block.rows))
    title = block.title + (cut_note(fit, len(block.rows)) if fit < len(block.rows) else "")
    ws.write_string(placed.title_row, 0, cell_text(title), formats.block_title)
    for j, name in enumerate(block.header):
        ws.write_string(placed.header_row, j, cell_text(name), formats.header)
    link_col = block.header.index(block.link_column) if block.link_column in block.header else None
    for i, values in enumerate(block.rows[:fit]):
        r = placed.first_row + i
        is_total = block.total_row and i == len(block.rows) - 1
        severity = block.severity[i] if block.severity else None
        link = block.links[i] if block.links and link_col is not None else None
        for j in range(len(block.header)):
            value = values[j] if j < len(values) else None
            has_link = bool(link) and j == link_col
            fmt = formats.cell(number_format(block, j, value), is_total, severity, has_link,
                               j in wrap and isinstance(value, str))
            url = _url(link, "" if value is None else str(value)) if has_link and links_left[0] > 0 else None
            if url is not None:
                text = cell_text("" if value is None else str(value))
                ws.write_url(r, j, url, fmt, text or None, "打开台账中的这个单元格")
                links_left[0] -= 1
            else:
                _write_value(ws, r, j, value, fmt)


def _chart(workbook: xlsxwriter.Workbook, sheet_name: str, placed: Placed) -> Any | None:
    block, spec = placed.block, placed.block.chart
    if not spec or block.data_rows == 0:
        return None
    chart = workbook.add_chart({"type": "bar" if spec.get("kind") == "bar" else "column"})
    cat = block.header.index(spec["category"])
    first, last = placed.first_row, placed.first_row + block.data_rows - 1
    percent = any(block.format_of(block.header.index(n)) == "percent" for n in spec["values"])
    for name in spec["values"]:
        j = block.header.index(name)
        series: dict[str, Any] = {
            "name": [sheet_name, placed.header_row, j],
            "categories": [sheet_name, first, cat, last, cat],
            "values": [sheet_name, first, j, last, j],
        }
        if len(spec["values"]) == 1:  # two series side by side: their labels would collide
            series["data_labels"] = {"value": True, "num_format": "0%" if percent else "#,##0"}
        chart.add_series(series)
    chart.set_title({"name": spec.get("title", ""), "name_font": {"size": 11, "bold": True}})
    chart.set_legend({"position": "bottom"} if len(spec["values"]) > 1 else {"none": True})
    value_axis = {"num_format": "0%" if percent else "#,##0", "major_gridlines": {"visible": True}}
    if percent:
        value_axis["min"] = 0  # no max: a class with refunds owed can pass 100 %
    if spec.get("kind") == "bar":
        chart.set_x_axis(value_axis)
        chart.set_y_axis({"reverse": True, "crossing": "max"})  # biggest on top, as in the table
    else:
        chart.set_y_axis(value_axis)
    chart.set_size(chart_size(block.data_rows, spec.get("kind", "column")))
    return chart


# Rows of a landscape A4 page at the report's row heights (fit to one page wide).
PAGE_ROWS = 32


def _print_titles_for_the_longest_table(ws: Any, placed: list[Placed]) -> None:
    """A summary of 72 classes runs over several printed pages: its header row repeats at the
    top of each (Excel allows one such row per sheet, so the longest table's), and that table
    starts a page of its own so that its header is never printed above another table."""
    long = [p for p in placed if p.last_row - p.header_row > PAGE_ROWS]
    if not long:
        return
    longest = max(long, key=lambda p: p.last_row - p.header_row)
    ws.repeat_rows(longest.header_row)
    if longest is not placed[0]:
        ws.set_h_pagebreaks([longest.title_row])


def write_sheet(workbook: xlsxwriter.Workbook, formats: _Formats, sheet: ReportSheet) -> None:
    ws = workbook.add_worksheet(sheet.name)
    widths, wrap = column_layout(sheet)
    for j, width in enumerate(widths):
        ws.set_column(j, j, width)
    placed = layout(sheet)
    ws.write_string(SHEET_TITLE_ROW, 0, cell_text(sheet.title or sheet.name), formats.sheet_title)
    ws.set_row(SHEET_TITLE_ROW, 22)
    links_left = [EXCEL_LINKS]
    for p in placed:
        _write_block(ws, formats, p, wrap, links_left)
        for row, height in row_heights(p, widths, wrap).items():
            if row < EXCEL_ROWS:
                ws.set_row(row, height)
        chart = _chart(workbook, sheet.name, p)
        if chart is not None:
            ws.insert_chart(p.title_row, p.width + 1, chart,
                            {"x_offset": 8, "y_offset": 4, "object_position": 1})
    if sheet.freeze_block is not None and sheet.freeze_block < len(placed):
        ws.freeze_panes(placed[sheet.freeze_block].header_row + 1, 0)
        # Printed, the list's header repeats at the top of every page.
        ws.repeat_rows(placed[sheet.freeze_block].header_row)
    else:
        _print_titles_for_the_longest_table(ws, placed)
    if sheet.filter_block is not None and sheet.filter_block < len(placed):
        p = placed[sheet.filter_block]
        ws.autofilter(p.header_row, 0, min(max(p.last_row, p.header_row), EXCEL_ROWS - 1), p.width - 1)
    if sheet.sign_off and placed:
        below = max(p.last_row for p in placed) + 2
        if below < EXCEL_ROWS:
            ws.write_string(below, 0, SIGN_OFF, formats.block_title)
    # Printing: landscape A4, as wide as one page; who and when on every page, and its number.
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    header, footer = page_header_footer(sheet)
    ws.set_header(header)
    ws.set_footer(footer)


def write_report(target: Any, sheets: list[ReportSheet]) -> None:
    """Write report sheets to a path or a binary stream."""
    options = {"in_memory": True, "strings_to_urls": False, "strings_to_formulas": False,
               "strings_to_numbers": False}
    workbook = xlsxwriter.Workbook(target, options)
    workbook.set_properties({"title": "后勤台账校验报告", "author": "houqin-xl",
                             "comments": "由 houqin-xl 生成 / written by houqin-xl"})
    # A later folder run knows the report for an output, never a ledger (read.files).
    workbook.set_custom_property(OUTPUT_MARKER, "report")
    formats = _Formats(workbook)
    for sheet in sheets:
        write_sheet(workbook, formats, sheet)
    workbook.close()


def report_bytes(checked: Checked, report_path: str | Path | None = None) -> bytes:
    """The report workbook (校验报告, 对账结果, 汇总 sheets) as .xlsx bytes. Given where it will
    be saved, its links to the ledgers' cells are relative to that folder."""
    buffer = io.BytesIO()
    base = Path(report_path).resolve().parent if report_path is not None else None
    write_report(buffer, build_report(checked, base))
    return buffer.getvalue()
