"""The stores summed per item — 数量金额余额表, 进销存统计, 库存汇总 — read into stock_balances.

One row per item: 期初 + 入库 − 出库 = 结存 (the software's 期初余额 + 本期借方 − 本期贷方 =
期末余额, each balance a 方向 | 数量 | 单价 | 金额 group), or the closing balances alone. Such a
sheet is not a ledger of movements: its rows are records of stock_balances, and what it
states about itself is checked where it stands, as StatedSums —

- each item's roll-forward, in quantity and in amount, reported on its 期末 cell (a balance on
  the 贷 side counts negative; a zero printed as a blank cell is zero);
- a parent account (1403000 above 1403000_0001 …, found by code prefix) is the sum of its
  children, in amounts — not in quantities, which add 包 to 箱 and which exports print with
  rounding residue (0.0044 平) — and is not an item itself;
- the 合计 row is the sum of the top-level rows.

The closing balances are compared with the books (明细账) by the stock_rollforward rule.
A header with a date, a voucher or a 摘要 column is a ledger of movements, not this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...read.grid import Grid
from ..ledger import Ledger, StatedSum
from ..parse import is_blank, normalise_text, parse_text
from ..schemas import LedgerSchema
from .cells import HEADER_SEARCH_ROWS, MergeMap, label_kind, squeeze, unit_multiplier
from .joined_header import JoinedHead as _Head
from .joined_header import alias_fields, find_head, head_at
from .title_block import read_title_block

LEDGER = "stock_balances"
_MOVEMENT_HEADERS = frozenset({"日期", "摘要", "凭证号", "凭证字号", "凭证号数", "单据号", "业务日期",
                               "月", "日"})
# A dated stock column before the period's receipts (`2018年4月12日库存`) is the opening.
_DATED_OPENING = re.compile(r"^(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:库存|结存)?(?:数量)?$")
_AMOUNTS = ("opening_amount", "in_amount", "out_amount", "closing_amount")
_QUANTITIES = ("opening_qty", "in_qty", "out_qty", "closing_qty")
_MONEY = ("opening_price", "opening_amount", "in_price", "in_amount", "out_price", "out_amount",
          "closing_price", "closing_amount")
_SIDE_OF = {"opening_qty": "opening_side", "opening_amount": "opening_side",
            "closing_qty": "closing_side", "closing_amount": "closing_side"}
# Each roll-forward: (result, opening, in, out).
_ROLLS = (("closing_qty", "opening_qty", "in_qty", "out_qty"),
          ("closing_amount", "opening_amount", "in_amount", "out_amount"))


def _guess(key: str, found: dict[str, int]) -> str | None:
    if _DATED_OPENING.match(key) and not ({"in_qty", "out_qty"} & set(found)):
        return "opening_qty"
    return None


def _head_at(merges: MergeMap, row: int, depth: int, aliases: dict[str, str]) -> _Head | None:
    head = head_at(merges, row, depth, aliases, _MOVEMENT_HEADERS, _guess)
    if head is None or not ({"item", "item_code"} & set(head.columns)):
        return None
    return head if "closing_qty" in head.columns else None


@dataclass
class _Line:
    row: int
    values: dict[str, Any]
    code: str
    label: str
    total: bool = False
    parent: int | None = None  # index of the parent line
    is_parent: bool = False


def _code_of(value: Any) -> str:
    text = parse_text(value)
    return text.replace(" ", "") if isinstance(text, str) else ""


_CODE_LIKE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.\-]*$")


def _lines(grid: Grid, head: _Head) -> list[_Line]:
    cols = head.columns
    out: list[_Line] = []
    header_words = {head.headers[f] for f in ("item", "item_code") if f in head.headers}
    gap = False
    for row in range(head.last_row + 1, grid.last_row + 1):
        values = {f: grid.cell(row, c) for f, c in cols.items()}
        if all(is_blank(v) for v in grid.rows[row - grid.first_row]):
            gap = bool(out)
            continue
        if all(is_blank(v) for v in values.values()):
            continue
        code = _code_of(values.get("item_code"))
        if gap and _after_the_table(values, code, out):
            break  # hand calculations under the table (材料合计, 工资, 毛利 …) end it
        gap = False
        name = values.get("item")
        label = squeeze(name) if isinstance(name, str) else ""
        lead = [v for v in (values.get("item_code"), name) if isinstance(v, str) and not is_blank(v)]
        first_text = next((v for v in grid.rows[row - grid.first_row]
                           if isinstance(v, str) and not is_blank(v)), "")
        if label_kind(first_text) == "footer":
            break
        if {squeeze(v) for v in lead} & header_words:
            continue  # the header repeated on a printed page
        if any(label_kind(v) == "total" for v in lead):
            out.append(_Line(row, values, "", squeeze(lead[0]), total=True))
            continue
        if not code and not label:
            if label_kind(first_text) == "total":  # 合计 in the 序号 column, merged across
                out.append(_Line(row, values, "", squeeze(first_text), total=True))
            continue  # figures without an item: a note or a hand sum beside the table
        out.append(_Line(row, values, code, label or code))
    return out


def _after_the_table(values: dict[str, Any], code: str, above: list[_Line]) -> bool:
    """Whether a row after blank rows has left the table: exports put blank rows between
    account groups, whose next row is another coded account; a bookkeeper's calculations
    below the table have no item, or a word where the codes stand."""
    name = values.get("item")
    if not code and (not isinstance(name, str) or is_blank(name)):
        return True
    coded = [line for line in above if line.code]
    if "item_code" in values and coded and all(_CODE_LIKE.match(x.code) for x in coded):
        return not _CODE_LIKE.match(code)
    return False


def _link_parents(lines: list[_Line]) -> None:
    """A code that begins another code is that one's parent account: 1403000 of 1403000_0001."""
    by_code = {line.code: k for k, line in enumerate(lines) if line.code and not line.total}
    for line in lines:
        if not line.code or line.total:
            continue
        for length in range(len(line.code) - 1, 0, -1):
            parent = by_code.get(line.code[:length])
            if parent is not None:
                line.parent = parent
                lines[parent].is_parent = True
                break


def _sign(line: _Line, name: str) -> int:
    side = line.values.get(_SIDE_OF.get(name, ""))
    return -1 if isinstance(side, str) and normalise_text(side) == "贷" else 1


class _Sums:
    def __init__(self, head: _Head, units: dict[str, int]) -> None:
        self.head, self.units = head, units
        self.out: list[StatedSum] = []

    def add(self, at: _Line, name: str, terms: list[tuple[int, _Line, str]], what: str,
            blank_is_zero: bool, is_data: bool) -> None:
        cols = self.head.columns
        if name not in cols or not terms:
            return
        if not blank_is_zero and is_blank(at.values.get(name)):
            return
        flip = _sign(at, name)
        self.out.append(StatedSum(
            row=at.row, column=cols[name], field=name, header=self.head.headers[name],
            label=at.label, stated=at.values.get(name),
            terms=[(flip * sign * _sign(line, term), line.values.get(term), line.row, cols[term])
                   for sign, line, term in terms],
            what=what, unit=self.units.get(name, 1), money=name in _MONEY,
            stated_is_data=is_data, blank_is_zero=blank_is_zero))


def _span(lines: list[_Line]) -> str:
    rows = [line.row for line in lines]
    return f"第{rows[0]}行" if len(rows) == 1 else f"第{min(rows)}–{max(rows)}行"


def _sums(lines: list[_Line], head: _Head, units: dict[str, int]) -> list[StatedSum]:
    sums = _Sums(head, units)
    cols = head.columns
    for k, line in enumerate(lines):
        if line.total:
            top = [x for x in lines[:k] if not x.total and x.parent is None]
            for name in (*_QUANTITIES, *_AMOUNTS):
                sums.add(line, name, [(1, x, name) for x in top], f"各项之和（{_span(top)}）" if top else "",
                         blank_is_zero=False, is_data=False)
        elif line.is_parent:
            children = [x for x in lines if x.parent == k]
            for name in _AMOUNTS:
                sums.add(line, name, [(1, x, name) for x in children],
                         f"下级科目之和（{_span(children)}）", blank_is_zero=True, is_data=False)
        else:
            for result, opening, incoming, outgoing in _ROLLS:
                parts = [(1, opening), (1, incoming), (-1, outgoing)]
                present = [(sign, name) for sign, name in parts if name in cols]
                if result not in cols or not present:
                    continue
                what = "".join(("+" if sign > 0 else "−") + head.headers[name]
                               for sign, name in present).lstrip("+")
                sums.add(line, result, [(sign, line, name) for sign, name in present], what,
                         blank_is_zero=True, is_data=True)
    return sums.out


# A month, not a day of it: `2026年11月30日` is a date (截止…), not the month the table is for.
_TITLE_MONTH = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])")
_TITLE_MONTHS = re.compile(
    r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月?\s*[—\-–~～至到]\s*(\d{1,2})\s*月")  # 2026年1—11月
_AS_OF = re.compile(
    r"(?:截止|截至)\D{0,6}?(?:((?:19|20)\d{2})\s*年)?\s*(\d{1,2})\s*月\s*\d{1,2}\s*[日号]")
_YEAR_ONLY = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d)")
_NAME_MONTH = re.compile(r"(?:^|\D)((?:19|20)\d{2})[._\-]?(0[1-9]|1[0-2])(?:\D|$)")


def _month_named(grid: Grid, last_title_row: int) -> str | None:
    """The period a summary is for when no 期间 line says it: `2026年11月` or `2026年1—11月` in
    its title; the year to date when the title names only a year and a line says where it stops
    (`2026年库存汇总表` over `截止：2026年11月30日`, `2026年度，截至11月30日`: January to
    November); or `_202106` in its
    sheet's name (as the software names its export). A date alone names no period."""
    as_of = None
    years = set()
    for row in range(grid.first_row, last_title_row + 1):
        for value in grid.rows[row - grid.first_row]:
            if isinstance(value, str):
                text = normalise_text(value)
                m = _TITLE_MONTHS.search(text)
                if m:
                    return f"{m.group(1)}.{int(m.group(2)):02d}-{m.group(1)}.{int(m.group(3)):02d}"
                m = _TITLE_MONTH.search(text)
                if m:
                    return f"{m.group(1)}年{int(m.group(2))}月"
                as_of = as_of or _AS_OF.search(text)
                years.update(_YEAR_ONLY.findall(text))
    year = as_of and (as_of.group(1) or (next(iter(years)) if len(years) == 1 else None))
    if year and year in years:
        return f"{year}.01-{year}.{int(as_of.group(2)):02d}"
    m = _NAME_MONTH.search(grid.sheet)
    return f"{m.group(1)}.{m.group(2)}" if m else None


def recognise_stock_summary(grid: Grid, schemas: list[LedgerSchema]) -> list[Ledger] | None:
    """The per-item stock summary on this sheet as one stock_balances ledger, or None."""
    schema = next((s for s in schemas if s.ledger == LEDGER), None)
    if schema is None or not grid.rows:
        return None
    merges = MergeMap(grid, grid.first_row + HEADER_SEARCH_ROWS + 1)
    aliases = alias_fields(schema)
    head = find_head(merges, grid.first_row, grid.first_row + HEADER_SEARCH_ROWS,
                     lambda row, depth: _head_at(merges, row, depth, aliases))
    if head is None:
        return None
    lines = _lines(grid, head)
    _link_parents(lines)
    records = [line for line in lines if not line.total and not line.is_parent]
    sheet_unit = unit_multiplier(grid, merges, head.row)
    units = {f: sheet_unit if schema.field(f).type == "money" else 1 for f in head.columns}
    fields = [s.name for s in schema.fields if s.name in head.columns]
    title = read_title_block(merges, grid.first_row, head.row - 1)
    cols = set(head.columns)
    kind = ("数量金额余额表" if {"opening_side", "closing_side"} & cols
            else "进销存汇总" if {"in_qty", "out_qty", "opening_qty"} & cols else "库存结存表")
    context = {"格式": kind}
    period = title.values.get("period") or _month_named(grid, head.row - 1)
    if period:
        context["期间"] = period
    elif title.year:
        context["年度"] = str(title.year)
    parents = [line for line in lines if line.is_parent]
    if parents:
        context["上级科目"] = (f"{len(parents)}行（{'、'.join(p.code for p in parents[:5])}"
                           f"{'…' if len(parents) > 5 else ''}）按下级科目之和复核，不计为物品")
    return [Ledger(
        schema=schema, path=grid.path, sheet=grid.sheet,
        header_rows=list(range(head.row, head.last_row + 1)), columns=dict(head.columns),
        headers=dict(head.headers), units=units, rows=[line.row for line in records],
        raw={f: [line.values.get(f) for line in records] for f in fields},
        hidden_rows=set(grid.hidden_rows), sums=_sums(lines, head, units),
        layout="stock_summary", context=context,
    )]
