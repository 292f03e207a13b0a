"""The stores counted — a canteen's weekly 食材盘存表 — read into stock_count.

One form after another down a sheet, as a canteen keeps them (and as canteen software prints
them): a title, a line with the school and the count's date (`2026.11.22`, `盘存日期：…`), a
two-level header — 品名 | 单位 | 单价 | 账面栏 (数量 | 金额) | 盘点栏 (数量 | 金额) | 差额
(数量 | 金额) | 原因 — the food items, rows left blank for more, a 合计, a note and the
signatures. Each form is a ledger of its own, read with its own header; its items are records,
each dated by the form's date (the title cell), and the 合计 is a StatedSum of the form's
账面 and 盘点 金额. schemas/stock_count.yaml compares 盘点 with 账面 per item (count_diff).

A header is a count only with money beside the quantities (账面金额 or 盘点金额): the asset
count's 账面 | 实盘 carry 存放地点 and no amounts, and 资产编号 or 存放地点 refuse it outright.
The 差额 is not re-computed (some forms write 盘点 − 账面, others 账面 − 盘点).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ...read.grid import Grid
from ..ledger import Ledger, StatedSum
from ..parse import is_blank, normalise_text
from ..schemas import LedgerSchema
from .book_sums import adds_up_as_priced
from .cells import HEADER_SEARCH_ROWS, MergeMap, label_kind, squeeze, unit_multiplier
from .joined_header import JoinedHead, alias_fields, find_head, head_at

LEDGER = "stock_count"
_REFUSE = frozenset({"资产编号", "资产编码", "卡片编号", "存放地点", "账面存放地点", "实际存放地点",
                     "实盘存放地点", "日期", "摘要"})
_DATE = re.compile(r"((?:19|20)\d{2})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})")
_QUANTITY_OF = {"book_amount": "book_qty", "counted_amount": "counted_qty"}
_SUMMED = ("book_qty", "book_amount", "counted_qty", "counted_amount", "diff_qty", "diff_amount")


def _head(merges: MergeMap, row: int, depth: int, aliases: dict[str, str]) -> JoinedHead | None:
    head = head_at(merges, row, depth, aliases, _REFUSE)
    if head is None:
        return None
    cols = set(head.columns)
    if not {"item", "book_qty", "counted_qty"} <= cols or not {"book_amount", "counted_amount"} & cols:
        return None
    return head


def _count_date(grid: Grid, first: int, last: int) -> tuple[Any, tuple[int, int] | None]:
    """The form's date from the rows above its header, and the cell it stands in."""
    for row in range(first, last + 1):
        for col in range(grid.first_col, grid.last_col + 1):
            value = grid.cell(row, col)
            if isinstance(value, dt.date):
                return value, (row, col)
            if isinstance(value, str):
                m = _DATE.search(normalise_text(value))
                if m:
                    try:
                        return dt.date(*(int(g) for g in m.groups())), (row, col)
                    except ValueError:
                        return m.group(0), (row, col)  # unreadable: reported as bad_type
    return None, None


def _is_footer(values: list[Any]) -> bool:
    texts = [v for v in values if isinstance(v, str) and not is_blank(v)][:2]
    return any(label_kind(t) in ("footer", "footer?") for t in texts)


def _form(grid: Grid, merges: MergeMap, schema: LedgerSchema, head: JoinedHead,
          aliases: dict[str, str], title_from: int) -> tuple[Ledger, int]:
    cols = head.columns
    rows: list[int] = []
    records: list[dict[str, Any]] = []
    sums: list[StatedSum] = []
    sheet_unit = unit_multiplier(grid, merges, head.row)
    units = {f: sheet_unit if schema.field(f).type == "money" else 1 for f in cols}
    row = head.last_row + 1
    while row <= grid.last_row:
        line = grid.rows[row - grid.first_row]
        values = {f: grid.cell(row, c) for f, c in cols.items()}
        figures = any(not is_blank(values.get(f)) for f in _SUMMED)
        item = values.get("item")
        if all(is_blank(v) for v in line):
            row += 1
            continue
        if _is_footer(line):
            break
        if not figures and find_head(merges, row, row + 3,
                                     lambda r, d: _head(merges, r, d, aliases)):
            break  # the next form's title, date line or header
        if isinstance(item, str) and label_kind(item) == "total":
            for name in ("book_amount", "counted_amount", "diff_amount"):
                quantity = _QUANTITY_OF.get(name)
                if quantity and adds_up_as_priced(values.get(name), [
                        (r.get(name), r.get(quantity), r.get("price")) for r in records]):
                    continue  # one row's 金额 slipped and is reported there, not again here
                if name in cols and not is_blank(values.get(name)):
                    sums.append(StatedSum(
                        row=row, column=cols[name], field=name, header=head.headers[name],
                        label=squeeze(item), stated=values[name],
                        terms=[(1, r[name], rows[k], cols[name]) for k, r in enumerate(records)],
                        what=f"本表各项之和（第{rows[0]}–{rows[-1]}行）" if rows else "本表无物品",
                        unit=units.get(name, 1)))
            row += 1
            continue
        if not is_blank(item):
            rows.append(row)
            records.append(values)
        row += 1
    date, date_cell = _count_date(grid, title_from, head.row - 1)
    fields = [s.name for s in schema.fields if s.name in cols]
    raw = {f: [r.get(f) for r in records] for f in fields}
    cells: dict[str, list[Any]] = {}
    headers = dict(head.headers)
    if "count_date" not in cols and date is not None:
        raw["count_date"] = [date] * len(records)
        cells["count_date"] = [date_cell] * len(records)
        headers["count_date"] = "盘存日期"
    context = {"格式": "盘存表"}
    if date is not None:
        context["盘存日期"] = str(date)
    missing = [s.name for s in schema.fields if s.required and s.name not in raw]
    return Ledger(
        schema=schema, path=grid.path, sheet=grid.sheet,
        header_rows=list(range(head.row, head.last_row + 1)), columns=dict(cols), headers=headers,
        units=units, rows=rows, raw=raw, hidden_rows=set(grid.hidden_rows), missing_fields=missing,
        cells=cells, sums=sums, layout="stock_count", context=context,
    ), row


def recognise_stock_count(grid: Grid, schemas: list[LedgerSchema]) -> list[Ledger] | None:
    """Every count form on this sheet, one stock_count ledger each; None when there is none."""
    schema = next((s for s in schemas if s.ledger == LEDGER), None)
    if schema is None or not grid.rows:
        return None
    aliases = alias_fields(schema)
    near = MergeMap(grid, grid.first_row + HEADER_SEARCH_ROWS + 1)
    head = find_head(near, grid.first_row, grid.first_row + HEADER_SEARCH_ROWS,
                     lambda row, depth: _head(near, row, depth, aliases))
    if head is None:
        return None
    merges = MergeMap(grid, grid.last_row)
    ledgers = []
    title_from = grid.first_row
    while head is not None:
        ledger, end = _form(grid, merges, schema, head, aliases, title_from)
        ledgers.append(ledger)
        title_from = end
        head = find_head(merges, end, grid.last_row, lambda row, depth: _head(merges, row, depth, aliases))
    return ledgers
