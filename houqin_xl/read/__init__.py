"""read/ — files → `Grid`s: every sheet's cells as Excel shows them, with merges and hidden rows.

One module per file kind, listed once in `readers.READERS` and chosen by content (`sniff.py`:
never trust the extension): `workbook.py` (.xlsx/.xlsm through python-calamine, every part
measured and verified first by `zip_scan.py`, `zip_parts.py`, `sheet_extent.py` and
`date_cells.py`), `biff.py` (old .xls through xlrd),
`html_table.py` (HTML-table ".xls", with `css.py`), `spreadsheet_xml.py` (SpreadsheetML 2003
".xls"), `csv_text.py` (CSV/TSV); `text.py` finds a text file's encoding, `limits.py` bounds
what any reader takes. `files.py` turns paths and folders into one stream of grids. A new file
kind is one new module here, ending in the same `Grid`.

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
from .readers import READERS, read_file, read_workbook
from .workbook import iter_workbook

__all__ = ["COPY_MARKER", "READERS", "TOOL_SHEETS", "Grid", "is_annotated_copy", "iter_grids",
           "iter_workbook", "list_workbooks", "read_file", "read_paths", "read_workbook"]
