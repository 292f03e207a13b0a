"""A one- or two-row header read the way the stores' own layouts need it: a group cell over its
children is one key (`期初余额` over `数量` → 期初余额数量, `账面` over `金额` → 账面金额), matched
against a schema's headers and aliases, canonical first. Shared by the stock summary and the
stock count layouts (the table layout keeps its own matcher; this one also refuses a header
holding a word that says the sheet is something else).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..parse import is_blank
from ..schemas import LedgerSchema, normalise_header
from .cells import MergeMap


@dataclass
class JoinedHead:
    row: int
    depth: int
    columns: dict[str, int]
    headers: dict[str, str]

    @property
    def last_row(self) -> int:
        return self.row + self.depth - 1


def alias_fields(schema: LedgerSchema) -> dict[str, str]:
    """Normalised header key → field, canonical headers first (as the table layout does)."""
    out: dict[str, str] = {}
    keys = schema.alias_keys
    for level in range(max(len(v) for v in keys.values())):
        for spec in schema.fields:
            if level < len(keys[spec.name]):
                out.setdefault(keys[spec.name][level], spec.name)
    return out


def head_at(merges: MergeMap, row: int, depth: int, aliases: dict[str, str],
            refuse: frozenset[str] = frozenset(),
            guess: Callable[[str, dict[str, int]], str | None] | None = None) -> JoinedHead | None:
    """The fields of the header at `row` (`depth` rows), or None when a refused key is there.
    `guess(key, found so far)` may name a field for a key no alias matches."""
    grid = merges.grid
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    for col in range(grid.first_col, grid.last_col + 1):
        top = merges.value(row, col)
        top_key = normalise_header(top)[0] if not is_blank(top) else ""
        key, child_key = top_key, ""
        if depth == 2:
            child = merges.value(row + 1, col)
            child_key = normalise_header(child)[0] if not is_blank(child) else ""
            if child_key and child_key != top_key:
                key = top_key + child_key
        if top_key in refuse or key in refuse:
            return None
        name = aliases.get(key)
        if name is None and depth == 2 and not child_key:
            name = aliases.get(top_key)
        if name is None and guess is not None:
            name = guess(key, columns)
        if name is None or name in columns:
            continue
        columns[name] = col
        headers[name] = key
    return JoinedHead(row, depth, columns, headers)


def find_head(merges: MergeMap, first: int, last: int,
              read: Callable[[int, int], JoinedHead | None]) -> JoinedHead | None:
    """The first header in rows first..last that `read(row, depth)` accepts. Where rows r and
    r + 1 both read as one (a title above a one-row header reads as a group row over it), the
    reading with more fields wins, and on a tie the one-row header below: a title is not a
    header."""
    grid = merges.grid

    def readings(row: int) -> list[JoinedHead]:
        texts = [v for v in merges.row_values(row) if isinstance(v, str) and not is_blank(v)]
        if len(texts) < 2:
            return []
        found = [read(row, 1), read(row, 2) if row < grid.last_row else None]
        return [h for h in found if h is not None]

    for row in range(first, min(last, grid.last_row) + 1):
        found = readings(row)
        if found:
            below = readings(row + 1) if row < grid.last_row else []
            return max([*found, *below], key=lambda h: (len(h.columns), h.row, -h.depth))
    return None
