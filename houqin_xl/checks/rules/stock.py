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

from ...findings import Finding, Reconciliation
from ...ledgers.typed import ROW
from . import register
from .base import (
    POSITION,
    SOURCE,
    aggregate_finding,
    as_text,
    cell_finding,
    compare_money,
    compare_quantity,
    contains_column,
    fen,
    quantity_text,
    shared,
    stack,
)
from .stock_books import identity, reconcile_summaries

if TYPE_CHECKING:
    from ...ledgers.typed import TypedLedger
    from ...period import Period
    from ..validate import Context

_OPENING = re.compile(r"(?:期初|上月结存|上期结存|上年结转|承前|结转)")
_FIELDS = ["date", "item_code", "item", "spec", "summary", "in_qty", "in_price", "in_amount",
           "out_qty", "out_amount", "balance_qty", "balance_amount"]
EPSILON = 1e-6


def item_key(item: object, spec: object) -> str:
    """An item is its name and spec together: 'A4复印纸 70g'."""
    name = str(item).strip() if isinstance(item, str) else ""
    detail = str(spec).strip() if isinstance(spec, str) else ""
    return f"{name} {detail}".strip()


def _code_text(code: object) -> str:
    return code.strip() if isinstance(code, str) else ""


def _factorized(values: pd.Series | None, length: int) -> tuple[np.ndarray, np.ndarray]:
    """factorize() shifted by one, so that 0 is an empty cell and reads as None."""
    if values is None:
        return np.zeros(length, dtype=np.int64), np.array([None], dtype=object)
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    return codes.astype(np.int64) + 1, np.concatenate([[None], np.asarray(uniques, dtype=object)])


def item_codes(items: pd.Series, specs: pd.Series, codes: pd.Series | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
    """The item of every row, for whole columns, as (numbers, keys): row i's key is
    keys[numbers[i]], and the keys are sorted, so the numbers order rows as the key texts would.

    An item with a code (物品编码, the software's 科目编码 1403000_0001) is that code, whatever its
    name is written as on each sheet: two items may share a name under different codes (A4复印纸
    by the 包 and by the 箱), and one code may be named 原材料_A4复印纸 in one book and
    原材料—A4复印纸 in another. Its key reads '1403000_0001 原材料—A4复印纸' (the name first seen).
    An item without a code is its name and spec together, item_key().

    Names, specs and codes repeat down the ledger: the keys are made once per distinct
    (item, spec, code), not once per row. (A hash table takes 1, 1.0 and True for one value;
    item_key() reads all of them as '', so the value it is given stands for all of them.)"""
    length = len(items)
    item_code, item_values = _factorized(items, length)
    spec_code, spec_values = _factorized(specs, length)
    code_code, code_values = _factorized(codes, length)
    spec_width, code_width = len(spec_values), len(code_values)
    triple_code, triples = pd.factorize((item_code * spec_width + spec_code) * code_width + code_code)
    identities = np.empty(len(triples), dtype=object)
    shown: dict[str, str] = {}
    for k, triple in enumerate(np.asarray(triples).tolist()):
        rest, code = divmod(triple, code_width)
        item, spec = divmod(rest, spec_width)
        name = item_key(item_values[item], spec_values[spec])
        text = _code_text(code_values[code])
        identity = ("#" + text) if text else ("=" + name)
        shown.setdefault(identity, f"{text} {name}".strip() if text else name)
        identities[k] = identity
    identity_code, identity_values = pd.factorize(identities)
    keys = np.array([shown[v] for v in identity_values], dtype=object)
    order = np.argsort(keys, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[identity_code[triple_code]], keys[order]


def _starts(codes: np.ndarray) -> np.ndarray:
    """Where a run of equal codes begins."""
    starts = np.ones(len(codes), dtype=bool)
    starts[1:] = codes[1:] != codes[:-1]
    return starts


def _stacked_moves(ledgers: list[TypedLedger]) -> pd.DataFrame:
    """The stock ledger stacked, shared by both stock rules of a run (read-only)."""
    return shared("stock_moves", ledgers, lambda ledgers: stack(ledgers, _FIELDS))


def _movements(ledgers: list[TypedLedger]) -> pd.DataFrame:
    """The movements with an item, in item order (`_code` numbers the items in key order),
    then date order, then sheet order; only the columns the roll-forward reads."""
    stacked = _stacked_moves(ledgers)
    stacked = stacked[stacked["item"].notna() | stacked["item_code"].notna()]
    codes, keys = item_codes(stacked["item"], stacked["spec"], stacked["item_code"])
    dates = stacked["date"].to_numpy("datetime64[ns]")
    # Date order, then sheet order: the row order itself breaks every tie. Sorting the integer
    # codes is sorting the key texts (they are numbered in sorted order); NaT is the smallest
    # datetime64, so undated rows come first in their item.
    order = np.lexsort((np.arange(len(stacked)), dates.view(np.int64), codes))
    moves = pd.DataFrame({
        "date": dates[order],
        **{name: stacked[name].to_numpy()[order]
           for name in ("in_qty", "out_qty", "balance_qty", "in_amount", "out_amount",
                        "balance_amount", SOURCE, POSITION, ROW)},
        "key": keys[codes[order]],
        "_code": codes[order],
        "opening": contains_column(stacked["summary"], _OPENING)[order],
    })
    return moves


def _identities(moves: pd.DataFrame, ledgers: list[TypedLedger]) -> pd.DataFrame:
    """The movements with each item's identity and name key, for matching a summary's items."""
    stacked = _stacked_moves(ledgers)
    stacked = stacked[stacked["item"].notna() | stacked["item_code"].notna()]
    by_place = {(s, p): (c, i, sp) for s, p, c, i, sp in zip(
        stacked[SOURCE], stacked[POSITION], stacked["item_code"], stacked["item"], stacked["spec"],
        strict=True)}
    pairs = [identity(*by_place[(s, p)]) for s, p in zip(moves[SOURCE], moves[POSITION], strict=True)]
    moves = moves.copy()
    moves["identity"] = [ident for ident, _ in pairs]
    moves["name_key"] = [name for _, name in pairs]
    return moves


@register("stock_rollforward", "物资结存滚动核对", ("stock_moves",))
def stock_rollforward(by_name: dict[str, list[TypedLedger]], ctx: Context, period: Period | None
                      ) -> tuple[list[Finding], list[Reconciliation]]:
    ledgers = by_name["stock_moves"]
    moves = _movements(ledgers)
    end = pd.Timestamp(period.end) if period else None
    findings: list[Finding] = []
    compared: list[Reconciliation] = []
    if end is not None:
        is_late = (moves["date"].notna() & (moves["date"] > end)).to_numpy()
        late = moves[is_late]
        for record in late.to_dict("records"):
            findings.append(cell_finding(
                ledgers[int(record[SOURCE])], int(record[POSITION]), "date", "bad_value",
                f"日期晚于本期期末（{period.end.isoformat()}），未计入本期结存",
                key={"item": record["key"]}))
        moves = moves[~is_late]

    moves = moves.reset_index(drop=True)  # row labels are positions from here on
    if moves.empty:
        return findings, compared
    codes = moves["_code"].to_numpy()
    is_opening = moves["opening"].to_numpy(bool)
    stated = moves["balance_qty"].to_numpy(float)
    incoming = np.nan_to_num(moves["in_qty"].to_numpy(float))
    outgoing = np.nan_to_num(moves["out_qty"].to_numpy(float))
    # An opening row (期初/上月结存) states the balance brought forward and starts a new run;
    # it is not a movement. Every other row moves the running balance by in − out.
    segment = pd.Series(is_opening | _starts(codes)).cumsum()
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
        # The first such row of each item (rows of one item are together).
        rows = np.flatnonzero(mask)
        rows = rows[_starts(codes[rows])]
        for i, record in zip(rows, moves.iloc[rows].to_dict("records"), strict=True):
            typed = ledgers[int(record[SOURCE])]
            field = field_wanted if typed.ledger.has_column(field_wanted) else "out_qty"
            broken.add(record["key"])
            findings.append(cell_finding(
                typed, int(record[POSITION]), field, "stock_balance",
                reason.format(balance=quantity_text(balance[i])), key={"item": record["key"]}))

    # Grouped by the codes, in key order as groupby(keys) would be; .last() skips NaN, so
    # stated_last is the last balance the bursar wrote.
    if "stock_balances" in by_name:
        with_balance = _identities(moves.assign(running=balance), ledgers)
        found, matched = reconcile_summaries(by_name["stock_balances"], with_balance, ledgers, period,
                                             ctx.config.tolerance_fen)
        findings.extend(found)
        compared.extend(matched)

    closing = pd.Series(balance).groupby(codes).last()
    stated_last = pd.Series(stated).groupby(codes).last().to_numpy()
    names = moves["key"].to_numpy(dtype=object)[np.searchsorted(codes, closing.index.to_numpy())]
    for key, left, right in zip(names, closing.to_numpy(), stated_last, strict=True):
        rec = compare_quantity("stock_rollforward", {"item": key}, float(left),
                               float(left) if np.isnan(right) else float(right),
                               "期初+入库−出库", "账面结存")
        if key in broken:
            if rec.status == "ok":  # the ends agree, a written 结存 on the way does not: say so
                rec.right_label = "账面结存（期末相符，中途结存不符，见结存不符发现）"
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
    moves = _stacked_moves(by_name["stock_moves"])
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
    # The register's additions summed per distinct name (sums of whole fen are exact in any
    # order), so each received item is matched against the names, not against every asset.
    named = added[added["name"].notna()]
    booked_by_name = pd.Series(named["value_fen"].to_numpy(), index=named.index).groupby(
        as_text(named["name"].to_numpy(dtype=object)).to_numpy(dtype=object), sort=False).sum()
    booked_names = list(booked_by_name.index)
    booked_values = booked_by_name.to_numpy(float)
    for item, rows in receipts.groupby("item", sort=True):
        name = str(item)
        matches = np.array([name in n or n in name for n in booked_names], dtype=bool)
        received, booked = float(rows["value_fen"].sum()), float(booked_values[matches].sum())
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

