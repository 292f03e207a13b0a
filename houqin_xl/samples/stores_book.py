"""The stores book of set 6 as the storekeeper keeps it on paper-shaped sheets: a 数量金额式
库存物资明细账, one sheet per item, and a 目录 sheet in front.

Each page has the book's title, the item's block (品名：/规格：/计量单位：, 类别：/编号：/存放地点：),
then `2026年` over 月 | 日, 凭证号数, 摘要 and 收入 / 发出 / 结存 each over 数量 | 单价 | 金额. The
year opens with 上年结转 on 1月1日; each month with movements closes with 本月合计 and 本年累计;
a printed page holds 30 lines, so a long year breaks with 过次页 / 承前页; a signature line ends
the sheet. The month is written on the month's first line only, as on paper.

The figures are the school's own: September to November are the movements of sets 1–2
(`books.make_stock`), and the spring term (a purchase before term, issues from March to June)
is worked back from the September opening, so the whole year rolls forward.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..read.grid import column_letter
from . import data
from .books import to_money
from .layout import Layout, save_openpyxl

BOOK_FILE = "库存物资明细账（2026年）.xlsx"
YEAR = 2026
PAGE_LINES = 30
FIRST_LINE = 6  # rows 1–3 the title block, 4–5 the header
# Excel columns of the page: 月 日 凭证号数 摘要, then 收入 / 发出 / 结存 × 数量 单价 金额.
COLUMNS = {"month": 1, "day": 2, "doc": 3, "summary": 4, "in_qty": 5, "in_price": 6, "in_amount": 7,
           "out_qty": 8, "out_price": 9, "out_amount": 10, "balance_qty": 11, "balance_price": 12,
           "balance_amount": 13}
# The item's code and class in the storekeeper's numbering.
ITEM_CODES = {"A4复印纸": ("BG-001", "办公用品"), "签字笔": ("BG-002", "办公用品"), "墨盒": ("BG-003", "办公用品"),
              "硒鼓": ("BG-004", "办公用品"), "粉笔": ("JX-001", "教学用品"), "作业本": ("JX-002", "教学用品"),
              "84消毒液": ("QJ-001", "清洁用品"), "洗洁精": ("QJ-002", "清洁用品"),
              "垃圾袋": ("QJ-003", "清洁用品"), "拖把": ("QJ-004", "清洁用品")}


def column(name: str) -> str:
    return column_letter(COLUMNS[name])


@dataclass(eq=False)  # a line is found by identity: two months may close with the same figures
class Line:
    """One line of an item's page: what the storekeeper wrote in each column."""

    kind: str  # opening, move, month, year, carry_out, carry_in
    summary: str
    date: dt.date | None = None
    doc: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)  # column name → value written


@dataclass
class ItemPage:
    item: str
    spec: str
    unit: str
    price: Decimal
    code: str
    kind: str
    lines: list[Line] = field(default_factory=list)

    @property
    def sheet(self) -> str:
        return self.item

    def row_of(self, line: Line) -> int:
        return FIRST_LINE + self.lines.index(line)


def _spring(rng: random.Random, opening_september: int, low: int, high: int, takers: list[str]
            ) -> tuple[int, list[tuple[dt.date, str, int, int, str | None]]]:
    """The spring term worked back from September's opening: (上年结转, moves as (date, summary,
    received, issued, taker)). A purchase before term covers what the year's opening does not."""
    days = [dt.date(YEAR, 3, 2) + dt.timedelta(days=d) for d in range(0, 120)]
    days = [d for d in days if d.weekday() < 5 and d <= dt.date(YEAR, 6, 30)
            and d not in (dt.date(YEAR, 4, 6), dt.date(YEAR, 5, 1), dt.date(YEAR, 6, 19))]
    issue_days = sorted(rng.sample(days, 6))
    issues = [rng.randint(low, high) for _ in issue_days]
    brought = max(low, opening_september // 3)
    bought = opening_september + sum(issues) - brought
    moves = [(dt.date(YEAR, 2, 27), "购入（开学前采购）", bought, 0, None)]
    moves += [(day, "领用", 0, qty, rng.choice(takers)) for day, qty in zip(issue_days, issues, strict=True)]
    return brought, moves


def make_pages(stock_rows: list[dict[str, Any]], seed: int) -> list[ItemPage]:
    """One page per item: the year's lines, totals and page carries included."""
    rng = random.Random(seed)
    pages = []
    for item, spec, unit, price, _opening, (low, high), takers in data.STOCK_ITEMS:
        price = to_money(price)
        autumn = [r for r in stock_rows if r["item"] == item]
        opening = next(r["balance_qty"] for r in autumn if r["summary"] == "期初结存")
        brought, spring = _spring(rng, opening, low, high, takers)
        code, kind = ITEM_CODES[item]
        moves = []
        for n, (day, summary, received, issued, taker) in enumerate(spring, start=1):
            prefix = "RK" if received else "LY"  # the spring's slips, numbered per item
            moves.append((day, f"{prefix}{day:%Y%m}{code[-3:]}{n}", f"{taker}领用" if taker else summary,
                          received, issued))
        for r in autumn:
            if r["summary"] == "期初结存":
                continue
            summary = {"购入": "购入（定点采购）", "报损": "报损（仓库漏雨受潮）"}.get(r["summary"])
            moves.append((r["date"], r["doc_no"], summary or f"{r.get('department')}领用",
                          r.get("in_qty") or 0, r.get("out_qty") or 0))
        page = ItemPage(item, spec, unit, price, code, kind)
        page.lines = _lines(brought, moves, price)
        pages.append(page)
    return pages


def _money(qty: int, price: Decimal) -> Decimal:
    return to_money(price * qty)


def _lines(brought: int, moves: list[tuple], price: Decimal) -> list[Line]:
    balance = brought
    lines = [Line("opening", "上年结转", dt.date(YEAR, 1, 1), None,
                  {"balance_qty": balance, "balance_price": price, "balance_amount": _money(balance, price)})]
    year_in = year_out = 0
    on_page = 1
    months = sorted({m[0].month for m in moves})
    for month in months:
        month_in = month_out = 0
        for day, doc, summary, received, issued in [m for m in moves if m[0].month == month]:
            if on_page >= PAGE_LINES:
                carried = {"balance_qty": balance, "balance_price": price,
                           "balance_amount": _money(balance, price)}
                lines += [Line("carry_out", "过次页", figures=dict(carried)),
                          Line("carry_in", "承前页", figures=dict(carried))]
                on_page = 1
            balance += received - issued
            figures: dict[str, Any] = {"balance_qty": balance, "balance_price": price,
                                       "balance_amount": _money(balance, price)}
            if received:
                figures.update(in_qty=received, in_price=price, in_amount=_money(received, price))
            if issued:
                figures.update(out_qty=issued, out_price=price, out_amount=_money(issued, price))
            lines.append(Line("move", summary, day, doc, figures))
            month_in, month_out = month_in + received, month_out + issued
            on_page += 1
        year_in, year_out = year_in + month_in, year_out + month_out
        for kind, label, received, issued in (("month", "本月合计", month_in, month_out),
                                              ("year", "本年累计", year_in, year_out)):
            figures = {"balance_qty": balance, "balance_price": price, "balance_amount": _money(balance, price)}
            if received:
                figures.update(in_qty=received, in_amount=_money(received, price))
            if issued:
                figures.update(out_qty=issued, out_amount=_money(issued, price))
            lines.append(Line(kind, label, figures=figures))
            on_page += 1
    return lines


_MERGES = [(1, 1, 1, 13), (2, 1, 2, 4), (2, 5, 2, 9), (2, 10, 2, 13), (3, 1, 3, 4), (3, 5, 3, 9),
           (3, 10, 3, 13), (4, 1, 4, 2), (4, 3, 5, 3), (4, 4, 5, 4), (4, 5, 4, 7), (4, 8, 4, 10),
           (4, 11, 4, 13)]


def page_layout(page: ItemPage) -> Layout:
    layout = Layout(page.sheet, freeze=(FIRST_LINE, 5))
    texts = {(1, 1): ("库存物资明细账", "title"), (2, 1): (f"品名：{page.item}", ""),
             (2, 5): (f"规格：{page.spec}", ""), (2, 10): (f"计量单位：{page.unit}", ""),
             (3, 1): (f"类别：{page.kind}", ""), (3, 5): (f"编号：{page.code}", ""),
             (3, 10): ("存放地点：总务处仓库", ""), (4, 1): (f"{YEAR}年", "header"),
             (4, 3): ("凭证号数", "header"), (4, 4): ("摘要", "header"), (4, 5): ("收\u3000\u3000入", "header"),
             (4, 8): ("发\u3000\u3000出", "header"), (4, 11): ("结\u3000\u3000存", "header")}
    for top, left, bottom, right in _MERGES:
        text, look = texts[(top, left)]
        layout.merge(top, left, bottom, right, text, look)
    for col, text in ((1, "月"), (2, "日"), *((c, t) for k in (5, 8, 11)
                                            for c, t in zip(range(k, k + 3), ("数量", "单价", "金额"), strict=True))):
        layout.put(5, col, text, "header")
    layout.widths = {1: 4, 2: 4, 3: 13, 4: 18, **{c: 10 for c in range(5, 14)}}
    last_month = None
    for line in page.lines:
        row = page.row_of(line)
        if line.date is not None:
            if line.date.month != last_month:
                layout.put(row, COLUMNS["month"], line.date.month, "center")
                last_month = line.date.month
            layout.put(row, COLUMNS["day"], line.date.day, "center")
        if line.doc:
            layout.put(row, COLUMNS["doc"], line.doc)
        total = line.kind in ("month", "year")
        layout.put(row, COLUMNS["summary"], line.summary, "bold" if total else "")
        for name, value in line.figures.items():
            if isinstance(value, Decimal):
                layout.put(row, COLUMNS[name], value, "total" if total else "money")
            else:  # a quantity: no decimals
                layout.put(row, COLUMNS[name], value, "bold" if total else "")
    footer = FIRST_LINE + len(page.lines) + 1
    layout.put(footer, 1, "会计主管：王建国")
    layout.put(footer, 5, f"记账：{data.BURSAR}")
    layout.put(footer, 10, "保管：朱大军")
    return layout


def contents_layout(pages: list[ItemPage]) -> Layout:
    """The 目录 in front of the book: each item's page and where it stands at the period's end."""
    layout = Layout("目录")
    layout.merge(1, 1, 1, 9, f"库存物资明细账（{YEAR}年度）目录", "title")
    headers = ["序号", "编号", "品名", "规格", "计量单位", "类别", "页次（工作表）", "11月末结存数量", "结存金额"]
    for col, text in enumerate(headers, start=1):
        layout.put(3, col, text, "header")
    layout.widths = {1: 5, 2: 9, 3: 12, 4: 22, 5: 9, 6: 10, 7: 14, 8: 14, 9: 12}
    for n, page in enumerate(pages, start=1):
        closing = page.lines[-1].figures
        for col, value in enumerate([n, page.code, page.item, page.spec, page.unit, page.kind, page.sheet,
                                     closing["balance_qty"], closing["balance_amount"]], start=1):
            layout.put(3 + n, col, value)
    layout.put(5 + len(pages), 1, f"保管：朱大军　记账：{data.BURSAR}　2026年11月30日")
    return layout


def write_stores_book(pages: list[ItemPage], folder: Path) -> Path:
    path = folder / BOOK_FILE
    save_openpyxl([contents_layout(pages), *(page_layout(p) for p in pages)], path)
    return path
