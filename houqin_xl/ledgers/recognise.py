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
from .layouts import fee_lists, table, wide, wide_standards
from .ledger import Ledger
from .parse import is_blank, normalise_text
from .schemas import LedgerSchema

# A layout: the ledgers a sheet holds in that layout, or None when the sheet is not in it.
Layout = Callable[[Grid, list[LedgerSchema]], list[Ledger] | None]


def _table(grid: Grid, schemas: list[LedgerSchema]) -> list[Ledger] | None:
    ledger = table.recognise_table(grid, schemas)
    return None if ledger is None else [ledger]


# Tried in order; the first that recognises the sheet wins. Fee books and standards kept wide
# (one column per item, no 收费项目 column) come before the table, which would not read them.
LAYOUTS: list[tuple[str, Layout]] = [
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
    miss = table.closest_miss(grid, schemas)
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


def _lacks_evidence(ledger: Ledger, grid: Grid) -> str | None:
    """Why this recognised ledger is not believed (its reason for `unread_sheets`), or None.

    A date and an amount make any journal look like a list of bank deposits: a deposits list
    must also show a slip number, or say deposit (缴款, 存款, 银行 …) in a header, the sheet name
    or its title."""
    if ledger.name == "deposits":
        headers = " ".join(ledger.headers.values())
        if ("slip_no" not in ledger.columns and not _DEPOSIT_WORDS.search(headers)
                and not _DEPOSIT_WORDS.search(_title_text(grid, ledger))):
            return ("证据不足：只有日期和金额，不能认定为银行缴款登记（缺少 缴款单号 等表头）"
                    " / a date and an amount alone do not make a deposits list")
    return None
