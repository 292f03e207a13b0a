"""CSV / TSV from apps and web systems → one Grid, as Excel lays it out when it opens the file:
one record a row (a quoted field may hold line breaks and stays one cell), one field a column,
a blank line a blank row. The sheet is named after the file, as Excel names it.

The encoding is found as for every text file (`text.decode`: BOM, strict UTF-8, GB18030); the
delimiter is the one a first line `sep=;` names (Excel's own convention; that line is not a
row), or else the one of comma, tab, semicolon and | that splits the lines most consistently.

Every value stays text: Excel would turn 201010420190003 into 2.01E+14 and 00123 into 123, but
the typing layer reads numbers and dates from text and an id must stay the id. Two things are
read as Excel reads them all the same: `="00123"` (the trick exports use to keep an id as text)
is 00123, and an Excel error string (#REF! …) is an error value.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from .grid import EXCEL_ERROR_CODES, ExcelError, Grid, sheet_name_of_file
from .limits import Extent, check_text_size, guarded
from .text import decode

DELIMITERS = (",", "\t", ";", "|")
_SEP_LINE = re.compile(r"sep=(.)\r?\n")
SNIFF_CHARS = 64 * 1024
# Without a .csv/.tsv name, text is a table only when most of its lines split alike.
MIN_SPLIT_SHARE = 0.6


@guarded
def read(path: Path) -> Iterator[Grid]:
    check_text_size(path)
    text, _ = decode(path.read_bytes(), path=path)
    declared = _SEP_LINE.match(text)
    if declared:  # Excel's own hint: the line names the delimiter and is not shown as a row
        text, delimiter = text[declared.end():], declared.group(1)
    else:
        delimiter = sniff_delimiter(text, lenient=True) or ("\t" if path.suffix.lower() == ".tsv" else ",")
    extent = Extent(path)
    rows: list[list[Any]] = []
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
            extent.place(number, max(len(record), 1))
            extent.add_cells(len(record))
            rows.append([_value(field) for field in record])
    except csv.Error as exc:  # a field longer than any cell can hold, a stray NUL …
        raise InputError(f"CSV文件格式有误（第{len(rows) + 1}条记录：{exc}）/ malformed CSV: {path}") from exc
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    yield Grid(str(path), sheet_name_of_file(path), rows)


def _value(field: str) -> Any:
    if field.startswith('="') and field.endswith('"') and len(field) >= 3:
        field = field[2:-1].replace('""', '"')
    if field == "":
        return None
    if field in EXCEL_ERROR_CODES:
        return ExcelError(field)
    return field


def _records(sample: str, delimiter: str) -> list[list[str]]:
    try:
        return [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
                if any(field.strip() for field in r)]
    except csv.Error:  # a field cut by the sample's end, a field over the size limit
        return []


def sniff_delimiter(text: str, lenient: bool = False, whole: bool = True) -> str | None:
    """The delimiter that splits the text's lines most consistently: most lines split, then
    most lines with the same number of fields (title and note lines are one field; a row whose
    last cells are empty may be shorter). None when no delimiter splits it (lenient: when none
    splits any line) — then it is not a delimited table."""
    sample = text[:SNIFF_CHARS]
    if not whole or len(text) > SNIFF_CHARS:
        sample = sample[: sample.rfind("\n") + 1] or sample  # no line cut in half
    best: tuple[tuple[float, float], str] | None = None
    for delimiter in DELIMITERS:
        records = _records(sample, delimiter)
        counts = [len(r) for r in records if len(r) >= 2]
        if not counts:
            continue
        share = len(counts) / len(records)
        consistency = Counter(counts).most_common(1)[0][1] / len(records)
        if not lenient and (share < MIN_SPLIT_SHARE or len(counts) < 2):
            continue
        score = (round(share, 1), consistency)
        if best is None or score > best[0]:
            best = (score, delimiter)
    return best[1] if best else None
