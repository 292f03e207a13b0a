"""Set 7 (示例7-导出与账簿差错): sets 5 and 6 together with a few defects a bursar really meets in
these shapes, each with the finding a correct check reports.

Each defect is one slip; everything downstream of it is written as the books would carry it
(the day's deposit is what was collected, the 合计 column adds the 合计 cells as written, the
finance office's double entry still balances), so each defect is found once, where it is — a
slip between the cards and the general ledger (a purchase not carded, a card a month short of
depreciation) once in its class and once in the total.
"""

from __future__ import annotations

import calendar
from decimal import Decimal
from typing import Any

from .exports import CARD_FILE, CardShown, card_column, card_row
from .fee_book import FEE_FILE
from .fee_book import column as fee_column
from .shapes import ShapeBooks
from .stores_book import BOOK_FILE, ItemPage, Line
from .stores_book import column as book_column

CARD_SHEET = "资产卡片信息列表"


def _expect(kind: str, ledger: str, path: str, sheet: str | None, row: int | None, column: str | None,
            field: str | None, note: str, key: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"kind": kind, "ledger": ledger, "file": path, "sheet": sheet, "row": row, "column": column,
            "field": field, "key": key, "说明": note}


def seed_shape_defects(shapes: ShapeBooks) -> list[dict[str, Any]]:
    expected: list[dict[str, Any]] = []
    expected += _stores_book(shapes)
    expected += _fee_book(shapes)
    expected += _exports(shapes)
    return expected


def _page(shapes: ShapeBooks, item: str) -> ItemPage:
    return next(p for p in shapes.pages if p.item == item)


def _month_total(page: ItemPage, month: int) -> Line:
    current = None
    for line in page.lines:
        if line.date is not None:
            current = line.date.month
        elif line.kind == "month" and current == month:
            return line
    raise LookupError(f"{page.item}: no 本月合计 for month {month}")


def _stores_book(shapes: ShapeBooks) -> list[dict[str, Any]]:
    out = []
    pens = _page(shapes, "签字笔")
    total = _month_total(pens, 10)
    total.figures["out_qty"] += 10
    out.append(_expect("arithmetic", "stock_moves", BOOK_FILE, pens.sheet, pens.row_of(total),
                       book_column("out_qty"), "out_qty", "10月本月合计 发出数量 多加了10盒"))
    ink = _page(shapes, "墨盒")
    october = [k for k, line in enumerate(ink.lines) if line.kind == "move" and line.date.month == 10]
    at = next(k for k in october[:-1] if ink.lines[k + 1].kind == "move")
    line = ink.lines[at]
    line.figures["balance_qty"] += 2
    line.figures["balance_amount"] = ink.price * line.figures["balance_qty"]
    out.append(_expect("stock_balance", "stock_moves", BOOK_FILE, ink.sheet, ink.row_of(line),
                       book_column("balance_qty"), "balance_qty", "结存数量多记2个（金额随之按单价算）",
                       key={"item": f"{ink.code} {ink.item} {ink.spec}"}))
    return out


def _fee_book(shapes: ShapeBooks) -> list[dict[str, Any]]:
    out = []
    fourth = next(c for c in shapes.classes if c.name == "四(1)班")
    student = next(s for s in fourth.students if s.amounts.get("作业本费"))
    student.amounts["作业本费"] = Decimal("60.00")  # collected, so also in 合计 and the deposit
    out.append(_expect("bad_value", "fees", FEE_FILE, fourth.name, fourth.row_of(student), fee_column("作业本费"),
                       "due", "四年级作业本费标准55元，按五年级的60元收取"))
    third = next(c for c in shapes.classes if c.name == "三(2)班")
    student = third.students[3]
    student.total_written = student.collected + 100
    out.append(_expect("arithmetic", "fees", FEE_FILE, third.name, third.row_of(student), fee_column("total"),
                       "paid", f"合计 {student.total_written} 比各项之和 {student.collected} 多100元"))
    numbered = sorted((s for c in shapes.classes for s in c.students if s.receipt_no), key=lambda s: s.receipt_no)
    gap = numbered[len(numbered) // 2].receipt_no
    for student in numbered[len(numbered) // 2:]:
        student.receipt_no = f"C{int(student.receipt_no[1:]) + 1:07d}"
    out.append(_expect("receipt_gap", "fees", FEE_FILE, shapes.classes[0].name, None, None, "receipt_no",
                       f"收据 {gap} 撕坏未留存根，也未登记作废", key={"receipt_no": gap}))
    return out


def _exports(shapes: ShapeBooks) -> list[dict[str, Any]]:
    out = []
    listed = shapes.listed
    shapes.extra_postings += ((11, "160102", "1011", Decimal("3800.00")),)
    note = "财务11月25日已付款入账一台投影仪（3,800元，记入160102），资产系统尚未建卡"
    # Reported against the register, whose totals the general ledger is compared with.
    out.append(_expect("ledger_mismatch", "fixed_assets", CARD_FILE, CARD_SHEET, None, None, "original_value",
                       note, key={"category": "通用设备"}))
    out.append(_expect("ledger_mismatch", "fixed_assets", CARD_FILE, CARD_SHEET, None, None, "original_value",
                       "总账1601合计随之比卡片多3,800元", key={"category": "合计"}))
    laptop = next(c for c in listed if c.name == "笔记本电脑" and c.acquired.year == 2025)
    counted = next(c for c in shapes.count if c.card is laptop)
    counted.place, counted.found, counted.status, counted.who, counted.when = "", "", "未盘", "", None
    out.append(_expect("count_missing", "fixed_assets", CARD_FILE, CARD_SHEET, card_row(listed, laptop.card_id),
                       card_column("资产编号"), "asset_id", "盘点APP上这台笔记本电脑为“未盘”（未扫到标签）",
                       key={"asset_id": laptop.card_id}))
    camera = next(c for c in listed if c.name == "数码相机")
    if calendar.monthrange(camera.booked.year, camera.booked.month)[1] != 30:
        raise AssertionError("the typo needs a month of 30 days")
    shown = f"{camera.booked:%Y-%m}-31"  # the 31st of a month of 30 days
    shapes.shown[camera.card_id] = CardShown(booked=shown)
    out.append(_expect("bad_type", "fixed_assets", CARD_FILE, CARD_SHEET, card_row(listed, camera.card_id),
                       card_column("财务入账日期"), "booked_on", f"财务入账日期 {shown} 不存在"))
    piano = next(c for c in listed if c.name == "钢琴" and c.acquired.year == 2026)
    shapes.shown[piano.card_id] = CardShown(months=piano.months_depreciated(2026, 11) - 1)
    out.append(_expect("depreciation", "fixed_assets", CARD_FILE, CARD_SHEET, card_row(listed, piano.card_id),
                       card_column("累计折旧(元)"), "accumulated_depreciation",
                       "10月新购的钢琴按“当月增加、下月计提”只提了1个月，应提2个月（当月增加，当月计提）"))
    # The finance office charged it by the rule: 1602 专用设备 is 300 yuan above the cards.
    out.append(_expect("ledger_mismatch", "fixed_assets", CARD_FILE, CARD_SHEET, None, None,
                       "accumulated_depreciation", "卡片少提折旧，总账1602专用设备比卡片多300元（折旧账账不符）",
                       key={"category": "专用设备"}))
    out.append(_expect("ledger_mismatch", "fixed_assets", CARD_FILE, CARD_SHEET, None, None,
                       "accumulated_depreciation", "总账1602合计随之比卡片多300元", key={"category": "合计"}))
    return out
