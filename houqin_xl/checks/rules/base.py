"""What every rule needs: findings built from provenance, and ledgers stacked into one frame."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from ...findings import Finding, Reconciliation
from ...ledgers.money import fen_text, to_fen
from ...ledgers.parse import display
from ...ledgers.typed import ROW, TypedLedger
from ...read.grid import column_letter

T = TypeVar("T")

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
    header = ledger.header_of(field, position)
    raw = ledger.raw.get(field)
    value = display(raw[position]) if raw is not None else None
    cell = ledger.cell_of(field, position)
    column = column_letter(cell[1]) if cell else None
    if cell is not None:
        row = cell[0]
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


_SPACE = re.compile(r"\s+")


def fold_text(text: str) -> str:
    """fold() of a string."""
    if not text.isascii():  # ASCII is its own NFKC form: skip the call
        text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub("", text)


def fold(value: object) -> str:
    """Text compared as the bursar means it: NFKC, no spaces ('３０１ 教室' is '301教室');
    '' for an empty cell."""
    if not isinstance(value, str):
        return ""
    return fold_text(value)


def _one_value_one_hash(value: Any) -> bool:
    """A text, or a tuple of texts and blanks (a (grade, class) pair): equal only when written
    alike, so converting it once is converting every cell that holds it."""
    if type(value) is str:
        return True
    return type(value) is tuple and all(type(v) is str or v is None for v in value)


def per_distinct(values: pd.Series, convert: Callable[[np.ndarray], Any], blank: Any) -> np.ndarray:
    """convert() run on the distinct values of a column only, spread back to every row (an
    object array); `blank` for an empty cell (None, NaN, NaT: where Series.isna()).

    convert takes an object array of cell values and returns as many results. Columns of
    rooms, items, grades and receipt books repeat the same few texts down 100,000 rows, so
    converting each text once is what makes the rules linear in rows and cheap."""
    cells = values.to_numpy(dtype=object)
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = list(convert(uniques))
    table[-1] = blank  # code -1: an empty cell
    out = table[codes]
    odd = [k for k, u in enumerate(uniques) if not _one_value_one_hash(u)]
    if odd:
        # 1, 1.0 and True (or 0.0 and -0.0) are one distinct value to a hash table, yet they
        # read as different texts: cells that are not strings are converted one by one.
        rows = np.flatnonzero(np.isin(codes, odd))
        out[rows] = list(convert(cells[rows]))
    # factorize() and isna() test emptiness with the same check (None, NaN, NaT, pd.NA,
    # Decimal NaN), so code -1 is exactly Series.isna().
    return out


def as_text(cells: np.ndarray) -> pd.Series:
    """Cells as text the way `Series.astype(str)` writes them (1.0 → '1.0', b'x' → 'x')."""
    return pd.Series(cells, dtype=object).astype(str)


def fold_column(values: pd.Series) -> pd.Series:
    """A whole column folded as text, '' for an empty cell. Unlike fold(), a number in a text
    column is folded as its text (301 → '301'), as `astype(str)` writes it."""
    folded = per_distinct(values, lambda cells: [fold_text(t) for t in as_text(cells)], "")
    return pd.Series(folded, index=values.index, dtype=str, name=values.name)


def contains_column(values: pd.Series, pattern: str | re.Pattern[str]) -> np.ndarray:
    """`values.fillna("").astype(str).str.contains(pattern)` (a regex search), searched once
    per distinct value: a bool array."""
    regex = re.compile(pattern) if isinstance(pattern, str) else pattern
    found = per_distinct(values, lambda cells: [regex.search(t) is not None for t in as_text(cells)],
                         regex.search("") is not None)
    return found.astype(bool)


# ---- one run's shared frames ---------------------------------------------------------------

# The frames several rules build from the same ledgers (the fee ledger stacked, the stock
# movements) are built once per run_rules() call. The memo lives only inside one run (a
# ContextVar, so two threads each checking a workbook keep their own), and it is keyed on the
# very list object run_rules hands every rule (by_name[...]), which the memo also holds, so an
# id cannot be reused by another list while the entry lives.
_RUN_MEMO: ContextVar[dict[tuple[str, int], tuple[object, Any]] | None] = ContextVar(
    "houqin_rules_run_memo", default=None)


@contextmanager
def run_memo() -> Iterator[None]:
    """Frames shared between the rules of one run; forgotten when the run ends."""
    token = _RUN_MEMO.set({})
    try:
        yield
    finally:
        _RUN_MEMO.reset(token)


def shared(kind: str, ledgers: list[TypedLedger], build: Callable[[list[TypedLedger]], T]) -> T:
    """build(ledgers), once per run and kind. The result is shared: callers must not change it
    in place (filtering or .copy() first is fine: pandas copies on write)."""
    memo = _RUN_MEMO.get()
    if memo is None:  # a rule called on its own, outside run_rules
        return build(ledgers)
    key = (kind, id(ledgers))
    hit = memo.get(key)
    if hit is None or hit[0] is not ledgers:
        hit = memo[key] = (ledgers, build(ledgers))
    return hit[1]


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
