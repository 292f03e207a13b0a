"""read/ — files → `Grid`s: every sheet's cells as Excel shows them, with merges and hidden rows.

One module per file kind (`workbook.py`: .xlsx/.xlsm/.xls through python-calamine, with
`zip_scan.py` and `xls.py` for what calamine does not report), content sniffing (`sniff.py`:
never trust the extension), and `files.py`, which turns paths and folders into one stream of
grids. A new file kind is one new module here, ending in the same `Grid`.

May import: `errors` and the reading libraries. Nothing here knows what a ledger is.
"""

from .files import (
    COPY_MARKER,
    TOOL_SHEETS,
    is_annotated_copy,
    iter_grids,
    list_workbooks,
    read_paths,
)
from .grid import Grid
from .workbook import iter_workbook, read_workbook

__all__ = ["COPY_MARKER", "TOOL_SHEETS", "Grid", "is_annotated_copy", "iter_grids", "iter_workbook",
           "list_workbooks", "read_paths", "read_workbook"]
