"""Ledger: what every layout ends in — one ledger's raw cell values per field, each record
with its Excel row and each field with its column (or, where a layout puts a field's values in
different places, each value with its own cell), plus the totals the bursar typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..read.grid import column_letter
from .schemas import LedgerSchema

Cell = tuple[int, int]  # an Excel (row, column), 1-based


@dataclass
class TotalRow:
    """A subtotal or total row the bursar typed: its label and its raw cells per field."""

    row: int
    label: str
    values: dict[str, Any]

    @property
    def scope(self) -> str:
        """'block' sums the rows since the previous total row; 'all' every data row above;
        'skip' when the rows it sums are not all on this sheet (本年累计, 承前页)."""
        label = self.label
        if "累计" in label or "承前" in label or "过次" in label:
            return "skip"
        if "小计" in label or "本月" in label or "本期" in label:
            return "block"
        return "all"


@dataclass
class StatedSum:
    """A figure the sheet states (a 合计 cell, a row's 合计 column, a 本月合计, an account's 期末
    余额) and the cells it must equal the signed sum of. Layouts that know which cells add up to
    which build these; checks/totals.py re-adds them, reporting on the stated cell.

    `terms` are (sign, raw value, row, column); raw values are parsed as numbers when checked.
    `what` says in Chinese what was added up (`第5–20行之和`, `期初+借方−贷方`, `下级科目之和`)."""

    row: int
    column: int
    field: str
    header: str
    label: str
    stated: Any
    terms: list[tuple[int, Any, int, int]]
    what: str
    unit: int = 1           # 10,000 when the sheet is kept in 万元
    money: bool = True      # False for quantities
    stated_is_data: bool = False  # the stated cell is a record's own value, typed (and reported) there
    blank_is_zero: bool = False   # exports print a zero balance as a blank cell


@dataclass
class Ledger:
    """One recognised ledger: raw cell values per field, with Excel provenance.

    A record's value of `field` stands at (rows[i], columns[field]) — unless the layout gives
    it a cell of its own in `cells[field][i]` (a wide fee sheet, where each item's amount is in
    another column; an account book, whose item name stands once in the title block). Findings
    ask `cell_of()` and `header_of()`, never the columns directly.
    """

    schema: LedgerSchema
    path: str
    sheet: str
    header_rows: list[int]
    columns: dict[str, int]
    headers: dict[str, str]
    units: dict[str, int]
    rows: list[int]
    raw: dict[str, list[Any]]
    totals: list[TotalRow] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    missing_fields: list[str] = field(default_factory=list)
    cells: dict[str, list[Cell | None]] = field(default_factory=dict)
    # The header shown above a column, for fields whose values come from several columns.
    column_headers: dict[int, str] = field(default_factory=dict)
    sums: list[StatedSum] = field(default_factory=list)
    layout: str = "table"
    # What the layout read from outside the table (the item of an account book's title block,
    # the class of a wide fee sheet's name): shown in the report beside the ledger.
    context: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.schema.ledger

    def cell_of(self, field_name: str, position: int) -> Cell | None:
        """The Excel (row, column) of record `position`'s value of `field_name`; None when the
        value stands in no cell (taken from a sheet name) or the field is absent."""
        own = self.cells.get(field_name)
        if own is not None:
            return own[position]
        column = self.columns.get(field_name)
        return None if column is None else (self.rows[position], column)

    def column_letter_of(self, field_name: str, position: int) -> str | None:
        cell = self.cell_of(field_name, position)
        return None if cell is None else column_letter(cell[1])

    def header_of(self, field_name: str, position: int | None = None) -> str:
        """The header the bursar sees above the value (a wide sheet's item column: 伙食费)."""
        if position is not None and field_name in self.cells:
            cell = self.cells[field_name][position]
            if cell is not None and cell[1] in self.column_headers:
                return self.column_headers[cell[1]]
        if field_name in self.headers:
            return self.headers[field_name]
        return self.schema.field(field_name).header

    def has_column(self, field_name: str) -> bool:
        """Whether the sheet gives this field at all (a column, or cells of its own)."""
        return field_name in self.columns or field_name in self.cells
