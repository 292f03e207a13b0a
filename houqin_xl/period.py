"""The month being closed: `--period 2026-11`."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from .errors import InputError


@dataclass
class Period:
    """The month being closed."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """`2026-11`, `202611`, `2026.11`, `2026/11`, `2026年11月` (full-width digits too)."""
        cleaned = unicodedata.normalize("NFKC", text).strip()
        m = (re.fullmatch(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?", cleaned)
             or re.fullmatch(r"(\d{4})(\d{2})", cleaned))
        if not m:
            raise InputError(f"期间格式应为 YYYY-MM，如 2026-11 或 2026年11月 / period must look like 2026-11: {text}")
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise InputError(f"期间的月份应在1到12之间：{text} / the month of the period must be 1 to 12")
        if not 1990 <= year <= 2100:
            raise InputError(f"期间的年份不对：{text} / the year of the period looks wrong")
        return cls(year, month)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
