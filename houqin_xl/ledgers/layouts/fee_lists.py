"""Fee lists read as row tables with something the table layout alone does not know
(REAL-FORMATS §6):

- **A payment list whose item is implied**: a sheet or title `学费缴费名单` over 学号 | 姓名 |
  应缴 | 实缴 | 欠费 | 减免, one row per student and no 收费项目 column. Each row is a `fees`
  record whose item comes from the title (its cell) or the sheet name (no cell); a 欠费 column
  is checked as 应缴 − 减免 − 实缴 (`StatedSum`), and the class and grade come from the sheet
  name or title block when no column gives them.
- **A fee system's export or import template** (学生学号*, 交费类型代码*, 应缴费用（格式：0.00）*,
  实缴费用, 发票号 …): a row of the system's own field names under the header (std.user.code,
  shouldPay …) is the template's binding, not a student; and a list keyed by 学号 needs no 姓名.

Both end in the table layout's `Ledger` (table.py reads the rows, merges, totals and footers).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ...read.grid import Grid
from ..ledger import Ledger, StatedSum
from ..parse import is_blank
from ..schemas import LedgerSchema, normalise_header
from . import table
from .cells import HEADER_SEARCH_ROWS, MergeMap
from .fee_words import (
    FEE_ITEM_WORDS,
    OUTSTANDING,
    field_keys,
    header_words,
    is_fee_item,
    sheet_class,
    title_texts,
)

# Headers only fee systems write: a sheet with one of them is read here first.
EXPORT_KEYS = frozenset({
    "学生学号", "应缴费用", "实缴费用", "应交费用", "实交费用", "交费类型", "交费类型代码", "缴费类型",
    "收费项目代码", "收费类型", "学年度", "终缴日期", "减免费用",
})
_LIST_WORDS = re.compile(r"缴费|交费|收费|收缴|代收|名单|明细|清单|登记")
_BINDING = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")  # std.user.code, shouldPay, payedAt
_CUT = "年季期度级班的、及和与之"


def recognise_fee_list(grid: Grid, schemas: list[LedgerSchema]) -> list[Ledger] | None:
    """A fee system's export, or a payment list whose item the title names; None otherwise."""
    fees = next((s for s in schemas if s.ledger == "fees"), None)
    if fees is None or not grid.rows:
        return None
    words = header_words(grid, HEADER_SEARCH_ROWS + 2)
    fields = field_keys(fees)
    students = {k for k, name in fields.items() if name in ("student_id", "student_name")}
    amounts = {k for k, name in fields.items() if name in ("due", "paid")}
    export = bool(words & EXPORT_KEYS)
    may_imply = bool(words & students and words & amounts
                     and not any(fields.get(w) == "item" for w in words))
    if not export and not may_imply:
        return None  # most sheets: nothing here
    ledger = table.recognise_table(grid, schemas) if export else None
    if ledger is not None and ledger.name != "fees":
        return None  # another ledger's table: the table layout reads it
    if ledger is None and may_imply:
        without_item = [g for g in fees.signature if "item" not in g]
        ledger = table.recognise_table(grid, [dataclasses.replace(fees, signature=without_item)])
        if ledger is None or "item" in ledger.columns:
            return None
        ledger.schema = fees
        implied = _implied_item(grid, ledger.header_rows[0])
        if implied is None:
            return None  # no item anywhere: the table layout says what is missing
        _give_item(grid, ledger, implied)
    if ledger is None:
        return None
    _drop_binding_rows(ledger)
    if "student_id" in ledger.columns and "student_name" in ledger.missing_fields:
        ledger.missing_fields.remove("student_name")  # a system's list is keyed by 学号
    ledger.sums.extend(_outstanding(grid, ledger))
    return [ledger]


def _implied_item(grid: Grid, header_row: int) -> tuple[str, tuple[int, int] | None] | None:
    """The item a payment list's title block or sheet name names (学费缴费名单 → 学费), with
    its cell (None for the sheet name); None when they name no item or no list."""
    merges = MergeMap(grid, header_row)
    for title in title_texts(grid, merges, header_row):
        squeezed = title.text.replace(" ", "")
        if not _LIST_WORDS.search(squeezed):
            continue
        item = item_in(squeezed)
        if item:
            return item, title.cell
    return None


def item_in(text: str) -> str | None:
    """The fee item a title names: a known item word (学平险, 伙食费), else the word ending in
    费 before a list word (2026年秋季学期学费缴费名单 → 学费); None when it names none."""
    found = [(text.find(word), -len(word), word) for word in FEE_ITEM_WORDS if word in text]
    if found:
        at, length, word = min(found)
        return word + "费" if text[at - length: at - length + 1] == "费" else word
    for m in re.finditer("费", text):
        before = text[: m.start()]
        run = re.search(r"[\u4e00-\u9fff]{1,6}$", before)
        if not run:
            continue
        word = run.group(0)
        cut = max(word.rfind(c) for c in _CUT)
        candidate = word[cut + 1:] + "费"
        if len(candidate) >= 2 and is_fee_item(candidate):
            return candidate
    return None


def _give_item(grid: Grid, ledger: Ledger, implied: tuple[str, tuple[int, int] | None]) -> None:
    """Every record's item is the one the title names; its class and grade those of the sheet
    when no column gives them."""
    name, cell = implied
    n = len(ledger.rows)
    ledger.raw["item"] = [name] * n
    ledger.cells["item"] = [cell] * n
    ledger.headers["item"] = "收费项目"
    ledger.missing_fields = [f for f in ledger.missing_fields if f != "item"]
    ledger.context["收费项目"] = name
    merges = MergeMap(grid, ledger.header_rows[0])
    where = sheet_class(grid, merges, ledger.header_rows[0])
    if "class" not in ledger.columns and where.name:
        ledger.raw["class"] = [where.name] * n
        ledger.cells["class"] = [where.cell] * n
        ledger.context["班级"] = where.name
    if "grade" not in ledger.columns and where.grade:
        ledger.raw["grade"] = [where.grade] * n
        ledger.cells["grade"] = [where.cell] * n
        ledger.context["年级"] = where.grade
    ledger.raw = {spec.name: ledger.raw[spec.name] for spec in ledger.schema.fields
                  if spec.name in ledger.raw}  # schema order, as every layout gives them
    ledger.layout = "implied_item"


def _drop_binding_rows(ledger: Ledger) -> None:
    """A template's row of field bindings (std.user.code | shouldPay | payedAt) right under its
    Chinese header: no student, never data."""
    while ledger.rows:
        values = [ledger.raw[name][0] for name in ledger.raw]
        filled = [v for v in values if not is_blank(v)]
        if len(filled) < 2 or not all(isinstance(v, str) and _BINDING.match(v.strip()) for v in filled):
            return
        ledger.rows.pop(0)
        for name in ledger.raw:
            ledger.raw[name].pop(0)
        for name in ledger.cells:
            ledger.cells[name].pop(0)


def _outstanding(grid: Grid, ledger: Ledger) -> list[StatedSum]:
    """A 欠费 column: what is still owed, stated per row = 应缴 − 减免 − 实缴."""
    merges = MergeMap(grid, ledger.header_rows[-1])
    columns = [col for col in range(grid.first_col, grid.last_col + 1)
               if any(normalise_header(merges.value(r, col))[0] in OUTSTANDING
                      for r in ledger.header_rows)]
    if not columns or "due" not in ledger.columns:
        return []
    col = columns[0]
    header = " ".join(str(merges.value(r, col)) for r in ledger.header_rows
                      if not is_blank(merges.value(r, col))).strip()
    out = []
    for i, row in enumerate(ledger.rows):
        stated = grid.cell(row, col)
        if is_blank(stated):
            continue
        terms: list[tuple[int, Any, int, int]] = []
        for name, sign in (("due", 1), ("waived", -1), ("paid", -1)):
            if name in ledger.columns:
                terms.append((sign, ledger.raw[name][i], row, ledger.columns[name]))
        # The student, as a wide sheet's row total names them (the row number is the message's own).
        names = ledger.raw.get("student_name")
        who = "" if names is None or is_blank(names[i]) else str(names[i]).strip()
        out.append(StatedSum(
            row=row, column=col, field="due", header=header, label=who, stated=stated,
            terms=terms, what="应缴−减免−实缴", unit=ledger.units.get("due", 1)))
    return out
