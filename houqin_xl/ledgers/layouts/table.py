"""Grids → ledgers: find the header, whatever sits above it, and the data below it.

A sheet is recognised by its headers, never by its name: the header row (or the two rows of a
two-level header such as 入库 over 数量|单价|金额) that matches one schema's signature best
(`table_header`). Below it, data rows keep their Excel row; merged data cells give their value
to every row they cover; blank rows, footers (制表人：…) and repeated header rows are skipped;
subtotal and total rows (小计, 合计, 本月合计 …) are kept apart so their sums can be checked;
a block of hand calculations under the table ends it (`table_body`).

A value may come from two columns of one group (a category summary's 期末余额 as 借方 | 贷方 or
方向 | 金额): it is then the signed balance, kept with the cell that holds it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from ...read.grid import Grid
from ..ledger import Ledger, StatedSum, TotalRow
from ..parse import BAD, is_blank, parse_number
from ..schemas import FieldSpec, LedgerSchema, normalise_header
from .cells import HEADER_SEARCH_ROWS, MergeMap, squeeze, total_prefix, unit_multiplier
from .table_body import Body, Tail, data_merges, split_tail
from .table_header import Candidate, Pair, closest_miss, find_header

__all__ = ["closest_miss", "recognise_table"]


def _unit_factor(spec: FieldSpec, key: str, unit: str | None, sheet_unit: int) -> int:
    """The factor a field's values are multiplied by: 万元 money × 10,000; a life in years ×
    12 where the field keeps months (`unit_scale`)."""
    if spec.unit_scale:
        if unit in spec.unit_scale:
            return spec.unit_scale[unit]
        for word, factor in spec.unit_scale.items():
            if word in key:
                return factor
        return 1
    if spec.type != "money":
        return 1
    if unit == "万元":
        return 10_000
    if unit == "元":
        return 1
    return sheet_unit


_DIRECTION_SIGN = {"借": 1, "贷": -1, "平": 0}


def _signed(pair: Pair, first: Any, second: Any) -> tuple[Any, int]:
    """The value of a pair and the column of the cell that holds it: 借方 − 贷方 (blank is
    zero: exports print a zero balance as an empty cell), or 金额 signed by 方向. An
    unreadable cell is handed on as it is, at its own column, to be reported as bad_type."""
    if pair.kind == "debit_credit":
        debit, credit = parse_number(first), parse_number(second)
        if debit is BAD:
            return first, pair.first
        if credit is BAD:
            return second, pair.second
        column = pair.second if debit in (None, 0) and credit not in (None, 0) else pair.first
        return (debit or Decimal(0)) - (credit or Decimal(0)), column
    amount = parse_number(second)
    if amount is BAD:
        return second, pair.second
    direction = squeeze(first) if not is_blank(first) else ""
    sign = _DIRECTION_SIGN.get(direction[:1]) if direction else 1
    if sign is None:
        return first, pair.first  # a 方向 that is none of 借/贷/平
    return sign * (amount or Decimal(0)), pair.second


def _composed(pair: Pair, firsts: list[Any], seconds: list[Any]) -> tuple[list[Any], list[int]]:
    values, columns = [], []
    for first, second in zip(firsts, seconds, strict=True):
        value, column = _signed(pair, first, second)
        values.append(value)
        columns.append(column)
    return values, columns


def _fields_and_units(grid: Grid, merges: MergeMap, cand: Candidate
                      ) -> tuple[list[str], dict[str, int]]:
    schema = cand.schema
    sheet_unit = unit_multiplier(grid, merges, cand.header_rows[0])
    units = {name: _unit_factor(schema.field(name), cand.headers[name], cand.units.get(name),
                                sheet_unit)
             for name in cand.columns}
    fields = [spec.name for spec in schema.fields if spec.name in cand.columns]  # schema order
    return fields, units


def _header_words(grid: Grid, cand: Candidate, fields: list[str]) -> tuple[list[set[str]], set[str]]:
    """A header repeated on a printed page: a row whose cells are the header's own words. For a
    two-level header any of its rows may be repeated, so every header row's words count."""
    field_keys = []
    header_texts: set[str] = set()
    for f in fields:
        cells = [grid.cell(r, cand.columns[f]) for r in cand.header_rows]
        keys = {cand.headers[f]} | {normalise_header(c)[0] for c in cells if not is_blank(c)}
        field_keys.append(keys)
        header_texts |= keys | {str(c).strip() for c in cells if not is_blank(c)}
        header_texts |= {c for c in cells if isinstance(c, str) and not is_blank(c)}
    return field_keys, header_texts


def _totals_the_table(total: TotalRow, raw: dict[str, list[Any]], rows: list[int],
                      fields: list[str]) -> bool:
    """Whether a total-labelled row under the table states the sums of the data rows above it
    (all of them): then it is the table's total, whatever it is called."""
    compared = False
    for name in fields:
        stated = parse_number(total.values.get(name))
        if stated is None or stated is BAD:
            continue
        numbers = [parse_number(v) for v, r in zip(raw[name], rows, strict=True) if r < total.row]
        if any(n is BAD for n in numbers):
            return False
        if abs(sum((n for n in numbers if n is not None), Decimal(0)) - stated) > Decimal("0.005"):
            return False
        compared = True
    return compared


def _settled(values: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Which cells are plain numbers (float), and their fen (0 elsewhere)."""
    cells = np.empty(len(values), dtype=object)
    cells[:] = values
    is_float = np.equal(np.fromiter(map(type, values), dtype=object, count=len(values)), float)
    fen = np.zeros(len(values))
    fen[is_float] = np.round(cells[is_float].astype(float) * 100)
    return is_float, fen


def _roll_sums(name: str, header: str, rows: list[int], labels: list[Any], stated: list[Any],
               parts: list[list[Any]], columns: tuple[int, int, int], column: int, unit: int
               ) -> list[StatedSum]:
    """A year-end group's own arithmetic, 年初 + 本年增加 − 本年减少 = 年末, as stated sums on the
    年末 cells. Rows whose four cells are numbers that agree to the fen are settled here, in C;
    every other row (text amounts, blanks, a difference) is handed to the totals check, which
    parses exactly and reports on the 年末 cell."""
    end_ok, end_fen = _settled(stated)
    (a_ok, a_fen), (b_ok, b_fen), (c_ok, c_fen) = (_settled(p) for p in parts)
    settled = end_ok & a_ok & b_ok & c_ok & (a_fen + b_fen - c_fen == end_fen)
    opening_col, increase_col, decrease_col = columns
    out = []
    for i in np.flatnonzero(~settled).tolist():
        row, end = rows[i], stated[i]
        opening, increase, decrease = parts[0][i], parts[1][i], parts[2][i]
        if all(is_blank(v) for v in (end, opening, increase, decrease)):
            continue
        label = labels[i] if labels and not is_blank(labels[i]) else ""
        out.append(StatedSum(
            row=row, column=column, field=name, header=header, label=str(label).strip(),
            stated=end, terms=[(1, opening, row, opening_col), (1, increase, row, increase_col),
                               (-1, decrease, row, decrease_col)],
            what="年初+本年增加−本年减少", unit=unit, stated_is_data=True))
    return out


def _tail_note(tail: Tail) -> str:
    words = "、".join(dict.fromkeys(tail.labels[:4]))
    span = (f"第{tail.rows[0]}行" if len(tail.rows) == 1
            else f"第{tail.rows[0]}–{tail.rows[-1]}行")
    return (f"{span}在表格下方{'（' + words + '）' if words else ''}，是手工计算或说明，"
            "不作台账数据 / rows under the table read as notes, not data")


def recognise_table(grid: Grid, schemas: list[LedgerSchema]) -> Ledger | None:
    """The ledger this sheet holds as a row table under a header, or None when no schema's
    signature is found in its headers."""
    if not grid.rows:
        return None
    merges = MergeMap(grid, grid.first_row + HEADER_SEARCH_ROWS + 1)
    cand = find_header(grid, merges, schemas)
    if cand is None:
        return None
    schema = cand.schema
    fields, units = _fields_and_units(grid, merges, cand)
    field_keys, header_texts = _header_words(grid, cand, fields)
    indexes = [cand.columns[f] - grid.first_col for f in fields]
    extra = [col - grid.first_col for pair in cand.pairs.values() for col in pair.columns]
    extra += [col - grid.first_col for columns in cand.rolls.values() for col in columns]
    body = Body(grid, cand.header_rows[-1] + 1 - grid.first_row, max(indexes + extra) + 1,
                data_merges(grid, cand.header_rows[-1] + 1, indexes))
    kept, totals = body.classify(fields, indexes, field_keys, header_texts)
    kept, totals, tail = split_tail(body, kept, totals, indexes)
    raw = {f: body.take(j, kept) for f, j in zip(fields, indexes, strict=True)}
    kept_rows = (kept + body.first_row).tolist()
    cells: dict[str, list[tuple[int, int] | None]] = {}
    column_headers: dict[int, str] = {}
    for name, pair in cand.pairs.items():
        firsts = body.take(pair.first - grid.first_col, kept)
        seconds = body.take(pair.second - grid.first_col, kept)
        raw[name], columns = _composed(pair, firsts, seconds)
        cells[name] = [(row, col) for row, col in zip(kept_rows, columns, strict=True)]
        column_headers[pair.first], column_headers[pair.second] = pair.first_header, pair.second_header
        for total in [*totals, *tail.totals]:
            first, second = grid.cell(total.row, pair.first), grid.cell(total.row, pair.second)
            # A total row that leaves both cells blank states nothing (it is no zero balance).
            total.values[name] = (None if is_blank(first) and is_blank(second)
                                  else _signed(pair, first, second)[0])
    # A total-labelled row under the table is its total when it says so plainly (合计, 本月合计)
    # or when its figures are the sums above it; 材料合计 under a stores sheet is neither.
    summed = [f for f in schema.totals if f in raw]
    for total in tail.totals:
        if total_prefix(total.label) == "" or _totals_the_table(total, raw, kept_rows, summed):
            totals.append(total)
        else:
            tail.rows.append(total.row)
            tail.labels.append(total.label)
    tail.rows.sort()
    sums: list[StatedSum] = []
    for name, columns in cand.rolls.items():
        parts = [body.take(col - grid.first_col, kept) for col in columns]
        labels = raw.get("asset_id", [])
        sums += _roll_sums(name, cand.headers[name], kept_rows, labels, raw[name], parts, columns,
                           cand.columns[name], units[name])
    missing = [s.name for s in schema.fields if s.required and s.name not in cand.columns]
    context = {"表下说明": _tail_note(tail)} if tail.rows else {}
    return Ledger(
        schema=schema, path=grid.path, sheet=grid.sheet, header_rows=cand.header_rows,
        columns=dict(cand.columns), headers=dict(cand.headers), units=units, rows=kept_rows,
        raw=raw, totals=sorted(totals, key=lambda t: t.row), hidden_rows=set(grid.hidden_rows),
        missing_fields=missing, cells=cells, column_headers=column_headers, sums=sums,
        context=context,
    )
