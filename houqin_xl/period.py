"""The month being closed: `--period 2026-11`."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .errors import InputError


@dataclass
class Period:
    """The month being closed."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        m = re.fullmatch(r"(\d{4})-?(\d{1,2})", text.strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise InputError(f"期间格式应为 YYYY-MM / period must look like 2026-11: {text}")
        return cls(int(m.group(1)), int(m.group(2)))

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
