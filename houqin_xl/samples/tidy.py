"""The tidy layout (sets 1, 3 and 4): the eight ledgers as plain sheets of one workbook."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..read.grid import column_letter
from .books import Books, Table
from .layout import Layout, save_openpyxl, sum_numbers

TIDY_HEADER_ROW = 1
TOTAL_LABEL = "合计"


def tidy_row(table: Table, index: int) -> int:
    """The Excel row of record `index` on the tidy sheet."""
    return TIDY_HEADER_ROW + 1 + index


def tidy_total_row(table: Table) -> int:
    return TIDY_HEADER_ROW + 1 + len(table.rows)


def tidy_column(table: Table, field_name: str) -> str:
    return column_letter(table.fields().index(field_name) + 1)


def _shown_width(value: Any) -> float:
    """How wide a value shows in Excel's character units: money with its thousands separators
    and two decimals, a date as yyyy-mm-dd, a Chinese character as two."""
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        text = f"{value:,.2f}"
    elif isinstance(value, int) and not isinstance(value, bool):
        text = f"{value:,}"
    elif isinstance(value, dt.date):
        text = "2026-11-30"
    else:
        text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def tidy_layout(table: Table, total_override: dict[str, Any] | None = None) -> Layout:
    layout = Layout(table.sheet, freeze=(TIDY_HEADER_ROW + 1, 1))
    for col, (_field, header) in enumerate(table.columns, start=1):
        layout.put(TIDY_HEADER_ROW, col, header, "header")
        layout.widths[col] = max(10, 2.2 * len(header) + 2)
    for index, record in enumerate(table.rows):
        row = tidy_row(table, index)
        for col, name in enumerate(table.fields(), start=1):
            value = record.get(name)
            if value is not None:
                layout.put(row, col, value)
    if table.totals:
        row = tidy_total_row(table)
        layout.put(row, 1, TOTAL_LABEL, "total")
        for name in table.totals:
            col = table.fields().index(name) + 1
            value = (total_override or {}).get(name, sum_numbers([r.get(name) for r in table.rows]))
            layout.put(row, col, value, "total")
    # Wide enough for every value (6,850,000.00 must not show as ###), within reason.
    for (_row, col), value in layout.cells.items():
        layout.widths[col] = min(40, max(layout.widths.get(col, 10), _shown_width(value) + 2))
    return layout


def write_tidy(books: Books, path: Path, total_overrides: dict[str, dict[str, Any]] | None = None) -> None:
    overrides = total_overrides or {}
    save_openpyxl([tidy_layout(t, overrides.get(t.ledger)) for t in books.tables()], path)
