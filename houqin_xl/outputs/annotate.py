"""An annotated copy of a ledger workbook: the offending cells marked, the report added.

`houqin-xl annotate LEDGER.xlsx --out LEDGER-核对.xlsx` (wired in cli.py to `run_annotate`).

The copy is the bursar's workbook loaded with openpyxl and saved under a new name: every cell
with a finding gets a fill (red for an error, yellow for a warning) and a note giving every
message about it; the report sheets (校验报告, 对账结果, 汇总-…) are added at the end, built
from the same `build_report` as the report workbook, their links pointing into the copy itself.
The original is only read. Data cells, formats, formulas, merged cells, data validation,
conditional formatting, defined names, hidden rows and column widths survive the round trip.

What openpyxl cannot carry (shapes and form buttons, sparklines, slicers, ActiveX, charts or
pictures it fails to read, the cached results of formulas) is found by counting the parts of
the source and of the copy; each loss is one line in the returned notices, never silent.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from ..errors import InputError
from ..findings import Finding
from ..read import COPY_MARKER
from ..read.grid import column_index
from .cell_text import EXCEL_LINKS, EXCEL_ROWS, cell_text, cut_note, rows_that_fit
from .placing import (
    SHEET_TITLE_ROW,
    Placed,
    chart_size,
    column_layout,
    layout,
    row_heights,
)
from .report import (
    REPORT_SHEETS,
    ReportSheet,
    build_report,
    split_link,
)
from .report_text import note_text
from .safe_write import write_bytes_atomic
from .write import (
    BORDER_COLOUR,
    HEADER_FILL,
    LINK_COLOUR,
    SEVERITY_COLOURS,
    SIGN_OFF,
    number_format,
    page_header_footer,
)

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from ..check import Checked

NOTE_AUTHOR = "houqin-xl"

# ---- what a round trip through openpyxl may lose ------------------------------------------

# label, and how to count it in the package: a part-name pattern, or (part pattern, marker).
_PARTS: list[tuple[str, Any]] = [
    ("图表 charts", r"xl/charts/chart\d+\.xml$"),
    ("图片 images", r"xl/media/"),
    ("数据透视表 pivot tables", r"xl/pivotTables/pivotTable\d+\.xml$"),
    ("数据透视缓存 pivot caches", r"xl/pivotCache/pivotCacheDefinition\d+\.xml$"),
    ("形状/文本框 shapes", (r"xl/drawings/drawing\d+\.xml$", rb"<xdr:sp>|<xdr:sp ")),
    ("表单控件/按钮 form controls", r"xl/ctrlProps/"),
    # Legacy (VML) buttons and controls; ObjectType="Note" is a cell note, which openpyxl keeps.
    ("旧式按钮/控件 VML controls", (r"xl/drawings/[^/]*\.vml$", rb'ObjectType="(?!Note")')),
    ("ActiveX 控件", r"xl/activeX/"),
    ("嵌入对象 embedded objects", r"xl/embeddings/"),
    ("外部链接 external links", r"xl/externalLinks/externalLink\d+\.xml$"),
    ("切片器 slicers", r"xl/slicers/"),
    ("日程表 timelines", r"xl/timelines/"),
    ("新式批注 threaded comments", r"xl/threadedComments/"),
    ("宏 VBA project", r"xl/vbaProject\.bin$"),
    ("表格 tables", r"xl/tables/table\d+\.xml$"),
    ("迷你图 sparklines", (r"xl/worksheets/sheet\d+\.xml$", rb"<x14:sparklineGroup[ >]")),
    ("扩展数据验证 extended data validation",
     (r"xl/worksheets/sheet\d+\.xml$", rb"<x14:dataValidation[ >]")),
    ("扩展条件格式 extended conditional formats",
     (r"xl/worksheets/sheet\d+\.xml$", rb"<x14:conditionalFormatting[ >]")),
]
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def census(data: bytes | Path) -> Counter:
    """How many of each kind of thing openpyxl might drop the package holds."""
    counts: Counter = Counter()
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    with zipfile.ZipFile(source) as zf:
        names = zf.namelist()
        cache: dict[str, bytes] = {}
        for label, how in _PARTS:
            pattern, marker = (how, None) if isinstance(how, str) else how
            for name in names:
                if not re.search(pattern, name):
                    continue
                if marker is None:
                    counts[label] += 1
                else:
                    text = cache.setdefault(name, zf.read(name))
                    counts[label] += len(re.findall(marker, text))
        for name in names:
            if re.search(r"xl/worksheets/sheet\d+\.xml$", name):
                text = cache.setdefault(name, zf.read(name))
                counts["formulas"] += len(_FORMULA.findall(text))
    return counts


def losses(before: Counter, after: Counter, added: Counter | None = None) -> list[str]:
    """One line per kind of thing the copy holds fewer of than the source (plus what we added)."""
    added = added or Counter()
    notices = []
    for label, _how in _PARTS:
        had, kept = before[label], after[label] - added[label]
        if had > kept:
            notices.append(f"注意：原表中的{label} {had} 个，副本只保留了 {max(kept, 0)} 个"
                           f"（openpyxl 不支持）；原表未改动，请以原表为准 / "
                           f"{had - max(kept, 0)} of {had} {label.split(' ', 1)[-1]} not kept in the copy")
    if before["formulas"]:
        notices.append("注意：副本中的公式保留，但其计算结果需在Excel中打开后重新计算（保存一次即可）/ "
                       "formulas kept, their cached results are recalculated when Excel opens the copy")
    return notices


# ---- marks --------------------------------------------------------------------------------


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return str(a) == str(b)


def cell_messages(findings: list[Finding], ledger_path: str | Path
                  ) -> dict[tuple[str, int, int], list[Finding]]:
    """(sheet, row, column) → the findings standing on that cell of this workbook."""
    marks: dict[tuple[str, int, int], list[Finding]] = {}
    for f in findings:
        if f.path is None or f.sheet is None or f.row is None or not f.column:
            continue
        if not _same_file(f.path, ledger_path):
            continue
        marks.setdefault((f.sheet, f.row, column_index(f.column)), []).append(f)
    return marks


def _anchor(ws: Worksheet, row: int, col: int) -> tuple[int, int]:
    """A cell inside a merged range is marked on the range's top-left cell (the only one
    Excel shows, and the only one that can carry a note)."""
    for merged in ws.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= col <= merged.max_col:
            return merged.min_row, merged.min_col
    return row, col



def mark_cells(wb: Workbook, marks: dict[tuple[str, int, int], list[Finding]]) -> int:
    """Fill and note every marked cell; return how many cells were marked."""
    by_anchor: dict[tuple[str, int, int], list[Finding]] = {}
    for (sheet, row, col), found in marks.items():
        if sheet not in wb.sheetnames:
            continue
        r, c = _anchor(wb[sheet], row, col)
        by_anchor.setdefault((sheet, r, c), []).extend(found)
    for (sheet, row, col), found in by_anchor.items():
        cell = wb[sheet].cell(row=row, column=col)
        worst = "error" if any(f.severity == "error" for f in found) else "warning"
        fill, _font = SEVERITY_COLOURS[worst]
        cell.fill = PatternFill(fill_type="solid", start_color=fill, end_color=fill)
        text = note_text(found)
        if cell.comment is not None and cell.comment.text:
            text = cell.comment.text.rstrip() + "\n\n" + text  # the bursar's own note stays first
        text = cell_text(text)  # a ledger's value quoted in a message: only what XML can hold
        lines = text.count("\n") + 1
        longest = max(len(line) for line in text.split("\n"))
        cell.comment = Comment(text, NOTE_AUTHOR, height=min(400, 20 + 18 * (lines + longest // 24)),
                               width=min(420, 40 + 13 * min(longest, 30)))
    return len(by_anchor)


# ---- the report sheets, with openpyxl ------------------------------------------------------

_THIN = Side(style="thin", color=BORDER_COLOUR)
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOTAL_BOX = Border(left=_THIN, right=_THIN, top=Side(style="medium", color="000000"), bottom=_THIN)


def _link(link: str, local_path: str | Path | None) -> tuple[str, str]:
    path, location = split_link(link)
    if local_path is not None and _same_file(path, local_path):
        return "", location  # a cell of this very workbook: an internal link
    return link.partition("#")[0], location


def _text_cell(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    """A cell holding value; a str always as text — openpyxl would make any str starting with
    "=" a formula (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0` from a ledger cell)."""
    if isinstance(value, str):
        cell = ws.cell(row=row, column=column, value=cell_text(value))
        cell.data_type = "s"
        return cell
    if isinstance(value, float) and not math.isfinite(value):
        return _text_cell(ws, row, column, str(value))
    return ws.cell(row=row, column=column, value=value)


def _write_block(ws: Worksheet, placed: Placed, wrap: set[int], local_path: str | Path | None,
                 links_left: list[int]) -> None:
    block = placed.block
    fit = rows_that_fit(placed.first_row, len(block.rows))
    shown = block.title + (cut_note(fit, len(block.rows)) if fit < len(block.rows) else "")
    title = _text_cell(ws, placed.title_row + 1, 1, shown)
    title.font = Font(bold=True, size=11)
    header_fill = PatternFill(fill_type="solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    for j, name in enumerate(block.header):
        cell = _text_cell(ws, placed.header_row + 1, j + 1, name)
        cell.font = Font(bold=True, size=10)
        cell.fill = header_fill
        cell.border = _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    link_col = block.header.index(block.link_column) if block.link_column in block.header else None
    for i, values in enumerate(block.rows[:fit]):
        r = placed.first_row + i + 1
        is_total = block.total_row and i == len(block.rows) - 1
        severity = block.severity[i] if block.severity else None
        link = block.links[i] if block.links and link_col is not None else None
        for j in range(len(block.header)):
            value = values[j] if j < len(values) else None
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                value = dt.datetime(value.year, value.month, value.day)
            cell = _text_cell(ws, r, j + 1, None if value == "" else value)
            fmt = number_format(block, j, values[j] if j < len(values) else None)
            if fmt:
                cell.number_format = fmt
            colour = SEVERITY_COLOURS.get(severity or "")
            font = {"bold": is_total, "size": 10}
            if colour:
                cell.fill = PatternFill(fill_type="solid", start_color=colour[0], end_color=colour[0])
                font["color"] = colour[1]
            if link and j == link_col and links_left[0] > 0 and cell_text(link) == link:
                target, location = _link(link, local_path)
                cell.hyperlink = Hyperlink(ref=cell.coordinate, target=target or None,
                                           location=location or None,
                                           tooltip="打开台账中的这个单元格")
                links_left[0] -= 1
                font.update(color=LINK_COLOUR, underline="single")
            cell.font = Font(**font)
            cell.border = _TOTAL_BOX if is_total else _BOX
            cell.alignment = Alignment(vertical="center",
                                       wrap_text=j in wrap and isinstance(value, str))


def _chart(ws: Worksheet, placed: Placed) -> BarChart | None:
    block, spec = placed.block, placed.block.chart
    if not spec or block.data_rows == 0:
        return None
    chart = BarChart()
    chart.type = "bar" if spec.get("kind") == "bar" else "col"
    chart.title = spec.get("title")
    first, last = placed.first_row + 1, placed.first_row + block.data_rows
    cat = block.header.index(spec["category"]) + 1
    percent = False
    for name in spec["values"]:
        j = block.header.index(name) + 1
        percent = percent or block.format_of(j - 1) == "percent"
        chart.add_data(Reference(ws, min_col=j, min_row=placed.header_row + 1, max_row=last),
                       titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=cat, min_row=first, max_row=last))
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.numFmt = "0%" if percent else "#,##0"
    if percent:
        chart.y_axis.scaling.min = 0
    if chart.type == "bar":
        chart.x_axis.scaling.orientation = "maxMin"
    if len(spec["values"]) == 1:
        chart.legend = None
    size = chart_size(block.data_rows, spec.get("kind", "column"))
    chart.width, chart.height = size["width"] / 37.8, size["height"] / 37.8  # px → cm
    return chart


def write_sheet_openpyxl(wb: Workbook, sheet: ReportSheet, local_path: str | Path | None = None
                         ) -> tuple[Worksheet, int]:
    """One report sheet at the end of the workbook; returns it and how many charts it has."""
    ws = wb.create_sheet(sheet.name)
    widths, wrap = column_layout(sheet)
    for j, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = width
    title = _text_cell(ws, SHEET_TITLE_ROW + 1, 1, sheet.title or sheet.name)
    title.font = Font(bold=True, size=14)
    placed = layout(sheet)
    charts = 0
    links_left = [EXCEL_LINKS]
    for p in placed:
        _write_block(ws, p, wrap, local_path, links_left)
        for row, height in row_heights(p, widths, wrap).items():
            if row < EXCEL_ROWS:
                ws.row_dimensions[row + 1].height = height
        chart = _chart(ws, p)
        if chart is not None:
            ws.add_chart(chart, f"{get_column_letter(p.width + 2)}{p.title_row + 1}")
            charts += 1
    if sheet.freeze_block is not None and sheet.freeze_block < len(placed):
        header_row = placed[sheet.freeze_block].header_row + 1
        ws.freeze_panes = f"A{header_row + 1}"
        ws.print_title_rows = f"{header_row}:{header_row}"
    if sheet.sign_off and placed and max(p.last_row for p in placed) + 3 <= EXCEL_ROWS:
        ws.cell(row=max(p.last_row for p in placed) + 3, column=1, value=SIGN_OFF).font = Font(bold=True)
    header, footer = page_header_footer(sheet)
    ws.oddHeader.left.text, ws.oddHeader.right.text = _margin_parts(header)
    ws.oddFooter.left.text, ws.oddFooter.right.text = _margin_parts(footer)
    if sheet.filter_block is not None and sheet.filter_block < len(placed):
        p = placed[sheet.filter_block]
        ws.auto_filter.ref = (f"A{p.header_row + 1}:{get_column_letter(p.width)}"
                              f"{min(max(p.last_row, p.header_row) + 1, EXCEL_ROWS)}")
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    return ws, charts


def _margin_parts(codes: str) -> tuple[str, str]:
    """`&Lleft&Rright` (XlsxWriter's form) as openpyxl's left and right parts."""
    left, _, right = codes.removeprefix("&L").partition("&R")
    return left, right


# ---- the copy -----------------------------------------------------------------------------


def refuse_overwrite(ledger_path: Path, out_path: Path) -> None:
    if ledger_path.suffix.lower() == ".xls":
        raise InputError("旧版 .xls 工作簿无法加批注，请先在Excel中“另存为” .xlsx 再运行 / "
                         f".xls cannot be annotated, save it as .xlsx first: {ledger_path}")
    if ledger_path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"只能为 .xlsx / .xlsm 工作簿加批注 / only .xlsx or .xlsm: {ledger_path}")
    if _same_file(ledger_path, out_path):
        raise InputError("输出文件不能是原台账本身（原表只读）/ "
                         f"--out must not be the ledger itself: {out_path}")
    if ledger_path.suffix.lower() == ".xlsm" and out_path.suffix.lower() != ".xlsm":
        raise InputError("含宏的 .xlsm 工作簿，副本也须保存为 .xlsm / "
                         f"the copy of an .xlsm must be .xlsm too: {out_path}")
    if ledger_path.suffix.lower() == ".xlsx" and out_path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"副本须为 .xlsx 文件 / the copy must be an .xlsx file: {out_path}")


# openpyxl keeps every written cell as an object (≈ 0.5 KB with its style): past this many the
# copy would take more memory than a check is allowed (2 GiB). The report workbook has no
# such bound; the copy of a register of 100,000 rows × 20 columns is still made.
ANNOTATE_MAX_CELLS = 2_000_000


def annotated_bytes(ledger_path: str | Path, checked: Checked) -> tuple[bytes, list[str]]:
    """The annotated copy in memory, and the notices about what it could not keep."""
    source = Path(ledger_path)
    _refuse_too_big(source)
    keep_vba = source.suffix.lower() == ".xlsm"
    try:
        wb = load_workbook(source, keep_vba=keep_vba, keep_links=True, rich_text=True)
    except Exception as exc:  # openpyxl raises many types for files it cannot parse
        raise InputError(f"无法用openpyxl打开，不能加批注（{type(exc).__name__}）/ "
                         f"cannot open for annotation: {source}") from exc
    before = census(source)
    notices: list[str] = []
    for name in REPORT_SHEETS:  # a copy annotated before: its old report is replaced
        if name in wb.sheetnames:
            del wb[name]
            notices.append(f"已替换原有的“{name}”工作表 / replaced the earlier {name} sheet")
    mark_cells(wb, cell_messages(checked.result.findings, source))
    _mark_as_copy(wb, source)
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    added: Counter = Counter()
    first_report = None
    for sheet in build_report(checked):
        ws, charts = write_sheet_openpyxl(wb, sheet, local_path=source)
        added["图表 charts"] += charts
        first_report = first_report or ws
    if first_report is not None:
        wb.active = wb.worksheets.index(first_report)
        first_report.sheet_view.tabSelected = True
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    notices.extend(losses(before, census(data), added))
    return data, notices


def _refuse_too_big(source: Path) -> None:
    from ..read.limits import active
    from ..read.zip_scan import cells_present

    cells = cells_present(source, active())
    if cells > ANNOTATE_MAX_CELLS:
        raise InputError(f"工作簿太大，无法生成标记副本（{cells:,} 个单元格，上限 {ANNOTATE_MAX_CELLS:,}）；"
                         f"请用 check --report 生成核对报告 / too large to annotate: {source}")


def _mark_as_copy(wb: Any, source: Path) -> None:
    """Name the original in a custom document property, so a later run over the folder
    knows this workbook is a copy and does not count its ledgers twice."""
    from openpyxl.packaging.custom import StringProperty

    props = wb.custom_doc_props
    for prop in list(props.props):
        if prop.name == COPY_MARKER:
            props.props.remove(prop)
    props.append(StringProperty(name=COPY_MARKER, value=source.name))


def annotate(ledger_path: str | Path, out_path: str | Path, checked: Checked) -> list[str]:
    """Write the annotated copy of `ledger_path` to `out_path` (atomically; an existing file
    there is kept as a backup). Returns one line per thing the copy could not keep."""
    source, target = Path(ledger_path), Path(out_path)
    refuse_overwrite(source, target)
    data, notices = annotated_bytes(source, checked)
    write_bytes_atomic(target, data)
    return notices


def default_out_path(ledger_path: str | Path) -> Path:
    """`台账.xlsx` → `台账-核对.xlsx` beside it."""
    source = Path(ledger_path)
    return source.with_name(f"{source.stem}-核对{source.suffix}")


def marked_cells(findings: list[Finding], ledger_path: str | Path) -> int:
    """How many cells of this ledger workbook the findings mark."""
    return len({(f.sheet, f.row, f.column) for f in findings
                if f.row is not None and f.column and _same_file(f.path or "", ledger_path)})
