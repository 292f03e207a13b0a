"""The one entry point: `check(grids, config) -> CheckResult`.

The command line, the Excel buttons, the tests and the benchmarks all call this; there is no
second path that could drift.
"""

from __future__ import annotations

import calendar
import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .checks.rules import run_rules
from .checks.rules.depreciation_schedule import Schedule, depreciation_schedule, summary_json
from .checks.totals import check_stated_sums, check_totals
from .checks.validate import Context, missing_column_findings, settle_categories, validate
from .config import Config
from .errors import InputError
from .findings import CheckResult, Finding, LedgerInfo, UnreadSheet, cap_listed, once
from .ledgers.categories import load_categories
from .ledgers.recognise import recognise_grid
from .ledgers.schemas import load_schemas
from .ledgers.typed import TypedLedger, type_ledger
from .period import Period
from .read.files import Inventory
from .read.grid import Grid
from .read.limits import applied, limits_of


class NoLedgerError(InputError):
    """None of the grids holds a ledger the tool knows."""


@dataclass
class Checked:
    """Everything the later stages (reports, summaries, marks) need from one run."""

    result: CheckResult
    ledgers: list[TypedLedger] = field(default_factory=list)
    period: Period | None = None
    # Every register asset's 累计折旧 recomputed and the month's charge (汇总-折旧, JSON
    # summaries); None without a register or a period.
    depreciation: Schedule | None = None


# Python's cyclic garbage collector is paused for the length of one check.
#
# A check builds millions of small lists and tuples (one per row read, one per column moved) and
# keeps most of them until it ends. Each of those allocations counts towards the collector's next
# pass, and each full pass walks every live container — so with the collector on, transposing a
# 100,000-row sheet took 4× as long as with it off (bench/PROFILE.md). The check makes no
# reference cycles of its own worth collecting; whatever few pandas leaves are collected as soon
# as the collector is back on.


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block; restore its previous state after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_DATE_FIELDS = ("acquired_on", "date", "paid_on", "counted_on")


def _validate(typed: TypedLedger, ctx: Context) -> list[Finding]:
    """Every check of one ledger on its own: columns, cells, rows and its total rows."""
    tolerance = ctx.config.tolerance_fen
    return [*missing_column_findings(typed), *validate(typed, ctx),
            *check_totals(typed, tolerance), *check_stated_sums(typed, tolerance)]


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


def check(grids: Iterable[Grid], config: Config | None = None, period: str | Period | None = None,
          progress: Callable[[str], None] | None = None) -> Checked:
    """Recognise, type, validate and reconcile every ledger in the grids.

    `grids` may be a stream (`read.iter_grids`): each sheet is recognised and typed as it
    arrives, while the reader parses the next one, and then let go — only the typed ledgers
    are kept. With the period given, each ledger is validated in the stream too; without it,
    validation waits for the stream's end, because the period comes from every ledger's dates.
    The reconciliation rules always wait: a ledger may continue on another sheet or file."""
    # The school's limits on what a file may make us allocate, for every reader in the stream.
    with collector_paused(), applied(limits_of(config or Config())):
        return _check(grids, config, period, progress)


def _check(grids: Iterable[Grid], config: Config | None, period: str | Period | None,
           progress: Callable[[str], None] | None) -> Checked:
    config = config or Config()
    if isinstance(period, str):
        period = Period.parse(period)  # a mistyped period fails before any file is read
    say = progress or (lambda _stage: None)
    schemas = list(load_schemas(config).values())
    categories = load_categories(config)
    say("recognise")
    # A stream from read.iter_grids says what became of every file; a plain list of grids
    # (the buttons, the tests) gets an inventory of its own.
    inventory = getattr(grids, "inventory", None) or Inventory()
    findings: list[Finding] = []
    typed_ledgers: list[TypedLedger] = []
    places: dict[str, int] = {}  # path → ledgers found in it
    # With the period known, each ledger is validated as soon as it is typed, while the reader
    # is still parsing the next sheet; otherwise the period comes from all the data first.
    ctx = Context(config, categories, period.end) if period else None
    for grid in grids:
        places.setdefault(grid.path, 0)
        recognised = recognise_grid(grid, schemas)
        if not recognised.ledgers:
            inventory.unread_sheet(grid, recognised.reason or "未识别 / not recognised")
        grid = None  # noqa: PLW2901 - let the sheet's cells go before the next one is read
        for ledger in recognised.ledgers:
            places[ledger.path] += 1
            typed, bad = type_ledger(ledger)
            typed_ledgers.append(typed)
            findings.extend(bad)
            if ctx is not None:
                findings.extend(_validate(typed, ctx))
    # A file found broken after some of its sheets were read (a checksum, at the end) counts
    # as not read at all: its ledgers and findings go.
    failed = set(inventory.errors)
    if failed:
        typed_ledgers = [t for t in typed_ledgers if t.ledger.path not in failed]
        findings = [f for f in findings if f.path not in failed]
    typed_ledgers, forms = _without_empty_forms(typed_ledgers, inventory)
    if forms:
        # Validated while streaming, before the form was known to be one: its findings go too.
        findings = [f for f in findings if (f.path, f.sheet, f.ledger) not in forms]
    typed_ledgers, findings = _without_copies(typed_ledgers, findings, inventory)
    _settle_outcomes(inventory, places)
    if not typed_ledgers:
        raise _nothing_usable(inventory, places)
    say("validate")
    if ctx is None:
        period = infer_period(typed_ledgers)
        ctx = Context(config, categories, period.end if period else None)
        for typed in typed_ledgers:
            findings.extend(_validate(typed, ctx))
    say("reconcile")
    # Every ledger's classes in the edition the run reports in (a 2022 register beside a general
    # ledger kept in 2010 names: both in the 2022 classes), before anything compares them.
    ctx = settle_categories(typed_ledgers, ctx)
    rule_findings, reconciliations, skipped = run_rules(typed_ledgers, ctx, period)
    findings.extend(rule_findings)
    # A column wrong as a whole is listed up to a point and counted after (findings.py).
    findings = cap_listed(once(findings))
    # The schedule the depreciation rule built (built here if the rule did not run).
    schedule = depreciation_schedule([t for t in typed_ledgers if t.name == "fixed_assets"],
                                     config, ctx.categories, period)
    result = CheckResult(
        period=str(period) if period else None,
        ledgers=[
            LedgerInfo(t.name, t.ledger.path, t.ledger.sheet, t.ledger.header_rows, len(t.frame),
                       dict(t.ledger.context))
            for t in typed_ledgers
        ],
        findings=sorted(findings, key=Finding.sort_key),
        reconciliations=reconciliations,
        skipped_rules=skipped,
        files=inventory.files,
        unread_sheets=inventory.unread,
        notices=_period_doubts(typed_ledgers, period),
        school=config.school,
        checked_at=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        summaries={"depreciation": summary_json(schedule)} if schedule is not None else {},
    )
    return Checked(result, typed_ledgers, period, schedule)


def _period_doubts(ledgers: list[TypedLedger], period: Period | None) -> list[str]:
    """When most dates of the data lie after the period's end, the period is probably mistyped
    (2026-1 for 2026-11): every one of them would be reported as late."""
    if period is None:
        return []
    end = pd.Timestamp(period.end)
    dated = later = 0
    latest = None
    for typed in ledgers:
        for name in _DATE_FIELDS:
            if name in typed.frame.columns:
                dates = typed.frame[name].dropna()
                dated += len(dates)
                later += int((dates > end).sum())
                if len(dates):
                    top = dates.max()
                    latest = top if latest is None or top > latest else latest
    if dated and later * 2 > dated:
        return [f"期间 {period} 看起来不对：数据中 {dated} 个日期有 {later} 个晚于 {period.end.isoformat()}"
                f"（最近的日期是 {latest.date().isoformat()}），请检查 --period / the period looks wrong"]
    return []


def _without_copies(ledgers: list[TypedLedger], findings: list[Finding], inventory: Inventory
                    ) -> tuple[list[TypedLedger], list[Finding]]:
    """A sheet that holds exactly what an earlier one holds (the same register pasted into a
    second workbook, a 副本 sheet) is read once: counted twice it would double every total,
    and 账账相符 would then agree with itself. The copy is named, with the sheet it copies."""
    seen: dict[tuple, TypedLedger] = {}
    kept: list[TypedLedger] = []
    dropped: set[tuple[str, str]] = set()
    for typed in ledgers:
        ledger = typed.ledger
        if not ledger.rows:
            kept.append(typed)
            continue
        shape = (typed.name, len(ledger.rows), tuple(sorted(ledger.raw)))
        earlier = seen.get(shape)
        if earlier is not None and earlier.ledger.raw == ledger.raw:
            first = earlier.ledger
            inventory.unread.append(UnreadSheet(
                ledger.path, ledger.sheet,
                f"与 {Path(first.path).name} / {first.sheet} 的内容完全相同，只读取一次"
                " / the same as another sheet, read once"))
            dropped.add((ledger.path, ledger.sheet))
            continue
        seen.setdefault(shape, typed)
        kept.append(typed)
    if dropped:
        findings = [f for f in findings if (f.path, f.sheet) not in dropped]
    return kept, findings


def _without_empty_forms(ledgers: list[TypedLedger], inventory: Inventory
                         ) -> tuple[list[TypedLedger], set[tuple[str, str, str]]]:
    """An empty form (an 入库单 or 增加单 with no rows) beside the ledger of the same kind is
    named as not read, never checked instead of the ledger. Returns the ledgers kept and the
    (path, sheet, ledger) of the forms left out."""
    with_rows = {t.name for t in ledgers if len(t.frame)}
    kept = []
    forms: set[tuple[str, str, str]] = set()
    for typed in ledgers:
        if not len(typed.frame) and typed.name in with_rows:
            ledger = typed.ledger
            inventory.unread.append(UnreadSheet(
                ledger.path, ledger.sheet,
                f"空表单：{ledger.schema.title}的表头下没有数据行（已读取有数据的{ledger.schema.title}）"
                " / an empty form"))
            forms.add((ledger.path, ledger.sheet, ledger.name))
            continue
        kept.append(typed)
    return kept, forms


def _settle_outcomes(inventory: Inventory, places: dict[str, int]) -> None:
    """A file read without a single ledger in it is 'not_a_ledger', with its sheets' reasons."""
    for outcome in inventory.files:
        if outcome.outcome == "read" and not places.get(outcome.path):
            reasons = [f"{u.sheet}（{u.reason.split(' / ')[0]}）" for u in inventory.unread
                       if u.path == outcome.path]
            outcome.outcome = "not_a_ledger"
            outcome.reason = "没有识别出台账：" + ("；".join(reasons) or "没有工作表") + " / no ledger"
    known = {o.path for o in inventory.files}
    for path in places:  # grids handed in directly (the buttons, tests): their files too
        if path not in known:
            inventory.record(path, "read" if places[path] else "not_a_ledger",
                             None if places[path] else "没有识别出台账 / no ledger")


def _nothing_usable(inventory: Inventory, places: dict[str, int]) -> InputError:
    """The one line when nothing at all could be used: each file and why."""
    parts = []
    for outcome in inventory.files:
        name = Path(outcome.path).name
        why = (outcome.reason or "").split(" / ")[0]
        parts.append(f"{name}（{why}）" if why else name)
    listed = "；".join(parts) or "、".join(sorted(places))
    return NoLedgerError("没有识别出任何台账（请检查表头）/ no ledger recognised in: " + listed)
