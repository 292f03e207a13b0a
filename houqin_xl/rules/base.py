"""What every rule needs: findings built from provenance, and ledgers stacked into one frame."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from ..findings import Finding, Reconciliation
from ..grid import column_letter
from ..money import fen_text, to_fen
from ..parse import display
from ..typed import ROW, TypedLedger

SOURCE = "_source"  # index into the list of TypedLedgers a stacked row came from
POSITION = "_pos"   # the row's position within its own ledger's frame


def stack(ledgers: list[TypedLedger], fields: list[str]) -> pd.DataFrame:
    """Several sheets of one ledger as one frame, each row remembering where it came from."""
    parts = []
    for index, typed in enumerate(ledgers):
        frame = typed.frame
        part = pd.DataFrame({
            name: frame[name] if name in frame.columns else _empty(typed, name, len(frame))
            for name in fields
        })
        part[ROW] = frame[ROW].to_numpy()
        part[SOURCE] = index
        part[POSITION] = np.arange(len(frame))
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=fields)


def _empty(typed: TypedLedger, name: str, length: int) -> pd.Series:
    """A column the sheet does not have, typed as if it had been there and left empty."""
    kind = typed.ledger.schema.field(name).type
    if kind == "date":
        return pd.Series(pd.NaT, index=range(length), dtype="datetime64[ns]")
    if kind in ("money", "quantity"):
        return pd.Series(np.nan, index=range(length))
    return pd.Series([None] * length, dtype=object)


def cell_finding(typed: TypedLedger, position: int, field: str, kind: str, reason: str,
                 severity: str = "", key: dict[str, Any] | None = None) -> Finding:
    """A finding on one cell: `第17行 原值 -300：reason`."""
    ledger = typed.ledger
    row = int(typed.frame[ROW].iat[position])
    header = ledger.headers.get(field, ledger.schema.field(field).header)
    raw = ledger.raw.get(field)
    value = display(raw[position]) if raw is not None else None
    column = column_letter(ledger.columns[field]) if field in ledger.columns else None
    shown = f" {value}" if value is not None else ""
    return Finding(
        kind=kind, severity=severity, ledger=ledger.name, path=ledger.path, sheet=ledger.sheet,
        row=row, column=column, field=field, header=header, value=value, key=key,
        message=f"第{row}行 {header}{shown}：{reason}",
    )


def aggregate_finding(typed: TypedLedger, kind: str, key: dict[str, Any], message: str,
                      value: str | None = None, field: str | None = None) -> Finding:
    """A finding about a total (a category, a day, a receipt number): no single cell."""
    ledger = typed.ledger
    return Finding(
        kind=kind, ledger=ledger.name, path=ledger.path, sheet=ledger.sheet, row=None, column=None,
        field=field, header=None, value=value, key=key, message=message,
    )


def fold(value: object) -> str:
    """Text compared as the bursar means it: NFKC, no spaces ('３０１ 教室' is '301教室');
    '' for an empty cell."""
    if not isinstance(value, str):
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))


def fold_column(values: pd.Series) -> pd.Series:
    """fold() for a whole column at once."""
    text = values.astype(object).where(values.notna(), "").astype(str)
    return text.str.normalize("NFKC").str.replace(r"\s+", "", regex=True)


def fen(series: pd.Series) -> np.ndarray:
    """A money column as integer fen (float array; empty counts as 0 for sums)."""
    return np.nan_to_num(to_fen(series.to_numpy(float)), nan=0.0)


def compare_money(rule: str, key: dict[str, Any], left_fen: float, right_fen: float,
                  tolerance_fen: int, left_label: str = "", right_label: str = "") -> Reconciliation:
    difference = left_fen - right_fen
    return Reconciliation(
        rule=rule, key=key, left=fen_text(left_fen), right=fen_text(right_fen),
        difference=fen_text(difference),
        status="ok" if abs(difference) <= tolerance_fen else "mismatch",
        left_label=left_label, right_label=right_label,
    )


def quantity_text(value: float) -> str:
    value = round(float(value), 4)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def compare_quantity(rule: str, key: dict[str, Any], left: float, right: float,
                     left_label: str = "", right_label: str = "") -> Reconciliation:
    difference = round(left - right, 4)
    return Reconciliation(
        rule=rule, key=key, left=quantity_text(left), right=quantity_text(right),
        difference=quantity_text(difference), status="ok" if abs(difference) < 0.005 else "mismatch",
        left_label=left_label, right_label=right_label,
    )
