"""The one entry point: `check(grids, config) -> CheckResult`.

The command line, the Excel buttons, the tests and the benchmarks all call this; there is no
second path that could drift.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from .config import Config
from .findings import CheckResult, Finding, LedgerInfo
from .grid import Grid
from .read import InputError
from .recognise import recognise
from .rules import run_rules
from .schemas import load_categories, load_schemas
from .totals import check_totals
from .typed import TypedLedger, type_ledger
from .validate import Context, missing_column_findings, validate


class NoLedgerError(InputError):
    """None of the grids holds a ledger the tool knows."""


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


@dataclass
class Checked:
    """Everything the later stages (reports, summaries, marks) need from one run."""

    result: CheckResult
    ledgers: list[TypedLedger] = field(default_factory=list)
    period: Period | None = None


_DATE_FIELDS = ("acquired_on", "date", "paid_on", "counted_on")


def infer_period(ledgers: list[TypedLedger], today: dt.date | None = None) -> Period | None:
    """The latest month found in the data, ignoring dates after this month (a typo such as
    2062 must not move the period; it is reported instead)."""
    today = today or dt.date.today()
    limit = pd.Timestamp(dt.date(today.year, today.month, calendar.monthrange(today.year, today.month)[1]))
    latest = None
    for typed in ledgers:
        for name in _DATE_FIELDS:
            if name in typed.frame.columns:
                dates = typed.frame[name]
                dates = dates[dates.notna() & (dates <= limit)]
                if len(dates):
                    top = dates.max()
                    latest = top if latest is None or top > latest else latest
    return Period(latest.year, latest.month) if latest is not None else None


def check(grids: list[Grid], config: Config | None = None, period: str | Period | None = None,
          progress: Callable[[str], None] | None = None) -> Checked:
    """Recognise, type, validate and reconcile every ledger in the grids."""
    config = config or Config()
    say = progress or (lambda _stage: None)
    schemas = load_schemas(config)
    categories = load_categories(config)
    say("recognise")
    ledgers = recognise(grids, schemas)
    if not ledgers:
        places = sorted({g.path for g in grids})
        raise NoLedgerError(
            "没有识别出任何台账（请检查表头）/ no ledger recognised in: " + ", ".join(places))
    say("validate")
    findings: list[Finding] = []
    typed_ledgers = []
    for ledger in ledgers:
        typed, bad = type_ledger(ledger)
        typed_ledgers.append(typed)
        findings.extend(bad)
    if isinstance(period, str):
        period = Period.parse(period)
    period = period or infer_period(typed_ledgers)
    ctx = Context(config, categories, period.end if period else None)
    for typed in typed_ledgers:
        findings.extend(missing_column_findings(typed))
        findings.extend(validate(typed, ctx))
        findings.extend(check_totals(typed, config.tolerance_fen))
    say("reconcile")
    rule_findings, reconciliations, skipped = run_rules(typed_ledgers, ctx, period)
    findings.extend(rule_findings)
    result = CheckResult(
        period=str(period) if period else None,
        ledgers=[
            LedgerInfo(t.name, t.ledger.path, t.ledger.sheet, t.ledger.header_rows, len(t.frame))
            for t in typed_ledgers
        ],
        findings=sorted(findings, key=Finding.sort_key),
        reconciliations=reconciliations,
        skipped_rules=skipped,
    )
    return Checked(result, typed_ledgers, period)
