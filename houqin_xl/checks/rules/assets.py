"""账账相符 for fixed assets (账实相符, the register against the count, is count.py).

- assets_vs_gl: per category, Σ 原值 of assets not disposed (已报废, 报废, 处置: see
  ledgers/statuses.py) on the register equals the general ledger's balance, and the quantities
  agree where the ledger gives them; plus the grand total. From a 科目余额表 the categories are
  the children of 1601 固定资产 and the grand total is 1601 itself; 1602 累计折旧 and the other
  accounts are not compared here. The bursar's own 合计 includes disposed assets and is checked
  elsewhere (totals.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ...findings import Finding, Reconciliation
from ...ledgers.statuses import disposed_mask
from . import Skipped, register
from .base import (
    SOURCE,
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
UNCLASSED = "（未分类）"  # register rows whose class is blank: in the grand total all the same
# The `family` of a 科目余额表's accounts (ledgers/layouts/accounts.py).
ASSETS_FAMILY, DEPRECIATION_FAMILY = "1601", "1602"


def _in_use(frame: pd.DataFrame) -> pd.Series:
    if "status" not in frame.columns:
        return pd.Series(True, index=frame.index)
    return pd.Series(~disposed_mask(frame["status"]), index=frame.index)


def _gl_sides(ledgers: list[TypedLedger]) -> tuple[pd.DataFrame, list[tuple[float, float | None]]]:
    """The general ledger's category balances, and per ledger its grand total (fen, quantity).

    A 资产分类汇总 gives one row per category and its total is their sum. A 科目余额表 gives
    every account: the category balances are the children of 1601 固定资产 (those with a class),
    the grand total is 1601 itself where the sheet shows it; 1602 累计折旧 and every other
    account stay out."""
    gl = stack(ledgers, ["category", "quantity", "balance", "family", "level"])
    depreciation = gl["family"] == DEPRECIATION_FAMILY
    classes = gl[gl["category"].notna() & ~depreciation]
    parents = gl[(gl["family"] == ASSETS_FAMILY) & (gl["level"] == 1)]
    totals: list[tuple[float, float | None]] = []
    for source in sorted(set(classes[SOURCE]) | set(parents[SOURCE])):
        own = parents[parents[SOURCE] == source]
        part = own if len(own) else classes[classes[SOURCE] == source]
        quantities = part["quantity"]
        totals.append((float(fen(part["balance"]).sum()),
                       float(quantities.sum()) if len(part) and quantities.notna().all() else None))
    return classes, totals


@register("assets_vs_gl", "资产台账与总账核对（账账相符）", ("fixed_assets", "gl_balances"))
def assets_vs_gl(by_name: dict[str, list[TypedLedger]], ctx: Context, period: Period | None
                 ) -> tuple[list[Finding], list[Reconciliation]]:
    registers, ledgers = by_name["fixed_assets"], by_name["gl_balances"]
    everything = stack(registers, ["category", "quantity", "original_value", "status"])
    everything = everything[_in_use(everything)]
    # Assets whose class is blank, or written so that it maps to no class (9990100, 电子设备),
    # still count in the grand total (never a 合计 of 0.00 beside a register of 210.00), under
    # （未分类） — not as a class of their own, which the general ledger cannot have: their cells
    # are reported already (missing, or bad_value saying how to map them).
    classed = everything["category"].isin(ctx.categories.names)
    assets = everything[classed]
    gl, gl_totals = _gl_sides(ledgers)
    if not gl_totals:
        raise Skipped("总账中没有固定资产（1601）科目，也没有资产分类余额 / "
                      "the general ledger gives no fixed-asset balance")
    by_class = len(gl) > 0 and any(t.ledger.has_column("category") for t in registers)

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

    if by_class:
        for category in order:
            right_n = float(gl_count[category]) if category in gl_count.index else None
            compare(category, float(asset_value.get(category, 0)), float(gl_value.get(category, 0)),
                    float(asset_count.get(category, 0)), right_n)
        unclassed = everything[~classed]
        if len(unclassed):
            compared.append(compare_money(
                "assets_vs_gl", {"category": UNCLASSED}, float(fen(unclassed["original_value"]).sum()),
                0.0, tolerance, "资产台账原值", "总账余额"))
    total_n = (sum(n for _, n in gl_totals)  # type: ignore[misc]
               if all(n is not None for _, n in gl_totals) else None)
    compare(GRAND_TOTAL, float(fen(everything["original_value"]).sum()), sum(v for v, _ in gl_totals),
            float(everything["quantity"].fillna(0).sum()), total_n)
    if not by_class:
        raise Skipped(
            "总账只有固定资产（1601）总额，没有分类明细，只核对了合计 / the general ledger gives "
            "1601 without its classes: the grand total only" if not len(gl) else
            "固定资产台账没有资产分类列，只核对了合计 / the register has no category column: the "
            "grand total only", findings, compared)
    return findings, compared
