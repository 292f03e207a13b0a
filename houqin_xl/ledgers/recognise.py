"""Grids → ledgers: which layout a sheet is in, and the ledger it holds.

A sheet is recognised by its headers, never by its name. Each layout is a module of its own in
`layouts/`, ending in the same `Ledger`; today the row table (one record per row under a header).
"""

from __future__ import annotations

from ..read.grid import Grid
from .layouts.table import recognise_table
from .ledger import Ledger
from .schemas import LedgerSchema


def recognise_grid(grid: Grid, schemas: list[LedgerSchema]) -> Ledger | None:
    """The ledger this sheet holds, or None when no schema's signature is found in its headers."""
    return recognise_table(grid, schemas)


def recognise(grids: list[Grid], schemas: dict[str, LedgerSchema]) -> list[Ledger]:
    """Every ledger found in the grids, in the order the grids came."""
    ordered = list(schemas.values())
    found = []
    for grid in grids:
        ledger = recognise_grid(grid, ordered)
        if ledger is not None:
            found.append(ledger)
    return found
