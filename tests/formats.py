"""Write the same workbook description (builders.py: rows per sheet, merges as "A1:C1", hidden
rows) the ways other systems write spreadsheets: an HTML table saved as .xls (a full Office
document, or a web datagrid fragment), SpreadsheetML 2003, CSV/TSV in any encoding, and a BIFF
.xls that declares a wrong code page. Each writes bytes the way those systems do, so the tests
read back what real exports hold.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import struct
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from builders import EXCEL_ERRORS, Formula, Sheets, write_xls

from houqin_xl.read.grid import parse_range

TEXT_STYLE = 'mso-number-format:"\\@";'


def shown(value: Any) -> str:
    """A value as a system prints it into text: dates as 2026-09-01, numbers as written."""
    if isinstance(value, Formula):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != dt.time(0) else f"{value:%Y-%m-%d}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _merge_plan(rows: Sequence[Sequence[Any]], merges: Iterable[str]) -> tuple[dict, set]:
    """(top-left (row, col) → (rowspan, colspan), covered cells) from Excel range refs."""
    spans, covered = {}, set()
    for ref in merges:
        top, left, bottom, right = parse_range(ref)
        spans[(top, left)] = (bottom - top + 1, right - left + 1)
        covered |= {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)} - {(top, left)}
    return spans, covered


def _html_rows(rows: Sequence[Sequence[Any]], first: int, last: int, merges: Iterable[str],
               hidden_rows: Iterable[int], hidden_cols: Iterable[int], tag: str) -> list[str]:
    spans, covered = _merge_plan(rows, merges)
    hidden_rows, hidden_cols = set(hidden_rows), set(hidden_cols)
    width = max((len(r) for r in rows), default=0)
    out = []
    for r in range(first, last + 1):
        line = list(rows[r - 1]) + [None] * (width - len(rows[r - 1]))
        cells = []
        for c, value in enumerate(line, start=1):
            if (r, c) in covered:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
            style = TEXT_STYLE if isinstance(value, str) else ""
            if c in hidden_cols:
                style += "display:none;"
            if style:
                attrs += f" style='{style}'"
            text = html.escape(shown(value)).replace("\n", "<br>")
            cells.append(f"<{tag}{attrs}>{text}</{tag}>")
        hidden = ' style="display:none"' if r in hidden_rows else ""
        out.append(f"<tr{hidden}>{''.join(cells)}</tr>")
    return out


def write_html_xls(path: str | Path, rows: Sequence[Sequence[Any]], merges: Iterable[str] = (),
                   hidden_rows: Iterable[int] = (), encoding: str = "gbk",
                   charset_meta: str | None = "gb2312", sheet_name: str | None = None) -> Path:
    """An asset system's export: a full Office HTML document, one <table>, text cells marked
    `mso-number-format:"\\@"`, merges as colspan/rowspan, saved as .xls."""
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset_meta}">' if charset_meta else ""
    named = (f"<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet>"
             f"<x:Name>{html.escape(sheet_name)}</x:Name><x:WorksheetOptions><x:Selected/>"
             f"</x:WorksheetOptions></x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook></xml>"
             f"<![endif]-->") if sheet_name else ""
    doc = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">\n'
           f"<head>{meta}<meta name=ProgId content=Excel.Sheet>{named}\n"
           "<style>td{font-family:宋体;font-size:10pt;border:.5pt solid windowtext;}</style></head>\n"
           '<body>\n<table border="1" cellspacing="0">\n'
           + "\n".join(_html_rows(rows, 1, len(rows), merges, hidden_rows, (), "td"))
           + "\n</table>\n</body>\n</html>\n")
    path = Path(path)
    path.write_bytes(doc.encode(encoding))
    return path


def write_html_fragment(path: str | Path, rows: Sequence[Sequence[Any]], header_rows: int,
                        hidden_cols: Iterable[int] = (), merges: Iterable[str] = ()) -> Path:
    """A web datagrid's export: UTF-8 with a BOM, no <html>, a <style> block that makes the
    body text (`.grid-body td`), the header and the body in two <table>s, hidden columns."""
    style = ("<style>\n.grid-head th{background:#e8eef7;font-weight:bold}\n"
             '.grid-body td{mso-number-format:"\\@";}\n.hide{display:none}\n</style>\n')
    head = _html_rows(rows, 1, header_rows, merges, (), hidden_cols, "th")
    body = _html_rows(rows, header_rows + 1, len(rows), merges, (), hidden_cols, "td")
    doc = (style + '<table class="grid-head" border="1">\n' + "\n".join(head) + "\n</table>\n"
           + '<table class="grid-body" border="1">\n' + "\n".join(body) + "\n</table>\n")
    path = Path(path)
    path.write_bytes(b"\xef\xbb\xbf" + doc.encode("utf-8"))
    return path


def _xml_data(value: Any) -> str:
    if isinstance(value, Formula):
        value = value.value
    if isinstance(value, bool):
        return f'<Data ss:Type="Boolean">{int(value)}</Data>'
    if isinstance(value, int | float):
        return f'<Data ss:Type="Number">{value}</Data>'
    if isinstance(value, dt.date):
        moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        return f'<Data ss:Type="DateTime">{moment:%Y-%m-%dT%H:%M:%S}.000</Data>'
    if isinstance(value, str) and value in EXCEL_ERRORS:
        return f'<Data ss:Type="Error">{value}</Data>'
    return f'<Data ss:Type="String">{html.escape(str(value))}</Data>'


def write_spreadsheet_xml(path: str | Path, sheets: Sheets, merges: Mapping | None = None,
                          hidden_rows: Mapping | None = None, encoding: str = "UTF-8") -> Path:
    """SpreadsheetML 2003 as finance software writes it: blank rows and cells left out and the
    next one placed with ss:Index, merges as MergeAcross/MergeDown (the covered cells left
    out), typed Data, hidden rows with ss:Hidden."""
    merges, hidden_rows = merges or {}, hidden_rows or {}
    body = []
    for name, rows in sheets.items():
        spans, covered = _merge_plan(rows, merges.get(name, []))
        hidden = set(hidden_rows.get(name, []))
        body.append(f'<Worksheet ss:Name="{html.escape(name)}"><Table>')
        previous_row = 0
        for r, line in enumerate(rows, start=1):
            cells, previous_col = [], 0
            for c, value in enumerate(line, start=1):
                if (r, c) in covered or (value is None and (r, c) not in spans):
                    continue
                attrs = f' ss:Index="{c}"' if c != previous_col + 1 else ""
                rowspan, colspan = spans.get((r, c), (1, 1))
                attrs += f' ss:MergeAcross="{colspan - 1}"' if colspan > 1 else ""
                attrs += f' ss:MergeDown="{rowspan - 1}"' if rowspan > 1 else ""
                previous_col = c + colspan - 1
                cells.append(f"<Cell{attrs}>{_xml_data(value)}</Cell>" if value is not None else f"<Cell{attrs}/>")
            if not cells and r not in hidden:
                continue
            attrs = f' ss:Index="{r}"' if r != previous_row + 1 else ""
            attrs += ' ss:Hidden="1"' if r in hidden else ""
            body.append(f"<Row{attrs}>{''.join(cells)}</Row>")
            previous_row = r
        body.append("</Table></Worksheet>")
    doc = (f'<?xml version="1.0" encoding="{encoding}"?>\n<?mso-application progid="Excel.Sheet"?>\n'
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel" '
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:html="http://www.w3.org/TR/REC-html40">\n' + "\n".join(body) + "\n</Workbook>\n")
    path = Path(path)
    path.write_bytes(doc.encode("gb18030" if encoding.lower() in ("gb2312", "gbk") else encoding))
    return path


def write_csv(path: str | Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8",
              bom: bool = False, delimiter: str = ",") -> Path:
    """CSV as apps export it: CRLF lines, quotes where a field needs them, trailing empty
    fields left off."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for line in rows:
        fields = [shown(v) for v in line]
        while fields and fields[-1] == "":
            fields.pop()
        writer.writerow(fields)
    path = Path(path)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode(encoding))
    return path


def write_xls_declaring_codepage(path: str | Path, sheets: Sheets, codepage: int = 1252,
                                 merges: Mapping | None = None, hidden_rows: Mapping | None = None) -> Path:
    """A BIFF8 .xls as JExcelAPI / NPOI / old PHP writers leave it: UTF-16 text under a CODEPAGE
    record that says 1252. xlwt writes 1200; the record is patched afterwards."""
    path = write_xls(path, sheets, merges, hidden_rows)
    data = bytearray(path.read_bytes())
    record = b"\x42\x00\x02\x00\xb0\x04"  # CODEPAGE 1200
    at = data.find(record)
    assert at >= 0, "xlwt wrote no CODEPAGE record"
    data[at + 4:at + 6] = struct.pack("<H", codepage)
    path.write_bytes(bytes(data))
    return path
