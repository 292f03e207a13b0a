"""Raw cells → a typed frame, one column per field, and a bad_type finding for every cell
that is there but cannot be read as its field's type (text in an amount, #REF!, 2026.13.40).

Money and quantities become float64 in yuan (already multiplied out of 万元): a float holds
every amount to the fen exactly enough that `round(x * 100)` is the exact fen, which is how
every comparison is made (see money.py). Dates become datetime64; text stays text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .findings import Finding
from .grid import ExcelError, column_letter
from .parse import BAD, display, parse_date, parse_number, parse_text
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


def _number_column(values: list[Any], multiplier: int) -> tuple[np.ndarray, list[int]]:
    out = np.full(len(values), np.nan)
    bad = []
    for i, value in enumerate(values):
        # Excel numbers arrive as floats: the common case skips the text parser.
        if type(value) is float:
            out[i] = value * multiplier if multiplier != 1 else value
            continue
        number = parse_number(value)
        if number is BAD:
            bad.append(i)
        elif number is not None:
            out[i] = float(number * multiplier)
    return out, bad


def _date_column(values: list[Any]) -> tuple[pd.Series, list[int]]:
    parsed = []
    bad = []
    for i, value in enumerate(values):
        date = parse_date(value)
        if date is BAD:
            bad.append(i)
            parsed.append(None)
        else:
            parsed.append(date)
    return pd.Series(pd.to_datetime(pd.Series(parsed, dtype=object), errors="coerce")), bad


def _text_column(values: list[Any]) -> tuple[list[Any], list[int]]:
    parsed = []
    bad = []
    for i, value in enumerate(values):
        if type(value) is str and value.isascii():
            parsed.append(value.strip() or None)  # no full-width forms to fold: skip NFKC
            continue
        text = parse_text(value)
        if text is BAD:
            bad.append(i)
            parsed.append(None)
        else:
            parsed.append(text)
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
