"""Ledger: what every layout ends in — one ledger's raw cell values per field, each record
with its Excel row and each field with its column, plus the total rows the bursar typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .schemas import LedgerSchema


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
class Ledger:
    """One recognised ledger: raw cell values per field, with Excel provenance."""

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

    @property
    def name(self) -> str:
        return self.schema.ledger
