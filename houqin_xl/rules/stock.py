"""Stock roll-forward and receipts of fixed-asset items.

- stock_rollforward: per item (name and spec together), in date order then sheet order:
  opening (期初结存 / 上月结存 rows, or everything before on the sheet) + Σ in − Σ out = closing.
  Every stated 结存 is checked; the first row where the running balance and the stated balance
  part, and the first row where stock goes negative, are reported (stock_balance). Movements dated
  after the period's end are reported and left out.
- stock_vs_register: items received in the period at a unit price at or above the fixed-asset
  threshold should appear as register additions (取得日期 in the period) of the same value.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..findings import Finding, Reconciliation
from ..typed import ROW
from . import register
from .base import (
    POSITION,
    SOURCE,
    aggregate_finding,
    cell_finding,
    compare_money,
    compare_quantity,
    fen,
    quantity_text,
    stack,
)

if TYPE_CHECKING:
    from ..check import Period
    from ..typed import TypedLedger
    from ..validate import Context

_OPENING = re.compile(r"(?:期初|上月结存|上期结存|上年结转|承前|结转)")
_FIELDS = ["date", "item", "spec", "summary", "in_qty", "in_price", "in_amount", "out_qty",
           "out_amount", "balance_qty"]
EPSILON = 1e-6


def item_key(item: object, spec: object) -> str:
    """An item is its name and spec together: 'A4复印纸 70g'."""
    name = str(item).strip() if isinstance(item, str) else ""
    detail = str(spec).strip() if isinstance(spec, str) else ""
    return f"{name} {detail}".strip()


def _movements(ledgers: list[TypedLedger]) -> pd.DataFrame:
    moves = stack(ledgers, _FIELDS)
    moves = moves[moves["item"].notna()].copy()
    moves["key"] = [item_key(i, s) for i, s in zip(moves["item"], moves["spec"], strict=True)]
    moves["opening"] = moves["summary"].fillna("").astype(str).str.contains(_OPENING)
    # Date order, then sheet order: a stable sort keeps the bursar's order within a day.
    moves["_order"] = np.arange(len(moves))
    return moves.sort_values(["key", "date", "_order"], kind="stable", na_position="first")


@register("stock_rollforward", "物资结存滚动核对", ("stock_moves",))
def stock_rollforward(by_name: dict[str, list[TypedLedger]], ctx: Context, period: Period | None
                      ) -> tuple[list[Finding], list[Reconciliation]]:
    ledgers = by_name["stock_moves"]
    moves = _movements(ledgers)
    end = pd.Timestamp(period.end) if period else None
    findings: list[Finding] = []
    compared: list[Reconciliation] = []
    if end is not None:
        late = moves[moves["date"].notna() & (moves["date"] > end)]
        for record in late.to_dict("records"):
            findings.append(cell_finding(
                ledgers[int(record[SOURCE])], int(record[POSITION]), "date", "bad_value",
                f"日期晚于本期期末（{period.end.isoformat()}），未计入本期结存",
                key={"item": record["key"]}))
        moves = moves.drop(late.index)

    moves = moves.reset_index(drop=True)
    if moves.empty:
        return findings, compared
    keys = moves["key"]
    is_opening = moves["opening"].to_numpy(bool)
    stated = moves["balance_qty"].to_numpy(float)
    incoming = np.nan_to_num(moves["in_qty"].to_numpy(float))
    outgoing = np.nan_to_num(moves["out_qty"].to_numpy(float))
    # An opening row (期初/上月结存) states the balance brought forward and starts a new run;
    # it is not a movement. Every other row moves the running balance by in − out.
    segment = pd.Series(is_opening | (keys != keys.shift()).to_numpy()).cumsum()
    base = np.where(is_opening, np.where(np.isnan(stated), incoming, stated), 0.0)
    delta = np.where(is_opening, 0.0, incoming - outgoing)
    balance = (pd.Series(base).groupby(segment).transform("first")
               + pd.Series(delta).groupby(segment).cumsum()).round(6).to_numpy()

    parted = ~is_opening & ~np.isnan(stated) & (np.abs(stated - balance) > EPSILON)
    negative = ~is_opening & (balance < -EPSILON)
    broken: set[str] = set()
    for mask, field_wanted, reason in (
        (negative, "balance_qty", "库存变为负数（{balance}）：出库多于结存"),
        (parted, "balance_qty", "结存应为 {balance}（上期结存+入库−出库）"),
    ):
        first_rows = moves[mask].groupby("key", sort=False).head(1)
        for i, record in zip(first_rows.index, first_rows.to_dict("records"), strict=True):
            typed = ledgers[int(record[SOURCE])]
            field = field_wanted if field_wanted in typed.ledger.columns else "out_qty"
            broken.add(record["key"])
            findings.append(cell_finding(
                typed, int(record[POSITION]), field, "stock_balance",
                reason.format(balance=quantity_text(balance[i])), key={"item": record["key"]}))

    closing = pd.Series(balance).groupby(keys).last()
    stated_last = pd.Series(stated).groupby(keys).last()  # the last balance the bursar wrote
    for key in closing.index:
        right = stated_last[key]
        rec = compare_quantity("stock_rollforward", {"item": key}, float(closing[key]),
                               float(closing[key]) if np.isnan(right) else float(right),
                               "期初+入库−出库", "账面结存")
        if key in broken:
            rec.status = "mismatch"
        compared.append(rec)
    return findings, compared


@register("stock_vs_register", "固定资产类物资入库与资产台账新增核对",
          ("stock_moves", "fixed_assets"))
def stock_vs_register(by_name: dict[str, list[TypedLedger]], ctx: Context, period: Period | None
                      ) -> tuple[list[Finding], list[Reconciliation]]:
    if period is None:
        return [], []
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    threshold = float(ctx.config.capitalization_threshold)
    moves = stack(by_name["stock_moves"], _FIELDS)
    moves = moves[moves["item"].notna()]
    in_period = moves["date"].notna() & (moves["date"] >= start) & (moves["date"] <= end)
    receipts = moves[in_period & (moves["in_qty"].fillna(0) > 0)
                     & (moves["in_price"].fillna(0) >= threshold)].copy()
    assets = stack(by_name["fixed_assets"], ["name", "original_value", "acquired_on"])
    added = assets[assets["acquired_on"].notna() & (assets["acquired_on"] >= start)
                   & (assets["acquired_on"] <= end)].copy()
    added["value_fen"] = fen(added["original_value"])
    if receipts.empty:
        return [], []
    amount = receipts["in_amount"].where(receipts["in_amount"].notna(),
                                         receipts["in_qty"] * receipts["in_price"])
    receipts["value_fen"] = fen(amount)
    tolerance = ctx.config.tolerance_fen
    findings: list[Finding] = []
    compared: list[Reconciliation] = []
    for item, rows in receipts.groupby("item", sort=True):
        name = str(item)
        matches = added["name"].fillna("").astype(str).map(lambda n, name=name: name in n or n in name)
        matches &= added["name"].notna()
        received, booked = float(rows["value_fen"].sum()), float(added.loc[matches, "value_fen"].sum())
        rec = compare_money("stock_vs_register", {"item": name}, received, booked, tolerance,
                            "本期入库金额", "资产台账本期新增原值")
        compared.append(rec)
        if rec.status != "ok":
            first = rows.sort_values(ROW).iloc[0]
            findings.append(aggregate_finding(
                by_name["stock_moves"][int(first[SOURCE])], "ledger_mismatch", {"item": name}, value=rec.left,
                message=(f"{name}：本期入库 {rec.left} 元（物资出入库登记 第{int(first[ROW])}行起），"
                         f"资产台账本期新增 {rec.right} 元，差额 {rec.difference}"),
            ))
    return findings, compared

