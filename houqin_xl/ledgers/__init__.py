"""ledgers/ — `Grid` → typed ledgers with Excel provenance.

`schemas.py` loads `schemas/*.yaml` into `LedgerSchema`s; `categories.py` the school's asset
classes; `parse.py` reads numbers, dates and text as bursars type them; `money.py` keeps money
exact (integer fen); `recognise.py` finds which layout a sheet is in, and `layouts/` holds one
module per layout, each ending in the same `Ledger` (`ledger.py`); `typed.py` turns its cells
into a typed frame, reporting what cannot be read (bad_type).

May import: `read.grid`, `errors`, `config`, `findings`. Never `checks/`, `outputs/`, `excel/`.
"""
