"""Bank books as the deposits side of 收支两条线 (REAL-FORMATS §8).

The unit's own 银行存款日记账 (借方 is money in) or the bank's statement (收入金额, or the bank's
贷方) is read as `deposits`: each money-in line is a deposit — its date, amount, voucher or
serial number (slip_no) and 摘要 — keeping its own cells. Withdrawals are not records and not
errors; the opening (上月结转, 承前页 …) and the 本月合计 / 本年累计 rows are not deposits.

The book's own arithmetic becomes StatedSums: each stated 余额 = the previous 余额 + money in −
money out since (a blank 余额 waits for the next one; a statement listed newest first is
followed the way its balances run), and each 本月合计 = Σ its month's lines. 本年累计 is checked
only when the book starts at the year's opening (上年结转); 过次页 is a page total and is not.

A dated journal with 摘要 and a running 余额 is never the general ledger's balance list: the
balance-sheet layout declines any header holding 日期 and 摘要.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from ...read.grid import Grid
from ..ledger import Cell, Ledger, StatedSum
from ..parse import BAD, is_blank, parse_date, parse_number
from ..schemas import LedgerSchema
from .cells import HEADER_SEARCH_ROWS, MergeMap, label_kind, squeeze, unit_multiplier
from .journal_header import JournalHeader, find_journal_header

# 摘要 of the line a book opens with: a balance brought forward, no money moved.
_OPENING = re.compile(r"^(上月结转|上年结转|期初|年初|上期结转|月初|承前页|上页结转|结转上年|上年余额)")
_YEAR_OPENING = re.compile(r"上年结转|年初余额|结转上年|上年余额")
_SHORT_DATE = re.compile(r"^(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_ACCOUNT = re.compile(r"(?:账户名称|账户|账号|户名|开户行|银行账号)[:：]\s*(\S.*)")
_DIRECTIONS = {"借": 1, "贷": -1, "平": 1}


@dataclass
class _Line:
    """One row of the book: a movement, an opening, or a total."""

    row: int
    kind: str            # 'move', 'opening', 'month', 'year', 'page'
    label: str = ""


class _Book:
    def __init__(self, grid: Grid, header: JournalHeader) -> None:
        self.grid = grid
        self.header = header
        cols = header.columns
        self.in_col, self.out_col = cols[header.money_in], cols[header.money_out]
        self.balance_col = cols["balance"]

    def cell(self, row: int, role: str) -> Any:
        col = self.header.columns.get(role)
        return None if col is None else self.grid.cell(row, col)

    def sign(self, row: int) -> int | None:
        """The 余额's sign from its 方向 (借 +, 贷 −); +1 without a 方向 column."""
        value = self.cell(row, "direction")
        if value is None or is_blank(value):
            return 1
        return _DIRECTIONS.get(squeeze(value))


def _classify(book: _Book) -> list[_Line]:
    grid, header = book.grid, book.header
    lines: list[_Line] = []
    roles = [r for r in ("date", "month", "day", "voucher", "summary") if r in header.columns]
    for row in range(header.data_start, grid.last_row + 1):
        texts = [v for v in (book.cell(row, r) for r in roles) if isinstance(v, str) and v.strip()]
        amounts = [book.cell(row, r) for r in (header.money_in, header.money_out, "balance")]
        summary = squeeze(book.cell(row, "summary") or "")
        kinds = [label_kind(t) for t in texts]
        if _OPENING.match(summary):
            lines.append(_Line(row, "opening", summary))
        elif "total" in kinds:
            label = squeeze(texts[kinds.index("total")])
            if "承前" in label:
                kind = "opening"  # carried from the page before: a balance, no movement
            elif "过次" in label:
                kind = "page"
            elif "累计" in label:
                kind = "year"
            else:
                kind = "month"  # 本月合计, 本期合计, 合计: the lines since the last one
            lines.append(_Line(row, kind, label))
        elif _footer(grid, row, amounts):
            continue
        elif all(is_blank(a) for a in amounts) and not any(
                not is_blank(book.cell(row, r)) for r in ("date", "month", "day", "voucher")):
            continue  # a blank row, or a note without figures
        else:
            lines.append(_Line(row, "move"))
    return lines


def _footer(grid: Grid, row: int, amounts: list[Any]) -> bool:
    """制表：… / 出纳：… lines under the book: a footer word in the row's first cell (one
    without a colon only on a row with no amount)."""
    i = row - grid.first_row
    first = next((v for v in grid.rows[i] if not is_blank(v)), None) if 0 <= i < len(grid.rows) else None
    kind = label_kind(first) if isinstance(first, str) else ""
    return kind == "footer" or (kind == "footer?" and all(
        parse_number(a) is None or parse_number(a) is BAD for a in amounts))


def _dates(book: _Book, lines: list[_Line]) -> dict[int, tuple[Any, Cell | None]]:
    """Each movement line's date and the cell it stands in. A book writes the month, and often
    the day, only where it changes: a blank is the line above's."""
    header, grid = book.header, book.grid
    out: dict[int, tuple[Any, Cell | None]] = {}
    last: tuple[Any, Cell | None] = (None, None)
    month = day = None
    month_cell = day_cell = None
    # Every line carries the date on: the opening (上月结转 on 11月1日) may be where the month
    # is written.
    for line in lines:
        row = line.row
        if "date" in header.columns:
            col = header.columns["date"]
            value = grid.cell(row, col)
            if not is_blank(value):
                last = (_with_year(value, header.year), (row, col))
            out[row] = last
            continue
        m, d = book.cell(row, "month"), book.cell(row, "day")
        if not is_blank(m):
            month, month_cell = m, (row, header.columns["month"])
        if not is_blank(d):
            day, day_cell = d, (row, header.columns["day"])
        out[row] = (_month_day(header.year, month, day), day_cell or month_cell)
    return out


def _with_year(value: Any, year: int | None) -> Any:
    """A date cell; '11-02' or '11月2日' completed with the book's year when it has one."""
    if parse_date(value) is not BAD or not isinstance(value, str) or year is None:
        return value
    m = _SHORT_DATE.match(value.strip())
    if not m:
        return value
    try:
        return dt.date(year, int(m.group(1)), int(m.group(2)))
    except ValueError:
        return value


def _month_day(year: int | None, month: Any, day: Any) -> Any:
    """月 and 日 cells as a date; as written (unreadable, so reported) when they make none."""
    m, d = parse_number(month), parse_number(day)
    shown = f"{month}月{day}日"
    if year is None or m is None or d is None or m is BAD or d is BAD:
        return shown
    try:
        return dt.date(year, int(m), int(d))
    except (ValueError, TypeError):
        return shown


class _Sums:
    def __init__(self, book: _Book, unit: int) -> None:
        self.book = book
        self.unit = unit
        self.out: list[StatedSum] = []

    def add(self, row: int, col: int, field: str, header: str, label: str, stated: Any,
            terms: list[tuple[int, Any, int, int]], what: str, stated_is_data: bool = False) -> None:
        self.out.append(StatedSum(row=row, column=col, field=field, header=header, label=label,
                                  stated=stated, terms=terms, what=what, unit=self.unit,
                                  stated_is_data=stated_is_data))

    def running(self, lines: list[_Line]) -> None:
        """Each stated 余额 = the previous stated 余额 + money in − money out of the lines
        between, in the order the balances run (a statement may list its newest line first).
        Total and opening rows state the balance too; a blank 余额 waits for the next one."""
        book = self.book
        order = lines if _runs_forward(book, lines) else list(reversed(lines))
        previous: tuple[int, int] | None = None  # (row, sign) of the last stated balance
        pending: list[_Line] = []
        header = book.header.shown.get("balance", "余额")
        for line in order:
            if line.kind == "move":
                pending.append(line)
            stated = book.grid.cell(line.row, book.balance_col)
            if is_blank(stated):
                continue
            sign = book.sign(line.row)
            if sign is not None and previous is not None:
                prev_row, prev_sign = previous
                terms = [(sign * prev_sign, book.grid.cell(prev_row, book.balance_col), prev_row,
                          book.balance_col)]
                for moved in pending:
                    terms.append((sign, book.grid.cell(moved.row, book.in_col), moved.row, book.in_col))
                    terms.append((-sign, book.grid.cell(moved.row, book.out_col), moved.row,
                                  book.out_col))
                self.add(line.row, book.balance_col, "bank_balance", header, line.label or "余额",
                         stated, terms, f"上一余额（第{prev_row}行）+收入−支出")
            # A 方向 that says neither 借 nor 贷: the chain starts again after it.
            previous = None if sign is None else (line.row, sign)
            pending = []

    def totals(self, lines: list[_Line]) -> None:
        """本月合计 = Σ the month's lines; 本年累计 = Σ the year's, when the book starts with the
        year's opening."""
        since_month: list[_Line] = []
        since_year: list[_Line] = []
        year_known = bool(lines) and lines[0].kind == "opening" and bool(_YEAR_OPENING.search(lines[0].label))
        for line in lines:
            if line.kind == "move":
                since_month.append(line)
                since_year.append(line)
            elif line.kind == "month":
                self._sum_columns(line, since_month, "本月各行之和")
                since_month = []
            elif line.kind == "year" and year_known:
                self._sum_columns(line, since_year, "本年各行之和")

    def _sum_columns(self, total: _Line, block: list[_Line], what: str) -> None:
        book = self.book
        for role, col, field in ((book.header.money_in, book.in_col, "amount"),
                                 (book.header.money_out, book.out_col, "withdrawal")):
            stated = book.grid.cell(total.row, col)
            if is_blank(stated):
                continue  # a total cell left empty states nothing
            terms = [(1, book.grid.cell(line.row, col), line.row, col) for line in block]
            self.add(total.row, col, field, book.header.shown.get(role, role), total.label, stated,
                     terms, f"{what}（第{block[0].row}–{block[-1].row}行）" if block else what)

    def unreadable(self, lines: list[_Line]) -> None:
        """A withdrawal cell that cannot be read is no record's value, yet it breaks the running
        balance: stated on its own (nothing to add up), so totals.py reports it as bad_type."""
        book = self.book
        for line in lines:
            if line.kind != "move":
                continue
            raw = book.grid.cell(line.row, book.out_col)
            if parse_number(raw) is BAD:
                self.add(line.row, book.out_col, "withdrawal",
                         book.header.shown.get(book.header.money_out, "支出"), "支出", raw, [], "")


def _runs_forward(book: _Book, rows: list[_Line]) -> bool:
    """Whether the balances run down the page (a journal) rather than up (a statement listed
    newest first): the order in which more stated balances follow from the one before."""
    def matches(order: list[_Line]) -> int:
        count, previous, moved = 0, None, Decimal(0)
        for line in order:
            change = _number(book.grid.cell(line.row, book.in_col)) - _number(
                book.grid.cell(line.row, book.out_col)) if line.kind == "move" else Decimal(0)
            moved += change
            balance = parse_number(book.grid.cell(line.row, book.balance_col))
            if balance is None or balance is BAD:
                continue
            if previous is not None and abs(previous + moved - balance) < Decimal("0.005"):
                count += 1
            previous, moved = balance, Decimal(0)
        return count
    return matches(rows) >= matches(list(reversed(rows)))


def _number(value: Any) -> Decimal:
    number = parse_number(value)
    return Decimal(0) if number is None or number is BAD else number


def recognise_journal(grid: Grid, schemas: list[LedgerSchema]) -> list[Ledger] | None:
    """The deposits this sheet holds as a bank book, or None when it is not one."""
    schema = next((s for s in schemas if s.ledger == "deposits"), None)
    if schema is None or not grid.rows:
        return None
    header = find_journal_header(grid)
    if header is None:
        return None
    book = _Book(grid, header)
    lines = _classify(book)
    unit = unit_multiplier(grid, MergeMap(grid, grid.first_row + HEADER_SEARCH_ROWS + 1),
                           header.rows[0])
    sums = _Sums(book, unit)
    sums.running(lines)
    sums.totals(lines)
    sums.unreadable(lines)
    return [_ledger(schema, book, lines, sums.out, unit)]


def _ledger(schema: LedgerSchema, book: _Book, lines: list[_Line], sums: list[StatedSum],
            unit: int) -> Ledger:
    grid, header = book.grid, book.header
    dates = _dates(book, lines)
    deposits = [line for line in lines if line.kind == "move"
                and _number_or_bad(grid.cell(line.row, book.in_col))]
    rows = [line.row for line in deposits]
    raw: dict[str, list[Any]] = {
        "date": [dates[r][0] for r in rows],
        "amount": [grid.cell(r, book.in_col) for r in rows],
    }
    cells: dict[str, list[Cell | None]] = {"date": [dates[r][1] for r in rows]}
    columns = {"amount": book.in_col}
    headers = {"amount": header.shown.get(header.money_in, "收入"),
               "date": header.shown.get("date") or header.shown.get("day", "日期")}
    for field, role in (("slip_no", "voucher"), ("note", "summary")):
        if role in header.columns:
            raw[field] = [grid.cell(r, header.columns[role]) for r in rows]
            columns[field] = header.columns[role]
            headers[field] = header.shown[role]
    account = _account(header)
    context = {"账簿": "银行对账单" if header.statement else "银行存款日记账",
               "收入列": headers["amount"]}
    if account is not None:
        (row, col, text) = account
        raw["account"] = [text] * len(rows)
        cells["account"] = [(row, col)] * len(rows)
        headers["account"] = "账户"
        context["账户"] = text
    units = {name: (unit if schema.field(name).type == "money" else 1) for name in raw}
    return Ledger(
        schema=_ledger_schema(schema, header.statement), path=grid.path, sheet=grid.sheet,
        header_rows=header.rows, columns=columns,
        headers=headers, units=units, rows=rows, raw=raw, hidden_rows=set(grid.hidden_rows),
        cells=cells, sums=sums, layout="journal", context=context,
    )


def _ledger_schema(schema: LedgerSchema, statement: bool) -> LedgerSchema:
    """deposits as a bank book fills it. A negative money-in line is a red-ink reversal (红字
    冲销) that lowers its day's deposits, not a wrong slip; and one voucher may post two lines
    to the bank, so a journal's 凭证号 is no unique key (a statement's 流水号 is)."""
    fields = []
    for spec in schema.fields:
        if spec.name == "amount":
            spec = replace(spec, checks=[])
        elif spec.name == "slip_no" and not statement:
            spec = replace(spec, unique=False)
        fields.append(spec)
    return replace(schema, fields=fields)


def _number_or_bad(value: Any) -> bool:
    """A money-in cell that makes its line a deposit: a non-zero amount, or one that cannot be
    read (kept, so that it is reported)."""
    number = parse_number(value)
    return number is BAD or (number is not None and number != 0)


def _account(header: JournalHeader) -> tuple[int, int, str] | None:
    for row, col, text in header.title:
        m = _ACCOUNT.search(text)
        if m:
            return row, col, m.group(1).strip()
    return None
