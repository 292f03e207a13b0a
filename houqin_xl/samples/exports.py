"""Set 5 (示例5-系统导出): the school's books as the systems export them.

- 资产卡片信息列表_20261130.xls — the provincial asset system's card export: an HTML table in GBK
  saved as .xls; a title, a 单位名称 / 导出时间 line, one header row of 25 columns (资产分类代码 |
  资产分类名称 with detailed GB/T 14885-2010 codes, 数量/面积 — buildings by floor area —, 价值(元)
  without 单价, 累计折旧(元) and 净值(元) by the depreciation rule, 取得日期 and 财务入账日期 as text,
  18-digit card numbers kept text, 使用状况 with 出租 and 待处置), a 合计 row.
- 科目余额表_2026年11月.xls — the finance software's trial balance as SpreadsheetML 2003: every
  account of the chart, 期初余额 / 本期发生额 / 本年累计 / 期末余额 each over 借方 | 贷方, amounts as
  text with thousands separators and a trailing space, zeros blank, a blank row between the
  account classes, a 合计 of the level-1 accounts; 1601's children agree with the cards by class
  and 1602's with their Σ 累计折旧.
- 资产盘点结果_20261125.csv — the barcode app's result in GBK: every card with its 盘点状态.
- 资产处置明细_2026年.xls — the asset system's list of the year's disposals (HTML .xls like the
  cards): the disposed cards, gone from the card export, with their 处置单 and its approval.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from ..read.grid import column_letter
from . import data
from .cards import Card, exported
from .exported import save_csv, save_html_xls, save_spreadsheet_xml
from .layout import Layout
from .trial_balance import AccountRow

PERIOD = (2026, 11)
CARD_FILE = "资产卡片信息列表_20261130.xls"
GL_FILE = "科目余额表_2026年11月.xls"
COUNT_FILE = "资产盘点结果_20261125.csv"
DISPOSAL_FILE = "资产处置明细_2026年.xls"

CARD_COLUMNS: list[tuple[str, float]] = [
    ("序号", 5), ("资产编号", 21), ("资产名称", 16), ("资产分类代码", 11), ("资产分类名称", 16),
    ("规格型号", 22), ("计量单位", 7), ("数量/面积", 9), ("价值(元)", 14), ("累计折旧(元)", 14),
    ("净值(元)", 14), ("取得方式", 8), ("取得日期", 11), ("财务入账日期", 12), ("会计凭证号", 15),
    ("使用部门", 10), ("使用人", 7), ("存放地点", 12), ("使用状况", 8), ("折旧状态", 8),
    ("折旧方法", 10), ("使用年限(月)", 10), ("已提月数", 8), ("价值类型", 8), ("备注", 30),
]
CARD_HEADER_ROW = 3


def card_column(header: str) -> str:
    """The column letter of a card export header (`取得日期` → M)."""
    return column_letter([h for h, _ in CARD_COLUMNS].index(header) + 1)


def card_row(cards: list[Card], card_id: str) -> int:
    """The Excel row of a card on the export."""
    return CARD_HEADER_ROW + 1 + [c.card_id for c in cards].index(card_id)


@dataclass
class CardShown:
    """What the export prints for a card where it differs from the card (a seeded defect)."""

    acquired: str | None = None
    booked: str | None = None
    months: int | None = None  # months depreciated, when the system counted otherwise


def card_layout(cards: list[Card], shown: dict[str, CardShown] | None = None) -> Layout:
    year, month = PERIOD
    shown = shown or {}
    width = len(CARD_COLUMNS)
    layout = Layout("资产卡片信息列表")
    layout.merge(1, 1, 1, width, "资产卡片信息列表", "title")
    layout.merge(2, 1, 2, 12, f"单位名称：{data.SCHOOL}")
    layout.merge(2, 13, 2, width, "导出时间：2026-11-30 16:42:18　导出人：王建国")
    for col, (header, chars) in enumerate(CARD_COLUMNS, start=1):
        layout.put(CARD_HEADER_ROW, col, header, "header")
        layout.widths[col] = chars
    row = CARD_HEADER_ROW

    def months_of(card: Card) -> int:
        override = shown.get(card.card_id, CardShown())
        return card.months_depreciated(year, month) if override.months is None else override.months

    def depreciation_of(card: Card) -> Decimal:
        if shown.get(card.card_id, CardShown()).months is None:
            return card.depreciation(year, month)
        return (card.value * months_of(card) / card.life).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    for seq, card in enumerate(cards, start=1):
        row += 1
        depreciation = depreciation_of(card)
        override = shown.get(card.card_id, CardShown())
        values = [
            seq, card.card_id, card.name, card.code, card.code_name, card.spec, card.unit,
            card.quantity, card.value, depreciation, card.value - depreciation, card.how,
            override.acquired or f"{card.acquired:%Y-%m-%d}", override.booked or f"{card.booked:%Y-%m-%d}",
            card.voucher, card.department, card.user, card.location, card.status,
            card.depreciation_status(year, month), "年限平均法" if card.life else None,
            card.life, months_of(card), card.value_type, card.note or None,
        ]
        layout.put_row(row, values)
    row += 1
    layout.merge(row, 1, row, 7, "合计", "total")
    layout.put(row, 8, sum(c.quantity for c in cards), "total")
    for col, name in ((9, "value"), (10, "depreciation"), (11, "net")):
        total = Decimal("0.00")
        for card in cards:
            depreciation = depreciation_of(card)
            total += {"value": card.value, "depreciation": depreciation,
                      "net": card.value - depreciation}[name]
        layout.put(row, col, total, "total")
    return layout


GL_HEADER = [("期初余额", "opening"), ("本期发生额", "movement"), ("本年累计", "year"),
             ("期末余额", "closing")]
GL_HEADER_ROWS = (3, 4)


def amount_text(value: Decimal) -> str | None:
    """An amount as the finance software exports it: text with thousands separators and a
    trailing space; a zero is a blank cell."""
    return f"{value:,.2f} " if value else None


def _sides(row: AccountRow, group: str) -> tuple[Decimal, Decimal]:
    """(借方, 贷方) of a group: a balance on the side of its sign, movements as posted."""
    if group in ("opening", "closing"):
        value = row.opening if group == "opening" else row.closing
        return (value, Decimal(0)) if value > 0 else (Decimal(0), -value)
    if group == "movement":
        return row.debit, row.credit
    return row.year_debit, row.year_credit


def gl_row_of(rows: list[AccountRow], code: str) -> int:
    """The Excel row of an account on the 余额表 (accounts, with a blank row between classes)."""
    row = GL_HEADER_ROWS[-1]
    previous = None
    for account in rows:
        if previous is not None and account.code[0] != previous:
            row += 1
        row += 1
        previous = account.code[0]
        if account.code == code:
            return row
    raise LookupError(code)


def gl_layout(rows: list[AccountRow]) -> Layout:
    layout = Layout("科目余额表")
    layout.merge(1, 1, 1, 10, "科目余额表", "title")
    layout.merge(2, 1, 2, 3, f"编制单位：{data.SCHOOL}", "line")
    layout.merge(2, 4, 2, 7, "期间：2026年11月 — 2026年11月", "line")
    layout.merge(2, 8, 2, 10, "单位：元", "line")
    top, sub = GL_HEADER_ROWS
    layout.merge(top, 1, sub, 1, "科目编码", "header")
    layout.merge(top, 2, sub, 2, "科目名称", "header")
    for k, (title, _group) in enumerate(GL_HEADER):
        col = 3 + 2 * k
        layout.merge(top, col, top, col + 1, title, "header")
        layout.put(sub, col, " 借方 ", "header")   # padded, as the software prints them
        layout.put(sub, col + 1, " 贷方 ", "header")
    layout.widths = {1: 10, 2: 26, **{c: 15 for c in range(3, 11)}}
    totals = {c: Decimal(0) for c in range(3, 11)}
    for account in rows:
        row = gl_row_of(rows, account.code)
        layout.put(row, 1, account.code)
        layout.put(row, 2, account.name if account.level == 1 else "    " + account.name)
        for k, (_title, group) in enumerate(GL_HEADER):
            debit, credit = _sides(account, group)
            for col, value in ((3 + 2 * k, debit), (4 + 2 * k, credit)):
                layout.put(row, col, amount_text(value), "money")
                if account.level == 1:
                    totals[col] += value
    row = gl_row_of(rows, rows[-1].code) + 1
    layout.put(row, 2, "合计", "total")
    for col, value in totals.items():
        layout.put(row, col, amount_text(value), "total")
    layout.put(row + 2, 1, "财务负责人：周国平", "line")
    layout.put(row + 2, 5, "制表：张玉兰", "line")
    layout.put(row + 2, 8, "打印日期：2026-11-30", "line")
    return layout


COUNT_HEADER = ["资产编号", "资产名称", "使用部门", "账面存放地点", "实际存放地点", "账面数量", "实盘数量",
                "盘点状态", "盘点人", "盘点时间", "备注"]


@dataclass
class Counted:
    """One line of the app's result."""

    card: Card
    place: str
    found: Any
    status: str
    who: str
    when: dt.datetime | None
    note: str = ""

    def values(self) -> list[Any]:
        return [self.card.card_id, self.card.name, self.card.department, self.card.location, self.place,
                self.card.quantity, self.found, self.status, self.who,
                self.when.strftime("%Y-%m-%d %H:%M:%S") if self.when else "", self.note]


def count_lines(cards: list[Card], seed: int) -> list[Counted]:
    """The count team walks room by room over three days scanning each card's label."""
    rng = random.Random(seed)
    places = sorted({c.location for c in cards})
    days = [dt.date(2026, 11, 23), dt.date(2026, 11, 24), dt.date(2026, 11, 25)]
    team = {p: rng.choice(data.COUNTERS).split("、")[0] for p in places}
    clock = {d: dt.datetime(d.year, d.month, d.day, 8, 30) for d in days}
    lines = []
    for card in sorted(cards, key=lambda c: (c.location, c.card_id)):
        day = days[places.index(card.location) * len(days) // len(places)]
        clock[day] += dt.timedelta(minutes=rng.randint(1, 6), seconds=rng.randint(0, 59))
        lines.append(Counted(card, card.location, card.quantity, "已盘", team[card.location], clock[day]))
    return lines


def count_rows(lines: list[Counted]) -> list[list[Any]]:
    return [COUNT_HEADER, *[line.values() for line in lines]]


DISPOSAL_COLUMNS: list[tuple[str, float]] = [
    ("序号", 5), ("处置单号", 14), ("资产编号", 21), ("资产名称", 12), ("资产分类代码", 11),
    ("资产分类名称", 14), ("规格型号", 18), ("计量单位", 7), ("数量/面积", 9), ("价值(元)", 13),
    ("累计折旧(元)", 13), ("净值(元)", 10), ("取得日期", 11), ("处置方式", 8), ("处置原因", 24),
    ("审批单位", 10), ("批复文号", 18), ("批复日期", 11), ("处置日期", 11), ("处置收入(元)", 11),
]


def disposal_layout(cards: list[Card]) -> Layout:
    """The asset system's 资产处置明细 for the year: one line per disposed card (its number,
    class and figures as the card had them when it left the books), the approval of its
    处置单, a 合计 row. Every disposed card was fully depreciated."""
    disposed = sorted((c for c in cards if c.disposed_in is not None),
                      key=lambda c: (data.DISPOSALS[(c.name, c.spec)][0], c.card_id))
    width = len(DISPOSAL_COLUMNS)
    layout = Layout("资产处置明细")
    layout.merge(1, 1, 1, width, "资产处置明细表", "title")
    layout.merge(2, 1, 2, 10, f"单位名称：{data.SCHOOL}　处置年度：2026", "line")
    layout.merge(2, 11, 2, width, "导出时间：2026-11-30 16:45:02　导出人：王建国", "line")
    for col, (header, chars) in enumerate(DISPOSAL_COLUMNS, start=1):
        layout.put(3, col, header, "header")
        layout.widths[col] = chars
    row = 3
    totals = [Decimal(0), Decimal(0), Decimal(0)]
    for seq, card in enumerate(disposed, start=1):
        row += 1
        number, day, reason, level, approval, approved = data.DISPOSALS[(card.name, card.spec)]
        assert card.disposed_in == (day.year, day.month), card.name
        depreciation = card.depreciation(day.year, day.month)
        figures = [card.value, depreciation, card.value - depreciation]
        totals = [t + f for t, f in zip(totals, figures, strict=True)]
        values = [seq, number, card.card_id, card.name, card.code, card.code_name, card.spec, card.unit,
                  card.quantity, *figures, f"{card.acquired:%Y-%m-%d}", "报废", reason,
                  "教育局" if level == "教育局" else "本单位", approval, f"{approved:%Y-%m-%d}",
                  f"{day:%Y-%m-%d}", None]
        layout.put_row(row, values)
    row += 1
    layout.merge(row, 1, row, 8, "合计", "total")
    layout.put(row, 9, sum(c.quantity for c in disposed), "total")
    for col, total in zip((10, 11, 12), totals, strict=True):
        layout.put(row, col, total, "total")
    return layout


def write_exports(folder: Path, cards: list[Card], gl: list[AccountRow], lines: list[Counted],
                  shown: dict[str, CardShown] | None = None) -> list[Path]:
    """The four files of set 5 (or of its defect copy) in `folder`."""
    paths = [folder / CARD_FILE, folder / GL_FILE, folder / COUNT_FILE, folder / DISPOSAL_FILE]
    save_html_xls(card_layout(exported(cards), shown), paths[0])
    save_spreadsheet_xml([gl_layout(gl)], paths[1], author="张玉兰")
    save_csv(count_rows(lines), paths[2], text_columns={1})
    save_html_xls(disposal_layout(cards), paths[3])
    return paths
