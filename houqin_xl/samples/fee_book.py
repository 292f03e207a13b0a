"""The fees of set 6 as a class teacher's book keeps them: wide.

- 代收费登记表（2026秋）.xlsx: one sheet per class (一(1)班 … 六(2)班), one row per student and one
  column per item (作业本费, 校服费, 保险费, 伙食费 over 应收 | 减免 | 实收, 住宿费, 课后服务费), then
  合计, 收据号, 缴费日期, 备注; a blank item is an item the student does not take; the form is
  pre-numbered to 序号 10; a 合计 row and the signature line close it.
- 代收费项目及标准（2026秋）.xlsx: the standards wide, one row per grade, one column per item.
- 银行存款日记账（代收费专户）.xls: the cashier's bank book, whose money-in lines are each day's
  takings deposited (收支两条线).

The students, items and amounts are those of sets 1–2 (`books.make_fees`), kept as a wide book
keeps them: one receipt and one date per student (the day the student settled up), an item
waived in full or not paid left blank with a 备注 saying so, 伙食费's waiver and arrears in its
own 减免 / 实收 columns. Refunds of sets 1–2 belong to the 清退 records, not to this book.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..read.grid import column_letter
from . import data
from .layout import Layout, save_openpyxl, save_xlwt, sum_numbers

FEE_FILE = "代收费登记表（2026秋）.xlsx"
STANDARDS_FILE = "代收费项目及标准（2026秋）.xlsx"
JOURNAL_FILE = "银行存款日记账（代收费专户）.xls"
SINGLE_ITEMS = ["作业本费", "校服费", "保险费", "住宿费", "课后服务费"]
MEALS = "伙食费"
# Columns of a class sheet.
COLUMNS = {"seq": 1, "student_id": 2, "name": 3, "作业本费": 4, "校服费": 5, "保险费": 6,
           "伙食费应收": 7, "伙食费减免": 8, "伙食费实收": 9, "住宿费": 10, "课后服务费": 11,
           "total": 12, "receipt_no": 13, "paid_on": 14, "note": 15}
HEADER_ROWS = (4, 5)
FORM_ROWS = 10  # the form is pre-numbered to 序号 10
RECEIPT_START = 41001
HOMEROOM = ["孙丽", "罗晓梅", "周敏", "邓丽君", "吴红梅", "谢雨晴", "郑海涛", "韩晓东", "冯静", "宋佳",
            "何志强", "唐芳"]


def column(name: str) -> str:
    return column_letter(COLUMNS[name])


@dataclass
class Student:
    """One row of a class sheet: what the class teacher wrote."""

    seq: int
    student_id: str
    name: str
    grade: str
    amounts: dict[str, Decimal] = field(default_factory=dict)  # item or 伙食费应收/减免/实收 → amount
    paid_on: dt.date | None = None
    receipt_no: str | None = None
    notes: list[str] = field(default_factory=list)
    total_written: Decimal | None = None  # a 合计 written otherwise than the items add up to

    @property
    def collected(self) -> Decimal:
        return sum_numbers([self.amounts.get(i) for i in SINGLE_ITEMS] + [self.amounts.get("伙食费实收")])

    @property
    def total(self) -> Decimal:
        return self.collected if self.total_written is None else self.total_written


@dataclass
class ClassSheet:
    name: str    # 三(2)班
    grade: str
    teacher: str
    students: list[Student] = field(default_factory=list)

    def row_of(self, student: Student) -> int:
        return HEADER_ROWS[-1] + student.seq

    @property
    def total_row(self) -> int:
        return HEADER_ROWS[-1] + FORM_ROWS + 1


def make_classes(fee_rows: list[dict[str, Any]]) -> list[ClassSheet]:
    """The class sheets from the long fee rows, receipts numbered in the order money came in."""
    sheets: dict[str, ClassSheet] = {}
    students: dict[tuple[str, str], Student] = {}
    for row in fee_rows:
        klass = row["class"].replace("（", "(").replace("）", ")")
        sheet = sheets.get(klass)
        if sheet is None:
            sheet = sheets[klass] = ClassSheet(klass, row["grade"], HOMEROOM[len(sheets)])
        key = (klass, row["student_id"])
        student = students.get(key)
        if student is None:
            student = students[key] = Student(len(sheet.students) + 1, row["student_id"], row["student_name"],
                                              row["grade"])
            sheet.students.append(student)
        _take(student, row)
    paying = sorted((s.paid_on, k, s.seq, s) for k, sheet in enumerate(sheets.values())
                    for s in sheet.students if s.paid_on)
    for number, (_day, _class, _seq, student) in enumerate(paying, start=RECEIPT_START):
        student.receipt_no = f"C{number:07d}"
    return list(sheets.values())


def _take(student: Student, row: dict[str, Any]) -> None:
    item, due, waived, paid = row["item"], row["due"], row["waived"], row["paid"]
    if item == MEALS:
        student.amounts.update({"伙食费应收": due, "伙食费减免": waived or None, "伙食费实收": paid or None})
        if not paid and not waived:
            student.notes.append("伙食费欠费，已通知家长")
        elif waived:
            student.notes.append("伙食费减半（特困生）")
    elif paid == due:
        student.amounts[item] = paid
    elif waived == due:
        student.notes.append(f"{item}免收（特困生）")
    else:
        student.notes.append(f"{item}未交，已通知家长")
    if paid and row.get("paid_on"):
        # The day the student settled up: a late payer brings everything on the last day.
        student.paid_on = max(student.paid_on or row["paid_on"], row["paid_on"])


def class_layout(sheet: ClassSheet) -> Layout:
    layout = Layout(sheet.name, freeze=(HEADER_ROWS[-1] + 1, 4))
    top, sub = HEADER_ROWS
    layout.merge(1, 1, 1, 15, f"{data.SCHOOL}{data.TERM}代收费登记表", "title")
    layout.merge(2, 1, 2, 4, f"班级：{sheet.name}")
    layout.merge(2, 5, 2, 9, f"班主任：{sheet.teacher}")
    layout.merge(2, 13, 2, 15, "单位：元")
    for name, text in (("seq", "序号"), ("student_id", "学号"), ("name", "姓名"), ("作业本费", "作业本费"),
                       ("校服费", "校服费"), ("保险费", "保险费"), ("住宿费", "住宿费"),
                       ("课后服务费", "课后服务费"), ("total", "合计"), ("receipt_no", "收据号"),
                       ("paid_on", "缴费日期"), ("note", "备注")):
        layout.merge(top, COLUMNS[name], sub, COLUMNS[name], text, "header")
    layout.merge(top, COLUMNS["伙食费应收"], top, COLUMNS["伙食费实收"], MEALS, "header")
    for role in ("应收", "减免", "实收"):
        layout.put(sub, COLUMNS[MEALS + role], role, "header")
    layout.widths = {1: 5, 2: 9, 3: 8, 4: 9, 5: 8, 6: 8, 7: 8, 8: 8, 9: 8, 10: 8, 11: 10, 12: 10,
                     13: 11, 14: 11, 15: 24}
    for seq in range(1, FORM_ROWS + 1):
        layout.put(HEADER_ROWS[-1] + seq, COLUMNS["seq"], seq, "center")
    for student in sheet.students:
        row = sheet.row_of(student)
        layout.put(row, COLUMNS["student_id"], student.student_id)
        layout.put(row, COLUMNS["name"], student.name)
        for name, amount in student.amounts.items():
            if amount:
                layout.put(row, COLUMNS[name], amount)
        layout.put(row, COLUMNS["total"], student.total)
        if student.receipt_no:
            layout.put(row, COLUMNS["receipt_no"], student.receipt_no)
            layout.put(row, COLUMNS["paid_on"], student.paid_on)
        if student.notes:
            layout.put(row, COLUMNS["note"], "；".join(student.notes))
    row = sheet.total_row
    layout.merge(row, 1, row, 3, "合计", "total")
    for name in (*SINGLE_ITEMS, "伙食费应收", "伙食费减免", "伙食费实收"):
        values = [s.amounts.get(name) for s in sheet.students]
        if any(values):
            layout.put(row, COLUMNS[name], sum_numbers(values), "total")
    layout.put(row, COLUMNS["total"], sum_numbers([s.total for s in sheet.students]), "total")
    layout.put(row + 2, 1, "班主任（签字）：")
    layout.put(row + 2, 6, f"收费员：{data.BURSAR}")
    layout.put(row + 2, 11, f"审核：{data.AUDITOR}")
    return layout


STANDARD_ITEMS = ["作业本费", "校服费", "保险费", "伙食费", "住宿费", "课后服务费"]
BOARDING_GRADES = ("五年级", "六年级")


def standards_layout() -> Layout:
    """The standards as the school posts them: a grade a row, an item a column."""
    amounts = {(item, grade): Decimal(amount) for item, grade, amount, _ in data.FEE_STANDARDS}
    layout = Layout("收费标准")
    layout.merge(1, 1, 1, 8, f"{data.SCHOOL}{data.TERM}代收费项目及标准（公示）", "title")
    layout.put(2, 7, "单位：元/生·学期")
    for col, text in enumerate(["年级", *STANDARD_ITEMS, "备注"], start=1):
        layout.put(3, col, text, "header")
    layout.widths = {1: 10, 2: 10, 3: 10, 4: 10, 5: 10, 6: 10, 7: 12, 8: 26}
    for r, grade in enumerate(data.GRADES, start=4):
        layout.put(r, 1, grade, "center")
        for col, item in enumerate(STANDARD_ITEMS, start=2):
            amount = amounts.get((item, grade), amounts.get((item, "全部")))
            if item == "住宿费" and grade not in BOARDING_GRADES:
                amount = None  # no boarders below 五年级
            if amount is not None:
                layout.put(r, col, amount, "money")
        if grade == "一年级":
            layout.put(r, 8, "校服费仅限新生")
        elif grade in BOARDING_GRADES:
            layout.put(r, 8, "住宿费仅限住宿生")
    notes = ["注：1. 作业本费、住宿费：阳价费〔2025〕9号；伙食费：阳教财〔2026〕21号；",
             "　　校服费：阳教发〔2026〕12号；课后服务费：阳发改〔2024〕33号；保险费：学生自愿参保。",
             "　　2. 校服费、保险费、住宿费、课后服务费为自愿项目，不得强制收取。",
             "　　监督电话：0000-12345678"]
    for k, text in enumerate(notes):
        layout.put(11 + k, 1, text)
    return layout


@dataclass
class JournalLine:
    """One line of the bank book."""

    kind: str  # opening, move, month, year
    summary: str
    date: dt.date | None = None
    voucher: str | None = None
    counterpart: str | None = None
    money_in: Decimal | None = None
    money_out: Decimal | None = None
    balance: Decimal | None = None


# The year's payments out of the fees account, and the spring term's takings (set 6's books hold
# the autumn term only; the spring's deposits are the book's own).
_SPRING_IN = [(dt.date(2026, 3, 2), "318450.00"), (dt.date(2026, 3, 3), "296780.00"),
              (dt.date(2026, 3, 4), "301120.00"), (dt.date(2026, 3, 9), "8640.00")]
_PAYMENTS = [
    (dt.date(2026, 1, 16), "转缴上学期课后服务费至财政专户", "应缴财政款", "41880.00"),
    (dt.date(2026, 3, 20), "支付春季学生意外险（中国人寿）", "其他应付款", "67300.00"),
    (dt.date(2026, 3, 27), "支付春季作业本款（新华书店）", "其他应付款", "34560.00"),
    (dt.date(2026, 3, 31), "支付3月食堂食材款", "其他应付款", "128400.00"),
    (dt.date(2026, 4, 30), "支付4月食堂食材款", "其他应付款", "131250.00"),
    (dt.date(2026, 5, 29), "支付5月食堂食材款", "其他应付款", "126980.00"),
    (dt.date(2026, 6, 30), "支付6月食堂食材款", "其他应付款", "98760.00"),
    (dt.date(2026, 7, 10), "转缴春季课后服务费至财政专户", "应缴财政款", "152400.00"),
    (dt.date(2026, 9, 25), "支付新生校服款（阳光服装厂）", "其他应付款", "6240.00"),
    (dt.date(2026, 9, 28), "支付秋季学生意外险（中国人寿）", "其他应付款", "7500.00"),
    (dt.date(2026, 9, 30), "支付9月食堂食材款", "其他应付款", "26300.00"),
    (dt.date(2026, 10, 30), "支付10月食堂食材款", "其他应付款", "24850.00"),
    (dt.date(2026, 11, 27), "支付11月食堂食材款", "其他应付款", "23120.00"),
]
OPENING = Decimal("46235.80")


def daily_takings(sheets: list[ClassSheet]) -> dict[dt.date, Decimal]:
    """What each day's receipts took in, all classes together: what the cashier deposits."""
    taken: dict[dt.date, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for sheet in sheets:
        for student in sheet.students:
            if student.paid_on:
                taken[student.paid_on] += student.collected
    return dict(taken)


def journal_lines(deposits: dict[dt.date, Decimal]) -> list[JournalLine]:
    """The bank book for the year to the period's end: 上年结转, each deposit and payment, and
    本月合计 / 本年累计 after every month with a line."""
    moves = [(day, f"存入代收费（{day.month}月{day.day}日收）", "其他应付款", Decimal(amount), None)
             for day, amount in _SPRING_IN]
    moves += [(day, f"存入代收费（{day.month}月{day.day}日收）", "其他应付款", amount, None)
              for day, amount in deposits.items()]
    moves += [(day, text, counterpart, None, Decimal(amount)) for day, text, counterpart, amount in _PAYMENTS]
    moves.sort(key=lambda m: (m[0], m[3] is None))
    balance = OPENING
    lines = [JournalLine("opening", "上年结转", dt.date(2026, 1, 1), balance=balance)]
    year_in = year_out = Decimal("0.00")
    for month in sorted({m[0].month for m in moves}):
        month_in = month_out = Decimal("0.00")
        for number, (day, text, counterpart, money_in, money_out) in enumerate(
                [m for m in moves if m[0].month == month], start=1):
            balance += (money_in or 0) - (money_out or 0)
            if balance < 0:
                raise AssertionError(f"the fees account would be overdrawn on {day}")
            lines.append(JournalLine("move", text, day, f"银收-{month:02d}{number:02d}" if money_in
                                     else f"银付-{month:02d}{number:02d}", counterpart, money_in, money_out,
                                     balance))
            month_in += money_in or 0
            month_out += money_out or 0
        year_in, year_out = year_in + month_in, year_out + month_out
        lines.append(JournalLine("month", "本月合计", money_in=month_in, money_out=month_out, balance=balance))
        lines.append(JournalLine("year", "本年累计", money_in=year_in, money_out=year_out, balance=balance))
    return lines


def journal_layout(lines: list[JournalLine]) -> Layout:
    layout = Layout("银行存款日记账")
    layout.merge(1, 1, 1, 8, "银行存款日记账", "title")
    layout.merge(2, 1, 2, 4, f"账户名称：{data.SCHOOL}代收费专户")
    layout.merge(2, 5, 2, 8, "开户行：阳光县农村商业银行城关支行　账号：6217 9930 0012 3456")
    for col, text in enumerate(["日期", "凭证号", "摘要", "对方科目", "借方", "贷方", "方向", "余额"], start=1):
        layout.put(3, col, text, "header")
    layout.widths = {1: 11, 2: 11, 3: 30, 4: 11, 5: 13, 6: 13, 7: 5, 8: 14}
    for row, line in enumerate(lines, start=4):
        look = "total" if line.kind in ("month", "year") else ""
        for col, value in ((1, line.date), (2, line.voucher), (3, line.summary), (4, line.counterpart),
                           (5, line.money_in), (6, line.money_out)):
            if value:
                layout.put(row, col, value, look)
        layout.put(row, 7, "借" if line.balance else "平", "center")
        layout.put(row, 8, line.balance, look or "money")
    footer = 4 + len(lines) + 1
    layout.put(footer, 1, "出纳：张玉兰")
    layout.put(footer, 5, f"复核：{data.BURSAR}")
    return layout


def write_fee_books(sheets: list[ClassSheet], lines: list[JournalLine], folder: Path) -> list[Path]:
    paths = [folder / FEE_FILE, folder / STANDARDS_FILE, folder / JOURNAL_FILE]
    save_openpyxl([class_layout(s) for s in sheets], paths[0])
    save_openpyxl([standards_layout()], paths[1])
    save_xlwt([journal_layout(lines)], paths[2])
    return paths
