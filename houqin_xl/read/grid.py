"""Grid: one sheet's cell values as the bursar sees them, with merges and hidden rows.

Every reader (calamine for files, xlwings for a live book) ends in this one type, so the
recognising and checking code never cares where the cells came from. Coordinates are kept
as Excel's own (1-based rows, 1-based columns) so every finding can name the real cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ExcelError:
    """An Excel error value such as #REF! or #DIV/0!: never an empty cell, always bad_type."""

    code: str

    def __str__(self) -> str:
        return self.code


# A formula cell the file holds no result for (written by a program that left the computing to
# Excel): calamine reads it as empty, but it is not blank — it is a value nobody has computed.
UNCALCULATED = "#公式未计算"

EXCEL_ERROR_CODES = frozenset(
    ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
     "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"]
)


@dataclass
class Grid:
    """A sheet's values. `rows[i][j]` is the cell at Excel row `first_row + i`, column
    `first_col + j`. Empty cells are None. Merged ranges are (top, left, bottom, right) in
    Excel coordinates, inclusive."""

    path: str
    sheet: str
    rows: list[list[Any]]
    first_row: int = 1
    first_col: int = 1
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @cached_property
    def n_cols(self) -> int:
        # Cached: readers build a grid once and never change its rows afterwards.
        return max(map(len, self.rows), default=0)

    def cell(self, row: int, col: int) -> Any:
        """The value at an Excel (row, col), None outside the grid."""
        i, j = row - self.first_row, col - self.first_col
        if 0 <= i < len(self.rows) and 0 <= j < len(self.rows[i]):
            return self.rows[i][j]
        return None

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.rows) - 1

    @property
    def last_col(self) -> int:
        return self.first_col + self.n_cols - 1


def column_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A → 1, AA → 27."""
    col = 0
    for ch in letters.upper():
        col = col * 26 + (ord(ch) - 64)
    return col


def cell_ref(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """'B3:D5' → (3, 2, 5, 4); a single cell 'B3' → (3, 2, 3, 2)."""
    import re

    parts = ref.replace("$", "").split(":")
    coords = []
    for part in parts:
        m = re.fullmatch(r"([A-Za-z]+)(\d+)", part)
        if not m:
            raise ValueError(f"not a cell reference: {ref!r}")
        coords.append((int(m.group(2)), column_index(m.group(1))))
    (r0, c0), (r1, c1) = coords[0], coords[-1]
    return min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)


_SHEET_NAME_FORBIDDEN = str.maketrans({ch: "_" for ch in "[]:*?/\\"})


def sheet_name_for(name: str) -> str:
    """A name as Excel accepts it for a sheet: at most 31 characters, none of []:*?/\\."""
    return name.translate(_SHEET_NAME_FORBIDDEN).strip().strip("'")[:31] or "Sheet1"


def sheet_name_of_file(path: str | Path) -> str:
    """The sheet Excel makes when it opens a single-sheet text file (HTML, CSV): the file's
    name without its extension, cut to 31 characters."""
    return sheet_name_for(Path(path).stem)
