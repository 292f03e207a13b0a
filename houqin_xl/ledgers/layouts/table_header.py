"""The row table's header: which row (or two) it is, and which column gives each field.

A header is found by matching every schema's header words against each of the first rows of
the sheet, one row or two rows deep. Under a two-level header a column is named by its group
and its own word together (期末余额 · 借方), so:

- a field declared on a group (`groups:` in the schema: original_value ← 原值 · 年末, balance ←
  期末余额 · 借方−贷方) takes exactly that child of that parent;
- a plain header word matches a column's own header, or the qualified name (入库数量 for 入库 ·
  数量), or a child standing alone — but only a child whose word is found under one parent of
  the row (two 金额 belong to 期初余额 and 期末余额: neither is "the" 金额) and that no
  declaration claims (账面 · 存放地点 is the book's place, never the place found);
- a group's parent alone never names a column, and when two rows are one header
  (`cells.two_level`) neither row is taken for a header on its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from ...read.grid import Grid
from ..schemas import GroupSpec, LedgerSchema
from .cells import HEADER_SEARCH_ROWS, HeaderCell, MergeMap, header_cells, two_level


@dataclass(frozen=True)
class Pair:
    """A value read from two columns under one group: 借方 − 贷方, or 金额 signed by 方向."""

    kind: str          # 'debit_credit' | 'direction'
    first: int         # the 借方 (or 方向) column
    second: int        # the 贷方 (or 金额) column
    first_header: str
    second_header: str

    @property
    def columns(self) -> tuple[int, int]:
        return self.first, self.second


@dataclass
class Candidate:
    schema: LedgerSchema
    header_rows: list[int]
    columns: dict[str, int]
    headers: dict[str, str]
    units: dict[str, str | None]
    score: int
    pairs: dict[str, Pair] = field(default_factory=dict)
    # field → (opening, increase, decrease) columns beside its year-end child (年初 | 本年增加 |
    # 本年减少 beside 年末), for the group's own roll-forward.
    rolls: dict[str, tuple[int, int, int]] = field(default_factory=dict)


def _group_match(group: GroupSpec, cells: list[HeaderCell], taken: set[int]
                 ) -> tuple[HeaderCell, Pair | None] | None:
    """The column (and for a pair, both columns) a group declaration points at, if the
    header has it: children are looked for under one and the same parent cell."""
    by_parent: dict[int, list[HeaderCell]] = {}
    for cell in cells:
        if cell.parent and cell.parent in group.parents and cell.col not in taken:
            by_parent.setdefault(cell.parent_col, []).append(cell)
    for children in by_parent.values():
        if group.kind == "child":
            for wanted in group.child:
                for cell in children:
                    if cell.child == wanted:
                        return cell, None
            continue
        first_words, second_words = ((group.debit, group.credit) if group.kind == "debit_credit"
                                     else (group.direction, group.amount))
        first = next((c for w in first_words for c in children if c.child == w), None)
        second = next((c for w in second_words for c in children if c.child == w), None)
        if first is not None and second is not None and first.col != second.col:
            main = first if group.kind == "debit_credit" else second
            return main, Pair(group.kind, first.col, second.col, first.key, second.key)
    return None


def _roll_columns(group: GroupSpec, cell: HeaderCell, cells: list[HeaderCell]
                  ) -> tuple[int, int, int] | None:
    """The opening, increase and decrease columns beside a year-end child, under its parent."""
    if not group.rollforward:
        return None
    siblings = [c for c in cells if c.parent_col == cell.parent_col and c.col != cell.col]
    found = []
    for part in ("opening", "increase", "decrease"):
        col = next((c.col for w in group.rollforward[part] for c in siblings if c.child == w), None)
        if col is None:
            return None
        found.append(col)
    return found[0], found[1], found[2]


def match(schema: LedgerSchema, cells: list[HeaderCell], partial: bool = False) -> Candidate | None:
    """The columns of this schema's fields in a header row (or two), or None when its
    signature is not all there. `partial`: return what was found all the same, for telling
    the bursar what is missing."""
    keys = {c.key for c in cells} | {c.parent for c in cells if c.parent}
    if any(reject in keys for reject in schema.reject_headers):
        return None
    seen = keys | {c.child for c in cells if c.child}
    if seen.isdisjoint(schema.header_words):
        return None  # most rows of most sheets: nothing here is a header of this ledger
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    units: dict[str, str | None] = {}
    pairs: dict[str, Pair] = {}
    rolls: dict[str, tuple[int, int, int]] = {}
    taken: set[int] = set()

    def bind(name: str, cell: HeaderCell, header: str | None = None) -> None:
        columns[name], headers[name], units[name] = cell.col, header or cell.key, cell.unit
        taken.add(cell.col)

    # Declared groups first: they say exactly which child of which parent a field takes.
    for spec in schema.fields:
        for group in spec.groups:
            found = _group_match(group, cells, taken)
            if found is None:
                continue
            cell, pair = found
            if pair is None:
                bind(spec.name, cell)
                roll = _roll_columns(group, cell, cells)
                if roll is not None:
                    rolls[spec.name] = roll
            else:
                bind(spec.name, cell, cell.parent)
                pairs[spec.name] = pair
                taken.update(pair.columns)
            break
    # A child alone stands for its field only when its word is under one parent of the row
    # and no declaration claims it.
    child_words = Counter(c.child for c in cells if c.child)
    by_key: dict[str, list[HeaderCell]] = {}
    by_lone_child: dict[str, list[HeaderCell]] = {}
    for c in cells:
        by_key.setdefault(c.key, []).append(c)
        if (c.child and child_words[c.child] == 1
                and (c.parent, c.child) not in schema.reserved_children):
            by_lone_child.setdefault(c.child, []).append(c)
    # Canonical headers first, then aliases in the order the schema lists them, so that a
    # sheet carrying both 原值 and 金额 gives 原值 to original_value.
    max_aliases = max(len(spec.aliases) for spec in schema.fields) + 1
    alias_lists = schema.alias_keys
    for level in range(max_aliases):
        for spec in schema.fields:
            if spec.name in columns or level >= len(alias_lists[spec.name]):
                continue
            wanted = alias_lists[spec.name][level]
            cell = next((c for c in by_key.get(wanted, ()) if c.col not in taken), None)
            if cell is None:
                # Under a group header (基本信息 over 资产编号), the lower cell alone may be the name.
                cell = next((c for c in by_lone_child.get(wanted, ()) if c.col not in taken), None)
            if cell is not None:
                bind(spec.name, cell)
    if not partial:
        for group in schema.signature:
            if not any(name in columns for name in group):
                return None
    return Candidate(schema, [], columns, headers, units, len(columns), pairs, rolls)


def header_options(grid: Grid, merges: MergeMap) -> Iterator[tuple[int, int, list[HeaderCell]]]:
    """(first row, depth, named columns) of every header the sheet may have in its first rows:
    each row alone and each row with the next — except that two rows which are one header
    (`two_level`) are never taken apart."""
    last = min(grid.last_row, grid.first_row + HEADER_SEARCH_ROWS)
    joined_above = False  # whether the row above and this one are one two-level header
    for row in range(grid.first_row, last + 1):
        joined = two_level(merges, row)
        if not joined_above:
            single = header_cells(merges, row, 1)
            if len(single) >= 2 and not joined:
                yield row, 1, single
            # Not this row with the next when the next begins a two-level header of its own
            # (单位：元 above 资产名称 over 中文 | 英文).
            if row + 1 <= grid.last_row and single and not two_level(merges, row + 1):
                double = header_cells(merges, row, 2)
                if len(double) >= 2:
                    yield row, 2, double
        joined_above = joined


def find_header(grid: Grid, merges: MergeMap, schemas: list[LedgerSchema]) -> Candidate | None:
    """The best header of the sheet: the one matching the most fields of one schema."""
    best: Candidate | None = None
    for row, depth, cells in header_options(grid, merges):
        for schema in schemas:
            cand = match(schema, cells)
            if cand is None:
                continue
            cand.header_rows = list(range(row, row + depth))
            # Prefer more fields; on a tie the shallower header, then the earlier row. A
            # title merged across the table above a one-row header reads like a group
            # header over it and matches as many fields: the title row is not a header.
            if best is None or cand.score > best.score or (
                cand.score == best.score
                and cand.header_rows[-1] == best.header_rows[-1]
                and len(cand.header_rows) < len(best.header_rows)
            ):
                best = cand
    return best


def closest_miss(grid: Grid, schemas: list[LedgerSchema]) -> str | None:
    """For a sheet no schema matched: the ledger whose header it comes closest to, and the
    headers that are missing (`收费台账：缺少 收费项目 表头`); None when no row of the sheet holds
    a header word of any ledger."""
    merges = MergeMap(grid, grid.first_row + HEADER_SEARCH_ROWS + 1)
    best: tuple[int, int, float, Candidate] | None = None
    for _row, _depth, cells in header_options(grid, merges):
        for schema in schemas:
            cand = match(schema, cells, partial=True)
            if cand is None or not cand.columns:
                continue
            found = sum(1 for group in schema.signature if any(n in cand.columns for n in group))
            share = found / len(schema.signature)
            if found and (best is None or (found, cand.score, share) > best[:3]):
                best = (found, cand.score, share, cand)
    if best is None:
        return None
    cand = best[3]
    missing = ["/".join(cand.schema.field(n).header for n in group)
               for group in cand.schema.signature if not any(n in cand.columns for n in group)]
    return f"{cand.schema.title}：缺少 {'、'.join(missing)} 表头"
