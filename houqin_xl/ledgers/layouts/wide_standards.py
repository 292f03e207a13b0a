"""Fee standards kept wide (REAL-FORMATS §6): one row per grade (or major), one column per item.

    江州市实验小学2026年秋季学期代收费标准                       单位：元/生
    年级   | 伙食费 | 课后服务费 | 校服费 | 保险费 | 作业本费 | 备注
    一年级 | 880    | 300        | 320    | 120    | 30       |
    …
    注：校服费、保险费、课后服务费自愿参加；依据江教财〔2026〕18号。

is read as the long `fee_standards` ledger: one record per grade × item, the item from its
header cell, the grade from its row (in its one name, `grades.grade_of`: 3年级 and 三年级 are one
grade; a major or 全部 stays as written), the amount its own cell. A blank cell is no standard for
that grade. A sheet is taken for standards only when it says so (标准 in its name, title or
headers): a table of collections per grade (各年级收费汇总) looks the same and is not one.
"""

from __future__ import annotations

from typing import Any

from ...read.grid import Grid
from ..grades import grade_of
from ..ledger import Ledger, StatedSum
from ..parse import is_blank, normalise_text
from ..schemas import LedgerSchema
from .cells import HEADER_SEARCH_ROWS, MergeMap, unit_multiplier
from .fee_words import STANDARD_CONTEXT, context_text, field_keys, header_words
from .wide_header import WideHeader, find_header, holds_amounts, row_label

_STUDENT_KEYS = frozenset({"姓名", "学生姓名", "学号", "学生学号", "学籍号"})


def recognise_wide_standards(grid: Grid, schemas: list[LedgerSchema]) -> list[Ledger] | None:
    """The fee standards this sheet keeps wide, or None when it is not such a table."""
    schema = next((s for s in schemas if s.ledger == "fee_standards"), None)
    if schema is None or not grid.rows:
        return None
    fields = field_keys(schema)  # the row label: 年级 or any alias of it (专业, 学段 …)
    words = header_words(grid, HEADER_SEARCH_ROWS + 2)
    if not words & {k for k, name in fields.items() if name == "grade"} or words & _STUDENT_KEYS:
        return None
    merges = MergeMap(grid, grid.last_row)
    header = find_header(grid, merges, fields, _looks_wide)
    if header is None:
        return None
    body_start = header.rows[-1] + 1
    header.items = [item for item in header.items if holds_amounts(grid, merges, item, body_start)]
    said = context_text(grid, merges, header.rows[0]) + " " + " ".join(header.shown.values())
    if not header.items or not STANDARD_CONTEXT.search(said):
        return None
    return [_read(grid, merges, schema, header)]


def _looks_wide(header: WideHeader) -> bool:
    return not header.long_form and bool(header.items) and "grade" in header.fields


def _amount_column(item: Any) -> int:
    return item.column_for("due") or next(iter(item.roles.values()))


def _read(grid: Grid, merges: MergeMap, schema: LedgerSchema, header: WideHeader) -> Ledger:
    grade_col = header.fields["grade"]
    unit = unit_multiplier(grid, merges, header.rows[0])
    rows: list[int] = []
    raw: dict[str, list[Any]] = {"item": [], "grade": [], "amount": []}
    basis_col = header.fields.get("basis")
    if basis_col is not None:
        raw["basis"] = []
    cells: dict[str, list[tuple[int, int] | None]] = {"item": [], "amount": []}
    sums: list[StatedSum] = []
    for row in range(header.rows[-1] + 1, grid.last_row + 1):
        line = merges.row_values(row)
        if all(is_blank(v) for v in line):
            continue
        kind, _label = row_label(line)
        if kind == "total":
            continue  # a standards table's 合计 row adds up nothing a rule uses
        if kind == "footer" or (kind == "footer?" and sum(not is_blank(v) for v in line) <= 2):
            break  # 注：… under the table, and whatever stands below it
        written = merges.value(row, grade_col)
        grade = None if is_blank(written) else grade_of(written) or normalise_text(str(written))
        if grade in ("年级", "适用年级"):
            continue  # the header printed again
        terms, names = [], []
        for item in header.items:
            col = _amount_column(item)
            value = merges.value(row, col)
            if is_blank(value):
                continue
            rows.append(row)
            raw["item"].append(item.name)
            raw["grade"].append(grade)
            raw["amount"].append(value)
            if basis_col is not None:
                raw["basis"].append(merges.value(row, basis_col))
            cells["item"].append(item.cell)
            cells["amount"].append((row, col))
            terms.append((1, value, row, col))
            names.append(item.name)
        for total in header.totals:
            stated = merges.value(row, total.column)
            if not is_blank(stated):
                sums.append(StatedSum(
                    row=row, column=total.column, field="amount", header=header.shown[total.column],
                    label=normalise_text(str(written)) if not is_blank(written) else f"第{row}行",
                    stated=stated, terms=terms, what="、".join(names) + "之和", unit=unit))
    columns = {"grade": grade_col}
    if basis_col is not None:
        columns["basis"] = basis_col
    return Ledger(
        schema=schema, path=grid.path, sheet=grid.sheet, header_rows=header.rows,
        columns=columns, headers={name: header.keys[name] for name in columns},
        units={"amount": unit, "item": 1, "grade": 1, "basis": 1}, rows=rows, raw=raw,
        hidden_rows=set(grid.hidden_rows), cells=cells, column_headers=dict(header.shown),
        sums=sums, layout="wide",
    )
