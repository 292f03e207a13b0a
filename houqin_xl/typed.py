"""Raw cells → a typed frame, one column per field, and a bad_type finding for every cell
that is there but cannot be read as its field's type (text in an amount, #REF!, 2026.13.40).

Money and quantities become float64 in yuan (already multiplied out of 万元): a float holds
every amount to the fen exactly enough that `round(x * 100)` is the exact fen, which is how
every comparison is made (see money.py). Dates become datetime64; text stays text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .findings import Finding
from .grid import ExcelError, column_letter
from .parse import BAD, display, normalise_text, parse_date, parse_number, parse_text
from .recognise import Ledger

ROW = "_row"  # the Excel row of each record, carried in every frame


@dataclass
class TypedLedger:
    ledger: Ledger
    frame: pd.DataFrame
    bad_cells: set[tuple[int, str]]  # (Excel row, field) already reported as bad_type

    @property
    def name(self) -> str:
        return self.ledger.name


_TYPE_WORDS = {"money": "金额", "quantity": "数字", "date": "日期", "text": "文字"}


_type_of = np.frompyfunc(type, 1, 1)


def _of_type(values: list[Any], *kinds: type) -> tuple[np.ndarray, np.ndarray]:
    """The column as an object array, and where its cells are exactly of one of `kinds` (one C
    loop: the cells Excel typed as numbers or dates need no parsing)."""
    cells = np.empty(len(values), dtype=object)
    cells[:] = values
    types = _type_of(cells)
    mask = np.zeros(len(values), dtype=bool)
    for kind in kinds:
        mask |= (types == kind).astype(bool)
    return cells, mask


def _parse_rest(values: list[Any], positions: np.ndarray, parse: Callable[[Any], Any],
                store: Callable[[int, Any], None]) -> list[int]:
    """Parse the cells the fast path left (text, serial numbers …); return the unreadable."""
    bad = []
    for i in positions:
        value = values[i]
        if value is None or value == "":
            continue
        parsed = parse(value)
        if parsed is BAD:
            bad.append(int(i))
        elif parsed is not None:
            store(i, parsed)
    return bad


def _number_column(values: list[Any], multiplier: int) -> tuple[np.ndarray, list[int]]:
    cells, is_float = _of_type(values, float)
    out = np.full(len(values), np.nan)
    out[is_float] = cells[is_float].astype(float)
    bad = _parse_rest(values, np.flatnonzero(~is_float), parse_number,
                      lambda i, number: out.__setitem__(i, float(number)))
    if multiplier != 1:
        out *= multiplier  # 万元 → 元; every comparison rounds to the fen afterwards
    return out, bad


def _date_column(values: list[Any]) -> tuple[np.ndarray, list[int]]:
    cells, is_datetime = _of_type(values, dt.datetime, dt.date)
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    if is_datetime.any():
        # A ledger date is a day: a time of day typed with it is dropped, as parse_date does.
        out[is_datetime] = pd.to_datetime(cells[is_datetime]).normalize().to_numpy()
    bad = _parse_rest(values, np.flatnonzero(~is_datetime), parse_date,
                      lambda i, date: out.__setitem__(i, np.datetime64(date, "ns")))
    return out, bad


def _fold(text: str) -> str | None:
    # ASCII text has no full-width forms to fold: skip NFKC.
    return (text.strip() if text.isascii() else normalise_text(text)) or None


def _text_column(values: list[Any]) -> tuple[list[Any], list[int]]:
    # Each distinct text is folded once: names, rooms and departments repeat down a column.
    # Only strings are pooled, since 1.0 and True would share a dictionary key.
    table = {text: _fold(text) for text in set(values) if type(text) is str}
    parsed = [table[v] if type(v) is str else parse_text(v) for v in values]
    bad = [i for i, v in enumerate(parsed) if v is BAD] if BAD in parsed else []
    for i in bad:
        parsed[i] = None
    return parsed, bad


def bad_type_message(row: int, header: str, value: Any, type_name: str) -> str:
    shown = display(value)
    if isinstance(value, ExcelError):
        return f"第{row}行 {header} {shown}：单元格是Excel错误值，请检查公式"
    return f"第{row}行 {header} {shown}：不是有效的{_TYPE_WORDS[type_name]}"


def type_ledger(ledger: Ledger) -> tuple[TypedLedger, list[Finding]]:
    """The typed frame of one ledger, and its bad_type findings."""
    schema = ledger.schema
    data: dict[str, Any] = {ROW: np.array(ledger.rows, dtype=np.int64)}
    findings: list[Finding] = []
    bad_cells: set[tuple[int, str]] = set()
    for name, values in ledger.raw.items():
        spec = schema.field(name)
        if spec.numeric:
            column, bad = _number_column(values, ledger.units.get(name, 1))
        elif spec.type == "date":
            column, bad = _date_column(values)
        else:
            column, bad = _text_column(values)
        data[name] = column
        for i in bad:
            row = ledger.rows[i]
            bad_cells.add((row, name))
            header = ledger.headers[name]
            findings.append(Finding(
                kind="bad_type", ledger=ledger.name, path=ledger.path, sheet=ledger.sheet,
                row=row, column=column_letter(ledger.columns[name]), field=name, header=header,
                value=display(values[i]), message=bad_type_message(row, header, values[i], spec.type),
            ))
    frame = pd.DataFrame(data)
    for name in ledger.raw:
        if schema.field(name).type == "text":
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return TypedLedger(ledger, frame, bad_cells), findings
