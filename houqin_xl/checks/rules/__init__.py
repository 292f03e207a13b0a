"""Reconciliation rules, one module per area. Each rule declares the ledgers it needs; a rule
whose ledgers are not all present is listed in the report as skipped, with the reason.

`assets.py` (账账相符 of the fixed assets), `depreciation.py` (累计折旧 recomputed, and 1602
against the register), `count.py` (账实相符: the register against the count), `stock.py` (the
stock roll-forward and receipts of fixed-asset items), `fees.py` (按章收费, receipts, 收支两条线),
`disposals.py` (报废审批, disposals against the register and 1601); `base.py` holds what every
rule shares (findings from provenance, stacked ledgers, exact money comparisons).

May import: `ledgers/`, `read.grid`, `checks.validate` (its Context), and the shared vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...findings import LEDGER_TITLES, Finding, Reconciliation
from .base import run_memo

if TYPE_CHECKING:
    from ...ledgers.typed import TypedLedger
    from ...period import Period
    from ..validate import Context

RuleOutput = tuple[list[Finding], list[Reconciliation]]


@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    needs: tuple[str, ...]
    run: Callable[[dict[str, list[TypedLedger]], Context, Period | None], RuleOutput]


RULES: list[Rule] = []


class Skipped(Exception):  # noqa: N818 - raised by a rule to say what it skipped, not an error
    """Raised by a rule that has its ledgers but not all it needs in them (a general ledger
    without a 1601 固定资产 account): the rule is listed as skipped with this reason, and the
    findings and comparisons it made before stopping are kept."""

    def __init__(self, reason: str, findings: list[Finding] | None = None,
                 compared: list[Reconciliation] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.findings = findings or []
        self.compared = compared or []


def register(name: str, title: str, needs: tuple[str, ...]) -> Callable:
    def wrap(fn: Callable) -> Callable:
        RULES.append(Rule(name, title, needs, fn))
        return fn

    return wrap


def run_rules(ledgers: list[TypedLedger], ctx: Context, period: Period | None
              ) -> tuple[list[Finding], list[Reconciliation], list[dict[str, str]]]:
    by_name: dict[str, list[TypedLedger]] = {}
    for typed in ledgers:
        by_name.setdefault(typed.name, []).append(typed)
    findings: list[Finding] = []
    reconciliations: list[Reconciliation] = []
    skipped: list[dict[str, str]] = []
    # Frames several rules need (the fee ledger stacked, the stock movements) are built once
    # in this run and dropped at its end (base.shared).
    with run_memo():
        for rule in RULES:
            lacking = [need for need in rule.needs if need not in by_name]
            if lacking:
                skipped.append({"rule": rule.name, "title": rule.title,
                                "reason": "缺少台账：" + "、".join(LEDGER_TITLES.get(n, n) for n in lacking)
                                          + " / missing ledger: " + ", ".join(lacking)})
                continue
            try:
                found, compared = rule.run(by_name, ctx, period)
            except Skipped as stop:
                skipped.append({"rule": rule.name, "title": rule.title, "reason": stop.reason})
                found, compared = stop.findings, stop.compared
            findings.extend(found)
            reconciliations.extend(compared)
    return findings, reconciliations, skipped


# Importing the rule modules registers their rules, in report order.
from . import assets, depreciation, count, stock, fees, disposals, uniques  # noqa: E402,F401,I001
