"""Sheet layouts independent of the library that writes them, and the writers (openpyxl,
XlsxWriter, xlwt) that put them on disk the way Excel and the school systems do."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..read.grid import column_letter
from . import data


@dataclass(frozen=True)
class Formula:
    """A formula with the value Excel last computed (what a reader of the file sees)."""

    text: str
    cached: Any


@dataclass
class Layout:
    """One sheet: cells by Excel (row, column), their look, merges, hidden rows, widths."""

    sheet: str
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    styles: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: set[int] = field(default_factory=set)
    widths: dict[int, float] = field(default_factory=dict)
    freeze: tuple[int, int] | None = None

    def put(self, row: int, col: int, value: Any, style: str = "") -> None:
        self.cells[(row, col)] = value
        if style:
            self.styles[(row, col)] = style

    def put_row(self, row: int, values: list[Any]) -> None:
        """The values across the row from column A; a None is left a blank cell."""
        for col, value in enumerate(values, start=1):
            if value is not None:
                self.put(row, col, value)

    def merge(self, top: int, left: int, bottom: int, right: int, value: Any, style: str = "") -> None:
        self.merges.append((top, left, bottom, right))
        self.put(top, left, value, style)


def _cell_style(value: Any, style: str) -> str:
    if style:
        return style
    if isinstance(value, Formula):
        value = value.cached
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, Decimal | float):
        return "money"
    return ""


def _excel_value(value: Any) -> Any:
    """Decimals become floats (Excel has nothing else); everything else is written as it is."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def save_openpyxl(layouts: list[Layout], path: Path, macro_enabled: bool = False) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin")
    looks = {
        "title": (Font(bold=True, size=16), Alignment(horizontal="center", vertical="center"), None, None),
        "header": (Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True),
                   Border(thin, thin, thin, thin), None),
        "total": (Font(bold=True), None, None, "#,##0.00"),
        "bold": (Font(bold=True), None, None, None),
        "money": (None, None, None, "#,##0.00"),
        "date": (None, None, None, "yyyy-mm-dd"),
        "center": (None, Alignment(horizontal="center", vertical="center"), None, None),
    }
    book = Workbook()
    book.remove(book.active)
    for layout in layouts:
        sheet = book.create_sheet(layout.sheet)
        for (row, col), value in sorted(layout.cells.items()):
            if isinstance(value, Formula):
                value = value.cached  # openpyxl cannot store a cached result
            cell = sheet.cell(row=row, column=col, value=_excel_value(value))
            font, align, border, number_format = looks.get(_cell_style(value, layout.styles.get((row, col), "")),
                                                           (None, None, None, None))
            if font:
                cell.font = font
            if align:
                cell.alignment = align
            if border:
                cell.border = border
            if number_format and not isinstance(value, str):
                cell.number_format = number_format
        for top, left, bottom, right in layout.merges:
            sheet.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
        for row in layout.hidden:
            sheet.row_dimensions[row].hidden = True
        for col, width in layout.widths.items():
            sheet.column_dimensions[column_letter(col)].width = width
        if layout.freeze:
            sheet.freeze_panes = sheet.cell(*layout.freeze)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.properties.creator = data.BURSAR
    book.save(path)
    _settle_package(path, macro_enabled)


_SAVED_AT = (2026, 11, 30, 17, 30, 0)  # when the bursar closed November
_SAVED_AT_TEXT = "2026-11-30T09:30:00Z"


def _settle_package(path: Path, macro_enabled: bool = False) -> None:
    """Give every part of the saved package the same fixed date, so a rerun writes the same
    bytes and the committed samples do not change each time `make demo` runs.

    With `macro_enabled`, declare the workbook part macro-enabled: an .xlsm without a VBA
    project is what Excel saves after its macros are deleted."""
    plain = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    macro = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    stamp = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
    with zipfile.ZipFile(path) as source:
        parts = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, payload in parts:
            if name == "[Content_Types].xml" and macro_enabled:
                payload = payload.replace(plain, macro)
            if name == "docProps/core.xml":
                payload = stamp.sub(rb"\g<1>" + _SAVED_AT_TEXT.encode() + rb"\g<3>", payload)
            target.writestr(zipfile.ZipInfo(name, _SAVED_AT), payload, zipfile.ZIP_DEFLATED)


def save_xlsxwriter(layouts: list[Layout], path: Path) -> None:
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"author": data.BURSAR, "company": data.SCHOOL})
    formats = {
        "title": book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}),
        "header": book.add_format({"bold": True, "align": "center", "valign": "vcenter",
                                   "text_wrap": True, "border": 1}),
        "total": book.add_format({"bold": True, "num_format": "#,##0.00"}),
        "bold": book.add_format({"bold": True}),
        "money": book.add_format({"num_format": "#,##0.00"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "center": book.add_format({"align": "center", "valign": "vcenter"}),
        "": None,
    }
    for layout in layouts:
        sheet = book.add_worksheet(layout.sheet)
        merged_at = {(t, left): (t, left, b, r) for t, left, b, r in layout.merges}
        covered = {(r, c) for t, left, b, right in layout.merges
                   for r in range(t, b + 1) for c in range(left, right + 1)}
        for (row, col), value in sorted(layout.cells.items()):
            style = formats[_cell_style(value, layout.styles.get((row, col), ""))]
            if (row, col) in merged_at:
                t, left, b, r = merged_at[(row, col)]
                shown = value.cached if isinstance(value, Formula) else value
                sheet.merge_range(t - 1, left - 1, b - 1, r - 1, _excel_value(shown), style)
                continue
            if (row, col) in covered:
                continue
            if isinstance(value, Formula):
                sheet.write_formula(row - 1, col - 1, value.text, style, _excel_value(value.cached))
            elif isinstance(value, dt.date):
                sheet.write_datetime(row - 1, col - 1, _excel_value(value), style)
            elif value is None:
                continue
            else:
                sheet.write(row - 1, col - 1, _excel_value(value), style)
        for row in layout.hidden:
            sheet.set_row(row - 1, None, None, {"hidden": True})
        for col, width in layout.widths.items():
            sheet.set_column(col - 1, col - 1, width)
        if layout.freeze:
            sheet.freeze_panes(layout.freeze[0] - 1, layout.freeze[1] - 1)
    book.close()
    _settle_package(path)


def save_xlwt(layouts: list[Layout], path: Path) -> None:
    """Old .xls (Excel 97–2003), which many schools' finance software still exports."""
    import xlwt

    styles = {
        "title": xlwt.easyxf("font: bold on, height 320; align: horiz center, vert center"),
        "header": xlwt.easyxf("font: bold on; align: horiz center, vert center, wrap on; "
                              "borders: left thin, right thin, top thin, bottom thin"),
        "total": xlwt.easyxf("font: bold on", num_format_str="#,##0.00####"),
        "bold": xlwt.easyxf("font: bold on"),
        "money": xlwt.easyxf(num_format_str="#,##0.00####"),
        "date": xlwt.easyxf(num_format_str="YYYY-MM-DD"),
        "center": xlwt.easyxf("align: horiz center, vert center"),
        "": xlwt.Style.default_style,
    }
    book = xlwt.Workbook(encoding="utf-8")
    for layout in layouts:
        sheet = book.add_sheet(layout.sheet)
        merged_at = {(t, left): (t, left, b, r) for t, left, b, r in layout.merges}
        covered = {(r, c) for t, left, b, right in layout.merges
                   for r in range(t, b + 1) for c in range(left, right + 1)}
        for (row, col), value in sorted(layout.cells.items()):
            shown = value.cached if isinstance(value, Formula) else value
            style = styles[_cell_style(value, layout.styles.get((row, col), ""))]
            if (row, col) in merged_at:
                t, left, b, r = merged_at[(row, col)]
                sheet.write_merge(t - 1, b - 1, left - 1, r - 1, _excel_value(shown), style)
            elif (row, col) not in covered and shown is not None:
                sheet.write(row - 1, col - 1, _excel_value(shown), style)
        for row in layout.hidden:
            sheet.row(row - 1).hidden = True
        for col, width in layout.widths.items():
            sheet.col(col - 1).width = int(width * 256)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))


def sum_numbers(values: list[Any]) -> Decimal:
    """What Excel's SUM gives: numbers add up, text and error values are passed over."""
    total = Decimal("0.00")
    for value in values:
        if isinstance(value, bool):
            continue
        if isinstance(value, int | Decimal):
            total += value
        elif isinstance(value, float):
            total += Decimal(repr(value))
    return total
