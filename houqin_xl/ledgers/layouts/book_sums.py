"""The figures an account-book page states about its own rows, as StatedSums.

- 本月合计 (本期合计): 收入 and 发出 数量 and 金额 are the sums of that month's movements; its
  结存 repeats the month's closing balance, the last written above it.
- 本年累计: the sums of the year's movements so far — checked only when the page starts the
  year (上年结转 / 年初, a first movement in January, or a first purchase with nothing carried
  in); a page that starts with 承前页 or a mid-year 期初余额 carries months that are not on it,
  and says so in the ledger's context. Its 结存, like any total row's, is the last balance
  written above it.
- 小计 sums the movements since the previous total row, 合计 / 总计 all movements above.
- 过次页 carries the balance of the row above it to the next page and 承前页 brings it back:
  the 过次页's 结存 is checked against the last balance written above it — when that balance
  agrees with the book's running balance (where it does not, the roll-forward reports that
  row, and the carry is not reported a second time for the same slip) — and the 承前页's
  against the 过次页's. Their 收入 / 发出 cells (page totals in some books, month-to-date in
  others) are not checked.
- A total row's 结存 is checked against the last balance written above it when that balance
  agrees with the running balance (as for 过次页: one slip is reported once).

None of these rows is a movement: the roll-forward never sees them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..ledger import StatedSum
from ..parse import BAD, is_blank, parse_number

SUMMED = ("in_qty", "in_amount", "out_qty", "out_amount")
BALANCES = ("balance_qty", "balance_amount")
_MONEY = ("in_price", "in_amount", "out_price", "out_amount", "balance_price", "balance_amount")
_YEAR_START = ("上年", "年初", "结转上年")


@dataclass
class BookRow:
    """One row of a page below its header: a record (opening, movement) or a stated row."""

    row: int
    kind: str  # opening | movement | carry_in | carry_out | month_total | year_total | subtotal | total
    label: str
    month: int | None
    year: int | None
    values: dict[str, Any] = field(default_factory=dict)
    is_record: bool = False


class _Sums:
    def __init__(self, columns: dict[str, int], headers: dict[str, str], units: dict[str, int]):
        self.columns, self.headers, self.units = columns, headers, units
        self.out: list[StatedSum] = []

    def add(self, at: BookRow, name: str, terms: list[BookRow], what: str) -> None:
        if name not in self.columns:
            return
        stated = at.values.get(name)
        if is_blank(stated):
            return  # nothing stated in this cell
        col = self.columns[name]
        self.out.append(StatedSum(
            row=at.row, column=col, field=name, header=self.headers.get(name, name),
            label=at.label, stated=stated,
            terms=[(1, t.values.get(name), t.row, col) for t in terms],
            what=what, unit=self.units.get(name, 1), money=name in _MONEY))

    def movements(self, at: BookRow, terms: list[BookRow], what: str) -> None:
        for name in SUMMED:
            if name in _PRICED and _adds_up_as_priced(at, name, terms):
                continue
            self.add(at, name, terms, what)

    def balance(self, at: BookRow, carried: BookRow | None, what: str, skip: tuple[str, ...] = ()) -> None:
        if carried is None:
            return
        for name in BALANCES:
            if name not in skip and not is_blank(carried.values.get(name)):
                self.add(at, name, [carried], what)


# An amount and the quantity and price it is the product of.
_PRICED = {"in_amount": ("in_qty", "in_price"), "out_amount": ("out_qty", "out_price")}


def _adds_up_as_priced(at: BookRow, name: str, terms: list[BookRow]) -> bool:
    qty_name, price_name = _PRICED[name]
    return adds_up_as_priced(at.values.get(name), [
        (row.values.get(name), row.values.get(qty_name), row.values.get(price_name)) for row in terms])


def adds_up_as_priced(stated: Any, terms: list[tuple[Any, Any, Any]]) -> bool:
    """Whether a total's amount adds up once each term (amount, quantity, unit price) whose
    amount is not its 数量 × 单价 is taken at 数量 × 单价: the bursar added the right figures,
    and the one slip is already reported on its own row (金额 = 数量 × 单价) — not again on
    every total below it."""
    total = _decimal(stated)
    if total is None:
        return False
    written = priced = Decimal(0)
    slipped = False
    for amount_raw, qty_raw, price_raw in terms:
        amount = _decimal(amount_raw) or Decimal(0)
        qty, price = _decimal(qty_raw), _decimal(price_raw)
        product = (qty * price).quantize(_FEN) if qty is not None and price is not None else amount
        # Half a fen a unit: the unit price is written rounded (as the row check allows).
        if abs(product - amount) > _FEN + abs(qty or 0) * _FEN / 2:
            slipped = True
            priced += product
        else:
            priced += amount
        written += amount
    return slipped and abs(total - written) >= _FEN and abs(total - priced) < _FEN


def _repeats_priced(at: BookRow, last: BookRow) -> bool:
    """Whether a total row's 结存金额 is the last balance's 数量 × 单价: the bursar carried the
    right figure, and the slip in the last balance's own 金额 is reported on its row already."""
    stated = _decimal(at.values.get("balance_amount"))
    qty, price = _decimal(last.values.get("balance_qty")), _decimal(last.values.get("balance_price"))
    if stated is None or qty is None or price is None:
        return False
    return abs(stated - (qty * price).quantize(_FEN)) < _FEN


def _span(terms: list[BookRow]) -> str:
    if not terms:
        return "无收发"
    return f"第{terms[0].row}行" if len(terms) == 1 else f"第{terms[0].row}–{terms[-1].row}行"


def _has_balance(row: BookRow) -> bool:
    return not is_blank(row.values.get("balance_qty")) or not is_blank(row.values.get("balance_amount"))


_FEN = Decimal("0.01")


def _decimal(value: Any) -> Decimal | None:
    number = parse_number(value)
    return None if number is None or number is BAD else number


def _number(value: Any) -> float | None:
    number = _decimal(value)
    return None if number is None else float(number)


class _Running:
    """The book's running balance in quantity, from its opening: whether the balance last
    written agrees with it."""

    def __init__(self) -> None:
        self.balance: float | None = 0.0
        self.trusted = True

    def record(self, row: BookRow) -> None:
        stated = _number(row.values.get("balance_qty"))
        if row.kind != "movement":  # an opening (or a first 承前页) states where it starts
            self.balance = stated if stated is not None else self.balance
            self.trusted = True
            return
        if self.balance is not None:
            for name, sign in (("in_qty", 1), ("out_qty", -1)):
                if is_blank(row.values.get(name)):
                    continue
                moved = _number(row.values.get(name))
                self.balance = None if moved is None else self.balance + sign * moved
                if self.balance is None:
                    break
        if stated is not None:
            self.trusted = self.balance is not None and abs(stated - self.balance) < 1e-6


def stated_sums(rows: list[BookRow], columns: dict[str, int], headers: dict[str, str],
                units: dict[str, int]) -> tuple[list[StatedSum], dict[str, str]]:
    """The StatedSums of one page, and notes (for the ledger's context) on what was not checked."""
    sums = _Sums(columns, headers, units)
    notes: dict[str, str] = {}
    records = [r for r in rows if r.is_record]
    opened_by_carry = bool(records) and records[0].kind == "carry_in"
    first_movement = next((r for r in records if r.kind == "movement"), None)
    # The page holds the whole year so far when it starts with the year's opening (上年结转,
    # or an opening or first movement in January).
    # A page whose first record is a movement (a new item's first purchase) carries nothing in.
    year_complete = bool(records) and not opened_by_carry and (
        (records[0].kind == "opening" and records[0].label.startswith(_YEAR_START))
        or records[0].kind == "movement" or records[0].month == 1)
    running = _Running()
    movements: list[BookRow] = []
    last_balance: BookRow | None = None
    last_carry_out: BookRow | None = None
    since_total: list[BookRow] = []
    unchecked_months: list[str] = []
    unchecked_years: list[str] = []
    for row in rows:
        if row.is_record:
            running.record(row)
            if row.kind == "movement":
                movements.append(row)
                since_total.append(row)
            if _has_balance(row):
                last_balance = row
            continue
        kind = row.kind
        if kind == "carry_out":
            if last_balance is not None and running.trusted:
                sums.balance(row, last_balance, f"过次页应转第{last_balance.row}行的结存")
            last_carry_out = row
        elif kind == "carry_in":
            if last_carry_out is not None:
                sums.balance(row, last_carry_out, f"承前页应等于第{last_carry_out.row}行过次页的结存")
        elif kind == "month_total":
            month = row.month or (movements[-1].month if movements else None)
            if opened_by_carry and (not movements or month == first_movement.month):
                unchecked_months.append(str(row.row))  # the month began on an earlier page
            else:
                terms = [m for m in movements if m.month == month and m.year == row.year]
                named = f"{month}月" if month else "本月"
                sums.movements(row, terms, f"{named}各笔之和（{_span(terms)}）")
        elif kind == "year_total":
            if year_complete:
                terms = [m for m in movements if m.year == row.year]
                sums.movements(row, terms, f"本年各笔之和（{_span(terms)}）")
            else:
                unchecked_years.append(str(row.row))
        elif kind == "subtotal":
            sums.movements(row, since_total, f"上一合计行以来各笔之和（{_span(since_total)}）")
        elif kind == "total":
            sums.movements(row, movements, f"本页各笔之和（{_span(movements)}）")
        if kind in ("carry_out", "carry_in") and _has_balance(row):
            last_balance = row
        if kind in ("month_total", "year_total", "subtotal", "total"):
            if last_balance is not None and running.trusted:
                sums.balance(row, last_balance, f"结存应等于第{last_balance.row}行的结存",
                             skip=("balance_amount",) if _repeats_priced(row, last_balance) else ())
            since_total = []
    if unchecked_months:
        notes["本月合计未复核"] = ("第" + "、".join(unchecked_months)
                              + "行：该月从前一页记起（承前页），本页不含该月全部记录")
    if unchecked_years:
        notes["本年累计未复核"] = ("第" + "、".join(unchecked_years)
                              + "行：本页不是从年初（上年结转）记起，累计含本页以外的数")
    return sums.out, notes
