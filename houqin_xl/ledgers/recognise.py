"""Grids → ledgers: which layout a sheet is in, and the ledgers it holds — or why it holds none.

A sheet is recognised by its headers and its content, never by its name alone. Each layout is a
module of its own in `layouts/`, tried in the order of `LAYOUTS` (the most particular first: a
科目余额表 also has a 科目名称 and a 余额 that a plain table would take), each ending in the
same `Ledger`. A sheet becomes a ledger kind only on enough evidence (`_lacks_evidence`): a date
and an amount alone do not make a list of bank deposits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..read.grid import Grid
from .categories import join_split_columns
from .layouts import (
    account_book,
    balance_sheet,
    fee_lists,
    journal,
    stock_count,
    stock_summary,
    table,
    wide,
    wide_standards,
)
from .ledger import Ledger
from .parse import is_blank, normalise_text
from .schemas import LedgerSchema, normalise_header

# A layout: the ledgers a sheet holds in that layout, or None when the sheet is not in it.
Layout = Callable[[Grid, list[LedgerSchema]], list[Ledger] | None]


# Ledgers only their own layout reads: a 数量金额余额表 read as a plain table would count its
# parent accounts as items and its 合计 as data; a 盘存表's 盘点数量 would take an asset count.
_OWN_LAYOUT_ONLY = frozenset({"stock_balances", "stock_count"})


def _for_tables(schemas: list[LedgerSchema]) -> list[LedgerSchema]:
    return [s for s in schemas if s.ledger not in _OWN_LAYOUT_ONLY]


def _table(grid: Grid, schemas: list[LedgerSchema]) -> list[Ledger] | None:
    ledger = table.recognise_table(grid, _for_tables(schemas))
    return None if ledger is None else [ledger]


# Tried in order; the first that recognises the sheet wins. The account book goes before the
# table: its header has no item column, which a table of movements always has. The balance
# sheet (科目余额表) declines a sheet with 单价 or item codes such as 1403000_0003: that is the
# stores' 数量金额余额表, which the stock summary after it reads (a 科目余额表 may give 数量 for
# its fixed assets too, so quantities alone do not make the stores); and the software's 数量金额式明细账 (日期, 摘要, 借方|贷方|余额 × 数量|单价|金额)
# is read by the account book before the bank journal could take it for deposits. The stores
# count (食材盘存表: 账面 | 盘点, each 数量 | 金额) goes before the summary, whose 库存数量 it may
# also carry. Fee books and standards kept wide (one column per item, no 收费项目 column) come
# before the table, which would not read them.
LAYOUTS: list[tuple[str, Layout]] = [
    ("account_book", account_book.recognise_account_book),
    ("stock_count", stock_count.recognise_stock_count),
    ("balance_sheet", balance_sheet.recognise_balance_sheet),
    ("stock_summary", stock_summary.recognise_stock_summary),
    ("journal", journal.recognise_journal),
    ("wide", wide.recognise_wide_fees),
    ("wide_standards", wide_standards.recognise_wide_standards),
    ("fee_list", fee_lists.recognise_fee_list),
    ("table", _table),
]

# Sheets that explain, index or cover a ledger set: named so in the report, never guessed at.
_NOT_LEDGER_NAMES = re.compile(r"^(目录|目 录|索引|说明|填表说明|使用说明|封面|首页|备注|附注|注意事项)$")


@dataclass
class Recognised:
    """What a sheet holds: its ledgers, or the reason it holds none (for `unread_sheets`)."""

    ledgers: list[Ledger] = field(default_factory=list)
    reason: str | None = None


def _is_empty(grid: Grid) -> bool:
    return all(is_blank(v) for row in grid.rows for v in row)


def recognise_grid(grid: Grid, schemas: list[LedgerSchema]) -> Recognised:
    """The ledgers this sheet holds, or why it holds none."""
    if not grid.rows or _is_empty(grid):
        return Recognised(reason="空表 / empty sheet")
    name = normalise_text(grid.sheet).replace(" ", "")
    if _NOT_LEDGER_NAMES.match(name):
        return Recognised(reason=f"不是台账：{grid.sheet} / not a ledger")
    doubts: list[str] = []
    for _layout_name, layout in LAYOUTS:
        found = layout(grid, schemas)
        if not found:
            continue
        kept = []
        for ledger in found:
            join_split_columns(ledger)  # 资产分类代码 | 资产分类名称 → the record's category
            doubt = _lacks_evidence(ledger, grid)
            if doubt:
                doubts.append(doubt)
            else:
                kept.append(ledger)
        if kept:
            return Recognised(kept)
    if doubts:
        return Recognised(reason="；".join(doubts))
    miss = table.closest_miss(grid, _for_tables(schemas))
    if miss:
        return Recognised(reason=f"未识别：{miss} / not recognised")
    return Recognised(reason="未识别：没有找到任何台账的表头 / no ledger header found")


def recognise(grids: list[Grid], schemas: dict[str, LedgerSchema]) -> list[Ledger]:
    """Every ledger found in the grids, in the order the grids came."""
    ordered = list(schemas.values())
    found = []
    for grid in grids:
        found.extend(recognise_grid(grid, ordered).ledgers)
    return found


# ---- evidence --------------------------------------------------------------------------------

_DEPOSIT_WORDS = re.compile(r"缴款|缴存|存款|解缴|进账|缴入|上缴|银行")


def _title_text(grid: Grid, ledger: Ledger) -> str:
    """The sheet name and whatever stands above the header: where a list says what it is."""
    above = [v for row in grid.rows[: max(0, ledger.header_rows[0] - grid.first_row)] for v in row
             if isinstance(v, str)]
    return " ".join([grid.sheet, *above])


# What the name of an asset class (any edition, or a school's own list) is made of.
_CLASS_WORDS = re.compile(
    r"房屋|构筑物|土地|设备|文物|陈列品|图书|档案|家具|用具|装具|动植物|物资|无形资产|固定资产|仪器|仪表|"
    r"器械|器具|器材|工具|标本|模型|被服|车辆|交通|机械|植物|牲畜|电子|计算机|电脑|桌椅|乐器|体育")
# A class written as its GB/T 14885 code alone: 2, 201, 2010104 (2010: 1, 3, 5 or 7 digits),
# A02, A02010104 (2022) — not a four-digit account code such as 1001.
_CLASS_CODE = re.compile(r"[1-6](?:\d{2}){0,3}|A0[1-8]\d*")
_DATE_HEADERS = frozenset(["日期", "记账日期", "交易日期", "交易时间", "出纳日期", "月", "日"])


def _class_like(value: object) -> bool:
    text = normalise_text(str(value)).replace(" ", "")
    return bool(_CLASS_WORDS.search(text) or _CLASS_CODE.fullmatch(text))


def _header_keys(grid: Grid, ledger: Ledger) -> set[str]:
    """The header's words, and those of the row under it (a group's sides the table layout
    may have left below its one-row header)."""
    rows = [*ledger.header_rows, ledger.header_rows[-1] + 1]
    return {normalise_header(grid.cell(row, col))[0] for row in rows
            for col in range(grid.first_col, grid.last_col + 1)}


def _gl_doubt(ledger: Ledger, grid: Grid) -> str | None:
    """A summary table is the general ledger only when its rows are asset classes (or the
    fixed-asset accounts): a list of budget units, of every account of the chart, or a dated
    journal with 摘要 and a running 余额 is not — it would give a false error on every row."""
    keys = _header_keys(grid, ledger)
    if "单价" in keys:
        return ("不是总账资产分类余额：有单价的数量金额余额表是库存账 / a list with 单价 is a stock "
                "ledger, not the general ledger")
    if "摘要" in keys and keys & _DATE_HEADERS:
        return ("不是总账资产分类余额：有日期和摘要的是日记账 / a dated journal with 摘要 is not the "
                "general ledger's balance list")
    values = [v for v in ledger.raw.get("category", []) if not is_blank(v)]
    strangers = [str(v).strip() for v in values if not _class_like(v)]
    if values and len(strangers) * 2 > len(values):
        shown = "、".join(dict.fromkeys(strangers[:3]))
        return (f"证据不足：“{ledger.headers.get('category', '分类')}”列（{shown} …）不是资产分类，"
                "不能认定为总账资产分类余额 / its rows are not asset classes")
    return None


def _lacks_evidence(ledger: Ledger, grid: Grid) -> str | None:
    """Why this recognised ledger is not believed (its reason for `unread_sheets`), or None.

    A date and an amount make any journal look like a list of bank deposits: a deposits list
    must also show a slip number, or say deposit (缴款, 存款, 银行 …) in a header, the sheet name
    or its title. A table of names and amounts is the general ledger only when its rows are
    asset classes (`_gl_doubt`); a 科目余额表 (its own layout) shows chart-of-accounts codes."""
    if ledger.name == "gl_balances" and ledger.layout == "table":
        return _gl_doubt(ledger, grid)
    if ledger.name == "deposits" and ledger.layout != "journal":
        # (A bank book is one by its title or its statement headers: the journal layout
        # takes no other journal.)
        headers = " ".join(ledger.headers.values())
        if ("slip_no" not in ledger.columns and not _DEPOSIT_WORDS.search(headers)
                and not _DEPOSIT_WORDS.search(_title_text(grid, ledger))):
            return ("证据不足：只有日期和金额，不能认定为银行缴款登记（缺少 缴款单号 等表头）"
                    " / a date and an amount alone do not make a deposits list")
    return None
