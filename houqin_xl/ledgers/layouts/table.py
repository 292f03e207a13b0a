"""Grids → ledgers: find the header, whatever sits above it, and the data below it.

A sheet is recognised by its headers, never by its name: the header row (or the two rows of a
two-level header such as 入库 over 数量|单价|金额) that matches one schema's signature best.
Below it, data rows keep their Excel row; merged data cells give their value to every row they
cover; blank rows, footers (制表人：…) and repeated header rows are skipped; subtotal and total
rows (小计, 合计, 本月合计 …) are kept apart so their sums can be checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import zip_longest
from operator import itemgetter
from typing import Any

import numpy as np

from ...read.grid import Grid
from ..ledger import Ledger, TotalRow
from ..parse import is_blank
from ..schemas import LedgerSchema, normalise_header
from .cells import (
    HEADER_SEARCH_ROWS,
    MergeMap,
    header_names,
    label_kind,
    squeeze,
    unit_multiplier,
)


@dataclass
class _Candidate:
    schema: LedgerSchema
    header_rows: list[int]
    columns: dict[str, int]
    headers: dict[str, str]
    units: dict[str, str | None]
    score: int


def _match(schema: LedgerSchema, names: list[tuple[int, str, str, str | None]],
           child_names: dict[int, tuple[str, str, str | None]] | None,
           partial: bool = False) -> _Candidate | None:
    """The columns of this schema's fields in a header row (or two), or None when its
    signature is not all there. `partial`: return what was found all the same, for telling
    the bursar what is missing."""
    keys = {key for _, key, _, _ in names}
    if any(reject in keys for reject in schema.reject_headers):
        return None
    seen = keys | ({key for key, _, _ in child_names.values()} if child_names else set())
    if not seen & schema.all_keys:
        return None  # most rows of most sheets: nothing here is a header of this ledger
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    units: dict[str, str | None] = {}
    taken: set[int] = set()
    # Canonical headers first, then aliases in the order the schema lists them, so that a
    # sheet carrying both 原值 and 金额 gives 原值 to original_value.
    max_aliases = max(len(spec.aliases) for spec in schema.fields) + 1
    alias_lists = schema.alias_keys
    for level in range(max_aliases):
        for spec in schema.fields:
            if spec.name in columns or level >= len(alias_lists[spec.name]):
                continue
            wanted = alias_lists[spec.name][level]
            for col, key, _shown, unit in names:
                if col not in taken and key == wanted:
                    columns[spec.name], headers[spec.name], units[spec.name] = col, key, unit
                    taken.add(col)
                    break
            else:
                # Under a group header (基本信息 over 资产编号), the lower cell alone may be the name.
                if child_names:
                    for col, (key, _shown, unit) in child_names.items():
                        if col not in taken and key == wanted:
                            columns[spec.name], headers[spec.name], units[spec.name] = col, key, unit
                            taken.add(col)
                            break
    if not partial:
        for group in schema.signature:
            if not any(name in columns for name in group):
                return None
    return _Candidate(schema, [], columns, headers, units, len(columns))


def _merged_down(grid: Grid, row: int) -> bool:
    """Whether a merged range joins this row to the next one."""
    return any(top <= row < bottom for top, _left, bottom, _right in grid.merged)


def _find_header(grid: Grid, merges: MergeMap, schemas: list[LedgerSchema]) -> _Candidate | None:
    best: _Candidate | None = None
    last = min(grid.last_row, grid.first_row + HEADER_SEARCH_ROWS)
    for row in range(grid.first_row, last + 1):
        single = header_names(merges, row, 1)
        if len(single) < 2:
            continue
        options = [(1, single, None)]
        if row + 1 <= grid.last_row:
            double = header_names(merges, row, 2)
            children = {
                col: (key, shown, unit) for col, key, shown, unit in header_names(merges, row + 1, 1)
            }
            options.append((2, double, children))
        for depth, names, children in options:
            for schema in schemas:
                cand = _match(schema, names, children)
                if cand is None:
                    continue
                cand.header_rows = list(range(row, row + depth))
                # Prefer more fields; on a tie the shallower header, then the earlier row. A
                # title merged across the table above a one-row header reads like a group
                # header over it and matches as many fields: the title row is not a header —
                # unless cells merged down from it into the row below (序号 over both rows of a
                # 缴费情况 / 应收|减免|实收 header) show the two rows are one header.
                if best is None or cand.score > best.score or (
                    cand.score == best.score
                    and cand.header_rows[-1] == best.header_rows[-1]
                    and len(cand.header_rows) < len(best.header_rows)
                    and not _merged_down(grid, best.header_rows[0])
                ):
                    best = cand
    return best


def closest_miss(grid: Grid, schemas: list[LedgerSchema]) -> str | None:
    """For a sheet no schema matched: the ledger whose header it comes closest to, and the
    headers that are missing (`收费台账：缺少 收费项目 表头`); None when no row of the sheet holds
    a header word of any ledger."""
    merges = MergeMap(grid, grid.first_row + HEADER_SEARCH_ROWS + 1)
    best: tuple[int, int, float, _Candidate] | None = None
    last = min(grid.last_row, grid.first_row + HEADER_SEARCH_ROWS)
    for row in range(grid.first_row, last + 1):
        names = header_names(merges, row, 1)
        if len(names) < 2:
            continue
        for schema in schemas:
            cand = _match(schema, names, None, partial=True)
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


_Merge = tuple[int, int, int, int, Any]


def _data_merges(grid: Grid, data_start: int) -> list[_Merge]:
    """Every merged data cell as (top, bottom, left, right, value) in grid indexes (0-based
    from the grid's first row and column): the value belongs to every cell the range covers
    (one 使用部门 cell merged down over its rows)."""
    out = []
    for top, left, bottom, right in grid.merged:
        if top < data_start or (bottom - top + 1) * (right - left + 1) > 200_000:
            continue  # header merges are handled by the header search; huge ones are accidents
        out.append((top - grid.first_row, bottom - grid.first_row, left - grid.first_col,
                    right - grid.first_col, grid.cell(top, left)))
    return out


class _Body:
    """The rows below the header, column by column.

    Most rows are plain data: not blank, no total or footer word, not the header again. Those
    are found with a few passes over each column done in C (`set`, `map` of a set's
    `__contains__`), and only the few rows that might be something else — a blank row, a row
    holding a label word, a row sharing words with the header — go through the row-by-row
    rules of `_classify_row`. A row loop in Python costs ≈ 7 µs a row; this, well under 1.
    """

    def __init__(self, grid: Grid, start: int, width: int, merges: list[_Merge]) -> None:
        self.start = start
        self.first_row = grid.first_row + start  # the Excel row of the body's first row
        rows = grid.rows[start:]
        self.n = n = len(rows)
        columns: list[Any] = list(zip_longest(*rows, fillvalue=None)) if rows else []
        columns.extend([(None,) * n] * (width - len(columns)))
        # A merged data cell gives its value to every row it covers: one slice per column.
        patched: dict[int, list[Any]] = {}
        for top, bottom, left, right, value in merges:
            a, b = max(top - start, 0), min(bottom - start, n - 1)
            for j in range(max(left, 0), min(right, len(columns) - 1) + 1):
                if a > b:
                    break
                if j not in patched:
                    patched[j] = columns[j] = list(columns[j])
                patched[j][a:b + 1] = [value] * (b + 1 - a)
        self.columns = columns
        self.distinct = [set(column) for column in columns]

    def _mask(self, j: int, members: set[Any]) -> np.ndarray:
        return np.fromiter(map(members.__contains__, self.columns[j]), dtype=bool, count=self.n)

    def line(self, i: int) -> list[Any]:
        return [column[i] for column in self.columns]

    def classify(self, fields: list[str], indexes: list[int], field_keys: list[set[str]],
                 header_texts: set[str]) -> tuple[np.ndarray, list[TotalRow]]:
        """The body indexes of the data rows (ascending), and the total rows."""
        n = self.n
        if n == 0:
            return np.zeros(0, dtype=np.int64), []
        # Every distinct text of the body is judged once — spaces only? a label word? — and
        # each column then needs only set intersections, done in C.
        texts = {v for distinct in self.distinct for v in distinct if type(v) is str}
        blank_values = {None, ""} | {v for v in texts if v.isspace()}
        words = {v for v in texts if label_kind(v)}
        blank = self._blank_rows(indexes, blank_values)
        doubtful = np.zeros(n, dtype=bool)
        for j, distinct in enumerate(self.distinct):
            found = distinct & words
            if found:
                doubtful |= self._mask(j, found)
        hits = np.zeros(n, dtype=np.int32)
        for j in indexes:
            shared = self.distinct[j] & header_texts
            if shared:
                hits += self._mask(j, shared)
        doubtful |= hits >= min(2, len(fields))
        keep = ~blank
        totals: list[TotalRow] = []
        getter = _column_getter(indexes)
        for i in np.flatnonzero(doubtful & keep).tolist():
            line = self.line(i)
            verdict = _classify_row(line, getter(line), fields, field_keys, header_texts)
            if verdict != "data":
                keep[i] = False
            if isinstance(verdict, TotalRow):
                verdict.row = self.first_row + i
                totals.append(verdict)
        return np.flatnonzero(keep), totals

    def _blank_rows(self, indexes: list[int], blank_values: set[Any]) -> np.ndarray:
        """A row is blank when every field's cell is. Only rows blank in the field column with
        the fewest blank cells can be: that column is masked in C, its blank rows checked."""
        def blanks_in(j: int) -> int:
            column = self.columns[j]
            return sum(column.count(v) for v in self.distinct[j] & blank_values)

        counts = sorted((blanks_in(j), j) for j in indexes)
        count, first = counts[0]
        blank = np.zeros(self.n, dtype=bool)
        if count == 0:
            return blank
        others = [self.columns[j] for _, j in counts[1:]]
        for i in np.flatnonzero(self._mask(first, self.distinct[first] & blank_values)).tolist():
            blank[i] = all(is_blank(column[i]) for column in others)
        return blank

    def take(self, j: int, kept: np.ndarray) -> list[Any]:
        """Column j at the kept indexes: by slices, since data rows come in long runs between
        the few total and blank rows."""
        column = self.columns[j]
        if len(kept) == 0:
            return []
        cuts = np.flatnonzero(np.diff(kept) != 1)
        if len(cuts) * 8 > len(kept):
            return list(map(column.__getitem__, kept.tolist()))
        starts = [int(kept[0]), *(kept[cuts + 1]).tolist()]
        ends = [*(kept[cuts] + 1).tolist(), int(kept[-1]) + 1]
        out: list[Any] = []
        for a, b in zip(starts, ends, strict=True):
            out.extend(column[a:b])
        return out


def _classify_row(line: list[Any], values: tuple, fields: list[str], field_keys: list[set[str]],
                  header_texts: set[str]) -> str | TotalRow:
    """One non-blank row: 'data', 'skip' (a footer or the header repeated on a printed page),
    or a TotalRow (its row number relative to the body, fixed by the caller)."""
    # The first three non-empty cells are where 合计 or 制表人： stands.
    seen = 0
    total_label = None
    first_kind = ""
    for value in line:
        if value is None or value == "":
            continue
        if type(value) is str:
            if value.isspace():
                continue
            kind = label_kind(value)
            if kind == "total" and total_label is None:
                total_label = squeeze(value)
            if seen == 0:
                first_kind = kind
        seen += 1
        if seen == 3:
            break
    if total_label is not None:
        return TotalRow(0, total_label, dict(zip(fields, values, strict=True)))
    if first_kind == "footer" or (first_kind == "footer?" and seen <= 2):
        return "skip"
    # A repeated header shares several words with the header; one shared word is data
    # (a 摘要 of 入库 under a 入库 group header).
    if len(header_texts.intersection(values)) >= min(2, len(fields)):
        same_as_header = sum(
            1 for keys, v in zip(field_keys, values, strict=True)
            if isinstance(v, str) and normalise_header(v)[0] in keys
        )
        if same_as_header * 2 >= len(fields):
            return "skip"
    return "data"


def _column_getter(indexes: list[int]) -> Callable[[Any], tuple]:
    if len(indexes) == 1:
        only = indexes[0]
        return lambda line: (line[only],)
    return itemgetter(*indexes)


def recognise_table(grid: Grid, schemas: list[LedgerSchema]) -> Ledger | None:
    """The ledger this sheet holds as a row table under a header, or None when no schema's
    signature is found in its headers."""
    if not grid.rows:
        return None
    merges = MergeMap(grid, grid.first_row + HEADER_SEARCH_ROWS + 1)
    cand = _find_header(grid, merges, schemas)
    if cand is None:
        return None
    schema = cand.schema
    sheet_unit = unit_multiplier(grid, merges, cand.header_rows[0])
    units = {}
    for name in cand.columns:
        if schema.field(name).type != "money":
            units[name] = 1
        elif cand.units.get(name) == "万元":
            units[name] = 10_000
        elif cand.units.get(name) == "元":
            units[name] = 1
        else:
            units[name] = sheet_unit
    fields = [spec.name for spec in schema.fields if spec.name in cand.columns]  # schema order
    # A header repeated on a printed page: a row whose cells are the header's own words. For a
    # two-level header any of its rows may be repeated, so every header row's words count.
    field_keys = []
    header_texts: set[str] = set()
    for f in fields:
        cells = [grid.cell(r, cand.columns[f]) for r in cand.header_rows]
        keys = {cand.headers[f]} | {normalise_header(c)[0] for c in cells if not is_blank(c)}
        field_keys.append(keys)
        header_texts |= keys | {str(c).strip() for c in cells if not is_blank(c)}
        header_texts |= {c for c in cells if isinstance(c, str) and not is_blank(c)}
    indexes = [cand.columns[f] - grid.first_col for f in fields]
    body = _Body(grid, cand.header_rows[-1] + 1 - grid.first_row, max(indexes) + 1,
                 _data_merges(grid, cand.header_rows[-1] + 1))
    kept, totals = body.classify(fields, indexes, field_keys, header_texts)
    raw = {f: body.take(j, kept) for f, j in zip(fields, indexes, strict=True)}
    kept_rows = (kept + body.first_row).tolist()
    missing = [s.name for s in schema.fields if s.required and s.name not in cand.columns]
    return Ledger(
        schema=schema, path=grid.path, sheet=grid.sheet, header_rows=cand.header_rows,
        columns=dict(cand.columns), headers=dict(cand.headers), units=units, rows=kept_rows,
        raw=raw, totals=totals, hidden_rows=set(grid.hidden_rows), missing_fields=missing,
    )
