"""Workbooks for the depreciation and disposal tests: a 固定资产折旧明细表 as a bursar keeps it
(title, 单位 line, one header, a 合计 and a note under it), a 科目余额表 with 1601 / 1602 as the
finance software exports it, and the figures worked out here on their own — never by the code
under test — the way LEDGERS.md says: 原值 × min(months, life) ÷ life, months from the month of
acquisition through the period's month, rounded to the fen."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from builders import write_xlsx

PERIOD = (2026, 11)
REGISTER_HEADER = ["卡片编号", "资产名称", "资产分类代码", "类别名称", "规格型号", "数量", "原值", "价值类型",
                   "取得日期", "使用年限", "累计折旧", "净值", "使用状况", "部门名称", "存放地点", "备注"]
LIFE_COLUMN, DEPRECIATION_COLUMN, NET_COLUMN = "J", "K", "L"
FIRST_ROW = 4  # title, 折旧方法 / 单位 line, header, then the cards


def months_through(acquired: dt.date, period: tuple[int, int] = PERIOD) -> int:
    """The acquisition month through the period's month, both counted (当月增加，当月计提)."""
    return (period[0] - acquired.year) * 12 + period[1] - acquired.month + 1


def due(value: float | str, acquired: dt.date, life_months: int | None,
        period: tuple[int, int] = PERIOD) -> Decimal:
    """What the 累计折旧 must be at the period's end (0 for what is never depreciated)."""
    if not life_months:
        return Decimal("0.00")
    months = max(0, min(months_through(acquired, period), life_months))
    return (Decimal(str(value)) * months / life_months).quantize(Decimal("0.01"), ROUND_HALF_UP)


def card(asset_id: str, name: str, code: str | None, klass: str | None, value: float | str,
         acquired: Any, life_years: Any, depreciation: Any, *, spec: str | None = None,
         value_type: str = "原值", status: str = "在用", department: str = "教务处",
         quantity: float = 1) -> list[Any]:
    """One card of the register; 净值 follows 原值 − 累计折旧 so that only the depreciation can
    be wrong."""
    net = None if depreciation is None else float(Decimal(str(value)) - Decimal(str(depreciation)))
    return [asset_id, name, code, klass, spec, quantity, float(value), value_type, acquired,
            life_years, None if depreciation is None else float(depreciation), net, status,
            department, "行政楼201", None]


def register_rows(cards: list[list[Any]], header: list[str] | None = None) -> list[list[Any]]:
    header = header or REGISTER_HEADER
    total = [None] * len(header)
    total[0] = "合计"
    for name in ("原值", "累计折旧", "净值"):
        if name in header:
            at = header.index(name)
            total[at] = float(sum(Decimal(str(c[at] or 0)) for c in cards))
    return [["江州市第七小学固定资产折旧明细表（2026年11月）"],
            ["折旧方法：年限平均法，不留残值，当月增加当月计提", *[None] * (len(header) - 3), "单位：元"],
            header, *cards, total, [], ["说明：使用年限单位为年。"]]


def write_register(path: Path, cards: list[list[Any]], header: list[str] | None = None) -> Path:
    rows = register_rows(cards, header)
    width = len(rows[2])
    last = chr(ord("A") + width - 1)
    return write_xlsx(path, {"折旧明细": rows}, merges={"折旧明细": [f"A1:{last}1"]})


# ---- the general ledger as the finance software exports it --------------------------------------

GL_HEADER_TOP = ["科目编码", "科目名称", "期初余额", None, "本期发生额", None, "期末余额", None]
GL_HEADER_SUB = [None, None, "借方", "贷方", "借方", "贷方", "借方", "贷方"]
GL_MERGES = ["A1:H1", "A3:A4", "B3:B4", "C3:D3", "E3:F3", "G3:H3"]


def _side(amount: Decimal) -> list[str | None]:
    """A balance as 借方 | 贷方 text cells with separators; a zero printed as blank cells."""
    if amount == 0:
        return [None, None]
    text = f"{abs(amount):,.2f} "
    return [text, None] if amount > 0 else [None, text]


def _money(amount: Decimal) -> str | None:
    return None if amount == 0 else f"{amount:,.2f} "


def balance_sheet(accounts: list[tuple[str, str, Any, Any, Any]]) -> list[list[Any]]:
    """A 科目余额表: (code, name, opening signed 借 − 贷, period debit, period credit) per account;
    the closing balance is opening + debit − credit, and a 合计 row adds the level-1 accounts."""
    rows: list[list[Any]] = [["科目余额表"], ["编制单位：江州市第七小学", None, None, "期间：2026年11月"],
                             GL_HEADER_TOP, GL_HEADER_SUB]
    totals = [Decimal(0)] * 6
    for code, name, opening, debit, credit in accounts:
        opening, debit, credit = Decimal(str(opening)), Decimal(str(debit)), Decimal(str(credit))
        closing = opening + debit - credit
        shown_name = name if len(code) == 4 else "    " + name
        rows.append([code, shown_name, *_side(opening), _money(debit), _money(credit), *_side(closing)])
        if len(code) == 4:
            for k, value in enumerate([max(opening, 0), max(-opening, 0), debit, credit,
                                       max(closing, 0), max(-closing, 0)]):
                totals[k] += value
    rows.append([None, "合计", *[_money(t) for t in totals]])
    return rows


def write_gl(path: Path, accounts: list[tuple[str, str, Any, Any, Any]]) -> Path:
    return write_xlsx(path, {"科目余额表": balance_sheet(accounts)}, merges={"科目余额表": GL_MERGES})
