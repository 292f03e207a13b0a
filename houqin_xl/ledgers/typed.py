"""Raw cells → a typed frame, one column per field, and a bad_type finding for every cell
that is there but cannot be read as its field's type (text in an amount, #REF!, 2026.13.40).

Money and quantities become float64 in yuan (already multiplied out of 万元): a float holds
every amount to the fen exactly enough that `round(x * 100)` is the exact fen, which is how
every comparison is made (see money.py). Dates become datetime64; text stays text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..findings import Finding, Listing
from ..read.grid import UNCALCULATED, ExcelError, column_letter
from .ledger import Ledger
from .parse import (
    BAD,
    FIRST_DATE,
    LAST_DATE,
    MAX_NUMBER,
    display,
    normalise_text,
    parse_date,
    parse_number,
    parse_text,
)

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


def _of_type(values: list[Any], *kinds: type) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The column as an object array, each cell's type, and where cells are exactly of one of
    `kinds` (C loops: the cells Excel typed as numbers or dates need no parsing)."""
    cells = np.empty(len(values), dtype=object)
    cells[:] = values
    types = np.fromiter(map(type, values), dtype=object, count=len(values))
    mask = np.zeros(len(values), dtype=bool)
    for kind in kinds:
        mask |= np.equal(types, kind)
    return cells, types, mask


def _parse_rest(values: list[Any], cells: np.ndarray, types: np.ndarray, done: np.ndarray,
                parse: Callable[[Any], Any],
                store: Callable[[np.ndarray, list[Any], np.ndarray], None]) -> list[int]:
    """Parse the cells the fast path left (text, serial numbers …); hand what they hold to
    `store(rows, distinct, codes)` — row rows[k] holds distinct[codes[k]] — so that it converts
    each distinct value once and assigns in C; return the unreadable rows."""
    positions = np.flatnonzero(~done)
    # Blank cells (None or "") are most of what a sparse column leaves: pass over them in C.
    blank = np.equal(types[positions], type(None)) | np.equal(cells[positions], "")
    positions = positions[~blank]
    if not len(positions):
        return []
    # Text dates and text numbers repeat down a column (an export writes 2026-04-18 as text on
    # every asset bought that day): hash the texts in C and parse each distinct one once. Only
    # exact str goes through the hash table, since 1, 1.0 and True hash alike but read apart.
    is_str = np.equal(types[positions], str)
    texts = positions[is_str]
    codes = np.empty(len(positions), dtype=np.intp)
    text_codes, uniques = pd.factorize(cells[texts])
    distinct = [parse(text) for text in uniques.tolist()]
    codes[is_str] = text_codes
    others = positions[~is_str].tolist()  # serial numbers, booleans …: rare, one by one
    codes[~is_str] = np.arange(len(distinct), len(distinct) + len(others))
    distinct.extend(parse(values[i]) for i in others)
    kinds = np.fromiter((0 if v is None else 1 if v is BAD else 2 for v in distinct), dtype=np.int8,
                        count=len(distinct))
    of_cell = kinds[codes]
    held = of_cell == 2
    if held.any():
        # Only the values some cell holds: BAD and None cannot be converted.
        usable = np.flatnonzero(kinds == 2)
        renumber = np.full(len(distinct), -1, dtype=np.intp)
        renumber[usable] = np.arange(len(usable))
        store(positions[held], [distinct[k] for k in usable.tolist()], renumber[codes[held]])
    return positions[of_cell == 1].tolist()


def _with_unit(unit_scale: dict[str, int], multiplier: int) -> Callable[[Any], Any]:
    """parse_number, and a number followed by one of the field's unit words (`6年`, `72个月`):
    a life written with its unit in a column whose header gives none. The value is returned in
    the header's unit, so that the column's multiplier makes it right."""
    units = sorted(unit_scale, key=len, reverse=True)
    pattern = re.compile(r"^\s*(.+?)\s*(?:个)?(" + "|".join(map(re.escape, units)) + r")\s*$")

    def parse(value: Any) -> Any:
        number = parse_number(value)
        if number is not BAD or not isinstance(value, str):
            return number
        m = pattern.match(normalise_text(value))
        inner = parse_number(m.group(1)) if m else BAD
        if inner is None or inner is BAD:
            return BAD
        return inner * unit_scale[m.group(2)] / multiplier

    return parse


def _number_column(values: list[Any], multiplier: int, unit_scale: dict[str, int] | None = None
                   ) -> tuple[np.ndarray, list[int]]:
    cells, types, is_float = _of_type(values, float)
    out = np.full(len(values), np.nan)
    out[is_float] = cells[is_float].astype(float)
    # inf, NaN and 1e308 are no amounts (parse_number's bound, checked here in C).
    with np.errstate(invalid="ignore"):
        too_big = is_float & ~(np.abs(out) < MAX_NUMBER)
    out[too_big] = np.nan
    parse = _with_unit(unit_scale, multiplier) if unit_scale else parse_number
    bad = _parse_rest(values, cells, types, is_float, parse,
                      lambda rows, numbers, codes: out.__setitem__(
                          rows, np.array([float(n) for n in numbers], dtype=float)[codes]))
    bad = sorted([*bad, *np.flatnonzero(too_big).tolist()])
    if multiplier != 1:
        out *= multiplier  # 万元 → 元; every comparison rounds to the fen afterwards
        with np.errstate(invalid="ignore"):
            beyond = ~(np.abs(out) < MAX_NUMBER) & ~np.isnan(out)
        if beyond.any():  # 10^13 万元: past what any ledger holds, and past the exact fen
            out[beyond] = np.nan
            bad = sorted({*bad, *np.flatnonzero(beyond).tolist()})
    return out, bad


_FIRST_DAY, _LAST_DAY = pd.Timestamp(FIRST_DATE), pd.Timestamp(LAST_DATE)


def _date_column(values: list[Any]) -> tuple[np.ndarray, list[int]]:
    cells, types, is_datetime = _of_type(values, dt.datetime, dt.date)
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    out_of_range: list[int] = []
    if is_datetime.any():
        # A ledger date is a day: a time of day typed with it is dropped, as parse_date does.
        days = pd.to_datetime(cells[is_datetime]).normalize()  # years 1–9999, in µs
        inside = np.asarray((days >= _FIRST_DAY) & (days <= _LAST_DAY))
        where = np.flatnonzero(is_datetime)
        # Only then in ns: 9999-12-31 would wrap round to 1816 without a word.
        out[where[inside]] = days[inside].as_unit("ns").to_numpy()
        out_of_range = where[~inside].tolist()
    bad = _parse_rest(values, cells, types, is_datetime, parse_date,
                      lambda rows, dates, codes: out.__setitem__(
                          rows, np.array(dates, dtype="datetime64[D]").astype("datetime64[ns]")[codes]))
    return out, sorted([*bad, *out_of_range])


def _fold_all(texts: Any) -> list[str | None]:
    """Each text as parse_text reads it (NFKC, stripped, empty → None). ASCII text has no
    full-width forms to fold, so it skips NFKC."""
    return [(t.strip() if t.isascii() else normalise_text(t)) or None for t in texts]


def _text_column(values: list[Any]) -> tuple[np.ndarray, list[int]]:
    """The column as an object array of str and None, as `parse_text` reads each cell."""
    cells = np.empty(len(values), dtype=object)
    cells[:] = values
    try:
        # Names, rooms and departments repeat down a column: hash every cell in C and fold
        # each distinct value once, then take by code. None (and NaN) get code -1.
        codes, uniques = pd.factorize(cells)
    except TypeError:  # an unhashable cell: no reader gives one, but parse it as it is
        codes, uniques = np.full(len(values), -1, dtype=np.intp), np.empty(0, dtype=object)
    # Exactly str (a subclass, like any other type, is parsed one by one below).
    is_str = np.equal(np.fromiter(map(type, uniques), dtype=object, count=len(uniques)), str)
    table = np.empty(len(uniques) + 1, dtype=object)  # the last slot, None, is code -1's
    table[:-1][is_str] = _fold_all(uniques[is_str])
    out = table[codes]
    # Left to parse one by one (rare in a text column): non-str values, because the hashing
    # makes 1.0, 1 and True one value although they read as '1' and 'TRUE'; and code -1 cells
    # that are not None (a NaN, an unhashable cell).
    odd = ~is_str
    one_by_one = odd[codes] & (codes >= 0) if odd.any() else np.zeros(len(values), dtype=bool)
    missing = np.flatnonzero(codes < 0)
    if len(missing):
        one_by_one[missing[~np.equal(cells[missing], None)]] = True
    bad = []
    for i in np.flatnonzero(one_by_one):
        parsed = parse_text(values[i])
        if parsed is BAD:
            bad.append(int(i))
            parsed = None
        out[i] = parsed
    return out, bad


def bad_type_message(row: int, header: str, value: Any, type_name: str) -> str:
    shown = display(value)
    if isinstance(value, ExcelError) and value.code == UNCALCULATED:
        return (f"第{row}行 {header}：公式没有计算结果（文件保存时未经 Excel 计算，多见于程序生成的文件），"
                "请用 Excel 或 WPS 打开、保存后再核对")
    if isinstance(value, ExcelError):
        return f"第{row}行 {header} {shown}：单元格是Excel错误值，请检查公式"
    return f"第{row}行 {header} {shown}：不是有效的{_TYPE_WORDS[type_name]}"


def type_ledger(ledger: Ledger) -> tuple[TypedLedger, list[Finding]]:
    """The typed frame of one ledger, and its bad_type findings."""
    schema = ledger.schema
    data: dict[str, Any] = {ROW: np.array(ledger.rows, dtype=np.int64)}
    findings: list[Finding] = []
    bad_cells: set[tuple[int, str]] = set()
    listing = Listing()
    for name, values in ledger.raw.items():
        spec = schema.field(name)
        if spec.numeric:
            column, bad = _number_column(values, ledger.units.get(name, 1), spec.unit_scale)
        elif spec.type == "date":
            column, bad = _date_column(values)
        else:
            # Text stays object dtype holding None for a blank (a bare object array would
            # be inferred as pandas' str dtype, whose blanks are NaN).
            text, bad = _text_column(values)
            column = pd.Series(text, dtype=object, copy=False)
        data[name] = column
        for i in bad:
            bad_cells.add((ledger.rows[i], name))  # keyed by the record's row, as validate looks
            if not listing.admit((name,)):
                continue  # a whole column of them: counted in one finding (findings.Listing)
            row, column = ledger.cell_of(name, i) or (ledger.rows[i], None)
            header = ledger.header_of(name, i)
            findings.append(Finding(
                kind="bad_type", ledger=ledger.name, path=ledger.path, sheet=ledger.sheet,
                row=row, column=column_letter(column) if column else None, field=name,
                header=header, value=display(values[i]),
                message=bad_type_message(row, header, values[i], spec.type),
            ))
            listing.listed_first((name,), findings[-1])
    frame = pd.DataFrame(data)
    return TypedLedger(ledger, frame, bad_cells), findings + listing.summaries()
