"""The finance software's 科目余额表 (REAL-FORMATS §3), read as the general ledger.

Every account row is a record of `gl_balances`: its code, name, level, the opening and closing
balances signed 借方 − 贷方 (from a 借方 | 贷方 pair, or 金额 signed by its 方向 借/贷/平), the
period's and the year's debits and credits — each value keeping its own Excel cell. The
children of 1601 固定资产 carry their asset class in `category` (the category balances of 账账相符)
and 1601 itself is their grand total; 1602 固定资产累计折旧 and its children are kept as family
1602 for the depreciation checks. Other accounts (库存现金, 银行存款 …) are never categories and
never errors.

The sheet's own arithmetic becomes `StatedSum`s, re-added by checks/totals.py: each account's
期初 + 借方 − 贷方 = 期末, each parent = Σ its children (by code prefix), and the 合计 row = Σ
the level-1 accounts. Exports print a zero as a blank cell, so a blank counts as 0.

Not taken here: a 数量金额余额表 (单价 columns, item codes such as 1403000_0003), which is a stock
ledger; a sheet whose rows are not chart-of-accounts codes.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from ...read.grid import Grid
from ..ledger import Cell, Ledger, StatedSum
from ..parse import BAD, is_blank, parse_number
from ..schemas import LedgerSchema, normalise_header
from .accounts import (
    ACCOUNT_CODE,
    ITEM_CODE,
    Account,
    build_hierarchy,
    children,
    class_text,
    code_key,
    code_text,
    name_text,
    roots,
)
from .balance_header import BalanceHeader, Sides, find_balance_header
from .cells import label_kind, squeeze, unit_multiplier

_DIRECTIONS = {"借": 1, "贷": -1, "平": 1, "借方": 1, "贷方": -1, "D": 1, "C": -1}
# Money fields read from one column each, and the group and side they come from.
_COLUMN_FIELDS = (("debit", "movement", "debit"), ("credit", "movement", "credit"),
                  ("year_debit", "year", "debit"), ("year_credit", "year", "credit"))
Term = tuple[int, Any, int, int]


def _ledger_schema(schema: LedgerSchema) -> LedgerSchema:
    """gl_balances as a 余额表 fills it: only the children of 1601 and 1602 name a class, so a
    record without a category is no omission, and each class stands under 1601 and again under
    1602 (or under two sub-accounts of 1601), so a class is no duplicate key here."""
    fields = [replace(spec, required=False, unique=False) if spec.name == "category" else spec
              for spec in schema.fields]
    return replace(schema, fields=fields)


class _Sheet:
    """The cells of one 余额表 as the sums need them."""

    def __init__(self, grid: Grid, header: BalanceHeader) -> None:
        self.grid = grid
        self.header = header

    def raw(self, row: int, col: int | None) -> Any:
        return None if col is None else self.grid.cell(row, col)

    def direction(self, row: int, sides: Sides) -> int | None:
        """+1 for 借 (and 平, or no 方向 column), −1 for 贷, None when the 方向 cell says neither.
        A blank 方向 beside an amount is taken as 借 (what exports that print only 贷 mean)."""
        if sides.direction is None:
            return 1
        value = self.raw(row, sides.direction)
        if is_blank(value):
            return 1
        return _DIRECTIONS.get(squeeze(value))

    def terms(self, row: int, group: str) -> list[Term] | None:
        """The group's balance at `row` as signed terms (借方 − 贷方, or ±金额 by its 方向); None
        when the 方向 cannot be read."""
        sides = self.header.groups[group]
        if sides.paired:
            return [(1, self.raw(row, sides.debit), row, sides.debit),
                    (-1, self.raw(row, sides.credit), row, sides.credit)]
        sign = self.direction(row, sides)
        if sign is None:
            return None
        return [(sign, self.raw(row, sides.amount), row, sides.amount)]

    def value_cell(self, row: int, group: str) -> int:
        """The column where a balance stands: the 贷方 cell when only it is filled, else the 借方
        (or 金额) cell."""
        sides = self.header.groups[group]
        if sides.paired:
            debit, credit = self.raw(row, sides.debit), self.raw(row, sides.credit)
            if is_blank(debit) and not is_blank(credit):
                return sides.credit
            return sides.debit
        return sides.amount

    def balance(self, row: int, group: str) -> tuple[Any, Cell]:
        """The group's balance at `row` as one value on the cell that holds it: a Decimal;
        or an unreadable cell's own raw value on that cell (typed.py reports it there)."""
        sides = self.header.groups[group]
        terms = self.terms(row, group)
        if terms is None:
            return self.raw(row, sides.direction), (row, sides.direction)
        total = Decimal(0)
        for sign, raw, r, c in terms:
            number = parse_number(raw)
            if number is BAD:
                return raw, (r, c)
            total += sign * (number or 0)
        return total, (row, self.value_cell(row, group))


def _stated(equation: list[Term], row: int, col: int) -> tuple[Any, list[Term]] | None:
    """An equation Σ sign·cell = 0 stated on one of its cells: that cell's raw value and the
    other terms it must equal."""
    for k, (sign, raw, r, c) in enumerate(equation):
        if (r, c) == (row, col):
            others = [(-s * sign, v, rr, cc) for j, (s, v, rr, cc) in enumerate(equation) if j != k]
            return raw, others
    return None


class _Sums:
    """Builds the StatedSums of one sheet."""

    def __init__(self, sheet: _Sheet, accounts: list[Account], unit: int) -> None:
        self.sheet = sheet
        self.accounts = accounts
        self.unit = unit
        self.out: list[StatedSum] = []

    def label(self, account: Account) -> str:
        return f"{account.code} {account.name}".strip()

    def add(self, equation: list[Term], row: int, col: int, field: str, label: str, what: str,
            stated_is_data: bool, blank_is_zero: bool = True, money: bool = True) -> None:
        found = _stated(equation, row, col)
        if found is None:
            return
        stated, terms = found
        self.out.append(StatedSum(
            row=row, column=col, field=field, header=self.sheet.header.shown.get(col, field),
            label=label, stated=stated, terms=terms, what=what, unit=self.unit if money else 1,
            money=money, stated_is_data=stated_is_data, blank_is_zero=blank_is_zero))

    def rollforward(self) -> None:
        """期初 + 借方 − 贷方 = 期末 on every account row, on the side its balance stands."""
        groups = self.sheet.header.groups
        for opening, movement in (("opening", "movement"), ("year_opening", "year")):
            if opening in groups and movement in groups and groups[opening].usable \
                    and groups[movement].paired:
                break
        else:
            return
        moves = groups[movement]
        for account in self.accounts:
            row = account.row
            closing, start = self.sheet.terms(row, "closing"), self.sheet.terms(row, opening)
            if closing is None or start is None:
                continue
            equation = [*closing, *[(-s, v, r, c) for s, v, r, c in start],
                        (-1, self.sheet.raw(row, moves.debit), row, moves.debit),
                        (1, self.sheet.raw(row, moves.credit), row, moves.credit)]
            col = self.sheet.value_cell(row, "closing")
            what = "年初余额+本年借方−本年贷方" if opening == "year_opening" else "期初余额+本期借方−本期贷方"
            self.add(equation, row, col, "balance", self.label(account), what, stated_is_data=True)

    def parents(self) -> None:
        """A parent account = Σ its children, balance by balance and column by column."""
        groups = self.sheet.header.groups
        for parent_index, kids in children(self.accounts).items():
            parent = self.accounts[parent_index]
            label = self.label(parent)
            what = "下级科目之和"
            for group, sides in groups.items():
                if group in ("opening", "year_opening", "closing"):
                    if sides.usable:
                        self._balance_sum(parent.row, [self.accounts[k].row for k in kids], group,
                                          label, what, stated_is_data=True)
                    if sides.quantity is not None:
                        self._column_sum(parent.row, [self.accounts[k].row for k in kids],
                                         sides.quantity, "quantity", label, what, money=False)
                else:
                    for side in ("debit", "credit"):
                        col = getattr(sides, side)
                        if col is not None:
                            self._column_sum(parent.row, [self.accounts[k].row for k in kids], col,
                                             _field_of(group, side), label, what)

    def total(self, row: int, label: str, block: list[int]) -> None:
        """The 合计 row = Σ the level-1 accounts it closes: each 借方 and 贷方 column as printed,
        a 方向 | 金额 balance signed. A 合计 cell left blank states nothing (a 方向 | 金额 合计
        usually leaves its balances empty)."""
        rows = [self.accounts[i].row for i in block]
        what = "一级科目之和"
        for group, sides in self.sheet.header.groups.items():
            for side in ("debit", "credit"):
                col = getattr(sides, side)
                if col is not None:
                    self._column_sum(row, rows, col, _field_of(group, side), label, what,
                                     stated_is_data=False, blank_is_zero=False)
            if sides.signed and group not in ("movement", "year"):
                self._balance_sum(row, rows, group, label, what, stated_is_data=False,
                                  blank_is_zero=False)

    def _column_sum(self, row: int, rows: list[int], col: int, field: str, label: str, what: str,
                    stated_is_data: bool = True, money: bool = True,
                    blank_is_zero: bool = True) -> None:
        equation = [(1, self.sheet.raw(row, col), row, col)]
        equation += [(-1, self.sheet.raw(r, col), r, col) for r in rows]
        self.add(equation, row, col, field, label, what, stated_is_data, blank_is_zero, money)

    def _balance_sum(self, row: int, rows: list[int], group: str, label: str, what: str,
                     stated_is_data: bool, blank_is_zero: bool = True) -> None:
        own = self.sheet.terms(row, group)
        parts = [self.sheet.terms(r, group) for r in rows]
        if own is None or any(p is None for p in parts):
            return  # a 方向 that says neither 借 nor 贷 is reported on the record itself
        equation = list(own)
        for part in parts:
            equation += [(-s, v, r, c) for s, v, r, c in part or []]
        field = "balance" if group == "closing" else "opening"
        self.add(equation, row, self.sheet.value_cell(row, group), field, label, what,
                 stated_is_data, blank_is_zero)


def _field_of(group: str, side: str) -> str:
    return {"movement": side, "year": "year_" + side}.get(group, "opening" if "opening" in group
                                                           else "balance")


def _read_rows(sheet: _Sheet) -> tuple[list[Account], list[tuple[int, str]], list[int]] | None:
    """The account rows, the total rows (row, label) and the rows read as neither; None when
    the codes are a stock book's item codes (1403000_0003)."""
    grid, header = sheet.grid, sheet.header
    accounts: list[Account] = []
    totals: list[tuple[int, str]] = []
    odd: list[int] = []
    for row in range(header.rows[-1] + 1, grid.last_row + 1):
        code = code_text(grid.cell(row, header.code))
        if code and ACCOUNT_CODE.fullmatch(code):
            name = name_text(grid.cell(row, header.name))
            accounts.append(Account(row, code, code_key(code), name))
            continue
        if code and ITEM_CODE.fullmatch(code):
            return None
        texts = [v for v in (grid.cell(row, header.code), grid.cell(row, header.name))
                 if isinstance(v, str) and not is_blank(v)]
        kinds = [label_kind(t) for t in texts]
        if "total" in kinds:
            totals.append((row, squeeze(texts[kinds.index("total")])))
        elif not (any(k.startswith("footer") for k in kinds) or _row_blank(grid, row)
                  or _repeats_header(grid, header, row)):
            odd.append(row)
    return accounts, totals, odd


def _row_blank(grid: Grid, row: int) -> bool:
    i = row - grid.first_row
    return all(is_blank(v) for v in grid.rows[i]) if 0 <= i < len(grid.rows) else True


def _repeats_header(grid: Grid, header: BalanceHeader, row: int) -> bool:
    return normalise_header(grid.cell(row, header.code))[0] in ("科目编码", "科目代码", "科目编号")


def recognise_balance_sheet(grid: Grid, schemas: list[LedgerSchema]) -> list[Ledger] | None:
    """The general ledger this sheet holds as a 科目余额表, or None when it is not one."""
    schema = next((s for s in schemas if s.ledger == "gl_balances"), None)
    if schema is None or not grid.rows:
        return None
    found = find_balance_header(grid)
    if found is None:
        return None
    header, merges = found
    sheet = _Sheet(grid, header)
    read = _read_rows(sheet)
    if read is None:
        return None
    accounts, totals, odd = read
    plain = build_hierarchy(accounts)  # False when a code stands on several rows
    unit = unit_multiplier(grid, merges, header.rows[0])
    sums = _Sums(sheet, accounts, unit)
    sums.rollforward()
    context: dict[str, str] = {}
    if plain:
        sums.parents()
        _totals(sums, accounts, totals)
    elif accounts:
        _details_apart(grid, header, accounts)
        context["未核对"] = ("同一科目分多行（核算项目、币种），下级科目之和与合计未核对 / "
                          "accounts split over several rows: parent and total sums not checked")
    if odd:
        context["未读的行"] = "、".join(str(r) for r in odd[:20]) + (" 等" if len(odd) > 20 else "")
    return [_ledger(schema, grid, sheet, accounts, sums.out, unit, context)]


def _details_apart(grid: Grid, header: BalanceHeader, accounts: list[Account]) -> None:
    """An account split by 核算项目 (or 币种) shows its own row, with those cells blank, and a
    row per counterparty under it: only its own row counts as a class balance or as 1601's
    total, else a class would be counted twice."""
    def detail(account: Account) -> bool:
        return any(not is_blank(grid.cell(account.row, col)) for col in header.aux)

    own = {a.key for a in accounts if not detail(a)}
    for account in accounts:
        if account.key in own and detail(account):
            account.family, account.is_class = None, False


def _totals(sums: _Sums, accounts: list[Account], totals: list[tuple[int, str]]) -> None:
    """Each 合计 row = Σ the level-1 accounts above it (a 小计 or a 资产类合计: those since the
    previous total row)."""
    top = roots(accounts)
    previous = 0
    for row, label in totals:
        block_only = "小计" in label or "类" in label
        block = [i for i in top if accounts[i].row < row and (not block_only or accounts[i].row > previous)]
        sums.total(row, label, block)
        previous = row


def _ledger(schema: LedgerSchema, grid: Grid, sheet: _Sheet, accounts: list[Account],
            sums: list[StatedSum], unit: int, context: dict[str, str]) -> Ledger:
    header = sheet.header
    groups = header.groups
    n = len(accounts)
    rows = [a.row for a in accounts]
    raw: dict[str, list[Any]] = {
        "account_code": [a.code for a in accounts],
        "account_name": [grid.cell(a.row, header.name) for a in accounts],
        "category": [class_text(a.name) if a.is_class else None for a in accounts],
        "level": [a.level for a in accounts],
        "family": [a.family for a in accounts],
    }
    columns = {"account_code": header.code, "account_name": header.name, "category": header.name}
    names_shown = squeeze(grid.cell(header.rows[0], header.name)) or "科目名称"
    headers = {"account_code": squeeze(grid.cell(header.rows[0], header.code)) or "科目编码",
               "account_name": names_shown, "category": names_shown}
    cells: dict[str, list[Cell | None]] = {"level": [None] * n, "family": [None] * n}
    for field, group in (("balance", "closing"), ("opening", "opening"),
                         ("opening", "year_opening")):
        if group in groups and groups[group].usable and field not in raw:
            values = [sheet.balance(a.row, group) for a in accounts]
            raw[field] = [v for v, _ in values]
            cells[field] = [c for _, c in values]
    for field, group, side in _COLUMN_FIELDS:
        col = getattr(groups[group], side) if group in groups else None
        if col is not None:
            raw[field] = [grid.cell(a.row, col) for a in accounts]
            columns[field] = col
            headers[field] = header.shown.get(col, field)
    if groups["closing"].quantity is not None:
        col = groups["closing"].quantity
        raw["quantity"] = [grid.cell(a.row, col) for a in accounts]
        columns["quantity"] = col
        headers["quantity"] = header.shown.get(col, "数量")
    units = {name: (unit if schema.field(name).type == "money" else 1) for name in raw}
    return Ledger(
        schema=_ledger_schema(schema), path=grid.path, sheet=grid.sheet, header_rows=header.rows,
        columns=columns, headers=headers, units=units, rows=rows, raw=raw,
        hidden_rows=set(grid.hidden_rows), cells=cells, column_headers=dict(header.shown),
        sums=sums, layout="balance_sheet", context=context,
    )
