"""workbooks/后勤台账模板.xlsm: an empty ledger set with the standard headers, and a 操作
sheet carrying the same buttons as the ribbon, for bursars who prefer buttons on a sheet.

openpyxl lays out the sheets; pyOpenVBA draws the Forms buttons (with their macros) and
writes the VBA project from macros/*.bas, the very sources the add-in is built from.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path

from ..errors import InputError
from ..ledgers.schemas import load_schemas
from ..outputs.safe_write import write_bytes_atomic
from .addin import SHEET_MACROS, ribbon_buttons, vba_sources, write_vba
from .vbaproject import normalise_project_stream

TEMPLATE_NAME = "后勤台账模板.xlsm"
BUTTON_SHEET = "操作"

_R_NS = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_MAIN_XLSX = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MAIN_XLSM = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"

# Where the buttons sit on the 操作 sheet, in points.
_BUTTON_LEFT, _BUTTON_TOP, _BUTTON_WIDTH, _BUTTON_HEIGHT, _BUTTON_GAP = 24, 130, 130, 34, 12

_INSTRUCTIONS = [
    "后勤台账 · 操作",
    "把本校的台账填入后面各表（表头不要改动；可以在表头上方加标题行）。",
    "点击下面的按钮：校验台账 → 写出“校验报告”并标出有问题的单元格；对账 → 写出“对账结果”；",
    "汇总 → 生成数据透视表；清除标记 → 恢复单元格原来的样子；月度对账 → 以上全部，并把报告保存在本文件旁边。",
    "需要先安装 Python、houqin-xl 和 xlwings 加载项（见说明文档 docs/excel.md）。台账数据不会被改动。",
]

_WIDTH_BY_TYPE = {"money": 14, "quantity": 10, "date": 12, "text": 14}
_FORMAT_BY_TYPE = {"money": "#,##0.00", "quantity": "#,##0.##", "date": "yyyy-mm-dd"}


def _layout(path: Path) -> None:
    """The sheets, headers and instructions, written with openpyxl."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = BUTTON_SHEET
    sheet.sheet_view.showGridLines = False
    for row, text in enumerate(_INSTRUCTIONS, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = Font(bold=row == 1, size=16 if row == 1 else 11)
    sheet.column_dimensions["A"].width = 110

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for schema in load_schemas().values():
        ledger = book.create_sheet(schema.title)
        for col, spec in enumerate(schema.fields, start=1):
            cell = ledger.cell(row=1, column=col, value=spec.header)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center")
            letter = get_column_letter(col)
            ledger.column_dimensions[letter].width = max(
                _WIDTH_BY_TYPE.get(spec.type, 12), 2 * len(spec.header) + 4)
            number_format = _FORMAT_BY_TYPE.get(spec.type)
            if number_format:
                # Format the empty data rows too, so what the bursar types shows as money/dates.
                for row in range(2, 501):
                    ledger.cell(row=row, column=col).number_format = number_format
        ledger.freeze_panes = "A2"
    book.save(path)


def _rewrite(path: Path, edit) -> None:
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            dst.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), edit(name, data),
                         compress_type=zipfile.ZIP_DEFLATED)
    os.replace(tmp, path)


def _declare_relationship_namespace(name: str, data: bytes) -> bytes:
    # openpyxl leaves xmlns:r off a worksheet that has no relationship yet; the drawing
    # reference added for the buttons needs it, or readers drop the drawing.
    if name.startswith("xl/worksheets/sheet") and name.endswith(".xml") and _R_NS not in data:
        return data.replace(b"<worksheet ", b"<worksheet " + _R_NS + b" ", 1)
    return data


def _finish_package(name: str, data: bytes) -> bytes:
    if name == "[Content_Types].xml":
        # An .xlsm whose workbook part still says .xlsx is refused by Excel.
        return data.replace(_MAIN_XLSX, _MAIN_XLSM)
    if name.endswith(".vml"):
        # Excel writes a button's caption inside a <font>; LibreOffice reads it only there.
        return re.sub(rb"(<div style='text-align:center'>)([^<]*)(</div>)",
                      rb'\1<font face="Microsoft YaHei" size="220" color="#000000">\2</font>\3', data)
    return data


_NOT_XLSM = {".xlsx", ".xls", ".xlsb", ".xltx", ".xltm", ".xlam", ".et", ".ett", ".csv", ".ods",
             ".xml", ".htm", ".html", ".json"}


def build_template(out: Path) -> Path:
    """Build the template workbook at `out` (a .xlsm path, or a folder to put it in)."""
    from pyopenvba.apps.excel import ExcelApplication

    out = Path(out)
    if out.suffix.lower() in _NOT_XLSM or (out.suffix and out.is_file()):
        # Excel refuses a macro workbook saved under another extension ("file format or
        # extension is not valid"), and a folder called 模板.xlsx is worse: say so instead.
        raise InputError(
            f"模板带按钮和宏，文件名须以 .xlsm 结尾，例如 {out.with_suffix('.xlsm').name} / "
            f"the template holds macros: give a .xlsm name or a folder, not {out.name}")
    if out.suffix.lower() != ".xlsm":
        out = out / TEMPLATE_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    labels = {button.tag: button.label for button in ribbon_buttons()}
    with tempfile.TemporaryDirectory() as tmp:
        laid_out = Path(tmp) / "layout.xlsx"
        _layout(laid_out)
        _rewrite(laid_out, _declare_relationship_namespace)
        app = ExcelApplication.open(laid_out, with_vba=False)
        sheet = app.sheet(BUTTON_SHEET)
        for i, (tag, macro) in enumerate(SHEET_MACROS.items()):
            sheet.add_button(
                name=f"btn_{tag}", left=_BUTTON_LEFT + i * (_BUTTON_WIDTH + _BUTTON_GAP),
                top=_BUTTON_TOP, width=_BUTTON_WIDTH, height=_BUTTON_HEIGHT,
                text=labels[tag], macro=macro)
        staged = Path(tmp) / "template.xlsm"
        app.save(staged)
        write_vba(staged, vba_sources())
        normalise_project_stream(staged)
        _rewrite(staged, _finish_package)
        write_bytes_atomic(out, staged.read_bytes(), backup=False)
    out.chmod(0o644)  # a shared template, not a private temporary file
    return out
