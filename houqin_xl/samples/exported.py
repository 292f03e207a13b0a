"""Writers for the files other systems export, from the same `Layout` the Excel writers take:
an HTML table saved as .xls (the provincial asset system's card export), SpreadsheetML 2003
saved as .xls (the finance software's 科目余额表) and CSV (the barcode stocktake app).

Each writes its bytes the way those systems do — GBK with a charset meta and
`mso-number-format:"\\@"` on text cells; typed <Data> cells, MergeAcross/MergeDown and
ss:Index skips; a GBK CSV with CRLF and `="…"` around ids — so the demo holds what a bursar
really gets, and every run writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from pathlib import Path
from typing import Any

from .layout import Formula, Layout

# Excel's own HTML names each cell's format by a class in the <style> block; Excel and
# LibreOffice both honour `mso-number-format` given that way (LibreOffice ignores it inline).
_HTML_CSS = (
    "td{font-family:宋体;font-size:10pt;border:.5pt solid windowtext;white-space:nowrap;}\r\n"
    '.xl-text{mso-number-format:"\\@";}\r\n'
    '.xl-money{mso-number-format:"\\#\\,\\#\\#0\\.00";text-align:right;}\r\n'
    ".xl-title{font-size:16pt;font-weight:bold;text-align:center;}\r\n"
    ".xl-header{font-weight:bold;text-align:center;background:#DDEBF7;}\r\n"
    ".xl-total{font-weight:bold;}\r\n")
_CHAR_PX = 7  # one Excel character unit in pixels, for <col width>


def _plain(value: Any) -> Any:
    return value.cached if isinstance(value, Formula) else value


def _shown(value: Any) -> str:
    """A value as an export prints it: money with two decimals, dates as 2026-09-01."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _spans(layout: Layout) -> tuple[dict[tuple[int, int], tuple[int, int]], set[tuple[int, int]]]:
    """(top-left → (rows, columns) spanned, cells covered by a merge other than its top-left)."""
    spans, covered = {}, set()
    for top, left, bottom, right in layout.merges:
        spans[(top, left)] = (bottom - top + 1, right - left + 1)
        covered |= {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)}
        covered.discard((top, left))
    return spans, covered


def _extent(layout: Layout) -> tuple[int, int]:
    cells = list(layout.cells) + [(b, r) for _t, _l, b, r in layout.merges]
    return max(r for r, _ in cells), max(c for _, c in cells)


def save_html_xls(layout: Layout, path: Path, encoding: str = "gbk", charset: str = "gb2312") -> None:
    """The asset system's export: a full Office HTML document with the worksheet's name in its
    XML island, one <table>, every text cell marked text (so Excel keeps 18-digit ids and dates
    as typed), amounts as numbers shown #,##0.00, merges as colspan/rowspan."""
    spans, covered = _spans(layout)
    last_row, last_col = _extent(layout)
    lines = []
    for row in range(1, last_row + 1):
        cells = []
        for col in range(1, last_col + 1):
            if (row, col) in covered:
                continue
            value = _plain(layout.cells.get((row, col)))
            rowspan, colspan = spans.get((row, col), (1, 1))
            attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (
                f' rowspan="{rowspan}"' if rowspan > 1 else "")
            look = layout.styles.get((row, col), "")
            kind = "xl-money" if isinstance(value, Decimal | float) else "xl-text" if isinstance(value, str) else ""
            classes = " ".join(c for c in (kind, f"xl-{look}" if look in ("title", "header", "total") else "") if c)
            if classes:
                attrs += f' class="{classes}"'
            if look in ("title", "header", "center"):
                attrs += ' align="center"'  # the attribute older readers go by
            text = html.escape(_shown(value)).replace(chr(10), "<br>")
            if look in ("title", "header", "total"):
                text = f"<b>{text}</b>" if text else text
            cells.append(f"<td{attrs}>{text}</td>")
        hidden = ' style="display:none"' if row in layout.hidden else ""
        lines.append(f"<tr{hidden}>{''.join(cells)}</tr>")
    widths = "".join(f'<col width="{round(layout.widths.get(c, 8.43) * _CHAR_PX)}">'
                     for c in range(1, last_col + 1))
    name = html.escape(layout.sheet)
    doc = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">\r\n'
           f'<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset={charset}">\r\n'
           '<meta name="ProgId" content="Excel.Sheet">\r\n'
           "<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet>"
           f"<x:Name>{name}</x:Name><x:WorksheetOptions><x:Selected/></x:WorksheetOptions>"
           "</x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]-->\r\n"
           f"<style>\r\n{_HTML_CSS}</style>\r\n</head>\r\n<body>\r\n"
           f'<table border="1" cellspacing="0" cellpadding="0">{widths}\r\n'
           + "\r\n".join(lines) + "\r\n</table>\r\n</body>\r\n</html>\r\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(doc.encode(encoding))


_XML_STYLES = """ <Styles>
  <Style ss:ID="Default" ss:Name="Normal"><Alignment ss:Vertical="Center"/><Font ss:FontName="宋体" ss:Size="10"/></Style>
  <Style ss:ID="title"><Alignment ss:Horizontal="Center" ss:Vertical="Center"/><Font ss:FontName="宋体" ss:Size="16" ss:Bold="1"/></Style>
  <Style ss:ID="header"><Alignment ss:Horizontal="Center" ss:Vertical="Center" ss:WrapText="1"/><Borders>{b}</Borders><Font ss:FontName="宋体" ss:Size="10" ss:Bold="1"/><Interior ss:Color="#DDEBF7" ss:Pattern="Solid"/></Style>
  <Style ss:ID="cell"><Borders>{b}</Borders></Style>
  <Style ss:ID="amount"><Alignment ss:Horizontal="Right" ss:Vertical="Center"/><Borders>{b}</Borders></Style>
  <Style ss:ID="total"><Alignment ss:Horizontal="Right" ss:Vertical="Center"/><Borders>{b}</Borders><Font ss:FontName="宋体" ss:Size="10" ss:Bold="1"/></Style>
  <Style ss:ID="plain"/>
 </Styles>
""".format(b="".join(f'<Border ss:Position="{p}" ss:LineStyle="Continuous" ss:Weight="1"/>'
                     for p in ("Bottom", "Left", "Right", "Top")))
_XML_LOOK = {"title": "title", "header": "header", "total": "total", "money": "amount",
             "line": "plain", "": "cell"}


def _xml_data(value: Any) -> str:
    if isinstance(value, bool):
        return f'<Data ss:Type="Boolean">{int(value)}</Data>'
    if isinstance(value, int | float | Decimal):
        return f'<Data ss:Type="Number">{value}</Data>'
    if isinstance(value, dt.date):
        moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        return f'<Data ss:Type="DateTime">{moment:%Y-%m-%dT%H:%M:%S}.000</Data>'
    return f'<Data ss:Type="String">{html.escape(str(value), quote=False)}</Data>'


def save_spreadsheet_xml(layouts: list[Layout], path: Path, author: str = "") -> None:
    """SpreadsheetML 2003 as finance software writes it: blank cells left out and the next one
    placed with ss:Index, merges as MergeAcross/MergeDown (the covered cells left out), typed
    Data, column widths in points, hidden rows with ss:Hidden."""
    body = []
    for layout in layouts:
        spans, covered = _spans(layout)
        last_row, last_col = _extent(layout)
        body.append(f' <Worksheet ss:Name="{html.escape(layout.sheet)}">\n  <Table>')
        body.extend(f'   <Column ss:Index="{c}" ss:Width="{layout.widths[c] * 5.25:.2f}"/>'
                    for c in sorted(layout.widths))
        previous_row = 0
        for row in range(1, last_row + 1):
            cells, previous_col = [], 0
            for col in range(1, last_col + 1):
                value = _plain(layout.cells.get((row, col)))
                if (row, col) in covered or (value is None and (row, col) not in spans):
                    continue
                attrs = f' ss:Index="{col}"' if col != previous_col + 1 else ""
                rowspan, colspan = spans.get((row, col), (1, 1))
                attrs += f' ss:MergeAcross="{colspan - 1}"' if colspan > 1 else ""
                attrs += f' ss:MergeDown="{rowspan - 1}"' if rowspan > 1 else ""
                attrs += f' ss:StyleID="{_XML_LOOK.get(layout.styles.get((row, col), ""), "cell")}"'
                previous_col = col + colspan - 1
                data = "" if value is None else _xml_data(value)
                cells.append(f"<Cell{attrs}>{data}</Cell>")
            if not cells and row not in layout.hidden:
                continue
            attrs = f' ss:Index="{row}"' if row != previous_row + 1 else ""
            attrs += ' ss:Hidden="1"' if row in layout.hidden else ""
            body.append(f"   <Row{attrs}>{''.join(cells)}</Row>")
            previous_row = row
        body.append("  </Table>\n  <WorksheetOptions xmlns=\"urn:schemas-microsoft-com:office:excel\">"
                    "<PageSetup><Layout x:Orientation=\"Landscape\"/></PageSetup>"
                    "<FitToPage/><Print><FitWidth>1</FitWidth><FitHeight>0</FitHeight></Print>"
                    "</WorksheetOptions>\n </Worksheet>")
    doc = ('<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel" '
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
           f' <DocumentProperties xmlns="urn:schemas-microsoft-com:office:office"><Author>{html.escape(author)}'
           "</Author><Created>2026-11-30T09:30:00Z</Created></DocumentProperties>\n"
           + _XML_STYLES + "\n".join(body) + "\n</Workbook>\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(doc.encode("utf-8"))


def save_csv(rows: list[list[Any]], path: Path, encoding: str = "gbk", text_columns: set[int] = frozenset()
             ) -> None:
    """A stocktake app's CSV: GBK, CRLF, every value as printed; the columns in `text_columns`
    (1-based) written `="…"` so Excel keeps an 18-digit id as the id rather than 4.40103E+17."""
    lines = []
    for line in rows:
        fields = []
        for col, value in enumerate(line, start=1):
            text = _shown(_plain(value))
            if col in text_columns and text.isdigit():
                fields.append(f'="{text}"')
            elif any(ch in text for ch in ',"\r\n'):
                fields.append('"' + text.replace('"', '""') + '"')
            else:
                fields.append(text)
        lines.append(",".join(fields))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
