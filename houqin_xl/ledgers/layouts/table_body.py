"""The row table's body: the rows below the header, told apart — data, total rows (小计, 合计,
本月合计 …), footers (制表人：…), a header repeated on a printed page, blank rows — and a block
of hand calculations under the table (材料合计, 毛利, notes after a blank row), which ends the
table and is not data.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import zip_longest
from operator import itemgetter
from typing import Any

import numpy as np

from ...read.grid import Grid
from ..ledger import TotalRow
from ..parse import is_blank
from ..schemas import normalise_header
from .cells import label_kind, squeeze

_Merge = tuple[int, int, int, int, Any]


def data_merges(grid: Grid, data_start: int, field_columns: list[int] | None = None) -> list[_Merge]:
    """Every merged data cell as (top, bottom, left, right, value) in grid indexes (0-based
    from the grid's first row and column): the value belongs to every cell the range covers
    (one 使用部门 cell merged down over its rows). A one-row merge across every field column
    (`field_columns`, grid indexes) is a line of its own — the title of the next form printed
    down the sheet, a section name — never one value for every field of a record."""
    out = []
    span = (min(field_columns), max(field_columns)) if field_columns else None
    for top, left, bottom, right in grid.merged:
        if top < data_start or (bottom - top + 1) * (right - left + 1) > 200_000:
            continue  # header merges are handled by the header search; huge ones are accidents
        if (span is not None and top == bottom and len(field_columns) > 1
                and left - grid.first_col <= span[0] and right - grid.first_col >= span[1]):
            continue
        out.append((top - grid.first_row, bottom - grid.first_row, left - grid.first_col,
                    right - grid.first_col, grid.cell(top, left)))
    return out


class Body:
    """The rows below the header, column by column.

    Most rows are plain data: not blank, no total or footer word, not the header again. Those
    are found with a few passes over each column done in C (`set`, `map` of a set's
    `__contains__`), and only the few rows that might be something else — a blank row, a row
    holding a label word, a row sharing words with the header — go through the row-by-row
    rules of `classify_row`. A row loop in Python costs ≈ 7 µs a row; this, well under 1.
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

    @cached_property
    def texts(self) -> set[str]:
        """Every distinct text of the body: each is judged once — spaces only? a label word? —
        and each column then needs only set intersections, done in C."""
        return {v for distinct in self.distinct for v in distinct if type(v) is str}

    @cached_property
    def blank_values(self) -> set[Any]:
        """The values that count as a blank cell: None, '' and the texts of spaces only."""
        return {None, ""} | {v for v in self.texts if v.isspace()}

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
        words = {v for v in self.texts if label_kind(v)}
        blank = self._blank_rows(indexes, self.blank_values)
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
            verdict = classify_row(line, getter(line), fields, field_keys, header_texts)
            if verdict != "data":
                keep[i] = False
            if isinstance(verdict, TotalRow):
                verdict.row = self.first_row + i
                totals.append(verdict)
        return np.flatnonzero(keep), totals

    def _blank_rows(self, indexes: list[int], blank_values: set[Any]) -> np.ndarray:
        """A row is blank when every field's cell is. Only rows blank in the field column with
        the fewest blank cells can be: that column is masked in C, its blank rows checked."""
        # Any field column would do; the one with the fewest blanks leaves the fewest rows to
        # check, and a sample of each column tells which (counting whole columns compared every
        # cell with each blank value: a tenth of a second on the benchmark's 1× workbook).
        step = max(1, self.n // 2000)

        def blanks_in(j: int) -> int:
            sample = self.columns[j][::step]
            return sum(sample.count(v) for v in self.distinct[j] & blank_values)

        blank = np.zeros(self.n, dtype=bool)
        if any(self.distinct[j].isdisjoint(blank_values) for j in indexes):
            return blank  # a field filled on every row: no row is blank (no column counted)
        counts = sorted((blanks_in(j), j) for j in indexes)
        first = counts[0][1]
        others = [self.columns[j] for _, j in counts[1:]]
        for i in np.flatnonzero(self._mask(first, self.distinct[first] & blank_values)).tolist():
            blank[i] = all(is_blank(column[i]) for column in others)
        return blank

    def take(self, j: int, kept: np.ndarray) -> list[Any]:
        """Column j at the kept indexes: by slices, since data rows come in long runs between
        the few total and blank rows. Equal texts come back as one shared object (see
        `_shared_texts`)."""
        column = self.columns[j]
        if len(kept) == 0:
            return []
        cuts = np.flatnonzero(np.diff(kept) != 1)
        if len(cuts) * 8 > len(kept):
            out = list(map(column.__getitem__, kept.tolist()))
        else:
            starts = [int(kept[0]), *(kept[cuts + 1]).tolist()]
            ends = [*(kept[cuts] + 1).tolist(), int(kept[-1]) + 1]
            out = []
            for a, b in zip(starts, ends, strict=True):
                out.extend(column[a:b])
        return _shared_texts(out, self.distinct[j])


def _shared_texts(values: list[Any], distinct: set[Any]) -> list[Any]:
    """The values with every text replaced by the one object of the column's distinct set that
    equals it. The reader makes a new string object for every cell, and a ledger keeps its raw
    cells until the findings are written: a department or a unit typed on 50,000 rows is 50,000
    strings (≈ 60 bytes each) — on the benchmark's 1× workbook 186 MiB of texts, 13 MiB once
    shared. Only texts are mapped: numbers and booleans that compare equal (1.0, 1, True) must
    keep their own type. A column of nearly all different values (asset numbers) has little to
    share and is left as it is."""
    if len(distinct) * 4 > len(values):
        return values
    texts = {v: v for v in distinct if type(v) is str}
    if not texts:
        return values
    return list(map(texts.get, values, values))  # a text → its shared object; anything else → itself


def classify_row(line: list[Any], values: tuple, fields: list[str], field_keys: list[set[str]],
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


@dataclass
class Tail:
    """Rows under the table that are not part of it: after the last data row and a blank row
    (or a footer, or a total), rows that do not fill the table's key columns — a bursar's hand
    calculations (材料合计, 毛利) or notes. `totals` are the total-labelled rows among them, which
    stay totals only if they really total the table (decided by the caller)."""

    start_row: int = 0  # the Excel row after which the tail begins
    rows: list[int] = field(default_factory=list)      # the Excel rows left out
    labels: list[str] = field(default_factory=list)    # their first words, to name them
    totals: list[TotalRow] = field(default_factory=list)


_KEY_FILL = 0.8   # a column filled in this share of the data rows is a key column
_USUAL = 0.9      # a column's cells are of one type when this share of them is
_ROW_FILL = 0.6   # a data row fills at least this share of the key columns


_SAMPLE = 2000    # rows looked at to tell a column's usual type


def _usual_type(column: list[Any]) -> type | None:
    """str or float when nearly every filled cell of the column (a sample of it) is of that
    type, else None. A hand calculation shows itself by a label in an amount column or a
    figure in a name column."""
    step = max(1, len(column) // _SAMPLE)
    counts = Counter(map(type, column[::step]))
    filled = sum(n for t, n in counts.items() if t is not type(None)) - sum(
        1 for v in column[::step] if isinstance(v, str) and not v.strip())
    for kind in (str, float):
        if filled and counts.get(kind, 0) >= _USUAL * filled:
            return kind
    return None


def split_tail(body: Body, kept: np.ndarray, totals: list[TotalRow], indexes: list[int]
               ) -> tuple[np.ndarray, list[TotalRow], Tail]:
    """The kept rows and totals of the table proper, and the tail under it (see Tail)."""
    if len(kept) < 2:
        return kept, totals, Tail()
    kept_list = kept.tolist()
    # The key columns are judged on the first half of the rows: a tail sits at the end, and in
    # a short table its own rows would make every column look sparse.
    half = len(kept_list) // 2
    end = kept_list[half]
    filled = []
    for j in indexes:
        # The column's blank texts are among its distinct values: counted in C over the first
        # half, with no set of that half built.
        column = body.columns[j][:end]
        blanks = sum(column.count(v) for v in body.distinct[j] & body.blank_values)
        filled.append(((end - blanks) / half, j))
    keys = [j for rate, j in filled if rate >= _KEY_FILL]
    if len(keys) < 2:
        return kept, totals, Tail()  # too sparse a table to tell data from notes
    need = math.ceil(_ROW_FILL * len(keys))
    usual = {j: _usual_type(body.columns[j][:end]) for j in keys}

    def data_like(i: int) -> bool:
        hits = 0
        for j in keys:
            value = body.columns[j][i]
            if is_blank(value):
                continue
            kind = usual[j]
            if kind is None or type(value) is kind or (kind is float and type(value) is int):
                hits += 1
        return hits >= need

    position = len(kept_list) - 1
    while position >= 0 and not data_like(kept_list[position]):
        position -= 1
    if position < 0:
        return kept, totals, Tail()
    last_data = kept_list[position]
    after = kept_list[position + 1:]
    # The tail begins at the first row after the last data row that is not data itself: a
    # blank row, a footer, or a total. Sparse rows right under the data (before any such row)
    # stay data, so their missing cells are reported.
    kept_after = set(after)
    boundary = next((i for i in range(last_data + 1, body.n) if i not in kept_after), None)
    if boundary is None:
        return kept, totals, Tail()
    dropped = [i for i in after if i > boundary]
    tail_totals = [t for t in totals if t.row - body.first_row > boundary]
    if not dropped and not tail_totals:
        return kept, totals, Tail()
    in_table = [t for t in totals if t.row - body.first_row <= boundary]
    if dropped:
        # A total under notes (a hand-made table's own 合计) is part of the notes.
        first_note = body.first_row + dropped[0]
        for total in [t for t in tail_totals if t.row > first_note]:
            dropped.append(total.row - body.first_row)
        tail_totals = [t for t in tail_totals if t.row < first_note]
        dropped.sort()
    labels = []
    for i in dropped:
        text = next((str(v).strip() for v in body.line(i) if isinstance(v, str) and v.strip()), "")
        if text:
            labels.append(text)
    keep = kept[~np.isin(kept, dropped)] if dropped else kept
    tail = Tail(body.first_row + boundary, [body.first_row + i for i in dropped], labels,
                tail_totals)
    return keep, in_table, tail
