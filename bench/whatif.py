"""Proposals from PROFILE.md applied in the benchmark's own process, to measure what they would
buy before anyone changes the core. Nothing here is imported by houqin_xl; results made with a
what-if say so in their heading."""

from __future__ import annotations

from collections.abc import Callable


def cache_n_cols() -> None:
    """P1: the widest row of a grid is measured once, not on every Grid.last_col call (which
    _MergeMap.row_values makes for every data row of a sheet with a merged cell)."""
    from houqin_xl.read.grid import Grid

    def n_cols(self: Grid) -> int:
        cached = self.__dict__.get("_n_cols_cache")
        if cached is None or cached[0] is not self.rows or cached[1] != len(self.rows):
            cached = (self.rows, len(self.rows), max((len(r) for r in self.rows), default=0))
            self.__dict__["_n_cols_cache"] = cached
        return cached[2]

    Grid.n_cols = property(n_cols)  # type: ignore[method-assign]


def memo_headers() -> None:
    """P3 (its cheapest half): normalise_header is pure, and a ledger's text values repeat
    (departments, items, names), so the repeated-header test remembers each string's key."""
    import functools

    from houqin_xl.ledgers.layouts import table_body as table

    table.normalise_header = functools.lru_cache(maxsize=1 << 16)(table.normalise_header)  # noqa: E501


def cache_schemas() -> None:
    """P6: the schemas are parsed from YAML once per process, not on every check()."""
    from houqin_xl import check
    from houqin_xl.ledgers import schemas

    original = schemas.load_schemas
    loaded: dict[str, dict] = {}

    def load_schemas(config=None):  # noqa: ANN001, ANN202 - same signature as the original
        # A Config is an unhashable dataclass; its repr names every setting that shapes a schema.
        key = repr(config)
        if key not in loaded:
            loaded[key] = original(config)
        return loaded[key]

    check.load_schemas = load_schemas


def distinct_dates() -> None:
    """Round 3: text dates parsed once per distinct value. An export writes every date as text
    (`2019-03-06`), and 50,000 cards share a few thousand days; typed._date_column parses each
    cell with parse_date's regexes. A memo of parse_date for str cells is the same function
    applied per distinct value (parse_date is pure; dates are immutable)."""
    import functools

    from houqin_xl.ledgers import typed

    original = typed.parse_date
    memo = functools.lru_cache(maxsize=1 << 16)(original)

    def parse_date(value):  # noqa: ANN001, ANN202 - the signature of parse.parse_date
        return memo(value) if type(value) is str else original(value)

    typed.parse_date = parse_date


WHAT_IFS: dict[str, Callable[[], None]] = {
    "ncols": cache_n_cols, "memo-headers": memo_headers, "cache-schemas": cache_schemas,
    "distinct-dates": distinct_dates}


def apply(names: list[str]) -> None:
    for name in names:
        WHAT_IFS[name]()
