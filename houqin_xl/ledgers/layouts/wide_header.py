"""The header of a sheet kept wide: one column per fee item (伙食费, 课后服务费 …), or one group
per item (伙食费 over 应收 | 实收 | 减免), beside the columns every row shares (学号, 姓名, 收据号 …)
and the row's 合计. Shared by the wide fee book (wide.py) and the wide fee standards
(wide_standards.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...read.grid import Grid
from ..parse import BAD, is_blank, normalise_text, parse_number
from ..schemas import normalise_header
from .cells import HEADER_SEARCH_ROWS, MergeMap, label_kind, squeeze
from .fee_words import OUTSTANDING, ROLES, SEQUENCE, is_fee_item, role_of, total_role

_SAMPLE_ROWS = 300  # data rows looked at to tell an item column holds amounts


@dataclass
class Item:
    """A fee item of the header: its name as the header reads (normalised: 伙食费), the header
    cell that names it, and the column of each of its amounts ('amount' for a single one)."""

    name: str
    cell: tuple[int, int]
    roles: dict[str, int] = field(default_factory=dict)

    def column_for(self, role: str) -> int | None:
        """The column holding this role's amount; a single amount is both 应收 and 实收 (what
        was due is what was collected)."""
        if role in self.roles:
            return self.roles[role]
        if "amount" in self.roles and role in ("due", "paid"):
            return self.roles["amount"]
        if role == "due" and "paid" in self.roles:
            return self.roles["paid"]  # no 应收 given: what was collected was what was due
        return None

    @property
    def grouped(self) -> bool:
        return any(role != "amount" for role in self.roles)


@dataclass
class Total:
    """A 合计 column: the role it adds up (None: whatever each item holds)."""

    column: int
    role: str | None


@dataclass
class WideHeader:
    rows: list[int]
    fields: dict[str, int] = field(default_factory=dict)   # a field every row shares → column
    keys: dict[str, str] = field(default_factory=dict)     # that field → its header key
    units: dict[int, str | None] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)
    outstanding: list[int] = field(default_factory=list)   # row-level 欠费 columns
    item_outstanding: dict[str, int] = field(default_factory=dict)  # item → its 欠费 column
    shown: dict[int, str] = field(default_factory=dict)    # column → header as the bursar reads it
    long_form: bool = False  # a 收费项目 column: one record per row, not wide
    unit: int = 1            # 10,000 when the sheet is kept in 万元

    @property
    def amount_columns(self) -> list[int]:
        cols = [c for item in self.items for c in item.roles.values()]
        cols += [t.column for t in self.totals] + self.outstanding + list(self.item_outstanding.values())
        return sorted(set(cols))


def _text(value: Any) -> str:
    return "" if is_blank(value) else normalise_text(str(value)).replace("\n", "")


def _merged_across(merges: MergeMap, row: int, col: int) -> bool:
    """Whether the cell at (row, col) is part of a range merged across several columns."""
    origin = merges.cover.get((row, col), (row, col))
    return origin[1] != col or merges.cover.get((row, col + 1)) == origin


def _is_a_line(value: Any) -> bool:
    return isinstance(value, str) and (":" in value or "：" in value)


def _classify(key: str, fields: dict[str, str]) -> tuple[str, str | None]:
    """What one header key is: ('field', name), ('total', role), ('outstanding', None),
    ('item', name), ('seq', None), ('long', None) for a 收费项目 column, or ('other', None)."""
    name = fields.get(key)
    if name == "item":
        return "long", None
    if name in ROLES:
        return "total", name  # 实收金额 beside item columns: the row's total collected
    if name is not None:
        return "field", name
    is_total, role = total_role(key)
    if is_total:
        return "total", role
    if key in OUTSTANDING:
        return "outstanding", None
    if key in SEQUENCE:
        return "seq", None
    if is_fee_item(key):
        return "item", key
    return "other", None


def read_header(grid: Grid, merges: MergeMap, row: int, depth: int,
                fields: dict[str, str]) -> WideHeader:
    """The columns of a one- or two-row header starting at `row`."""
    header = WideHeader(rows=list(range(row, row + depth)))
    by_name: dict[str, Item] = {}

    def add_item(name: str, cell: tuple[int, int], role: str, col: int) -> None:
        item = by_name.get(name)
        if item is None:
            item = by_name[name] = Item(name, cell)
            header.items.append(item)
        if role == "outstanding":
            header.item_outstanding.setdefault(name, col)
        else:
            item.roles.setdefault(role, col)

    group_to_the_left: tuple[Any, tuple[int, int]] | None = None  # (item header, its cell)
    for col in range(grid.first_col, grid.last_col + 1):
        top_value = merges.value(row, col)
        top_key, top_unit = normalise_header(top_value)
        top_origin = merges.cover.get((row, col), (row, col))
        if (depth == 2 and not top_key and group_to_the_left is not None
                and role_of(normalise_header(merges.value(row + 1, col))[0], fields)):
            # 伙食费 typed once over 应收 | 实收 without merging it across: the blank cells to
            # its right belong to its group while roles stand below them.
            top_value, top_origin = group_to_the_left
            top_key, top_unit = normalise_header(top_value)
        group_to_the_left = None
        pair = None
        if depth == 2 and _is_a_line(top_value):
            # 班级：三(2)班 or 班主任：孙涛 above the header is a line of the title block, not a
            # group header over the cells below it.
            top_value, top_key, top_unit, top_origin = None, "", None, (row + 1, col)
        if depth == 2:
            child_value = merges.value(row + 1, col)
            child_key, child_unit = normalise_header(child_value)
            merged_down = merges.cover.get((row + 1, col)) == top_origin
            if child_key and not merged_down and child_key != top_key:
                pair = (child_key, child_unit, child_value)
        if pair is None:
            if not top_key:
                continue
            kind, name = _classify(top_key, fields)
            header.shown[col] = _text(top_value)
            header.units[col] = top_unit
            _place(header, kind, name, top_key, col, top_origin, add_item)
            continue
        child_key, child_unit, child_value = pair
        header.units[col] = child_unit or top_unit
        header.shown[col] = (_text(top_value) + " " + _text(child_value)).strip()
        role_below, role_above = role_of(child_key, fields), role_of(top_key, fields)
        # An upper cell groups the cells below it when it is merged across them; a single cell
        # over a value is a header over data (收费项目 over 伙食费 in a long table's first row).
        group = _merged_across(merges, row, col)
        if top_key and is_fee_item(top_key) and role_below:
            add_item(top_key, top_origin, role_below, col)         # 伙食费 over 应收 | 实收
            group_to_the_left = (top_value, top_origin)
        elif group and role_above and role_above != "outstanding" and is_fee_item(child_key):
            add_item(child_key, (row + 1, col), role_above, col)   # 应收 over 伙食费 | 住宿费
            header.shown[col] = _text(child_value) + " " + _text(top_value)
        elif top_key and total_role(top_key)[0] and role_below:
            if role_below == "outstanding":
                header.outstanding.append(col)
            else:
                header.totals.append(Total(col, None if role_below == "amount" else role_below))
        elif group and is_fee_item(child_key):
            add_item(child_key, (row + 1, col), "amount", col)      # 收费项目 over the items
            header.shown[col] = _text(child_value)
        else:
            first, second = (child_key, top_key) if group or not top_key else (top_key, child_key)
            kind, name = _classify(first, fields)
            key = first
            if kind == "other" and second:
                kind, name = _classify(second, fields)
                key = second
            header.shown[col] = _text(top_value if key == top_key else child_value)
            origin = top_origin if key == top_key else (row + 1, col)
            _place(header, kind, name, key, col, origin, add_item)
    return header


def _place(header: WideHeader, kind: str, name: str | None, key: str, col: int,
           origin: tuple[int, int], add_item: Any) -> None:
    if kind == "long":
        header.long_form = True
    elif kind == "field" and name is not None and name not in header.fields:
        header.fields[name], header.keys[name] = col, key
    elif kind == "total":
        header.totals.append(Total(col, name))
    elif kind == "outstanding":
        header.outstanding.append(col)
    elif kind == "item" and name is not None:
        add_item(name, origin, "amount", col)


def find_header(grid: Grid, merges: MergeMap, fields: dict[str, str],
                accept: Any) -> WideHeader | None:
    """The first header row (or pair of rows) of the sheet that `accept(header)` takes. A
    two-row header is taken over a one-row one when its second row gives the items' amounts
    their roles (应收 | 实收) or names more items (收费项目 over 伙食费 | 住宿费); a line above the
    header (班级：三(2)班) does not make it a two-row header."""
    last = min(grid.last_row, grid.first_row + HEADER_SEARCH_ROWS)
    for row in range(grid.first_row, last + 1):
        single = read_header(grid, merges, row, 1, fields)
        double = read_header(grid, merges, row, 2, fields) if row < grid.last_row else None
        if double is not None and accept(double):
            below = read_header(grid, merges, row + 1, 1, fields)
            richer = (any(item.grouped for item in double.items) or bool(double.item_outstanding)
                      or len(double.items) > max(len(single.items), len(below.items)))
            if richer or not (accept(single) or accept(below)):
                return double
        if accept(single):
            return single
    return None


def holds_amounts(grid: Grid, merges: MergeMap, item: Item, start: int) -> bool:
    """An item column holds amounts, or nothing yet (an empty form): not mostly words."""
    numbers = words = 0
    for row in range(start, min(grid.last_row, start + _SAMPLE_ROWS) + 1):
        for col in item.roles.values():
            value = merges.value(row, col)
            if is_blank(value):
                continue
            if isinstance(value, str) and label_kind(value):
                continue  # 合计, 制表人：… standing in an item column
            number = parse_number(value)
            if number is BAD:
                words += 1
            else:
                numbers += 1
    return words <= numbers


def row_label(line: list[Any]) -> tuple[str, str]:
    """What the first three filled cells of a row make of it: ('total', 合计), ('footer', …),
    ('footer?', …) or ('', '')."""
    seen = 0
    for value in line:
        if is_blank(value):
            continue
        if isinstance(value, str):
            kind = label_kind(value)
            if kind:
                return kind, squeeze(value)
        seen += 1
        if seen == 3:
            break
    return "", ""
