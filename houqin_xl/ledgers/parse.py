"""Numbers and dates as bursars type them.

`parse_number` accepts `1,200.00`, `¥1200`, `￥1200`, `1200元`, full-width `１２００`,
` 350 `, `-` (zero), `(300)`; `parse_date` accepts real dates, Excel serial numbers and text
such as `2026.9.1`, `2026/09/01`, `2026-9-1`, `2026年9月1日`, `20260901`. Both return the
`BAD` marker for what they cannot read, and None for an empty cell: the caller decides
whether that is `bad_type` or `missing`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from ..read.grid import ExcelError


class _Bad:
    """Marker for a value that is there but cannot be read as the type wanted."""

    _instance = None

    def __new__(cls) -> _Bad:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "BAD"

    def __bool__(self) -> bool:
        return False


BAD = _Bad()

# Dashes bursars use for "nothing here" in an amount column.
_ZERO_MARKS = {"-", "－", "—", "–", "——", "--", "/", "／"}
_CURRENCY = re.compile(r"^(?:人民币|RMB|CNY|[¥￥])\s*|\s*(?:元整|元|圆|RMB|CNY)$", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
# A float holds fen exactly up to about 10^13 yuan; beyond that a "number" is a typo (an ID
# pasted into an amount, 1e308) and arithmetic on it would lose the fen or overflow.
_MAX_DIGITS = 13
MAX_NUMBER = 10 ** (_MAX_DIGITS + 1)  # every number read is smaller than this, in magnitude


def normalise_text(value: str) -> str:
    """Full-width to half-width (NFKC), non-breaking and ideographic spaces removed at the ends."""
    return unicodedata.normalize("NFKC", value).strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_number(value: Any) -> Decimal | None | _Bad:
    """A cell as an exact Decimal; None when empty; BAD when not a number."""
    if value is None:
        return None
    if isinstance(value, bool):
        return BAD
    if isinstance(value, int):
        return Decimal(value) if -MAX_NUMBER < value < MAX_NUMBER else BAD
    if isinstance(value, float):
        if not math.isfinite(value) or not -MAX_NUMBER < value < MAX_NUMBER:
            return BAD  # inf, NaN, 1e308: no ledger amount
        # repr gives the shortest text that round-trips, which is what Excel stored.
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value if value.is_finite() and abs(value) < MAX_NUMBER else BAD
    if isinstance(value, ExcelError) or not isinstance(value, str):
        return BAD
    # U+2212 (the minus sign of pasted documents) is no hyphen to NFKC
    text = normalise_text(value).replace(" ", "").replace("\u2212", "-")
    if text == "":
        return None
    if text in _ZERO_MARKS:
        return Decimal(0)
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text[:1] in "+-" and _CURRENCY.match(text[1:]):
        # -¥1,234.50: the sign stands before the currency mark
        negative, text = negative != (text[0] == "-"), text[1:]
    text = _CURRENCY.sub("", text)
    text = _CURRENCY.sub("", text)  # both a leading ¥ and a trailing 元
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        return BAD
    try:
        number = Decimal(text)
    except InvalidOperation:
        return BAD
    if number and number.adjusted() > _MAX_DIGITS:
        return BAD  # 1e999999999 or a run of digits pasted by mistake: no ledger amount
    return -number if negative else number


_EXCEL_EPOCH = dt.date(1899, 12, 30)
# The dates a ledger's typed frame holds (datetime64[ns]: up to 2262-04-11). Excel's own
# calendar starts in 1900; a date outside is unreadable, reported at its cell (bad_type).
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2262, 4, 11)
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
# Serial numbers between 1990 and 2100: outside that, a number is not a plausible ledger date.
_SERIAL_MIN = (dt.date(1990, 1, 1) - _EXCEL_EPOCH).days
_SERIAL_MAX = (dt.date(2100, 12, 31) - _EXCEL_EPOCH).days


def _from_serial(serial: float) -> dt.date | _Bad:
    if not (_SERIAL_MIN <= serial <= _SERIAL_MAX):
        return BAD
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(value: Any) -> dt.date | None | _Bad:
    """A cell as a date; None when empty; BAD when not a date."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return day if FIRST_DATE <= day <= LAST_DATE else BAD
    if isinstance(value, bool):
        return BAD
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return BAD
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            return parse_date(str(int(value)))
        return _from_serial(float(value))
    if isinstance(value, ExcelError) or not isinstance(value, str):
        return BAD
    text = normalise_text(value)
    if text == "":
        return None
    # 2026 年 9 月 1 日: spaces around the Chinese date words are padding, not separators
    text = re.sub(r"\s*([年月日])\s*", r"\1", text)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return parse_date(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
            except ValueError:
                return BAD
    if _NUMBER.match(text) and len(text) < 40:
        return parse_date(float(text))
    return BAD


def parse_text(value: Any) -> str | None | _Bad:
    """A cell as text: numbers written back the way Excel shows them (1001.0 → '1001')."""
    if value is None:
        return None
    if isinstance(value, ExcelError):
        return BAD
    if isinstance(value, str):
        text = normalise_text(value)
        return text or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def display(value: Any) -> str | None:
    """A raw cell value as text for a finding's `value` and message."""
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return str(value).strip() if isinstance(value, str) else str(value)
