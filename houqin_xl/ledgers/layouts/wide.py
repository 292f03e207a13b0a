"""Fee books kept wide (REAL-FORMATS §6): one row per student, one column per fee item.

    三年级（1）班2026年秋季代收费登记表
    班级：三(1)班            班主任：孙涛                单位：元
    序号 | 学号 | 姓名 | 伙食费 | 课后服务费 | 校服费 | 保险费 | 合计 | 收据号 | 缴费日期 | 备注
    1    | 2024…| 袁子怡| 880   | 300        |        | 120    | 1300 | SA0026001 | 2026-11-02 |
    …
    合计 |      |      | 29920 | 10800      | 3420   | …      | …

is read as the long `fees` ledger: one record per student × item taken (a blank item cell is an
item the student does not take — voluntary 代收费 — not 欠费, so it makes no record; so does 0),
each record's amount keeping its own cell (`Ledger.cells`) and its item the header cell that
names it, so every fee rule reports on the cell the bursar must look at (`第14行 校服费 258`).
A single amount is both what was due and what was collected; an item kept as a group
(伙食费 over 应收 | 实收 | 减免) takes each from its own column. 收据号, 缴费日期 and 备注 stand once
per student row and are shared by that row's records (the receipt rules count a row once).

The class comes from a 班级 column (one sheet for many classes), else from the title block
(`班级：三(2)班`, `三年级（2）班收费登记表`) or the sheet name; the grade from a 年级 column, else from
the class (`grades.grade_of`: 三(2)班 → 三年级). The record keeps the class as written and the
grade in its one name, so the standards of 三年级 apply to 三(2)班.

What the sheet states is checked as `StatedSum`s: each row's 合计 = Σ its item cells, a 欠费 =
应收 − 减免 − 实收, and the bottom 合计 (or a 小计) row = Σ each amount column above it. The table
ends at the signature footer or after its 合计 row: hand notes under it are not students.
Pre-numbered empty rows (序号 1…45 and nothing else) are not records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...read.grid import Grid
from ..grades import grade_of
from ..ledger import Ledger, StatedSum, TotalRow
from ..parse import BAD, is_blank, normalise_text, parse_number
from ..schemas import LedgerSchema, normalise_header
from .cells import HEADER_SEARCH_ROWS, MergeMap, unit_multiplier
from .fee_words import FEE_CONTEXT, SheetClass, context_text, field_keys, header_words, sheet_class
from .wide_header import Item, WideHeader, find_header, holds_amounts, row_label

_STUDENT_FIELDS = ("student_id", "student_name")
# Fields every record of a row shares, each from its own column.
_SHARED = ("term", "grade", "class", "major", "student_id", "student_name", "receipt_no", "paid_on",
           "refunded_on", "cashier", "note")
_PAYROLL = re.compile(r"工资|薪|应发|实发|个税|所得税|公积金|社保")


def recognise_wide_fees(grid: Grid, schemas: list[LedgerSchema]) -> list[Ledger] | None:
    """The fee book this sheet keeps wide, or None when it is not one."""
    schema = next((s for s in schemas if s.ledger == "fees"), None)
    if schema is None or not grid.rows:
        return None
    fields = field_keys(schema)
    student_keys = {k for k, name in fields.items() if name in _STUDENT_FIELDS}
    if not header_words(grid, HEADER_SEARCH_ROWS + 2) & student_keys:
        return None  # most sheets: no 学号 or 姓名 header at all
    merges = MergeMap(grid, grid.last_row)
    header = find_header(grid, merges, fields, _looks_wide)
    if header is None:
        return None
    body_start = header.rows[-1] + 1
    header.items = [item for item in header.items if holds_amounts(grid, merges, item, body_start)]
    if not header.items or not _is_a_fee_book(grid, merges, header):
        return None
    return [_read(grid, merges, schema, header)]


def _looks_wide(header: WideHeader) -> bool:
    return (not header.long_form and bool(header.items)
            and any(name in header.fields for name in _STUDENT_FIELDS))


def _is_a_fee_book(grid: Grid, merges: MergeMap, header: WideHeader) -> bool:
    """A student list with columns ending in 费 is a fee book only when something says so: a
    学号, a 班级 or 年级, a class in the sheet name or title, or fee words there. A payroll sheet
    (姓名 | 基本工资 | 交通费 | 实发) never is."""
    keys = " ".join(header.shown.values())
    if _PAYROLL.search(keys):
        return False
    if any(name in header.fields for name in ("student_id", "class", "grade")):
        return True
    context = context_text(grid, merges, header.rows[0])
    if FEE_CONTEXT.search(context) or FEE_CONTEXT.search(keys):
        return True
    return sheet_class(grid, merges, header.rows[0]).grade is not None


@dataclass
class _Records:
    """The ledger's lists, filled row by row."""

    rows: list[int] = field(default_factory=list)
    raw: dict[str, list[Any]] = field(default_factory=dict)
    cells: dict[str, list[tuple[int, int] | None]] = field(default_factory=dict)

    def add(self, row: int, values: dict[str, Any], cells: dict[str, tuple[int, int] | None]) -> None:
        self.rows.append(row)
        for name, value in values.items():
            self.raw.setdefault(name, []).append(value)
        for name, cell in cells.items():
            self.cells.setdefault(name, []).append(cell)


def _read(grid: Grid, merges: MergeMap, schema: LedgerSchema, header: WideHeader) -> Ledger:
    where = sheet_class(grid, merges, header.rows[0])
    unit = header.unit = unit_multiplier(grid, merges, header.rows[0])
    items = header.items
    roles = sorted({"due", "paid"} | ({role for item in items for role in item.roles} & {"waived", "refunded"}))
    shared = [name for name in _SHARED if name in header.fields]
    records = _Records()
    sums: list[StatedSum] = []
    body: list[int] = []          # every row of the table below the header, but totals
    totals: list[TotalRow] = []
    for row in range(header.rows[-1] + 1, grid.last_row + 1):
        line = merges.row_values(row)
        if all(is_blank(v) for v in line):
            continue
        kind, label = row_label(line)
        if kind == "total":
            totals.append(TotalRow(row, label, {}))
            if TotalRow(row, label, {}).scope == "all":
                break  # the table ends at its 合计: what stands below is not students
            continue
        if kind == "footer" or (kind == "footer?" and sum(not is_blank(v) for v in line) <= 2):
            break
        if _repeats_header(merges, header, row):
            continue
        taken = [item for item in items if _taken(merges, item, row)]
        student = any(not is_blank(merges.value(row, header.fields[f]))
                      for f in _STUDENT_FIELDS if f in header.fields)
        if taken and not student and _adds_up_the_rows_above(merges, header, body, totals, row):
            totals.append(TotalRow(row, "合计", {}))  # a 合计 row the bursar left unlabelled
            break
        body.append(row)
        sums.extend(_row_sums(merges, header, row, taken, student))
        if not taken:
            continue  # pre-numbered empty row, or a student who takes nothing (已转学)
        values = {name: merges.value(row, header.fields[name]) for name in shared}
        values["class"], class_cell, values["grade"], grade_cell = _class_and_grade(
            merges, header, row, where)
        for item in taken:
            own, cells = _amounts(merges, item, row, roles)
            if "class" not in header.fields:
                cells["class"] = class_cell
            if "grade" not in header.fields:
                cells["grade"] = grade_cell
            records.add(row, {**values, **own}, cells)
    sums.extend(_column_sums(merges, header, body, totals))
    fields_found = [s.name for s in schema.fields
                    if s.name in records.raw or s.name in header.fields or s.name in ("class", "grade")]
    raw = {name: records.raw.get(name, []) for name in fields_found}
    columns = {name: col for name, col in header.fields.items() if name in shared}
    if "class" in header.fields:
        columns["class"] = header.fields["class"]
    if "grade" in header.fields:
        columns["grade"] = header.fields["grade"]
    cells = {name: records.cells.get(name, []) for name in ("item", *roles, "class", "grade")
             if name not in columns}
    headers = {name: header.keys[name] for name in columns if name in header.keys}
    missing = [s.name for s in schema.fields if s.required and s.name not in raw]
    context = {"班级": str(where.name or ""), "年级": str(where.grade or ""), "来源": where.source}
    return Ledger(
        schema=schema, path=grid.path, sheet=grid.sheet, header_rows=header.rows,
        columns=columns, headers=headers,
        units={name: (unit if schema.field(name).type == "money" else 1) for name in raw},
        rows=records.rows, raw=raw, totals=[], hidden_rows=set(grid.hidden_rows),
        missing_fields=missing, cells=cells,
        column_headers=dict(header.shown),
        sums=sums, layout="wide", context={k: v for k, v in context.items() if v},
    )


def _adds_up_the_rows_above(merges: MergeMap, header: WideHeader, body: list[int],
                            totals: list[TotalRow], row: int) -> bool:
    """Whether a row with amounts and no student is the column sums of the rows above (a SUM
    row without its 合计 label), rather than a student whose name was left out."""
    since = totals[-1].row if totals else 0
    rows = [r for r in body if r > since]
    if not rows:
        return False
    filled = 0
    for col in header.amount_columns:
        stated = parse_number(merges.value(row, col))
        if stated is None:
            continue
        if stated is BAD:
            return False
        above = [parse_number(merges.value(r, col)) for r in rows]
        if any(value is BAD for value in above):
            return False
        if stated != sum(value for value in above if value is not None):
            return False
        filled += 1
    return filled > 0


def _amounts(merges: MergeMap, item: Item, row: int, roles: list[str]
             ) -> tuple[dict[str, Any], dict[str, tuple[int, int] | None]]:
    """One record's item and amounts, and the cell of each: the header cell naming the item,
    the item's own column for each amount."""
    own: dict[str, Any] = {"item": item.name}
    cells: dict[str, tuple[int, int] | None] = {"item": item.cell}
    for role in roles:
        col = item.column_for(role)
        own[role] = None if col is None else merges.value(row, col)
        cells[role] = None if col is None else (row, col)
    if cells["paid"] is not None and cells["paid"] == cells["due"] and parse_number(own["paid"]) is BAD:
        own["paid"] = None  # one amount, both due and paid: unreadable, it is reported once (due)
    return own, cells


def _class_and_grade(merges: MergeMap, header: WideHeader, row: int, where: SheetClass
                     ) -> tuple[Any, tuple[int, int] | None, Any, tuple[int, int] | None]:
    """The row's class and grade, each with its cell: a 班级 / 年级 column first, else what the
    sheet name or title block names; the grade in its one name (三(2)班 → 三年级)."""
    class_name, class_cell = where.name, where.cell
    col = header.fields.get("class")
    if col is not None and not is_blank(merges.value(row, col)):
        class_name, class_cell = merges.value(row, col), (row, col)
    col = header.fields.get("grade")
    if col is not None and not is_blank(merges.value(row, col)):
        written = merges.value(row, col)
        return class_name, class_cell, grade_of(written) or normalise_text(str(written)), (row, col)
    if class_cell != where.cell:  # the class of this row's own 班级 cell
        return class_name, class_cell, grade_of(class_name) or where.grade, class_cell
    return class_name, class_cell, where.grade, where.cell


def _repeats_header(merges: MergeMap, header: WideHeader, row: int) -> bool:
    """The header printed again on a new page: its student cells hold the header's words."""
    for name in _STUDENT_FIELDS:
        col = header.fields.get(name)
        value = None if col is None else merges.value(row, col)
        if isinstance(value, str) and normalise_header(value)[0] == header.keys[name]:
            return True
    return False


def _taken(merges: MergeMap, item: Item, row: int) -> bool:
    """Whether the student takes this item: an amount is written (0 or a blank is not taken;
    words are, so that they are reported as no amount)."""
    for col in item.roles.values():
        value = merges.value(row, col)
        if is_blank(value):
            continue
        number = parse_number(value)
        if number is BAD or number:
            return True
    return False


def _row_sums(merges: MergeMap, header: WideHeader, row: int, taken: list[Item],
              student: bool) -> list[StatedSum]:
    """The row's 合计 cells (= Σ its items) and 欠费 cells (= 应收 − 减免 − 实收)."""
    out = []
    who = _who(merges, header, row)
    for total in header.totals:
        stated = merges.value(row, total.column)
        if is_blank(stated) or (not student and not taken and not parse_number(stated)):
            continue
        role = total.role or _collected_role(header.items)
        terms, names = [], []
        for item in header.items:
            col = item.column_for(role)
            value = None if col is None else merges.value(row, col)
            if col is not None and not is_blank(value):
                terms.append((1, value, row, col))
                names.append(item.name)
        out.append(StatedSum(
            row=row, column=total.column, field=_field_of(role), header=header.shown[total.column],
            label=who, stated=stated, terms=terms,
            what=("、".join(names) + "之和") if names else "本行各收费项目之和", unit=header.unit))
    for item in header.items:
        col = header.item_outstanding.get(item.name)
        if col is not None and not is_blank(merges.value(row, col)):
            out.append(_outstanding(merges, header, row, col, [item], who))
    grouped = [item for item in header.items if item.grouped]
    for col in header.outstanding:
        if grouped and not is_blank(merges.value(row, col)):
            out.append(_outstanding(merges, header, row, col, grouped, who))
    return out


def _outstanding(merges: MergeMap, header: WideHeader, row: int, col: int, items: list[Item],
                 who: str) -> StatedSum:
    terms = []
    for item in items:
        for role, sign in (("due", 1), ("waived", -1), ("paid", -1)):
            source = item.column_for(role)
            if source is not None:
                terms.append((sign, merges.value(row, source), row, source))
    return StatedSum(row=row, column=col, field="due", header=header.shown[col], label=who,
                     stated=merges.value(row, col), terms=terms, what="应收−减免−实收",
                     unit=header.unit)


def _collected_role(items: list[Item]) -> str:
    """What a plain 合计 adds up when items are groups: what was collected (实收), else 应收."""
    if all(item.column_for("paid") is not None for item in items):
        return "paid"
    return "due"


def _field_of(role: str) -> str:
    return role if role in ("due", "paid", "waived", "refunded") else "paid"


def _who(merges: MergeMap, header: WideHeader, row: int) -> str:
    for name in ("student_name", "student_id"):
        col = header.fields.get(name)
        if col is not None and not is_blank(merges.value(row, col)):
            return normalise_text(str(merges.value(row, col)))
    return f"第{row}行"


def _column_sums(merges: MergeMap, header: WideHeader, body: list[int],
                 totals: list[TotalRow]) -> list[StatedSum]:
    """Each 合计 / 小计 row's amount cells = Σ that column over the rows it closes."""
    out = []
    block_start = 0
    for total in totals:
        scope = total.scope
        if scope == "skip":
            block_start = total.row
            continue
        low = block_start if scope == "block" else 0
        rows = [r for r in body if low < r < total.row]
        for col in header.amount_columns:
            stated = merges.value(total.row, col)
            if is_blank(stated):
                continue
            terms = [(1, merges.value(r, col), r, col) for r in rows
                     if not is_blank(merges.value(r, col))]
            span = f"第{rows[0]}–{rows[-1]}行之和" if rows else "无数据行"
            out.append(StatedSum(
                row=total.row, column=col, field=_column_field(header, col),
                header=header.shown[col], label=total.label, stated=stated, terms=terms, what=span,
                unit=header.unit))
        block_start = total.row
    return out


def _column_field(header: WideHeader, col: int) -> str:
    for item in header.items:
        for role, source in item.roles.items():
            if source == col:
                return _field_of(role)
    for total in header.totals:
        if total.column == col:
            return _field_of(total.role or "paid")
    return "due"
