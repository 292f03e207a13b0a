"""账账相符 for fixed assets (账实相符, the register against the count, is count.py).

- assets_vs_gl: per category, Σ 原值 of assets not disposed (已报废, 报废, 处置: see
  ledgers/statuses.py) on the register equals the general ledger's balance, and the quantities
  agree where the ledger gives them; plus the grand total. The bursar's own 合计 includes
  disposed assets and is checked elsewhere (totals.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ...findings import Finding, Reconciliation
from ...ledgers.statuses import disposed_mask
from . import register
from .base import (
    aggregate_finding,
    compare_money,
    compare_quantity,
    fen,
    stack,
)

if TYPE_CHECKING:
    from ...ledgers.typed import TypedLedger
    from ...period import Period
    from ..validate import Context

GRAND_TOTAL = "合计"


def _in_use(frame: pd.DataFrame) -> pd.Series:
    if "status" not in frame.columns:
        return pd.Series(True, index=frame.index)
    return pd.Series(~disposed_mask(frame["status"]), index=frame.index)


@register("assets_vs_gl", "资产台账与总账核对（账账相符）", ("fixed_assets", "gl_balances"))
def assets_vs_gl(by_name: dict[str, list[TypedLedger]], ctx: Context, period: Period | None
                 ) -> tuple[list[Finding], list[Reconciliation]]:
    registers, ledgers = by_name["fixed_assets"], by_name["gl_balances"]
    assets = stack(registers, ["category", "quantity", "original_value", "status"])
    assets = assets[_in_use(assets) & assets["category"].notna()]
    gl = stack(ledgers, ["category", "quantity", "balance"])
    gl = gl[gl["category"].notna()]

    asset_value = pd.Series(fen(assets["original_value"]), index=assets.index).groupby(
        assets["category"]).sum()
    asset_count = assets["quantity"].fillna(0).groupby(assets["category"]).sum()
    gl_value = pd.Series(fen(gl["balance"]), index=gl.index).groupby(gl["category"]).sum()
    gl_has_quantity = gl["quantity"].notna()
    gl_count = gl.loc[gl_has_quantity, "quantity"].groupby(gl.loc[gl_has_quantity, "category"]).sum()

    order = [c for c in ctx.categories.names if c in asset_value.index or c in gl_value.index]
    order += sorted((set(asset_value.index) | set(gl_value.index)) - set(order))
    tolerance = ctx.config.tolerance_fen
    findings: list[Finding] = []
    compared: list[Reconciliation] = []
    register_ledger = registers[0]

    def compare(category: str, left: float, right: float, left_n: float | None,
                right_n: float | None) -> None:
        key = {"category": category}
        money = compare_money("assets_vs_gl", key, left, right, tolerance, "资产台账原值", "总账余额")
        compared.append(money)
        if money.status != "ok":
            findings.append(aggregate_finding(
                register_ledger, "ledger_mismatch", key, value=money.left,
                message=(f"{category}：资产台账原值 {money.left} 与总账余额 {money.right} 不符，"
                         f"差额 {money.difference}"),
            ))
        if left_n is not None and right_n is not None:
            count = compare_quantity("assets_vs_gl_quantity", key, left_n, right_n,
                                     "资产台账数量", "总账数量")
            compared.append(count)
            if count.status != "ok":
                findings.append(aggregate_finding(
                    register_ledger, "ledger_mismatch", key, value=count.left,
                    message=(f"{category}：资产台账数量 {count.left} 与总账数量 {count.right} 不符，"
                             f"差 {count.difference}"),
                ))

    for category in order:
        right_n = float(gl_count[category]) if category in gl_count.index else None
        compare(category, float(asset_value.get(category, 0)), float(gl_value.get(category, 0)),
                float(asset_count.get(category, 0)), right_n)
    total_n = float(gl_count.sum()) if len(gl_count) and gl_has_quantity.all() else None
    compare(GRAND_TOTAL, float(asset_value.sum()), float(gl_value.sum()),
            float(asset_count.sum()), total_n)
    return findings, compared
