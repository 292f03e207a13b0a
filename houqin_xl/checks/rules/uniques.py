"""Keys unique across sheets and files: an asset number on two registers, a receipt number on
two classes' fee sheets, a slip on two deposit lists.

Each sheet's own repeats are found by the validation (the `unique` check of schemas/*.yaml);
this rule finds what no single sheet can see — the same register kept in two files, an asset
moved to another department's register without being taken off the first. An identical copy of
a sheet is not read at all (check.py names it); what is left is the same key in two different
ledgers, reported on the later one, naming the earlier.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...findings import Finding, Reconciliation
from ...ledgers.typed import ROW
from . import register
from .base import POSITION, SOURCE, cell_finding, fold_column, stack

if TYPE_CHECKING:
    from ...ledgers.typed import TypedLedger
    from ...period import Period
    from ..validate import Context

# ledger → its key that must be unique across all of that ledger's sheets and files.
KEYS = {"fixed_assets": "asset_id", "asset_count": "asset_id", "fees": "receipt_no",
        "deposits": "slip_no"}


@register("unique_across_sheets", "编号在不同工作表间不得重复（资产编号、票据号、缴款单号）", ())
def unique_across_sheets(by_name: dict[str, list[TypedLedger]], ctx: Context,
                         period: Period | None) -> tuple[list[Finding], list[Reconciliation]]:
    findings: list[Finding] = []
    for name, key in KEYS.items():
        ledgers = [t for t in by_name.get(name, []) if t.ledger.has_column(key)]
        if len(ledgers) > 1:
            findings.extend(_repeats(ledgers, key))
    return findings, []


def _repeats(ledgers: list[TypedLedger], key: str) -> list[Finding]:
    frame = stack(ledgers, [key])
    frame["_key"] = fold_column(frame[key])
    frame = frame[frame["_key"] != ""]
    # One row per (key, ledger, Excel row): the records a wide fee row makes share its receipt.
    frame = frame.drop_duplicates(["_key", SOURCE, ROW])
    first_source = frame.groupby("_key")[SOURCE].transform("first")
    repeated = frame[frame[SOURCE] != first_source]
    if repeated.empty:
        return []
    first = frame.drop_duplicates("_key").set_index("_key")
    findings = []
    for record in repeated.drop_duplicates(["_key", SOURCE]).to_dict("records"):
        earlier = first.loc[record["_key"]]
        where = ledgers[int(earlier[SOURCE])].ledger
        place = f"{Path(where.path).name} / {where.sheet} 第{int(earlier[ROW])}行"
        findings.append(cell_finding(
            ledgers[int(record[SOURCE])], int(record[POSITION]), key, "duplicate",
            f"与 {place} 重复（同一编号出现在两个工作表中）"))
    return findings

