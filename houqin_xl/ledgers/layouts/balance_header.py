"""The header of a 科目余额表: which column holds the code, the name, and each side of each
balance and movement.

Real exports give it in several shapes, all read here into the same `BalanceHeader`:
- two header rows, a group over its sides: 期初余额 | 本期发生额 | 本年累计 | 期末余额, each over
  借方 | 贷方 (or a balance over 方向 | 金额), 科目编码 / 科目名称 merged down over both rows;
  sub-header cells padded with spaces, each its own merged cell;
- one row of flat headers: 本期借方, 本年累计贷方, 期末余额借方（原币）, 期初借方余额;
- 科目 merged over 编码 | 名称; a lone 方向 column standing before the amount it signs
  (方向 | 期初余额 … 方向 | 期末余额).
A header merged over two columns is a group: each of its columns takes its side from the row
below, never the group's first column alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...read.grid import Grid
from ..schemas import normalise_header
from .cells import HEADER_SEARCH_ROWS, MergeMap, squeeze

CODE_WORDS = frozenset(["科目编码", "科目代码", "科目编号", "会计科目编码", "会计科目代码", "科目号",
                        "科目编码编码"])
NAME_WORDS = frozenset(["科目名称", "会计科目名称", "科目全称", "会计科目", "科目名称名称"])
# Columns that split one account over several rows (per counterparty, per currency, per
# project): the codes repeat, so no account is the plain sum of the rows below it.
AUX_WORDS = ("核算项目", "辅助核算", "辅助项目", "专项", "项目", "币种", "往来单位", "客户", "供应商",
             "部门", "职员", "个人")
# Group words, longest first so that 本年累计发生额 is not read as 本年 + 累计发生额.
_GROUPS = sorted([
    ("期初余额", "opening"), ("期初数", "opening"), ("期初", "opening"), ("月初余额", "opening"),
    ("上期余额", "opening"), ("年初余额", "year_opening"), ("年初数", "year_opening"),
    ("年初", "year_opening"),
    ("本期发生额", "movement"), ("本期发生", "movement"), ("本月发生额", "movement"),
    ("本月发生", "movement"), ("本期", "movement"), ("本月", "movement"), ("发生额", "movement"),
    ("本年累计发生额", "year"), ("本年累计发生", "year"), ("本年累计", "year"), ("累计发生额", "year"),
    ("本年发生额", "year"), ("年度累计", "year"), ("本年累积", "year"),
    ("期末余额", "closing"), ("期末数", "closing"), ("期末", "closing"), ("月末余额", "closing"),
    ("年末余额", "closing"), ("余额", "closing"),
], key=lambda item: -len(item[0]))
_SIDES = {
    "借方": "debit", "借方金额": "debit", "借方发生额": "debit", "借方发生": "debit", "借方余额": "debit",
    "借": "debit", "贷方": "credit", "贷方金额": "credit", "贷方发生额": "credit", "贷方发生": "credit",
    "贷方余额": "credit", "贷": "credit", "方向": "direction", "借贷方向": "direction",
    "余额方向": "direction", "借或贷": "direction", "借/贷": "direction", "金额": "amount",
    "余额": "amount", "数量": "quantity", "单价": "price",
}
# Headers that make a sheet a journal or a stock book, whatever else it shows.
_FOREIGN = frozenset(["日期", "摘要", "凭证号", "凭证字号", "凭证号数", "月", "日", "单价"])


@dataclass
class Sides:
    """The columns of one group (期初余额, 本期发生额, …): 借方 | 贷方, or 方向 | 金额, or a single
    金额; and 数量 where a 余额表 gives quantities."""

    debit: int | None = None
    credit: int | None = None
    direction: int | None = None
    amount: int | None = None
    quantity: int | None = None

    @property
    def paired(self) -> bool:
        return self.debit is not None and self.credit is not None

    @property
    def signed(self) -> bool:
        return self.amount is not None

    @property
    def usable(self) -> bool:
        return self.paired or self.signed


@dataclass
class BalanceHeader:
    rows: list[int]
    code: int
    name: int
    groups: dict[str, Sides]
    shown: dict[int, str] = field(default_factory=dict)  # column → header as shown (期末余额 借方)
    aux: list[int] = field(default_factory=list)


def _side(text: str) -> str | None:
    return _SIDES.get(text)


def _split(text: str) -> tuple[str, str] | None:
    """'期末余额借方' → ('closing', 'debit'); '期末余额' → ('closing', 'amount'); '方向' → ('',
    'direction'); None when the text is neither."""
    for word, group in _GROUPS:
        if text.startswith(word):
            rest = text[len(word):]
            side = _side(rest) if rest else "amount"
            if side:
                return group, side
    side = _side(text)
    if side == "direction":
        return "", side
    if side == "quantity":
        return "closing", side  # a lone 数量 beside the balances: the quantity at the period's end
    return None


def _role(top: str, sub: str) -> tuple[str, str, bool] | None:
    """What a header column is — ('code', ''), ('name', ''), ('aux', ''), or (group, side) —
    and whether the row below was part of it (a side under its group)."""
    if top == "科目" and sub in ("编码", "代码", "编号"):
        return "code", "", True
    if top == "科目" and sub in ("名称", "全称"):
        return "name", "", True
    if top in CODE_WORDS:
        return "code", "", False
    if top in NAME_WORDS:
        return "name", "", False
    if any(top.startswith(word) for word in AUX_WORDS):
        return "aux", "", False
    if sub and sub != top:
        group = _split(top)
        side = _side(sub)
        if group and group[1] == "amount" and side:
            return group[0], side, True
    # The row below is no sub-header here (a flat header such as 本期借方, or data under a
    # one-row header): the top cell alone.
    found = _split(top)
    return None if found is None else (found[0], found[1], False)


def _below(merges: MergeMap, row: int, col: int) -> str:
    """The sub-header under (row, col) — empty when the header cell is merged down over it."""
    origin = merges.cover.get((row, col), (row, col))
    if merges.cover.get((row + 1, col)) == origin:
        return ""
    value = merges.value(row + 1, col)
    return "" if value is None else str(value)


def _read(grid: Grid, merges: MergeMap, row: int) -> BalanceHeader | None:
    two = row + 1 <= grid.last_row
    roles: list[tuple[int, tuple[str, str], str]] = []
    deep = False
    foreign = False
    for col in range(grid.first_col, grid.last_col + 1):
        top_value = merges.value(row, col)
        top = normalise_header(top_value)[0]
        sub_text = _below(merges, row, col) if two else ""
        sub = normalise_header(sub_text)[0]
        if top in _FOREIGN or sub in _FOREIGN:
            foreign = True
        role = _role(top, sub)
        if role is None:
            continue
        group, side, used_sub = role
        deep = deep or used_sub
        shown = squeeze(top_value) if top_value is not None else ""
        if used_sub:
            shown = f"{shown} {squeeze(sub_text)}".strip()
        roles.append((col, (group, side), shown))
    if foreign:
        return None  # a journal (日期, 摘要) or a stock book (单价): not a balance list
    code = next((c for c, (kind, _), _ in roles if kind == "code"), None)
    name = next((c for c, (kind, _), _ in roles if kind == "name"), None)
    if code is None or name is None:
        return None
    groups: dict[str, Sides] = {}
    shown: dict[int, str] = {}
    aux = []
    pending_direction = None
    for col, (group, side), text in roles:
        if group in ("code", "name"):
            continue
        if group == "aux":
            aux.append(col)
            continue
        shown[col] = text
        if not group:  # a lone 方向 column: it signs the amount that follows it
            pending_direction = col
            continue
        sides = groups.setdefault(group, Sides())
        if getattr(sides, side, None) is None and side != "price":
            setattr(sides, side, col)
        if side == "amount" and pending_direction is not None and sides.direction is None:
            sides.direction = pending_direction
        pending_direction = None
    closing = groups.get("closing")
    if closing is None or not closing.usable:
        return None
    rows = [row, row + 1] if two and (deep or _merged_down(grid, row)) else [row]
    return BalanceHeader(rows, code, name, groups, shown, aux)


def _merged_down(grid: Grid, row: int) -> bool:
    return any(top == row and bottom > row for top, _l, bottom, _r in grid.merged)


def find_balance_header(grid: Grid) -> tuple[BalanceHeader, MergeMap] | None:
    """The 科目余额表 header of this sheet, or None when it has none."""
    merges = MergeMap(grid, grid.first_row + HEADER_SEARCH_ROWS + 1)
    last = min(grid.last_row, grid.first_row + HEADER_SEARCH_ROWS)
    for row in range(grid.first_row, last + 1):
        keys = {normalise_header(merges.value(row, col))[0]
                for col in range(grid.first_col, grid.last_col + 1)}
        if not (keys & CODE_WORDS or "科目" in keys):
            continue
        header = _read(grid, merges, row)
        if header is not None:
            return header, merges
    return None
