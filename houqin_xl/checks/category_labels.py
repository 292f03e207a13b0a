"""Typed ledgers' category cells → each record's top class in the school's wording.

Each ledger is labelled in the edition it is written in as it is validated
(`label_categories`); when every ledger is in, `settle` puts them all in the edition the run
reports in (ledgers/categories.py says how the editions combine). Placing works once per
distinct record — a class repeats down 100,000 rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..ledgers.categories import CATEGORY_SOURCES, CategoryList
from ..ledgers.parse import BAD, parse_text
from ..ledgers.typed import TypedLedger


def _category_records(frame: pd.DataFrame, original: np.ndarray | None = None
                      ) -> tuple[np.ndarray, list[tuple[Any, ...]], list[str]] | None:
    """Each row's category cells (code, class, name — `CATEGORY_SOURCES` order) as codes into
    the distinct records, the records, and the fields they come from; None without a category.
    `original`: the category cells as typed, when the frame's column is already labelled."""
    if "category" not in frame.columns:
        return None
    sources = [f for f in CATEGORY_SOURCES if f in frame.columns]
    columns = [original if f == "category" and original is not None else frame[f].to_numpy(object)
               for f in sources]
    if len(columns) == 1:
        cells = columns[0]
    else:
        cells = np.empty(len(frame), dtype=object)
        cells[:] = list(zip(*columns, strict=True))
    try:
        codes, uniques = pd.factorize(cells)
    except TypeError:  # an unhashable cell: no reader gives one
        codes, uniques = np.arange(len(cells)), cells
    records = [u if len(columns) > 1 else (u,) for u in uniques]
    return codes, records, sources


def _label_categories(frame: pd.DataFrame, categories: CategoryList, edition: str | None = None,
                      original: np.ndarray | None = None) -> str | None:
    """Write each row's top class, in the school's wording, into the frame's category column;
    return the edition used (the ledger's own unless `edition` is given). A row whose cells
    place the asset nowhere keeps its category cell as it is, for the check to report."""
    found = _category_records(frame, original)
    if found is None:
        return None
    codes, records, sources = found
    texts = [[v for v in record if isinstance(v, str)] for record in records]
    if edition is None:
        edition = categories.ledger_edition(categories.place(v) for t in texts for v in t)
    at = sources.index("category")
    table = np.empty(len(records) + 1, dtype=object)  # the last slot, None, is code -1's
    for k, record in enumerate(records):
        own = record[at]
        if not isinstance(own, str) and len(record) == 1:
            table[k] = own  # NaN, a number, True: not text, left for the type checks
            continue
        strings = [v if isinstance(v, str) else None for v in record]
        label = categories.label(categories.place_record(strings, edition), edition)
        table[k] = label if label is not None else own
    # What Series.map would give: str and None stay as they are, and the Series constructor
    # infers the dtype from them the same way.
    frame["category"] = pd.Series(table[codes], index=frame.index)
    return edition


def label_categories(frame: pd.DataFrame, categories: CategoryList) -> CategoryList:
    """Each row's category as its top class in the school's wording, in the edition the ledger
    is written in; the category list seen in that edition (what the checks compare with).

    A category repeats down the column: each distinct record is placed once (a regex-heavy
    Python call per row was most of validate's own time)."""
    edition = _label_categories(frame, categories)
    return categories if edition is None else categories.in_edition(edition)


def _original_categories(typed: TypedLedger) -> np.ndarray | None:
    raw = typed.ledger.raw.get("category")
    if raw is None:
        return None
    out = np.empty(len(raw), dtype=object)
    out[:] = [None if (text := parse_text(v)) is BAD else text for v in raw]
    return out


def settle(ledgers: list[TypedLedger], categories: CategoryList) -> CategoryList:
    """The edition the whole run reports in (in the automatic mode, 2022 as soon as one ledger
    is written in it), every ledger's classes in that edition, and the category list seen in
    it. A ledger read in the other edition is placed again from its own cells, so a 2010 code
    under 603/604 still becomes 特种动植物 and a bare `3` keeps the meaning it had."""
    own: list[tuple[TypedLedger, str]] = []
    for typed in ledgers:
        found = _category_records(typed.frame[["category"]]) if "category" in typed.frame else None
        if found is None:
            continue
        # The labels tell the edition a ledger was read in: a 2022 wording only in a 2022
        # ledger, and a cell left unplaced is never a sign of 2022 (it would have been placed).
        _, records, _ = found
        edition = categories.ledger_edition(
            categories.place(record[0]) for record in records if isinstance(record[0], str))
        own.append((typed, edition))
    run = categories.run_edition(edition for _, edition in own)
    view = categories.in_edition(run)
    for typed, edition in own:
        if edition != run:
            _label_categories(typed.frame, view, run, _original_categories(typed))
    return view
