"""The books of 阳光实验小学 as data: assets, general ledger, count, stock, fees, standards and
deposits, consistent with each other, from one fixed random seed."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import data
from .cards import BOOKS, CLASSES

SEED = 20261130
CENT = Decimal("0.01")

TIDY, MESSY, ERRORS, RECONCILE = "tidy", "messy", "errors", "reconcile"
EXPORTS, ACCOUNT_BOOKS, SHAPE_ERRORS = "exports", "account_books", "shape_errors"
SET_FOLDERS = {
    TIDY: "示例1-规范台账",
    MESSY: "示例2-杂乱台账",
    ERRORS: "示例3-错误台账",
    RECONCILE: "示例4-对账差异",
    EXPORTS: "示例5-系统导出",
    ACCOUNT_BOOKS: "示例6-账簿与宽表",
    SHAPE_ERRORS: "示例7-导出与账簿差错",
}
MANIFEST_NAME = "预期发现.json"
CELL_KINDS = ("missing", "bad_type", "bad_value", "duplicate", "arithmetic")
RECONCILIATION_KINDS = ("ledger_mismatch", "count_missing", "count_extra", "count_diff",
                        "stock_balance", "fee_balance", "receipt_gap", "deposit_mismatch")


def to_money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)





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
    """The school's eight ledgers for one period."""

    assets: Table
    gl: Table
    count: Table
    stock: Table
    fees: Table
    standards: Table
    deposits: Table
    disposals: Table

    def tables(self) -> list[Table]:
        return [self.assets, self.gl, self.count, self.stock, self.fees, self.standards,
                self.deposits, self.disposals]


ASSET_COLUMNS = [
    ("asset_id", "资产编号"), ("name", "资产名称"), ("category", "资产分类"), ("spec", "规格型号"),
    ("unit", "计量单位"), ("quantity", "数量"), ("unit_price", "单价"), ("original_value", "原值"),
    ("acquired_on", "取得日期"), ("department", "使用部门"), ("location", "存放地点"),
    ("custodian", "保管人"), ("status", "使用状况"), ("life_years", "使用年限"),
    ("accumulated_depreciation", "累计折旧"), ("net_value", "净值"), ("note", "备注"),
]
# The finance office's 1601 固定资产 and 1602 固定资产累计折旧 with their class children, as a
# 科目余额表 prints them: the period's 借方 | 贷方 (purchases and disposals on 1601, the month's
# depreciation on 1602) and the closing balance on its side (1601 借方, 1602 贷方). Each record
# also keeps `family`, `category` and its signed `balance` for the writers and seeded defects.
GL_COLUMNS = [("account_code", "科目编码"), ("account_name", "科目名称"), ("quantity", "数量"),
              ("debit", "本期借方"), ("credit", "本期贷方"),
              ("closing_debit", "期末借方余额"), ("closing_credit", "期末贷方余额")]
DISPOSAL_COLUMNS = [
    ("disposal_no", "处置单号"), ("asset_id", "资产编号"), ("name", "资产名称"), ("spec", "规格型号"),
    ("quantity", "数量"), ("acquired_on", "取得日期"), ("method", "处置方式"), ("reason", "处置原因"),
    ("disposed_on", "处置日期"), ("original_value", "原值"), ("accumulated_depreciation", "累计折旧"),
    ("net_value", "净值"), ("approval_level", "审批级别"), ("approval_no", "批准文号"),
    ("approved_on", "审批日期"), ("note", "备注"),
]
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


ASSETS_FAMILY, DEPRECIATION_FAMILY = "1601", "1602"
GL_NAMES = {ASSETS_FAMILY: "固定资产", DEPRECIATION_FAMILY: "固定资产累计折旧"}
NEVER_DEPRECIATED = ("文物和陈列品", "图书档案")  # no 1602 child (准则第3号 第十五条)


def months_charged(acquired: dt.date, end: dt.date) -> int:
    """Months of depreciation by the period's end: the acquisition month counts (当月增加，
    当月计提, LEDGERS.md)."""
    return max(0, (end.year - acquired.year) * 12 + end.month - acquired.month + 1)


def life_months(name: str, category: str) -> int | None:
    """The life the school gives an asset, in months (the same as its card in set 5); None
    for what is never depreciated (图书)."""
    return (BOOKS if category == "图书档案" else CLASSES[name])[2]


def depreciation_of(original: Decimal, acquired: dt.date, life: int | None,
                    end: dt.date = data.PERIOD_END) -> Decimal:
    """累计折旧 by the rule of LEDGERS.md: 原值 × min(months, life) ÷ life, no residual."""
    if not life:
        return Decimal("0.00")
    return to_money(original * min(months_charged(acquired, end), life) / life)


def make_assets() -> list[dict[str, Any]]:
    rows = []
    per_year: Counter[int] = Counter()
    for (name, category, spec, unit, price, quantity, department, location, acquired, status,
         note) in data.ASSETS:
        per_year[acquired.year] += 1
        unit_price = to_money(price)
        original = to_money(unit_price * quantity)
        life = life_months(name, category)
        if status == "已报废":
            depreciation = original  # written off in full before disposal
        else:
            depreciation = depreciation_of(original, acquired, life)
        rows.append({
            "asset_id": f"ZC{acquired.year}{per_year[acquired.year]:03d}",
            "name": name, "category": category, "spec": spec, "unit": unit,
            "quantity": quantity, "unit_price": unit_price, "original_value": original,
            "acquired_on": acquired, "department": department, "location": location,
            "custodian": data.STAFF[department], "status": status,
            "life_years": life // 12 if life else None,
            "accumulated_depreciation": depreciation, "net_value": original - depreciation,
            "note": note or None,
        })
    return rows


def _gl_record(code: str, name: str, family: str, category: str | None, quantity: int | None,
               balance: Decimal, debit: Decimal, credit: Decimal) -> dict[str, Any]:
    return {"account_code": code, "account_name": name, "family": family, "category": category,
            "quantity": quantity, "balance": balance, "debit": debit, "credit": credit,
            "closing_debit": balance if family == ASSETS_FAMILY else None,
            "closing_credit": -balance if family == DEPRECIATION_FAMILY else None}


def _in_period(day: dt.date) -> bool:
    return (day.year, day.month) == (data.PERIOD_END.year, data.PERIOD_END.month)


def gl_from_assets(assets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the finance office's ledger says when it agrees with the register: 1601 by class
    (every class, disposed assets left out) and 1602 by class (Σ 累计折旧, a 贷方 balance), with
    the period's movements: assets bought in the month on 1601's 借方, disposed ones on its 贷方
    (none in November: the year's disposals were in September and October), the month's
    depreciation on 1602's 贷方."""
    zero = Decimal("0.00")
    quantity: Counter[str] = Counter()
    figures = {name: defaultdict(lambda: zero) for name in ("value", "bought", "disposed", "depreciation",
                                                            "charge")}
    last_month_end = data.PERIOD_END.replace(day=1) - dt.timedelta(days=1)
    for asset in assets:
        category = asset["category"]
        if asset["status"] == "已报废":
            day = data.DISPOSALS[(asset["name"], asset["spec"])][1]
            if _in_period(day):
                figures["disposed"][category] += asset["original_value"]
            continue
        quantity[category] += asset["quantity"]
        figures["value"][category] += asset["original_value"]
        figures["depreciation"][category] += asset["accumulated_depreciation"]
        if _in_period(asset["acquired_on"]):
            figures["bought"][category] += asset["original_value"]
        life = asset["life_years"] * 12 if asset["life_years"] else None
        figures["charge"][category] += asset["accumulated_depreciation"] - depreciation_of(
            asset["original_value"], asset["acquired_on"], life, last_month_end)

    def total(name: str, classes: list[str]) -> Decimal:
        return sum((figures[name][c] for c in classes), zero)

    rows = [_gl_record(ASSETS_FAMILY, GL_NAMES[ASSETS_FAMILY], ASSETS_FAMILY, None,
                       sum(quantity.values()), total("value", CATEGORY_ORDER),
                       total("bought", CATEGORY_ORDER), total("disposed", CATEGORY_ORDER))]
    for c in CATEGORY_ORDER:
        rows.append(_gl_record(f"{ASSETS_FAMILY}{int(data.CATEGORY_CODES[c]):02d}", c, ASSETS_FAMILY, c,
                               quantity[c], figures["value"][c], figures["bought"][c], figures["disposed"][c]))
    depreciable = [c for c in CATEGORY_ORDER if c not in NEVER_DEPRECIATED]
    rows.append(_gl_record(DEPRECIATION_FAMILY, GL_NAMES[DEPRECIATION_FAMILY], DEPRECIATION_FAMILY, None,
                           None, -total("depreciation", depreciable), zero, total("charge", depreciable)))
    for c in depreciable:
        rows.append(_gl_record(f"{DEPRECIATION_FAMILY}{int(data.CATEGORY_CODES[c]):02d}", c,
                               DEPRECIATION_FAMILY, c, None, -figures["depreciation"][c], zero,
                               figures["charge"][c]))
    return rows


def shift_gl(gl: Table, family: str, category: str, amount: Decimal) -> None:
    """Move one class's balance of 1601 (借方) or 1602 (贷方) by `amount` on its own side, its
    parent account with it, as the finance office's posting would."""
    sign = 1 if family == ASSETS_FAMILY else -1
    for record in gl.rows:
        if record["family"] == family and record["category"] in (category, None):
            updated = _gl_record(record["account_code"], record["account_name"], family,
                                 record["category"], record["quantity"], record["balance"] + sign * amount,
                                 record["debit"], record["credit"])
            record.update(updated)


def disposals_from_assets(assets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """资产处置登记: every asset the register marks 已报废, with its approval (data.DISPOSALS)."""
    rows = []
    for asset in assets:
        if asset["status"] != "已报废":
            continue
        number, day, reason, level, approval, approved = data.DISPOSALS[(asset["name"], asset["spec"])]
        rows.append({
            "disposal_no": number, "asset_id": asset["asset_id"], "name": asset["name"],
            "spec": asset["spec"], "quantity": asset["quantity"], "acquired_on": asset["acquired_on"],
            "method": "报废", "reason": reason, "disposed_on": day,
            "original_value": asset["original_value"],
            "accumulated_depreciation": asset["accumulated_depreciation"],
            "net_value": asset["net_value"], "approval_level": level, "approval_no": approval,
            "approved_on": approved, "note": None,
        })
    rows.sort(key=lambda r: (r["disposal_no"], r["asset_id"]))
    return rows


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
        price = to_money(price)
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
                "in_amount": to_money(price * qty), "person": data.BURSAR,
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
                row["out_amount"] = to_money(price * row["out_qty"])
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
    standard = {(item, grade): to_money(amount) for item, grade, amount, _ in data.FEE_STANDARDS}

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
                            row["waived"] = row["paid"] = to_money(due / 2)
                        row["note"] = "特困生减免" if row["waived"] else None
                    if (grade, k, n, item) in unpaid:
                        row["paid"], row["note"] = Decimal("0.00"), "欠费，已通知家长"
                    if (grade, k, n, item) in refunds:
                        amount, day, note = refunds[(grade, k, n, item)]
                        row["refunded"], row["refunded_on"], row["note"] = to_money(amount), day, note
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
    return [{"item": item, "grade": grade, "amount": to_money(amount), "basis": basis}
            for item, grade, amount, basis in data.FEE_STANDARDS]


def make_books(seed: int = SEED) -> Books:
    """The consistent books every set starts from."""
    rng = random.Random(seed)
    assets = make_assets()
    fees = make_fees(rng)
    return Books(
        assets=Table("fixed_assets", "固定资产台账", ASSET_COLUMNS, assets,
                     ("quantity", "original_value", "accumulated_depreciation", "net_value")),
        gl=Table("gl_balances", "总账科目余额", GL_COLUMNS, gl_from_assets(assets)),
        count=Table("asset_count", "资产盘点表", COUNT_COLUMNS, count_from_assets(assets, rng),
                    ("counted_quantity",)),
        stock=Table("stock_moves", "物资出入库登记", STOCK_COLUMNS, make_stock(rng),
                    ("in_qty", "in_amount", "out_qty", "out_amount")),
        fees=Table("fees", "收费台账", FEE_COLUMNS, fees, ("due", "waived", "paid", "refunded")),
        standards=Table("fee_standards", "收费标准", STANDARD_COLUMNS, make_standards()),
        deposits=Table("deposits", "银行缴款登记", DEPOSIT_COLUMNS, deposits_from_fees(fees),
                       ("amount",)),
        disposals=Table("disposals", "资产处置登记", DISPOSAL_COLUMNS, disposals_from_assets(assets),
                        ("quantity", "original_value", "accumulated_depreciation", "net_value")),
    )
