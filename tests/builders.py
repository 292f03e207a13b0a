"""Write real test workbooks on disk, with the mess bursars put in them.

Every helper takes the same description of a workbook so a test can write one layout as
.xlsx (openpyxl), .xlsx with cached formula values (XlsxWriter), .xlsm and old .xls (xlwt)
and check that every reader sees the same ledger:

    sheets = {"固定资产台账": [["XX小学固定资产台账"], ["资产编号", "资产名称", ...], [...]]}
    write_xlsx(tmp_path / "a.xlsx", sheets,
               merges={"固定资产台账": ["A1:H1"]}, hidden_rows={"固定资产台账": [5]})

Rows are lists of cell values; row 1 of the list is Excel row 1. `None` leaves a cell empty.
A `Formula("=E5*F5", 1200)` cell is written as a formula with its cached value (only XlsxWriter
and xlwt can store the cached value; openpyxl would leave it empty, so `write_xlsx` switches
to XlsxWriter when a sheet holds one). An Excel error is the string itself: "#REF!".
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from houqin_xl.check import Checked, check
from houqin_xl.config import Config, load_config
from houqin_xl.findings import Finding
from houqin_xl.read import read_paths
from houqin_xl.read.grid import parse_range

Sheets = Mapping[str, Sequence[Sequence[Any]]]
PerSheet = Mapping[str, Iterable[Any]] | None

EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")


@dataclass(frozen=True)
class Formula:
    """A formula cell and the value Excel last computed for it (what the bursar sees)."""

    formula: str
    value: Any


# ---- writers ------------------------------------------------------------------------------


def write_xlsx(path: str | Path, sheets: Sheets, merges: PerSheet = None,
               hidden_rows: PerSheet = None, hidden_sheets: Iterable[str] = (),
               engine: str | None = None) -> Path:
    """An .xlsx workbook; `engine` 'openpyxl' or 'xlsxwriter' (default: openpyxl unless a
    Formula is present, whose cached value only XlsxWriter writes)."""
    path = Path(path)
    has_formula = any(isinstance(v, Formula) for rows in sheets.values() for r in rows for v in r)
    engine = engine or ("xlsxwriter" if has_formula else "openpyxl")
    if engine == "xlsxwriter":
        _write_xlsxwriter(path, sheets, merges or {}, hidden_rows or {}, set(hidden_sheets))
    elif engine == "openpyxl":
        if has_formula:
            raise ValueError("openpyxl cannot store a formula's cached value: use xlsxwriter")
        _write_openpyxl(path, sheets, merges or {}, hidden_rows or {}, set(hidden_sheets))
    else:
        raise ValueError(f"unknown engine {engine!r}")
    return path


def _write_openpyxl(path: Path, sheets: Sheets, merges: Mapping, hidden: Mapping,
                    hidden_sheets: set[str]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, dt.datetime | dt.date):
                    cell.number_format = "yyyy-mm-dd"
        for ref in merges.get(name, []):
            ws.merge_cells(ref)
        for r in hidden.get(name, []):
            ws.row_dimensions[r].hidden = True
        if name in hidden_sheets:
            ws.sheet_state = "hidden"
    wb.save(path)


def _write_xlsxwriter(path: Path, sheets: Sheets, merges: Mapping, hidden: Mapping,
                      hidden_sheets: set[str]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _xlsxwriter_cell(ws, r, c, value, date_format)
        for ref in merges.get(name, []):
            top, left, bottom, right = parse_range(ref)
            value = rows[top - 1][left - 1] if top - 1 < len(rows) and left - 1 < len(rows[top - 1]) else None
            if isinstance(value, Formula):
                raise ValueError("a merged range's value must be a plain value in these tests")
            if isinstance(value, dt.datetime | dt.date):
                ws.merge_range(top - 1, left - 1, bottom - 1, right - 1, "")
                ws.write_datetime(top - 1, left - 1, _as_datetime(value), date_format)
            else:
                ws.merge_range(top - 1, left - 1, bottom - 1, right - 1, value)
        for r in hidden.get(name, []):
            ws.set_row(r - 1, None, None, {"hidden": True})
        if name in hidden_sheets:
            ws.hide()
    wb.close()


def _as_datetime(value: dt.date) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)


def _xlsxwriter_cell(ws: Any, r: int, c: int, value: Any, date_format: Any) -> None:
    if value is None:
        return
    if isinstance(value, Formula):
        ws.write_formula(r, c, value.formula, None, value.value)
    elif isinstance(value, dt.datetime | dt.date):
        ws.write_datetime(r, c, _as_datetime(value), date_format)
    elif isinstance(value, str) and value in EXCEL_ERRORS:
        # An error cell as Excel saves it: a formula whose cached result is the error.
        ws.write_formula(r, c, "=1/0" if value == "#DIV/0!" else "=#REF!", None, value)
    elif isinstance(value, str):
        ws.write_string(r, c, value)
    else:
        ws.write(r, c, value)


def write_xlsm(path: str | Path, sheets: Sheets, merges: PerSheet = None,
               hidden_rows: PerSheet = None) -> Path:
    """A macro-enabled workbook: an .xlsx whose workbook part carries the macro content type."""
    path = Path(path)
    buffer = io.BytesIO()
    plain = path.with_suffix(".tmp.xlsx")
    write_xlsx(plain, sheets, merges, hidden_rows)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
                assert b"macroEnabled" in data
            dst.writestr(item, data)
    plain.unlink()
    path.write_bytes(buffer.getvalue())
    return path


def write_xls(path: str | Path, sheets: Sheets, merges: PerSheet = None,
              hidden_rows: PerSheet = None) -> Path:
    """An old-format .xls (BIFF8) with xlwt: merges, hidden rows, real dates, error cells."""
    import xlwt

    path = Path(path)
    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    merges, hidden = merges or {}, hidden_rows or {}
    error_codes = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17,
                   "#NAME?": 0x1D, "#NUM!": 0x24, "#N/A": 0x2A}
    for name, rows in sheets.items():
        ws = wb.add_sheet(name, cell_overwrite_ok=True)
        merged_cells: set[tuple[int, int]] = set()
        for ref in merges.get(name, []):
            top, left, bottom, right = parse_range(ref)
            merged_cells |= {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)
                             if (r, c) != (top, left)}
            value = rows[top - 1][left - 1] if left - 1 < len(rows[top - 1]) else None
            style = date_style if isinstance(value, dt.date) else xlwt.Style.default_style
            ws.write_merge(top - 1, bottom - 1, left - 1, right - 1, _xls_value(value), style)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or (r + 1, c + 1) in merged_cells:
                    continue
                if any(parse_range(ref)[:2] == (r + 1, c + 1) for ref in merges.get(name, [])):
                    continue
                if isinstance(value, str) and value in error_codes:
                    ws.row(r).set_cell_error(c, error_codes[value])
                elif isinstance(value, Formula):
                    ws.write(r, c, _xls_value(value.value))  # xlwt cannot cache a result
                elif isinstance(value, dt.date):
                    ws.write(r, c, _as_datetime(value), date_style)
                else:
                    ws.write(r, c, value)
        for r in hidden.get(name, []):
            ws.row(r - 1).hidden = True
    wb.save(str(path))
    return path


def _xls_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return _as_datetime(value)
    return "" if value is None else value


def write_workbook(path: str | Path, sheets: Sheets, merges: PerSheet = None,
                   hidden_rows: PerSheet = None) -> Path:
    """Whichever format the file name asks for: .xlsx, .xlsm or .xls."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xls":
        return write_xls(path, sheets, merges, hidden_rows)
    if suffix == ".xlsm":
        return write_xlsm(path, sheets, merges, hidden_rows)
    return write_xlsx(path, sheets, merges, hidden_rows)


def encrypt(source: str | Path, target: str | Path, password: str = "1234") -> Path:
    """The workbook with an open password, as Excel's 'Encrypt with password' saves it."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(source, "rb") as fin, open(target, "wb") as fout:
        OOXMLFile(fin).encrypt(password, fout)
    return Path(target)


# ---- running a check ----------------------------------------------------------------------


def run(*paths: str | Path, period: str | None = "2026-11", config: Config | None = None,
        config_path: str | Path | None = None) -> Checked:
    """Read the workbooks and run THE entry point, as the CLI does."""
    if config is None:
        config = load_config(config_path, beside=[Path(p) for p in paths])
    return check(read_paths(paths), config, period)


def errors(checked: Checked) -> list[Finding]:
    return [f for f in checked.result.findings if f.severity == "error"]


def warnings(checked: Checked) -> list[Finding]:
    return [f for f in checked.result.findings if f.severity == "warning"]


def cells(checked: Checked, kinds: Iterable[str] | None = None) -> set[tuple[str, int, str, str]]:
    """(sheet, row, column, kind) of every finding that points at a cell."""
    wanted = set(kinds) if kinds is not None else None
    return {
        (f.sheet, f.row, f.column, f.kind) for f in checked.result.findings
        if f.row is not None and (wanted is None or f.kind in wanted)
    }


def describe(findings: Iterable[Finding]) -> str:
    """Findings as lines, for assertion messages a person can read."""
    return "\n".join(f"{f.sheet}!{f.column}{f.row} {f.kind} {f.severity}: {f.message}" for f in findings)


def ledger(checked: Checked, name: str) -> Any:
    """The one TypedLedger of that name (fails if there is not exactly one)."""
    found = [t for t in checked.ledgers if t.name == name]
    assert len(found) == 1, f"expected one {name}, found {[t.ledger.sheet for t in found]}"
    return found[0]


# ---- consistent ledgers, tidy -------------------------------------------------------------
# Each returns (header, rows): a small ledger that agrees with itself and with the others.

FA_HEADER = ["资产编号", "资产名称", "资产分类", "规格型号", "计量单位", "数量", "单价", "原值",
             "取得日期", "使用部门", "存放地点", "保管人", "使用状况", "累计折旧", "净值", "备注"]


def fixed_asset_rows() -> list[list[Any]]:
    """A register whose 累计折旧 is right at 2026-11 (LEDGERS.md: straight line from the month
    of acquisition, no residual): 台式电脑 4800 × 27/72, 投影仪 7000 × 21/72, 钢琴 (专用设备,
    文艺设备 5 years) 12000 × 42/60, 办公桌 (家具 15 years) 8000 × 52/180; books none."""
    return [
        ["A001", "台式电脑", "通用设备", "联想M720", "台", 1, 4800, 4800, dt.date(2024, 9, 1),
         "教务处", "二楼办公室", "张老师", "在用", 1800, 3000, None],
        ["A002", "投影仪", "通用设备", "爱普生CB", "台", 2, 3500, 7000, dt.date(2025, 3, 15),
         "教务处", "三年级一班", "李老师", "在用", 2041.67, 4958.33, None],
        ["A003", "钢琴", "专用设备", "珠江", "台", 1, 12000, 12000, dt.date(2023, 6, 20),
         "音乐组", "音乐教室", "王老师", "在用", 8400, 3600, None],
        ["A004", "图书一批", "图书档案", None, "册", 500, 30, 15000, dt.date(2025, 9, 1),
         "图书室", "图书室", "赵老师", "在用", 0, 15000, None],
        ["A005", "办公桌", "家具用具装具及动植物", None, "张", 10, 800, 8000, dt.date(2022, 8, 30),
         "总务处", "办公室", "钱老师", "在用", 2311.11, 5688.89, "批量购置"],
        ["A006", "旧电脑", "通用设备", None, "台", 1, 5000, 5000, dt.date(2015, 9, 1),
         "总务处", "仓库", "钱老师", "已报废", 5000, 0, None],
    ]


GL_HEADER = ["资产分类", "数量", "期末余额"]


def gl_rows() -> list[list[Any]]:
    """Agrees with fixed_asset_rows() less the disposed asset."""
    return [["通用设备", 3, 11800], ["专用设备", 1, 12000], ["图书档案", 500, 15000],
            ["家具用具装具及动植物", 10, 8000]]


COUNT_HEADER = ["资产编号", "资产名称", "实际存放地点", "实盘数量", "盘点人", "盘点日期"]


def count_rows() -> list[list[Any]]:
    d = dt.date(2026, 11, 20)
    return [["A001", "台式电脑", "二楼办公室", 1, "孙", d], ["A002", "投影仪", "三年级一班", 2, "孙", d],
            ["A003", "钢琴", "音乐教室", 1, "孙", d], ["A004", "图书一批", "图书室", 500, "孙", d],
            ["A005", "办公桌", "办公室", 10, "孙", d]]


STOCK_TOP = ["日期", "单据号", "物品名称", "规格", "单位", "摘要", "入库", None, None, "出库", None,
             "结存", "领用部门", "领用人"]
STOCK_SUB = [None, None, None, None, None, None, "数量", "单价", "金额", "数量", "金额", "数量",
             None, None]
STOCK_MERGES = ["A{h}:A{s}", "B{h}:B{s}", "C{h}:C{s}", "D{h}:D{s}", "E{h}:E{s}", "F{h}:F{s}",
                "G{h}:I{h}", "J{h}:K{h}", "M{h}:M{s}", "N{h}:N{s}"]
STOCK_FLAT = ["日期", "单据号", "物品名称", "规格", "单位", "摘要", "入库数量", "入库单价", "入库金额",
              "出库数量", "出库金额", "结存数量", "领用部门", "领用人"]


def stock_merges(header_row: int) -> list[str]:
    """The merges of a two-level stock header whose top row is `header_row`."""
    return [m.format(h=header_row, s=header_row + 1) for m in STOCK_MERGES]


def stock_rows() -> list[list[Any]]:
    return [
        [dt.date(2026, 11, 1), None, "A4纸", "70g", "包", "期初结存", None, None, None, None, None, 20,
         None, None],
        [dt.date(2026, 11, 3), "RK001", "A4纸", "70g", "包", "购入", 50, 25, 1250, None, None, 70,
         None, "周"],
        [dt.date(2026, 11, 5), "LY001", "A4纸", "70g", "包", "领用", None, None, None, 30, 750, 40,
         "教务处", "吴"],
        [dt.date(2026, 11, 6), "RK002", "中性笔", "0.5mm", "支", "购入", 100, 1.5, 150, None, None,
         100, None, "周"],
        [dt.date(2026, 11, 9), "LY002", "中性笔", "0.5mm", "支", "领用", None, None, None, 40, 60, 60,
         "三年级组", "郑"],
    ]


FEES_HEADER = ["学期", "年级", "班级", "学号", "姓名", "收费项目", "应收金额", "减免金额", "实收金额",
               "退费金额", "票据号", "缴费日期", "收款人", "备注"]


def fee_rows() -> list[list[Any]]:
    d1, d2 = dt.date(2026, 11, 3), dt.date(2026, 11, 4)
    return [
        ["2026秋", "三年级", "三(1)班", "S001", "张三", "作业本费", 60, 0, 60, 0, "B0001", d1, "陈", None],
        ["2026秋", "三年级", "三(1)班", "S002", "李四", "作业本费", 60, 0, 60, 0, "B0002", d1, "陈", None],
        ["2026秋", "三年级", "三(1)班", "S003", "王五", "作业本费", 60, 60, 0, 0, None, None, "陈", "特困减免"],
        ["2026秋", "三年级", "三(1)班", "S004", "赵六", "作业本费", 60, 0, 0, 0, None, None, None, "欠费"],
        ["2026秋", "三年级", "三(1)班", "S001", "张三", "保险费", 100, 0, 100, 0, "B0003", d2, "陈", None],
    ]


STANDARDS_HEADER = ["收费项目", "年级", "收费标准", "批准文号"]


def standard_rows() -> list[list[Any]]:
    return [["作业本费", "三年级", 60, "X价〔2026〕1号"], ["保险费", "全部", 100, "X价〔2026〕2号"]]


DEPOSITS_HEADER = ["缴款日期", "缴款金额", "缴款单号", "备注"]


def deposit_rows() -> list[list[Any]]:
    return [[dt.date(2026, 11, 3), 120, "JK001", None], [dt.date(2026, 11, 4), 100, "JK002", None]]


def tidy_sheets() -> dict[str, list[list[Any]]]:
    """All seven ledgers, each as a plain table on its own sheet, consistent throughout."""
    return {
        "固定资产台账": [FA_HEADER, *fixed_asset_rows()],
        "总账": [GL_HEADER, *gl_rows()],
        "盘点表": [COUNT_HEADER, *count_rows()],
        "出入库": [STOCK_FLAT, *stock_rows()],
        "收费台账": [FEES_HEADER, *fee_rows()],
        "收费标准": [STANDARDS_HEADER, *standard_rows()],
        "缴款": [DEPOSITS_HEADER, *deposit_rows()],
    }


def column_of(header: Sequence[Any], name: str) -> str:
    """The Excel column letter of a header name in a header row."""
    from houqin_xl.read.grid import column_letter

    return column_letter(list(header).index(name) + 1)


# ---- consistent ledgers, laid out the way bursars really keep them ------------------------


def serial(day: dt.date) -> int:
    """The Excel serial number of a date (what a date cell holds once its format is lost)."""
    return (day - dt.date(1899, 12, 30)).days


@dataclass
class Book:
    """A workbook description: sheets, merged ranges and hidden rows per sheet."""

    sheets: dict[str, list[list[Any]]]
    merges: dict[str, list[str]]
    hidden: dict[str, list[int]]

    def write(self, path: str | Path) -> Path:
        return write_workbook(path, self.sheets, self.merges, self.hidden)

    def write_folder(self, folder: str | Path, suffix: str = ".xlsx") -> Path:
        """One workbook per sheet in a folder, as some offices keep them."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for i, name in enumerate(self.sheets):
            write_workbook(folder / f"台账{i + 1}{suffix}", {name: self.sheets[name]},
                           {name: self.merges.get(name, [])}, {name: self.hidden.get(name, [])})
        return folder

    def set(self, sheet: str, cell: str, value: Any) -> None:
        """Seed one cell (a defect) at an Excel address such as 'H8'."""
        row, col, _, _ = parse_range(cell)
        rows = self.sheets[sheet]
        while len(rows) < row:
            rows.append([])
        line = rows[row - 1]
        while len(line) < col:
            line.append(None)
        line[col - 1] = value


def messy_book() -> Book:
    """All seven ledgers, consistent with one another, laid out with every mess in LEDGERS.md.

    Sheet names say nothing ('Sheet1'…): ledgers are recognised by their headers. The sheet
    '说明' is not a ledger and must be ignored.
    """
    nov = [dt.date(2026, 11, d) for d in range(1, 31)]
    fa = [
        ["XX小学固定资产台账（2026年11月）"] + [None] * 15,
        ["单位：元"] + [None] * 12 + ["XX市XX小学"],
        [],
        [" 资产 编码", "品名", "资产类别", "规格型号", "计量单位", "数量", "单价\n(元)", "原值（元）",
         "购置日期", "使用部门", "存放地点", "使用人", "使用状态", "累计折旧", "账面净值", "备注"],
        ["A001", "台式电脑", "2", "联想M720", "台", "1", "4,800.00", "¥4800", "2024.9.1", "教务处",
         "二楼办公室", "张老师", "在用", "1800元", "３０００", None],
        ["A002", "投影仪", "2 通用设备", "爱普生CB", "台", " 2 ", "￥3500", Formula("=F6*G6", 7000),
         serial(dt.date(2025, 3, 15)), None, "三年级一班", "李老师", "在用", "2,041.67", "4,958.33", None],
        [],
        ["A003", "钢琴", "专用设备", "珠江", "台", 1, 12000, Formula("=F8*G8", 12000), "2023年6月20日",
         "音乐组", "音乐教室", "王老师", "在用", 8400, Formula("=H8-N8", 3600), None],
        [None, "小计", None, None, None, 4, None, Formula("=SUM(H5:H8)", 23800), None, None, None,
         None, None, 12241.67, 11558.33, None],
        ["A004", "图书一批", "5-图书档案", None, "册", 500, 30, 15000, "20250901", "图书室", "图书室",
         "赵老师", "在用", "-", 15000, None],
        ["A005", "办公桌", "家具用具装具及动植物", None, "张", 10, 800, 8000, "2022/08/30", "总务处",
         "办公室", "钱老师", "在用", 2311.11, 5688.89, "批量购置"],
        ["A006", "旧电脑", "通用设备", None, "台", 1, 5000, 5000, dt.date(2015, 9, 1), "总务处",
         "仓库", None, "已报废", 5000, 0, None],
        [None, "小计", None, None, None, 511, None, 28000, None, None, None, None, None, 7311.11,
         20688.89],
        ["合计", None, None, None, None, 515, None, 51800, None, None, None, None, None, 19552.78,
         32247.22],
        ["本年累计", None, None, None, None, 999, None, 99999.99],
        [],
        ["制表人：张三", None, None, "审核：李四", None, None, None, "日期：2026年11月30日"],
    ]
    gl = [
        ["资产分类汇总表"], ["单位：万元"],
        ["科目", "数量", "余额"],
        ["通用设备", 3, 1.18], ["专用设备", 1, "1.20"], ["图书档案", 500, 1.5],
        ["家具用具装具及动植物", "10", 0.8],
        ["合计", 514, 4.68],
    ]
    count = [
        ["2026年资产清查盘点表"],
        ["编号", "名称", "存放地点", "盘点数量", "清查人", "日期"],
        ["A001", "台式电脑", "二楼办公室", "1", "孙", "2026/11/20"],
        ["A002", "投影仪", "三年级一班", 2, None, "2026-11-20"],
        ["A003", "钢琴", "音乐教室", "１", None, nov[19]],
        ["A004", "图书一批", "图书室", 500, None, serial(nov[19])],
        ["A005", "办公桌", "办公室", 10, None, "20261120"],
        ["合计", None, None, 514],
        ["盘点负责人：孙", None, "监盘人：周"],
    ]
    stock = [
        ["XX小学物资出入库登记（2026年11月）"] + [None] * 13,
        ["单位：元"],
        STOCK_TOP, STOCK_SUB,
        ["2026.11.1", None, "A4纸", "70g", "包", "期初结存", None, None, None, None, None, 20, None, None],
        ["2026.11.3", "RK001", None, "70g", "包", "购入", "50", "25.00", Formula("=G6*H6", 1250),
         None, None, 70, None, "周"],
        ["2026.11.5", "LY001", None, "70g", "包", "领用", None, None, None, 30, "750", 40, "教务处", "吴"],
        [nov[5], "RK002", "中性笔", "0.5mm", "支", "购入", 100, "¥1.50", 150, None, None, 100, None, "周"],
        [serial(nov[8]), "LY002", "中性笔", "0.5mm", "支", "领用", None, None, None, 40, 60, 60,
         "三年级组", "郑"],
        [None, None, "本月合计", None, None, None, 150, None, 1400, 70, 810],
        ["制表人：王", None, None, "审核：李"],
    ]
    fees = [
        ["2026年秋季学期代收费登记"] + [None] * 13,
        [],
        ["学期", "年级", "班级", "学号", "学生姓名", "收费项目", "应缴金额", "减免", "实缴金额", "退费",
         "收据号", "收费日期", "经手人", "备注"],
        ["2026秋", "三年级", "三(1)班", "S001", "张三", "作业本费", "¥60", 0, "60元", None, "B0001",
         serial(nov[2]), "陈", None],
        [None, None, None, "S002", "李四", "作业本费", 60, None, "６０", None, "B0002", "2026年11月3日",
         "陈", None],
        [None, None, None, "S003", "王五", "作业本费", 60, 60, 0, None, None, None, "陈", "特困减免"],
        [None, None, None, "S004", "赵六", "作业本费", 60, None, "-", None, None, None, None, "欠费"],
        [None, None, None, "S001", "张三", "保险费", "100.00", 0, 100, 0, "B0003", "2026-11-4", "陈", None],
        ["合计", None, None, None, None, None, 340, 60, 220, 0],
    ]
    standards = [["2026年秋季收费标准"], ["项目", "适用年级", "标准", "依据"],
                 ["作业本费", "三年级", "60.00", "X价〔2026〕1号"], ["保险费", "全部", "¥100", None]]
    deposits = [["银行缴款登记"], ["日期", "金额", "单号", "备注"],
                ["2026年11月3日", "120.00", "JK001", None], ["2026/11/04", 100, "JK002", None],
                ["合计", 220]]
    notes = [["填表说明"], ["1. 每月底前更新台账"], [], ["姓名", "电话"], ["张三", "13800000000"]]
    return Book(
        sheets={"Sheet1": fa, "Sheet2": gl, "Sheet3": count, "Sheet4": stock, "Sheet5": fees,
                "Sheet6": standards, "Sheet7": deposits, "说明": notes},
        merges={"Sheet1": ["A1:P1", "J5:J6"], "Sheet2": ["A1:C1"], "Sheet3": ["A1:F1"],
                "Sheet4": ["A1:N1", *stock_merges(3), "C5:C7"],
                "Sheet5": ["A1:N1", "A4:A8", "B4:B8", "C4:C8"],
                "Sheet6": ["A1:D1"], "Sheet7": ["A1:D1"]},
        hidden={"Sheet1": [10], "Sheet5": [6]},
    )


MESSY_LEDGERS = {"Sheet1": "fixed_assets", "Sheet2": "gl_balances", "Sheet3": "asset_count",
                 "Sheet4": "stock_moves", "Sheet5": "fees", "Sheet6": "fee_standards",
                 "Sheet7": "deposits"}
