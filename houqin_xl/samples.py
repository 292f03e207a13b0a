"""The demo ledger sets of 阳光实验小学: tidy, messy, with cell errors, with reconciliation gaps.

`build_samples(folder)` writes four sets of workbooks and returns, for each, its paths and the
findings a correct check must report; `run_demo(out, workbooks)` (``houqin-xl demo``) builds them,
checks each set and writes the JSON reports.

1. 示例1-规范台账: one workbook, the seven ledgers as plain sheets, every book agreeing with
   every other (账账相符，账实相符).
2. 示例2-杂乱台账: the same figures kept the way bursars really keep them — one workbook per
   ledger, titles and unit lines, header aliases, two-level headers, merged cells, numbers and
   dates as text, 小计/合计 rows, footers, a hidden row, an .xls and an .xlsm. Also clean.
3. 示例3-错误台账: the tidy books with one seeded defect of every cell-level kind.
4. 示例4-对账差异: clean cells, but one defect of every reconciliation kind.

Sets 3 and 4 carry `预期发现.json`, the findings a correct check reports. Everything comes
from one fixed random seed, so a rerun writes the same cell values.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import re
import shutil
import sys
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from . import samples_data as data
from .grid import column_letter

SEED = 20261130
CENT = Decimal("0.01")

TIDY, MESSY, ERRORS, RECONCILE = "tidy", "messy", "errors", "reconcile"
SET_FOLDERS = {
    TIDY: "示例1-规范台账",
    MESSY: "示例2-杂乱台账",
    ERRORS: "示例3-错误台账",
    RECONCILE: "示例4-对账差异",
}
MANIFEST_NAME = "预期发现.json"
CELL_KINDS = ("missing", "bad_type", "bad_value", "duplicate", "arithmetic")
RECONCILIATION_KINDS = ("ledger_mismatch", "count_missing", "count_extra", "count_diff",
                        "stock_balance", "fee_balance", "receipt_gap", "deposit_mismatch")


def _money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# ---- the books as data -----------------------------------------------------------------


@dataclass
class Table:
    """One ledger's records (canonical field → value) and how the tidy sheet shows them."""

    ledger: str
    sheet: str
    columns: list[tuple[str, str]]  # (field, tidy header)
    rows: list[dict[str, Any]]
    totals: tuple[str, ...] = ()  # fields summed on the 合计 row; none: no 合计 row

    def fields(self) -> list[str]:
        return [f for f, _ in self.columns]


@dataclass
class Books:
    """The school's seven ledgers for one period."""

    assets: Table
    gl: Table
    count: Table
    stock: Table
    fees: Table
    standards: Table
    deposits: Table

    def tables(self) -> list[Table]:
        return [self.assets, self.gl, self.count, self.stock, self.fees, self.standards,
                self.deposits]


ASSET_COLUMNS = [
    ("asset_id", "资产编号"), ("name", "资产名称"), ("category", "资产分类"), ("spec", "规格型号"),
    ("unit", "计量单位"), ("quantity", "数量"), ("unit_price", "单价"), ("original_value", "原值"),
    ("acquired_on", "取得日期"), ("department", "使用部门"), ("location", "存放地点"),
    ("custodian", "保管人"), ("status", "使用状况"), ("accumulated_depreciation", "累计折旧"),
    ("net_value", "净值"), ("note", "备注"),
]
GL_COLUMNS = [("category", "资产分类"), ("quantity", "数量"), ("balance", "期末余额")]
COUNT_COLUMNS = [
    ("asset_id", "资产编号"), ("name", "资产名称"), ("location", "实际存放地点"),
    ("counted_quantity", "实盘数量"), ("counted_by", "盘点人"), ("counted_on", "盘点日期"),
    ("note", "备注"),
]
STOCK_COLUMNS = [
    ("date", "日期"), ("doc_no", "单据号"), ("item", "物品名称"), ("spec", "规格"), ("unit", "单位"),
    ("summary", "摘要"), ("in_qty", "入库数量"), ("in_price", "入库单价"), ("in_amount", "入库金额"),
    ("out_qty", "出库数量"), ("out_amount", "出库金额"), ("balance_qty", "结存数量"),
    ("department", "领用部门"), ("person", "领用人"), ("note", "备注"),
]
FEE_COLUMNS = [
    ("term", "学期"), ("grade", "年级"), ("class", "班级"), ("student_id", "学号"),
    ("student_name", "姓名"), ("item", "收费项目"), ("due", "应收金额"), ("waived", "减免金额"),
    ("paid", "实收金额"), ("refunded", "退费金额"), ("receipt_no", "票据号"), ("paid_on", "缴费日期"),
    ("refunded_on", "退费日期"), ("cashier", "收款人"), ("note", "备注"),
]
STANDARD_COLUMNS = [("item", "收费项目"), ("grade", "年级"), ("amount", "收费标准"),
                    ("basis", "批准文号")]
DEPOSIT_COLUMNS = [("date", "缴款日期"), ("amount", "缴款金额"), ("slip_no", "缴款单号"),
                   ("account", "账户"), ("note", "备注")]

CATEGORY_ORDER = ["土地房屋及构筑物", "通用设备", "专用设备", "文物和陈列品", "图书档案",
                  "家具用具装具及动植物"]


def _months_between(start: dt.date, end: dt.date) -> int:
    """Whole months of depreciation: from the month after acquisition to the period's month."""
    return max(0, (end.year - start.year) * 12 + end.month - start.month)


def make_assets() -> list[dict[str, Any]]:
    rows = []
    per_year: Counter[int] = Counter()
    for (name, category, spec, unit, price, quantity, department, location, acquired, status,
         note) in data.ASSETS:
        per_year[acquired.year] += 1
        unit_price = _money(price)
        original = _money(unit_price * quantity)
        life = data.LIFE_YEARS[category]
        if status == "已报废":
            depreciation = original  # written off in full before disposal
        elif life == 0:
            depreciation = Decimal("0.00")
        else:
            share = min(Decimal(1), Decimal(_months_between(acquired, data.PERIOD_END)) / (life * 12))
            depreciation = _money(original * share)
        rows.append({
            "asset_id": f"ZC{acquired.year}{per_year[acquired.year]:03d}",
            "name": name, "category": category, "spec": spec, "unit": unit,
            "quantity": quantity, "unit_price": unit_price, "original_value": original,
            "acquired_on": acquired, "department": department, "location": location,
            "custodian": data.STAFF[department], "status": status,
            "accumulated_depreciation": depreciation, "net_value": original - depreciation,
            "note": note or None,
        })
    return rows


def gl_from_assets(assets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the finance office's ledger says when it agrees with the register: every category,
    disposed assets left out."""
    quantity: Counter[str] = Counter()
    balance: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for asset in assets:
        if asset["status"] != "已报废":
            quantity[asset["category"]] += asset["quantity"]
            balance[asset["category"]] += asset["original_value"]
    return [{"category": c, "quantity": quantity[c], "balance": balance[c]} for c in CATEGORY_ORDER]


def count_from_assets(assets: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """The count team walks room by room; disposed assets are not looked for."""
    days = [dt.date(2026, 11, 23), dt.date(2026, 11, 24), dt.date(2026, 11, 25)]
    by_location = sorted({a["location"] for a in assets})
    day_of = {loc: days[i * len(days) // len(by_location)] for i, loc in enumerate(by_location)}
    team_of = {loc: rng.choice(data.COUNTERS) for loc in by_location}
    rows = []
    for asset in sorted(assets, key=lambda a: (a["location"], a["asset_id"])):
        if asset["status"] == "已报废":
            continue
        rows.append({
            "asset_id": asset["asset_id"], "name": asset["name"], "location": asset["location"],
            "counted_quantity": asset["quantity"], "counted_by": team_of[asset["location"]],
            "counted_on": day_of[asset["location"]],
            "note": "待报废" if asset["status"] == "待报废" else None,
        })
    return rows


def _school_days(start: dt.date, end: dt.date) -> list[dt.date]:
    holidays = {dt.date(2026, 10, d) for d in range(1, 8)}  # 国庆
    day, out = start, []
    while day <= end:
        if day.weekday() < 5 and day not in holidays:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def make_stock(rng: random.Random) -> list[dict[str, Any]]:
    """Sep–Nov 2026: an opening row per item, two purchases, issues to the departments, one
    write-off. Rows are in date order, as a storekeeper writes them."""
    days = _school_days(dt.date(2026, 9, 2), dt.date(2026, 11, 27))
    moves: list[tuple[dt.date, int, int, dict[str, Any]]] = []  # (date, order, item, row)
    for number, (item, spec, unit, price, opening, (low, high), takers) in enumerate(data.STOCK_ITEMS):
        price = _money(price)
        issue_days = sorted(rng.sample(days, 9))
        issues = [rng.randint(low, high) for _ in issue_days]
        total = sum(issues)
        # Two purchases: at the start of term and in mid-October, each covering half the need.
        first = max(0, -(-(total - opening) // 2)) + high
        buys = [(dt.date(2026, 9, 2), first), (dt.date(2026, 10, 15), first)]
        base = {"item": item, "spec": spec, "unit": unit}
        moves.append((dt.date(2026, 9, 1), 0, number, {
            **base, "summary": "期初结存", "balance_qty": opening, "note": "上学期结转"}))
        for day, qty in buys:
            moves.append((day, 1, number, {
                **base, "summary": "购入", "in_qty": qty, "in_price": price,
                "in_amount": _money(price * qty), "person": data.BURSAR,
                "note": "货比三家，定点采购"}))
        for day, qty in zip(issue_days, issues, strict=True):
            department = rng.choice(takers)
            moves.append((day, 2, number, {
                **base, "summary": "领用", "out_qty": qty, "out_price": price,
                "department": department, "person": data.STAFF[department]}))
        if item == "粉笔":
            moves.append((dt.date(2026, 11, 20), 3, number, {
                **base, "summary": "报损", "out_qty": 5, "out_price": price,
                "person": data.BURSAR, "note": "仓库漏雨受潮"}))
    moves.sort(key=lambda m: (m[0], m[1], m[2]))
    balance: Counter[int] = Counter()
    rows = []
    docs: Counter[str] = Counter()
    for day, _order, number, row in moves:
        row = dict(row)
        row["date"] = day
        if row["summary"] == "期初结存":
            balance[number] = row["balance_qty"]
        else:
            price = row.pop("out_price", None)
            if "out_qty" in row:
                row["out_qty"] = min(row["out_qty"], balance[number])  # never issue what is not there
                if not row["out_qty"]:
                    continue
                row["out_amount"] = _money(price * row["out_qty"])
                balance[number] -= row["out_qty"]
            else:
                balance[number] += row["in_qty"]
            prefix = "RK" if "in_qty" in row else "LY"
            book = f"{prefix}{day:%Y%m}"  # numbered afresh each month
            docs[book] += 1
            row["doc_no"] = f"{book}{docs[book]:03d}"
            row["balance_qty"] = balance[number]
        rows.append(row)
    return rows


def make_fees(rng: random.Random) -> list[dict[str, Any]]:
    """One row per student and fee item, in class order as the class teacher hands them in."""
    standard = {(item, grade): _money(amount) for item, grade, amount, _ in data.FEE_STANDARDS}

    def due_of(item: str, grade: str) -> Decimal:
        return standard.get((item, grade), standard.get((item, "全部")))

    main_days = {g: dt.date(2026, 9, 1 + i // 2) for i, g in enumerate(data.GRADES)}
    late_days = [dt.date(2026, 9, 4), dt.date(2026, 9, 10), dt.date(2026, 9, 18),
                 dt.date(2026, 10, 9), dt.date(2026, 10, 20), dt.date(2026, 11, 5),
                 dt.date(2026, 11, 16)]
    names: set[str] = set()
    rows: list[dict[str, Any]] = []
    poor = {("二年级", 1, 3), ("三年级", 2, 5), ("五年级", 1, 2), ("六年级", 2, 6)}  # 特困生
    unpaid = {("一年级", 2, 4, "伙食费"), ("三年级", 1, 6, "课后服务费"), ("四年级", 1, 1, "保险费"),
              ("五年级", 2, 7, "伙食费"), ("六年级", 1, 3, "作业本费")}
    refunds = {("二年级", 2, 2, "课后服务费"): ("300.00", dt.date(2026, 11, 16), "中途退出课后服务，清退"),
               ("四年级", 2, 5, "伙食费"): ("240.00", dt.date(2026, 11, 5), "病假停餐，清退伙食费"),
               ("五年级", 1, 4, "住宿费"): ("200.00", dt.date(2026, 11, 16), "转为走读，清退住宿费"),
               ("六年级", 2, 1, "伙食费"): ("180.00", dt.date(2026, 10, 20), "病假停餐，清退伙食费")}
    for g, grade in enumerate(data.GRADES):
        year = 2026 - g
        for k in (1, 2):
            class_name = f"{grade[0]}（{k}）班"
            for n in range(1, 8):
                while True:
                    name = rng.choice(data.SURNAMES) + rng.choice(data.GIVEN)
                    if name not in names:
                        names.add(name)
                        break
                items = ["作业本费"]
                if rng.random() < 0.9:
                    items.append("保险费")
                if rng.random() < 0.85:
                    items.append("伙食费")
                if g >= 4 and rng.random() < 0.45:
                    items.append("住宿费")
                if grade == "一年级":
                    items.append("校服费")
                if rng.random() < 0.8:
                    items.append("课后服务费")
                for key in unpaid | set(refunds):
                    if key[:3] == (grade, k, n) and key[3] not in items:
                        items.append(key[3])
                late = rng.random() < 0.15
                for item in items:
                    due = due_of(item, grade)
                    row: dict[str, Any] = {
                        "term": data.TERM, "grade": grade, "class": class_name,
                        "student_id": f"{year}{k}{n:02d}", "student_name": name, "item": item,
                        "due": due, "waived": Decimal("0.00"), "paid": due, "refunded": Decimal("0.00"),
                        "paid_on": rng.choice(late_days) if late else main_days[grade],
                        "note": None,
                    }
                    if (grade, k, n) in poor:
                        if item in ("作业本费", "保险费"):
                            row["waived"], row["paid"] = due, Decimal("0.00")
                        elif item == "伙食费":
                            row["waived"] = row["paid"] = _money(due / 2)
                        row["note"] = "特困生减免" if row["waived"] else None
                    if (grade, k, n, item) in unpaid:
                        row["paid"], row["note"] = Decimal("0.00"), "欠费，已通知家长"
                    if (grade, k, n, item) in refunds:
                        amount, day, note = refunds[(grade, k, n, item)]
                        row["refunded"], row["refunded_on"], row["note"] = _money(amount), day, note
                        row["paid_on"] = main_days[grade]
                    if not row["paid"]:
                        row["paid_on"] = None
                    rows.append(row)
    number_receipts(rows, rng)
    return rows


RECEIPT_BOOKS = {"作业本费": "A", "保险费": "A", "校服费": "A",
                 "伙食费": "B", "住宿费": "B", "课后服务费": "B"}
RECEIPT_START = {"A": 26001, "B": 31001}


def number_receipts(rows: list[dict[str, Any]], rng: random.Random) -> None:
    """Receipts are torn from two books in the order money came in; each day has one cashier."""
    paid = sorted((i for i, r in enumerate(rows) if r["paid"]), key=lambda i: (rows[i]["paid_on"], i))
    next_number = dict(RECEIPT_START)
    cashier_of: dict[dt.date, str] = {}
    for i in paid:
        row = rows[i]
        book = RECEIPT_BOOKS[row["item"]]
        row["receipt_no"] = f"{book}{next_number[book]:07d}"
        next_number[book] += 1
        day = row["paid_on"]
        row["cashier"] = cashier_of.setdefault(day, rng.choice(data.CASHIERS))


def deposits_from_fees(fees: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """收支两条线: each day's takings less that day's refunds go to the fiscal account."""
    net: dict[dt.date, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for row in fees:
        if row["paid"] and row.get("paid_on"):
            net[row["paid_on"]] += row["paid"]
        if row["refunded"]:
            net[row.get("refunded_on") or row["paid_on"]] -= row["refunded"]
    out = []
    for day in sorted(net):
        if net[day] <= 0:
            raise AssertionError(f"refunds exceed takings on {day}: choose another refund day")
        out.append({"date": day, "amount": net[day], "slip_no": f"JK{day:%Y%m%d}01",
                    "account": "县财政非税收入专户", "note": "代收费缴存"})
    return out


def make_standards() -> list[dict[str, Any]]:
    return [{"item": item, "grade": grade, "amount": _money(amount), "basis": basis}
            for item, grade, amount, basis in data.FEE_STANDARDS]


def make_books(seed: int = SEED) -> Books:
    """The consistent books every set starts from."""
    rng = random.Random(seed)
    assets = make_assets()
    fees = make_fees(rng)
    return Books(
        assets=Table("fixed_assets", "固定资产台账", ASSET_COLUMNS, assets,
                     ("quantity", "original_value", "accumulated_depreciation", "net_value")),
        gl=Table("gl_balances", "总账资产分类余额", GL_COLUMNS, gl_from_assets(assets),
                 ("quantity", "balance")),
        count=Table("asset_count", "资产盘点表", COUNT_COLUMNS, count_from_assets(assets, rng),
                    ("counted_quantity",)),
        stock=Table("stock_moves", "物资出入库登记", STOCK_COLUMNS, make_stock(rng),
                    ("in_qty", "in_amount", "out_qty", "out_amount")),
        fees=Table("fees", "收费台账", FEE_COLUMNS, fees, ("due", "waived", "paid", "refunded")),
        standards=Table("fee_standards", "收费标准", STANDARD_COLUMNS, make_standards()),
        deposits=Table("deposits", "银行缴款登记", DEPOSIT_COLUMNS, deposits_from_fees(fees),
                       ("amount",)),
    )


# ---- sheet layouts, independent of the library that writes them --------------------------


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


# ---- the tidy layout (sets 1, 3 and 4) ------------------------------------------------------

TIDY_HEADER_ROW = 1
TOTAL_LABEL = "合计"


def _sum_numbers(values: list[Any]) -> Decimal:
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


def tidy_row(table: Table, index: int) -> int:
    """The Excel row of record `index` on the tidy sheet."""
    return TIDY_HEADER_ROW + 1 + index


def tidy_total_row(table: Table) -> int:
    return TIDY_HEADER_ROW + 1 + len(table.rows)


def tidy_column(table: Table, field_name: str) -> str:
    return column_letter(table.fields().index(field_name) + 1)


def tidy_layout(table: Table, total_override: dict[str, Any] | None = None) -> Layout:
    layout = Layout(table.sheet, freeze=(TIDY_HEADER_ROW + 1, 1))
    for col, (_field, header) in enumerate(table.columns, start=1):
        layout.put(TIDY_HEADER_ROW, col, header, "header")
        layout.widths[col] = max(10, 2.2 * len(header) + 2)
    for index, record in enumerate(table.rows):
        row = tidy_row(table, index)
        for col, name in enumerate(table.fields(), start=1):
            value = record.get(name)
            if value is not None:
                layout.put(row, col, value)
    if table.totals:
        row = tidy_total_row(table)
        layout.put(row, 1, TOTAL_LABEL, "total")
        for name in table.totals:
            col = table.fields().index(name) + 1
            value = (total_override or {}).get(name, _sum_numbers([r.get(name) for r in table.rows]))
            layout.put(row, col, value, "total")
    return layout


def write_tidy(books: Books, path: Path, total_overrides: dict[str, dict[str, Any]] | None = None) -> None:
    overrides = total_overrides or {}
    save_openpyxl([tidy_layout(t, overrides.get(t.ledger)) for t in books.tables()], path)


# ---- the messy layout (set 2) ------------------------------------------------------------

_DATE_FORMS = ("date", "serial", "dots", "slashes", "dashes", "chinese", "compact")


def _date_as(day: dt.date, form: str) -> Any:
    if form == "date":
        return day
    if form == "serial":
        return (day - dt.date(1899, 12, 30)).days
    if form == "dots":
        return f"{day.year}.{day.month}.{day.day}"
    if form == "slashes":
        return f"{day:%Y/%m/%d}"
    if form == "dashes":
        return f"{day.year}-{day.month}-{day.day}"
    if form == "chinese":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day:%Y%m%d}"


def _money_as(value: Decimal, form: str) -> Any:
    if form == "thousands":
        return f"{value:,.2f}"
    if form == "yuan_sign":
        return f"￥{value.normalize():f}" if value == value.to_integral() else f"￥{value}"
    if form == "yuan_word":
        return f"{value.normalize():f}元" if value == value.to_integral() else f"{value}元"
    if form == "fullwidth":
        return str(int(value)).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return value


def _title(layout: Layout, width: int, title: str, unit_line: str, left_line: str = "") -> int:
    """Title merged across, a line with the school and the unit, a blank row; returns the header row."""
    layout.merge(1, 1, 1, width, title, "title")
    if left_line:
        layout.merge(2, 1, 2, max(2, width // 2), left_line)
    layout.put(2, width - 1, unit_line)
    return 4


def _footer(layout: Layout, row: int, width: int, when: str = "2026年11月30日") -> None:
    layout.put(row, 2, f"制表人：{data.BURSAR}")
    layout.put(row, max(4, width // 2), f"审核：{data.AUDITOR}")
    layout.put(row, width - 2, f"日期：{when}")


def _merge_runs(layout: Layout, col: int, runs: list[tuple[int, Any]], hidden: set[int]) -> None:
    """Merge a column down over consecutive rows with the same value, the way bursars do."""
    i = 0
    while i < len(runs):
        j = i
        while (j + 1 < len(runs) and runs[j + 1][1] == runs[i][1] and runs[j + 1][0] == runs[j][0] + 1
               and runs[j + 1][0] not in hidden and runs[i][0] not in hidden):
            j += 1
        if j > i:
            layout.merge(runs[i][0], col, runs[j][0], col, runs[i][1], "center")
        else:
            layout.put(runs[i][0], col, runs[i][1])
        i = j + 1


def messy_assets(table: Table, rng: random.Random) -> Layout:
    headers = ["序号", "资产编码", "品名", "资产类别", "规格型号", "计量\n单位", "数量", "单价\n（元）",
               "账面原值\n（元）", "购置日期", "使用部门", "存放地点", "责任人", "使用状况", "累计折旧",
               "账面净值", "备注"]
    col = {name: i + 1 for i, name in enumerate(
        ["seq", "asset_id", "name", "category", "spec", "unit", "quantity", "unit_price",
         "original_value", "acquired_on", "department", "location", "custodian", "status",
         "accumulated_depreciation", "net_value", "note"])}
    layout = Layout("资产明细账")
    header = _title(layout, len(headers), f"{data.SCHOOL}固定资产台账（截至2026年11月30日）", "单位：元",
                    "填报单位：阳光实验小学总务处（盖章）")
    for i, text in enumerate(headers, start=1):
        layout.put(header, i, text, "header")
    layout.freeze = (header + 1, 3)
    widths = [5, 11, 16, 18, 22, 6, 6, 11, 13, 12, 10, 12, 8, 8, 11, 13, 24]
    layout.widths = {i: w for i, w in enumerate(widths, start=1)}
    row = header + 1
    seq = 0
    subtotal_rows = []
    letters = {name: column_letter(c) for name, c in col.items()}
    hidden_done = False
    for category in CATEGORY_ORDER:
        block = sorted((r for r in table.rows if r["category"] == category),
                       key=lambda r: (r["department"], r["asset_id"]))
        if not block:
            continue
        first = row
        departments = []
        for record in block:
            seq += 1
            form = rng.choice(["number", "number", "number", "thousands", "yuan_sign", "yuan_word"])
            layout.put(row, col["seq"], seq, "center")
            for name in ("asset_id", "name", "category", "spec", "unit", "location", "custodian",
                         "status", "note"):
                if record.get(name) is not None:
                    layout.put(row, col[name], record[name])
            quantity = record["quantity"]
            layout.put(row, col["quantity"], _money_as(Decimal(quantity), "fullwidth")
                       if quantity >= 10 and rng.random() < 0.3 else quantity)
            layout.put(row, col["unit_price"], _money_as(record["unit_price"], form))
            if form == "number":
                layout.put(row, col["original_value"], Formula(
                    f"={letters['quantity']}{row}*{letters['unit_price']}{row}", record["original_value"]))
            else:
                layout.put(row, col["original_value"], _money_as(record["original_value"], "thousands"))
            layout.put(row, col["acquired_on"], _date_as(record["acquired_on"], rng.choice(_DATE_FORMS)))
            depreciation = record["accumulated_depreciation"]
            layout.put(row, col["accumulated_depreciation"], depreciation or "-")
            layout.put(row, col["net_value"], Formula(
                f"={letters['original_value']}{row}-{letters['accumulated_depreciation']}{row}",
                record["net_value"]))
            departments.append((row, record["department"]))
            if not hidden_done and category == "通用设备" and record["status"] == "闲置":
                layout.hidden.add(row)  # 闲置 equipment hidden from the printout, still on the books
                hidden_done = True
            row += 1
        _merge_runs(layout, col["department"], departments, layout.hidden)
        last = row - 1
        layout.put(row, col["asset_id"], f"{category}小计", "total")
        for name in ("quantity", "original_value", "accumulated_depreciation", "net_value"):
            values = [r[name] for r in block]
            layout.put(row, col[name], Formula(
                f"=SUM({letters[name]}{first}:{letters[name]}{last})", _sum_numbers(values)), "total")
        subtotal_rows.append(row)
        row += 2  # a blank row between blocks
    layout.put(row, col["asset_id"], "合计", "total")
    for name in ("quantity", "original_value", "accumulated_depreciation", "net_value"):
        refs = ",".join(f"{letters[name]}{r}" for r in subtotal_rows)
        layout.put(row, col[name], Formula(f"=SUM({refs})", _sum_numbers([r[name] for r in table.rows])),
                   "total")
    _footer(layout, row + 2, len(headers))
    return layout


def messy_gl(table: Table) -> Layout:
    """The finance office prints its ledger in 万元, with its own account codes."""
    layout = Layout("科目余额表")
    header = _title(layout, 5, f"{data.SCHOOL} 固定资产总账分类余额表", "单位：万元",
                    "会计期间：2026年11月")
    for i, text in enumerate(["科目编码", "科目名称", "数量", "期末余额", "备注"], start=1):
        layout.put(header, i, text, "header")
    layout.widths = {1: 12, 2: 22, 3: 10, 4: 16, 5: 16}
    row = header + 1
    for record in table.rows:
        code = data.CATEGORY_CODES[record["category"]]
        layout.put(row, 1, f"1601{int(code):02d}")
        layout.put(row, 2, record["category"])
        layout.put(row, 3, record["quantity"])
        # Six decimals of 万元 keep every fen.
        layout.put(row, 4, float(record["balance"] / 10000), "money")
        row += 1
    layout.put(row, 2, "合计", "total")
    layout.put(row, 3, sum(r["quantity"] for r in table.rows), "total")
    layout.put(row, 4, float(_sum_numbers([r["balance"] for r in table.rows]) / 10000), "total")
    layout.put(row + 2, 1, "会计：张玉兰")
    layout.put(row + 2, 4, "财务负责人：周国平")
    return layout


def messy_count(table: Table) -> Layout:
    layout = Layout("盘点表")
    headers = ["序号", "卡片编号", "名称", "存放位置", "盘点数量", "清查人", "清查日期", "备注"]
    header = _title(layout, len(headers), f"{data.SCHOOL}2026年度资产清查盘点表", "单位：台/件/套",
                    "盘点时间：2026年11月23日—25日")
    for i, text in enumerate(headers, start=1):
        layout.put(header, i, text, "header")
    layout.widths = {1: 5, 2: 12, 3: 18, 4: 14, 5: 9, 6: 16, 7: 13, 8: 10}
    row = header + 1
    rooms = []
    for seq, record in enumerate(table.rows, start=1):
        layout.put(row, 1, seq, "center")
        layout.put(row, 2, record["asset_id"])
        layout.put(row, 3, record["name"])
        rooms.append((row, record["location"]))
        layout.put(row, 5, record["counted_quantity"])
        layout.put(row, 6, record["counted_by"])
        layout.put(row, 7, _date_as(record["counted_on"], "chinese" if seq % 2 else "dots"))
        if record.get("note"):
            layout.put(row, 8, record["note"])
        row += 1
    _merge_runs(layout, 4, rooms, set())
    layout.put(row, 1, "合计", "total")
    layout.put(row, 5, sum(r["counted_quantity"] for r in table.rows), "total")
    layout.put(row + 2, 2, "盘点负责人：王建国")
    layout.put(row + 2, 5, "监盘人：周国平")
    return layout


def messy_stock(table: Table, rng: random.Random) -> Layout:
    """The storekeeper's book: 入库 / 领用 / 结存 over 数量|单价|金额, a 本月合计 and 本年累计
    under each month."""
    layout = Layout("物资收发存")
    width = 17
    _title(layout, width, f"{data.SCHOOL}物资出入库登记簿（2026年秋季）", "单位：元", "保管：总务处仓库")
    top, sub = 3, 4
    for c, text in enumerate(["日期", "单据号", "物品名称", "规格", "单位", "摘要"], start=1):
        layout.merge(top, c, sub, c, text, "header")
    for c, text, span in ((7, "入库", ["数量", "单价", "金额"]), (10, "领用", ["数量", "金额"]),
                          (12, "结存", ["数量", "单价", "金额"])):
        layout.merge(top, c, top, c + len(span) - 1, text, "header")
        for k, child in enumerate(span):
            layout.put(sub, c + k, child, "header")
    for c, text in ((15, "领用部门"), (16, "领用人\n签名"), (17, "备注")):
        layout.merge(top, c, sub, c, text, "header")
    layout.widths = {1: 11, 2: 13, 3: 11, 4: 20, 5: 5, 6: 9, 7: 7, 8: 8, 9: 10, 10: 7, 11: 10,
                     12: 7, 13: 8, 14: 10, 15: 10, 16: 9, 17: 16}
    layout.freeze = (sub + 1, 4)
    price_of = {item: _money(price) for item, _s, _u, price, *_ in data.STOCK_ITEMS}
    row = sub + 1
    year_totals: Counter[str] = Counter()
    months = sorted({r["date"].month for r in table.rows})
    for month in months:
        block = [r for r in table.rows if r["date"].month == month]
        month_totals: Counter[str] = Counter()
        for record in block:
            layout.put(row, 1, _date_as(record["date"], rng.choice(("date", "dots", "slashes", "chinese"))))
            for c, name in ((2, "doc_no"), (3, "item"), (4, "spec"), (5, "unit"), (6, "summary"),
                            (15, "department"), (16, "person"), (17, "note")):
                if record.get(name) is not None:
                    layout.put(row, c, record[name])
            if record.get("in_qty"):
                layout.put(row, 7, record["in_qty"])
                layout.put(row, 8, _money_as(record["in_price"], rng.choice(("number", "yuan_word"))))
                layout.put(row, 9, record["in_amount"])
            if record.get("out_qty"):
                layout.put(row, 10, record["out_qty"])
                layout.put(row, 11, record["out_amount"])
            price = price_of[record["item"]]
            layout.put(row, 12, record["balance_qty"])
            layout.put(row, 13, price)
            layout.put(row, 14, _money(price * record["balance_qty"]))
            for name in ("in_qty", "in_amount", "out_qty", "out_amount"):
                month_totals[name] += record.get(name) or 0
            row += 1
        for label, sums in ((f"{month}月本月合计", month_totals), ("本年累计", None)):
            if sums is None:
                year_totals.update(month_totals)
                sums = year_totals
            layout.merge(row, 1, row, 6, label, "total")
            layout.put(row, 7, sums["in_qty"], "total")
            layout.put(row, 9, _money(sums["in_amount"]), "total")
            layout.put(row, 10, sums["out_qty"], "total")
            layout.put(row, 11, _money(sums["out_amount"]), "total")
            row += 1
    layout.put(row + 1, 2, f"保管员：{data.BURSAR}")
    layout.put(row + 1, 9, f"审核：{data.AUDITOR}")
    return layout


def messy_fees(table: Table, rng: random.Random) -> Layout:
    """Class by class, as the class teachers hand in their lists: 年级 and 班级 merged down,
    a 小计 under each class and a 合计 at the end."""
    headers = ["年级", "班级", "学籍号", "学生姓名", "收费项目", "应收\n金额", "减免\n金额", "实收\n金额",
               "退费\n金额", "收据号", "收费日期", "退费日期", "经手人", "备注"]
    layout = Layout("2026秋收费登记")
    header = _title(layout, len(headers), f"{data.SCHOOL}{data.TERM}代收费登记表", "单位：元",
                    "收费依据：阳价费〔2025〕9号等")
    for i, text in enumerate(headers, start=1):
        layout.put(header, i, text, "header")
    layout.widths = {1: 8, 2: 10, 3: 10, 4: 9, 5: 11, 6: 9, 7: 9, 8: 9, 9: 9, 10: 11, 11: 13,
                     12: 13, 13: 8, 14: 22}
    layout.freeze = (header + 1, 5)
    row = header + 1
    classes: dict[str, list[dict[str, Any]]] = {}
    for record in table.rows:
        classes.setdefault(record["class"], []).append(record)
    hidden_done = False
    for class_name, block in classes.items():
        first = row
        for record in block:
            layout.put(row, 3, record["student_id"])
            layout.put(row, 4, record["student_name"])
            layout.put(row, 5, record["item"])
            for c, name in ((6, "due"), (7, "waived"), (8, "paid"), (9, "refunded")):
                value = record[name]
                if not value:
                    layout.put(row, c, rng.choice(["-", None, 0]) if name != "due" else value)
                else:
                    layout.put(row, c, _money_as(value, rng.choice(
                        ["number", "number", "number", "thousands", "yuan_sign", "yuan_word"])))
            if record.get("receipt_no"):
                layout.put(row, 10, record["receipt_no"])
            if record.get("paid_on"):
                layout.put(row, 11, _date_as(record["paid_on"], rng.choice(_DATE_FORMS)))
            if record.get("refunded_on"):
                layout.put(row, 12, _date_as(record["refunded_on"], "chinese"))
            if record.get("cashier"):
                layout.put(row, 13, record["cashier"])
            if record.get("note"):
                layout.put(row, 14, record["note"])
            if not hidden_done and record["refunded"]:
                layout.hidden.add(row)  # a refunded row hidden after the 清退 was signed off
                hidden_done = True
            row += 1
        last = row - 1
        layout.merge(first, 1, last, 1, block[0]["grade"], "center")
        layout.merge(first, 2, last, 2, class_name, "center")
        layout.merge(row, 1, row, 5, f"{class_name}小计", "total")
        for c, name in ((6, "due"), (7, "waived"), (8, "paid"), (9, "refunded")):
            letter = column_letter(c)
            layout.put(row, c, Formula(f"=SUM({letter}{first}:{letter}{last})",
                                       _sum_numbers([r[name] for r in block])), "total")
        row += 1
    layout.merge(row, 1, row, 5, "合计", "total")
    for c, name in ((6, "due"), (7, "waived"), (8, "paid"), (9, "refunded")):
        layout.put(row, c, _sum_numbers([r[name] for r in table.rows]), "total")
    _footer(layout, row + 2, len(headers))
    return layout


def messy_standards(table: Table) -> Layout:
    layout = Layout("收费标准")
    header = _title(layout, 4, f"{data.SCHOOL}{data.TERM}收费项目及标准（公示）", "单位：元/生·学期")
    for i, text in enumerate(["项目", "适用年级", "标准（元）", "依据"], start=1):
        layout.put(header, i, text, "header")
    layout.widths = {1: 14, 2: 10, 3: 12, 4: 22}
    row = header + 1
    runs = []
    for record in table.rows:
        runs.append((row, record["item"]))
        layout.put(row, 2, record["grade"])
        layout.put(row, 3, record["amount"])
        layout.put(row, 4, record["basis"])
        row += 1
    _merge_runs(layout, 1, runs, set())
    layout.put(row + 1, 1, "注：收费标准已在校务公开栏公示，监督电话 0000-12345678")
    return layout


def messy_deposits(table: Table) -> Layout:
    layout = Layout("缴款登记")
    header = _title(layout, 5, f"{data.SCHOOL}代收费银行缴款登记簿", "单位：元")
    for i, text in enumerate(["日期", "缴款书号", "金额（元）", "缴入账户", "备注"], start=1):
        layout.put(header, i, text, "header")
    layout.widths = {1: 14, 2: 14, 3: 14, 4: 20, 5: 14}
    row = header + 1
    for month in sorted({r["date"].month for r in table.rows}):
        block = [r for r in table.rows if r["date"].month == month]
        for record in block:
            layout.put(row, 1, _date_as(record["date"], "chinese" if month % 2 else "slashes"))
            layout.put(row, 2, record["slip_no"])
            layout.put(row, 3, _money_as(record["amount"], "thousands"))
            layout.put(row, 4, record["account"])
            layout.put(row, 5, record["note"])
            row += 1
        layout.put(row, 1, f"{month}月本月合计", "total")
        layout.put(row, 3, _sum_numbers([r["amount"] for r in block]), "total")
        row += 1
    layout.put(row, 1, "合计", "total")
    layout.put(row, 3, _sum_numbers([r["amount"] for r in table.rows]), "total")
    layout.put(row + 2, 1, "出纳：张玉兰")
    layout.put(row + 2, 3, f"复核：{data.BURSAR}")
    return layout


def write_messy(books: Books, folder: Path, seed: int = SEED) -> list[Path]:
    rng = random.Random(seed + 2)
    files = [
        (folder / "固定资产台账（2026年11月）.xlsx", lambda p: save_xlsxwriter(
            [messy_assets(books.assets, rng)], p)),
        (folder / "总账资产分类余额（财务室导出）.xls", lambda p: save_xlwt([messy_gl(books.gl)], p)),
        (folder / "资产清查盘点表.xlsx", lambda p: save_openpyxl([messy_count(books.count)], p)),
        (folder / "物资出入库登记簿.xlsm", lambda p: save_openpyxl(
            [messy_stock(books.stock, rng)], p, macro_enabled=True)),
        (folder / "代收费登记表（2026秋）.xlsx", lambda p: save_openpyxl([messy_fees(books.fees, rng)], p)),
        (folder / "收费标准（公示）.xlsx", lambda p: save_openpyxl([messy_standards(books.standards)], p)),
        (folder / "银行缴款登记簿.xlsx", lambda p: save_openpyxl([messy_deposits(books.deposits)], p)),
    ]
    for path, writer in files:
        writer(path)
    return [p for p, _ in files]


# ---- seeded defects (sets 3 and 4) ---------------------------------------------------------


def _find(table: Table, start: int = 0, **wanted: Any) -> int:
    """Index of the first record from `start` whose fields have the values wanted."""
    for index in range(start, len(table.rows)):
        record = table.rows[index]
        if all(record.get(k) == v for k, v in wanted.items()):
            return index
    raise LookupError(f"no {table.ledger} record with {wanted}")


def _expect(kind: str, table: Table, index: int | None = None, field_name: str | None = None,
            key: dict[str, Any] | None = None, note: str = "") -> dict[str, Any]:
    """One finding a correct check must report, pointing where the contract says it stands."""
    return {
        "kind": kind, "ledger": table.ledger, "sheet": table.sheet,
        "row": tidy_row(table, index) if index is not None else None,
        "column": tidy_column(table, field_name) if index is not None and field_name else None,
        "field": field_name, "key": key, "说明": note,
    }


def seed_cell_errors(books: Books) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """One defect of every cell-level kind, each where a bursar would plausibly make it.

    Returns the 合计 cells to overwrite and the expected findings. Every 合计 other than the
    deliberately wrong one is what Excel's SUM gives over the defective cells."""
    assets, fees, stock = books.assets, books.fees, books.stock
    expected: list[dict[str, Any]] = []

    def spoil(table: Table, index: int, name: str, value: Any, kind: str, note: str) -> None:
        table.rows[index][name] = value
        expected.append(_expect(kind, table, index, name, note=note))

    a = assets.rows
    spoil(assets, _find(assets, name="激光打印机", department="总务处"), "name", None,
          "missing", "资产名称漏填")
    spoil(assets, _find(assets, name="数码复印机"), "department", None, "missing", "使用部门漏填")
    spoil(assets, _find(assets, name="台式电脑", department="教务处"), "unit_price", "肆仟叁佰",
          "bad_type", "单价写成大写汉字")
    spoil(assets, _find(assets, name="服务器"), "net_value", "#REF!", "bad_type",
          "净值公式引用被删除的列，显示 #REF!")
    spoil(assets, _find(assets, name="视频监控系统"), "acquired_on", "2021.9.31", "bad_type",
          "取得日期不存在（9月没有31日）")
    i = _find(assets, name="会议桌")
    a[i]["net_value"] = a[i]["original_value"] + a[i]["accumulated_depreciation"]
    spoil(assets, i, "accumulated_depreciation", -a[i]["accumulated_depreciation"], "bad_value",
          "累计折旧按贷方记成负数")
    spoil(assets, _find(assets, name="数码相机"), "category", "电子设备", "bad_value",
          "资产分类不在GB/T 14885-2010目录中")
    spoil(assets, _find(assets, name="乒乓球台"), "status", "在修", "bad_value",
          "使用状况不是 在用/闲置/出借/待报废/已报废")
    i = _find(assets, name="笔记本电脑")
    spoil(assets, i, "quantity", 0, "bad_value", "数量填了0")
    expected.append(_expect("arithmetic", assets, i, "original_value",
                            note="数量为0，原值 5200 不等于 数量×单价"))
    spoil(assets, _find(assets, name="图书（绘本）"), "acquired_on", dt.date(2026, 12, 6), "bad_value",
          "取得日期晚于本期期末（11月误写成12月）")
    earlier = _find(assets, name="交互式一体机", location="101教室")
    spoil(assets, _find(assets, name="足球门"), "asset_id", a[earlier]["asset_id"], "duplicate",
          "资产编号与交互式一体机重复")
    i = _find(assets, name="课桌椅", location="301教室")
    a[i]["net_value"] = Decimal("14500.00") - a[i]["accumulated_depreciation"]
    spoil(assets, i, "original_value", Decimal("14500.00"), "arithmetic",
          "原值 14500 不等于 40套×350")
    i = _find(assets, name="钢琴", location="音乐室")
    spoil(assets, i, "net_value", a[i]["original_value"], "arithmetic", "净值忘记扣减累计折旧")
    stale_total = _sum_numbers([r["original_value"] for r in a]) - Decimal("18000.00")
    expected.append({**_expect("arithmetic", assets, None, None, note="合计原值未加上10月新增的钢琴"),
                     "row": tidy_total_row(assets), "column": tidy_column(assets, "original_value"),
                     "field": "original_value"})

    spoil(fees, 17, "student_name", None, "missing", "学生姓名漏填")
    _duplicate_last_receipt(fees, expected)

    purchases = [i for i, r in enumerate(stock.rows) if r.get("in_qty")]
    spoil(stock, purchases[3], "in_price", "#DIV/0!", "bad_type", "单价公式除以0，显示 #DIV/0!")
    i = purchases[6]
    spoil(stock, i, "in_amount", stock.rows[i]["in_amount"] + 10, "arithmetic",
          "入库金额不等于 数量×单价（多记10元）")
    return {"fixed_assets": {"original_value": stale_total}}, expected


def _duplicate_last_receipt(fees: Table, expected: list[dict[str, Any]]) -> None:
    """Book A's last receipt written with the number of the receipt before it: a duplicate,
    and no gap, since nothing after it is missing."""
    numbered = [(r["receipt_no"], i) for i, r in enumerate(fees.rows) if r.get("receipt_no", "")[:1] == "A"]
    numbered.sort()
    last_number, last = numbered[-1]
    # the copied number must stand on an earlier row, so the later row is the one reported
    earlier = max((n, i) for n, i in numbered[:-1] if i < last)
    fees.rows[last]["receipt_no"] = earlier[0]
    expected.append(_expect("duplicate", fees, last, "receipt_no",
                            note=f"票据号与第{tidy_row(fees, earlier[1])}行重复（{last_number} 写成 {earlier[0]}）"))


def _item_key(stock: Table, index: int) -> dict[str, str]:
    """A stock item is its name and spec together (LEDGERS.md)."""
    record = stock.rows[index]
    return {"item": f"{record['item']} {record['spec']}"}


def seed_reconciliation_gaps(books: Books) -> list[dict[str, Any]]:
    """Every cell valid, every 合计 right, but one disagreement of every reconciliation kind."""
    assets, gl, count, stock, fees = books.assets, books.gl, books.count, books.stock, books.fees
    expected: list[dict[str, Any]] = []

    # Fees first: the deposits are worked out from them afterwards.
    i = _find(fees, item="保险费", waived=Decimal("0.00"), paid=Decimal("100.00"))
    fees.rows[i]["waived"], fees.rows[i]["note"] = Decimal("100.00"), "特困生减免"
    expected.append(_expect("fee_balance", fees, i, "paid", note="已全额收费又登记减免：实收+减免 > 应收"))
    i = _find(fees, item="课后服务费", refunded=Decimal("300.00"))
    fees.rows[i]["refunded"] = fees.rows[i]["paid"] + 50
    expected.append(_expect("fee_balance", fees, i, "refunded", note="退费 650 大于实收 600"))
    i = _find(fees, item="作业本费", grade="三年级", paid=Decimal("55.00"))
    fees.rows[i]["due"] = fees.rows[i]["paid"] = Decimal("60.00")
    expected.append(_expect("bad_value", fees, i, "due", note="三年级作业本费标准55元，按60元收取"))
    numbers = sorted(r["receipt_no"] for r in fees.rows if r.get("receipt_no", "")[:1] == "B")
    gap = numbers[len(numbers) // 2]
    for record in fees.rows:
        number = record.get("receipt_no")
        if number and number[:1] == "B" and number >= gap:
            record["receipt_no"] = f"B{int(number[1:]) + 1:07d}"
    expected.append(_expect("receipt_gap", fees, key={"receipt_no": gap},
                            note="收据缺号，且未登记作废"))
    books.deposits.rows = deposits_from_fees(fees.rows)
    # the largest November deposit, so that the short one is still a positive amount
    deposit = max((r for r in books.deposits.rows if r["date"].month == 11), key=lambda r: r["amount"])
    short_day = deposit["date"]
    deposit["amount"] -= 100
    expected.append(_expect("deposit_mismatch", books.deposits, key={"date": short_day.isoformat()},
                            note="当日实收减退费比缴款多100元（少缴100元）"))

    row = next(r for r in gl.rows if r["category"] == "通用设备")
    row["balance"] += 1000
    expected.append(_expect("ledger_mismatch", gl, key={"category": "通用设备"},
                            note="总账通用设备余额比台账多1000元"))
    expected.append(_expect("ledger_mismatch", gl, key={"category": "合计"},
                            note="总账合计随之比台账多1000元"))

    camera = _find(assets, name="数码相机")
    count.rows = [r for r in count.rows if r["asset_id"] != assets.rows[camera]["asset_id"]]
    expected.append(_expect("count_missing", assets, camera, "asset_id",
                            key={"asset_id": assets.rows[camera]["asset_id"]}, note="数码相机盘点未找到（盘亏）"))
    desks = _find(assets, name="课桌椅", location="201教室")
    counted = _find(count, asset_id=assets.rows[desks]["asset_id"])
    count.rows[counted]["counted_quantity"] = 40
    expected.append(_expect("count_diff", assets, desks, "quantity", key={"asset_id": assets.rows[desks]["asset_id"]},
                            note="课桌椅账面42套，实盘40套"))
    projector = _find(assets, name="投影仪", location="音乐室")
    counted = _find(count, asset_id=assets.rows[projector]["asset_id"])
    count.rows[counted]["location"] = "舞蹈室"
    expected.append(_expect("count_diff", assets, projector, "location",
                            key={"asset_id": assets.rows[projector]["asset_id"]},
                            note="投影仪账面在音乐室，实际在舞蹈室"))
    count.rows.append({"asset_id": "ZC2012007", "name": "实物展台", "location": "仓库", "counted_quantity": 1,
                       "counted_by": "王建国、李秀英", "counted_on": dt.date(2026, 11, 25),
                       "note": "账上无此卡片"})
    expected.append(_expect("count_extra", count, len(count.rows) - 1, "asset_id", key={"asset_id": "ZC2012007"},
                            note="盘点发现账外资产（盘盈）"))

    pens = [i for i, r in enumerate(stock.rows) if r["item"] == "签字笔"]
    stock.rows[pens[-1]]["balance_qty"] += 2
    expected.append(_expect("stock_balance", stock, pens[-1], "balance_qty", key=_item_key(stock, pens[-1]),
                            note="最后一笔结存数量多记2盒"))
    ink = [i for i, r in enumerate(stock.rows) if r["item"] == "墨盒"]
    second_buy = [i for i in ink if stock.rows[i].get("in_qty")][1]
    last_issue = max(i for i in ink if i < second_buy and stock.rows[i].get("out_qty"))
    short = stock.rows[last_issue]["balance_qty"] + 1
    price = _money(next(p for n, _s, _u, p, *_ in data.STOCK_ITEMS if n == "墨盒"))
    issue, buy = stock.rows[last_issue], stock.rows[second_buy]
    issue["out_qty"] += short
    issue["out_amount"] = _money(price * issue["out_qty"])
    issue["balance_qty"] = -1
    buy["in_qty"] += short
    buy["in_amount"] = _money(price * buy["in_qty"])
    buy["note"] = "先领后补入库单"
    expected.append(_expect("stock_balance", stock, last_issue, "balance_qty", key=_item_key(stock, last_issue),
                            note="入库单晚于领用登记，库存出现负数"))
    return expected


# ---- the sets -------------------------------------------------------------------------------


@dataclass
class SampleSet:
    """One demo set: where its workbooks are and what a correct check reports on it."""

    key: str
    name: str
    folder: Path
    paths: list[Path]
    period: str
    description: str
    expected: list[dict[str, Any]] = field(default_factory=list)

    @property
    def expected_kinds(self) -> Counter[str]:
        return Counter(e["kind"] for e in self.expected)


def finding_place(finding: dict[str, Any]) -> tuple:
    """Where a finding stands, for comparing with the manifest: its sheet and row when it is
    about a row, else the aggregate it names (a category, a day, a receipt number)."""
    if finding.get("row") is not None:
        return (finding["kind"], finding.get("sheet"), finding["row"])
    key = finding.get("key") or {}
    return (finding["kind"], tuple(sorted((k, str(v)) for k, v in key.items())))


def _fresh(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def _write_manifest(sample: SampleSet) -> None:
    payload = {
        "示例": sample.name, "说明": sample.description, "period": sample.period,
        "workbooks": [p.name for p in sample.paths],
        "findings": sample.expected,
    }
    (sample.folder / MANIFEST_NAME).write_text(
        json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")


def build_samples(folder: Path, seed: int = SEED) -> dict[str, SampleSet]:
    """Write the four demo sets under `folder` (each in its own subfolder, replaced whole)."""
    folder = Path(folder)
    base = make_books(seed)
    samples: dict[str, SampleSet] = {}

    where = folder / SET_FOLDERS[TIDY]
    _fresh(where)
    path = where / f"{data.SCHOOL}后勤台账（2026年11月）.xlsx"
    write_tidy(base, path)
    samples[TIDY] = SampleSet(TIDY, SET_FOLDERS[TIDY], where, [path], data.PERIOD,
                              "七本台账在一个工作簿中，格式规范，账账相符、账实相符")

    where = folder / SET_FOLDERS[MESSY]
    _fresh(where)
    samples[MESSY] = SampleSet(MESSY, SET_FOLDERS[MESSY], where, write_messy(base, where, seed),
                               data.PERIOD, "同一套数据，按学校实际的记账习惯：一账一簿、标题行、合并单元格、"
                               "文本数字与日期、小计合计、隐藏行、.xls 与 .xlsm；同样账账相符")

    where = folder / SET_FOLDERS[ERRORS]
    _fresh(where)
    books = copy.deepcopy(base)
    totals, expected = seed_cell_errors(books)
    path = where / f"{data.SCHOOL}后勤台账（含错误）.xlsx"
    write_tidy(books, path, totals)
    samples[ERRORS] = SampleSet(ERRORS, SET_FOLDERS[ERRORS], where, [path], data.PERIOD,
                                "规范台账中埋入每一种单元格错误（漏填、格式、取值、重复、计算）。"
                                "这些错误连带引起的对账差异（如总账不符）不在此列。", expected)
    _write_manifest(samples[ERRORS])

    where = folder / SET_FOLDERS[RECONCILE]
    _fresh(where)
    books = copy.deepcopy(base)
    expected = seed_reconciliation_gaps(books)
    path = where / f"{data.SCHOOL}后勤台账（对账差异）.xlsx"
    write_tidy(books, path)
    samples[RECONCILE] = SampleSet(RECONCILE, SET_FOLDERS[RECONCILE], where, [path], data.PERIOD,
                                   "单元格全部合规，但每一种对账差异各有一处：账账不符、盘亏、盘盈、"
                                   "账实不符、结存不符、收费不平、未按标准收费、票据断号、缴存不符", expected)
    _write_manifest(samples[RECONCILE])
    return samples


def run_demo(out: Path, workbooks: Path | None = None, stream: Any = None) -> int:
    """Write the demo sets, check each one, write its JSON report, print a short summary.

    Returns 0: the error sets are meant to have errors, and finding them is the demo working."""
    from . import __version__
    from .check import check
    from .config import load_config
    from .read import iter_grids
    from .safe_write import write_bytes_atomic

    stream = stream or sys.stdout
    out = Path(out)
    workbooks = Path(workbooks) if workbooks else out / "workbooks"
    samples = build_samples(workbooks)
    try:
        from .write import report_bytes
    except ImportError:  # the Excel report arrives with its own issue
        report_bytes = None
    print(f"示例工作簿 → {workbooks}", file=stream)
    for sample in samples.values():
        config = load_config(None, beside=[sample.folder])
        checked = check(iter_grids([sample.folder]), config, sample.period)
        result = checked.result
        payload = result.to_json(__version__)
        target = out / f"{sample.name}.json"
        write_bytes_atomic(target, json.dumps(payload, ensure_ascii=False, indent=2).encode())
        if report_bytes is not None:
            write_bytes_atomic(out / f"{sample.name}-核对报告.xlsx", report_bytes(checked))
        kinds = Counter(f.kind for f in result.findings)
        shown = "，".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "无"
        print(f"{sample.name}: 台账 {len(result.ledgers)} 本，错误 {result.errors}，警告 "
              f"{result.warnings}（{shown}）→ {target}", file=stream)
        if sample.expected:
            found = {finding_place(f) for f in payload["findings"]}
            hit = sum(1 for e in sample.expected if finding_place(e) in found)
            print(f"    预期发现 {len(sample.expected)} 条，已发现 {hit} 条（见 {sample.folder / MANIFEST_NAME}）",
                  file=stream)
    return 0
