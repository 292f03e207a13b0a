"""账账相符 and 账实相符 for fixed assets.

- assets_vs_gl: per category, Σ 原值 of assets not disposed (已报废) on the register equals the
  general ledger's balance, and the quantities agree where the ledger gives them; plus the grand
  total. From a 科目余额表 the categories are the children of 1601 固定资产 and the grand total is
  1601 itself; 1602 累计折旧 and the other accounts are not compared here. The bursar's own 合计 includes disposed assets and is checked elsewhere (totals.py).
- assets_vs_count: per asset, on the register but not counted (盘亏), counted but not on the
  register (盘盈), counted with another quantity or in another place. Disposed assets are not
  expected in the count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...findings import Finding, Reconciliation
from . import Skipped, register
from .base import (
    POSITION,
    SOURCE,
    aggregate_finding,
    cell_finding,
    compare_money,
    compare_quantity,
    fen,
    fold,
    fold_column,
    quantity_text,
    stack,
)

if TYPE_CHECKING:
    from ...ledgers.typed import TypedLedger
    from ...period import Period
    from ..validate import Context

DISPOSED = "已报废"
GRAND_TOTAL = "合计"
UNCLASSED = "（未分类）"  # register rows whose class is blank: in the grand total all the same
# The `family` of a 科目余额表's accounts (ledgers/layouts/accounts.py).
ASSETS_FAMILY, DEPRECIATION_FAMILY = "1601", "1602"


def _in_use(frame: pd.DataFrame) -> pd.Series:
    if "status" not in frame.columns:
        return pd.Series(True, index=frame.index)
    return frame["status"].fillna("") != DISPOSED


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
    # Assets whose class is blank still count in the grand total (never a 合计 of 0.00 beside
    # a register of 210.00); their cells are reported as missing by the validation.
    assets = everything[everything["category"].notna()]
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
        unclassed = everything[everything["category"].isna()]
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


def _places(values: pd.Series) -> pd.Series:
    """Locations compared folded; an empty location is grouped as （未填）."""
    text = fold_column(values)
    return text.where(text != "", "（未填）")


@register("assets_vs_count", "资产台账与盘点表核对（账实相符）", ("fixed_assets", "asset_count"))
def assets_vs_count(by_name: dict[str, list[TypedLedger]], ctx: Context, period: Period | None
                    ) -> tuple[list[Finding], list[Reconciliation]]:
    registers, counts = by_name["fixed_assets"], by_name["asset_count"]
    assets = stack(registers, ["asset_id", "quantity", "location", "status"])
    assets = assets[assets["asset_id"].notna()]
    found = stack(counts, ["asset_id", "counted_quantity", "location"])
    found = found[found["asset_id"].notna()]
    # The ids are hashed once, into integer codes numbered in the sorted order of the ids;
    # de-duplicating and joining on the codes is what doing so on the texts does (an outer
    # merge sorts its keys, so the rows come out in the same order), minus the hashing.
    codes, ids = pd.factorize(np.concatenate([assets["asset_id"].to_numpy(dtype=object),
                                              found["asset_id"].to_numpy(dtype=object)]), sort=True)
    split = len(assets)
    assets = assets.assign(asset_id=codes[:split]).drop_duplicates("asset_id", keep="first")
    found = found.assign(asset_id=codes[split:]).drop_duplicates("asset_id", keep="first")

    merged = assets.merge(found, on="asset_id", how="outer", suffixes=("", "_count"), indicator=True)
    merged["asset_id"] = np.asarray(ids, dtype=object)[merged["asset_id"].to_numpy()]
    disposed = merged["status"].fillna("") == DISPOSED
    findings: list[Finding] = []
    compared: list[Reconciliation] = []
    on_books = merged["_merge"].isin(["left_only", "both"]) & ~disposed
    in_count = merged["_merge"].isin(["right_only", "both"])
    # Each location column is folded once (per distinct text), then cut by the masks below.
    book_places, counted_places = _places(merged["location"]), _places(merged["location_count"])
    expected_at = merged.loc[on_books, "quantity"].fillna(0).groupby(
        book_places[on_books]).sum().to_dict()
    counted_at = merged.loc[in_count, "counted_quantity"].fillna(0).groupby(
        counted_places[in_count]).sum().to_dict()

    for d in merged[(merged["_merge"] == "left_only") & ~disposed].to_dict("records"):
        findings.append(cell_finding(
            registers[int(d[SOURCE])], int(d[POSITION]), "asset_id", "count_missing",
            "账上有、盘点未找到（盘亏）", key={"asset_id": d["asset_id"]}))
        compared.append(_asset_row(d["asset_id"], d["quantity"], 0, "盘亏"))

    for d in merged[merged["_merge"] == "right_only"].to_dict("records"):
        findings.append(cell_finding(
            counts[int(d[SOURCE + "_count"])], int(d[POSITION + "_count"]), "asset_id",
            "count_extra", "盘点发现、账上没有（盘盈）", key={"asset_id": d["asset_id"]}))
        compared.append(_asset_row(d["asset_id"], 0, d["counted_quantity"], "盘盈"))

    is_both = merged["_merge"] == "both"
    both = merged[is_both]
    book_n = both["quantity"].fillna(0).to_numpy(float)
    counted_n = both["counted_quantity"].to_numpy(float)
    book_place, counted_place = book_places[is_both], counted_places[is_both]
    # Only the assets that differ are looked at one by one.
    differs = (
        (both["status"].fillna("") == DISPOSED).to_numpy()
        | (~np.isnan(counted_n) & (np.abs(book_n - np.nan_to_num(counted_n)) > 1e-9))
        | ((book_place != "（未填）") & (counted_place != "（未填）") & (book_place != counted_place)).to_numpy()
    )
    for d in both[differs].to_dict("records"):
        typed = registers[int(d[SOURCE])]
        position = int(d[POSITION])
        asset_id = d["asset_id"]
        key = {"asset_id": asset_id}
        if d["status"] == DISPOSED:
            findings.append(cell_finding(
                typed, position, "status" if typed.ledger.has_column("status") else "asset_id",
                "count_diff", "已报废资产仍在盘点中出现", key=key))
            compared.append(_asset_row(asset_id, 0, d["counted_quantity"], "已报废仍在"))
            continue
        book_n, counted_n = _num(d["quantity"]), d["counted_quantity"]
        if not _blank(counted_n) and abs(book_n - counted_n) > 1e-9:
            findings.append(cell_finding(
                typed, position, "quantity" if typed.ledger.has_column("quantity") else "asset_id",
                "count_diff", f"实盘数量 {quantity_text(counted_n)} 与账面不符", key=key))
            compared.append(_asset_row(asset_id, book_n, counted_n, "数量不符"))
        book_place, counted_place = fold(d["location"]), fold(d["location_count"])
        if book_place and counted_place and book_place != counted_place:
            findings.append(cell_finding(
                typed, position, "location" if typed.ledger.has_column("location") else "asset_id",
                "count_diff", f"实际存放于“{d['location_count']}”，与账面不符", key=key))
            compared.append(_place_row(asset_id, d["location"], d["location_count"]))

    for place in sorted(set(expected_at) | set(counted_at)):
        compared.append(compare_quantity("assets_vs_count", {"location": place},
                                         expected_at.get(place, 0), counted_at.get(place, 0),
                                         "账面数量", "实盘数量"))
    compared.append(compare_quantity("assets_vs_count", {"location": GRAND_TOTAL},
                                     sum(expected_at.values()), sum(counted_at.values()),
                                     "账面数量", "实盘数量"))
    return findings, compared


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _num(value: object) -> float:
    return 0.0 if _blank(value) else float(value)


def _asset_row(asset_id: str, book: object, counted: object, what: str) -> Reconciliation:
    rec = compare_quantity("assets_vs_count", {"asset_id": asset_id}, _num(book), _num(counted),
                           "账面数量", "实盘数量")
    rec.status = "mismatch"
    rec.right_label = f"实盘数量（{what}）"
    return rec


def _place_row(asset_id: str, book: object, counted: object) -> Reconciliation:
    return Reconciliation(
        rule="assets_vs_count_location", key={"asset_id": asset_id}, left=str(book),
        right=str(counted), difference="地点不同", status="mismatch",
        left_label="账面存放地点", right_label="实际存放地点",
    )

