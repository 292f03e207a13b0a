"""账实相符: the register against the count (盘点表, an app's 盘点结果).

- assets_vs_count: per asset, on the register but not found (盘亏: not on the count sheet, or
  there with 盘点状态 未盘 / 盘亏 / 未找到, or counted 0) → count_missing on the register row;
  found but not on the register (盘盈, often under a temporary number, or with no number yet)
  → count_extra on the count row; found with another quantity or in another place (or 盘点状态
  位置异常) → count_diff on the register row. Disposed assets are not expected in the count.
  Where the count sheet carries the book's own columns (账面数量, 账面存放地点), they must be
  the register's: otherwise the count was taken against other books (a warning on that cell).
- count_book_vs_found: with no register in the run, a count sheet that carries 账面 columns is
  checked on its own — 账面 against 实盘 per row, reported on the count row.

A 未盘 row of an app is not a found asset: its 实盘数量 counts as 0 whatever the app wrote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...findings import Finding, Reconciliation
from ...ledgers.statuses import (
    FOUND,
    MOVED,
    NOT_FOUND,
    SHORT,
    SURPLUS,
    count_state,
    disposed_mask,
    is_disposed,
)
from ...ledgers.typed import ROW
from . import register
from .base import (
    POSITION,
    SOURCE,
    cell_finding,
    compare_quantity,
    fold,
    fold_column,
    per_distinct,
    quantity_text,
    stack,
)

if TYPE_CHECKING:
    from ...ledgers.typed import TypedLedger
    from ...period import Period
    from ..validate import Context

GRAND_TOTAL = "合计"
_COUNT_FIELDS = ["asset_id", "name", "counted_quantity", "location", "count_status",
                 "book_quantity", "book_location"]


def _places(values: pd.Series) -> pd.Series:
    """Locations compared folded; an empty location is grouped as （未填）."""
    text = fold_column(values)
    return text.where(text != "", "（未填）")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _num(value: object) -> float:
    return 0.0 if _blank(value) else float(value)


def _states(statuses: pd.Series) -> np.ndarray:
    return per_distinct(statuses, lambda cells: [count_state(v) for v in cells], count_state(None))


def _status_text(value: object) -> str:
    return f"（盘点状态 {value}）" if isinstance(value, str) and value.strip() else ""


def _field_or_id(typed: TypedLedger, name: str) -> str:
    return name if typed.ledger.has_column(name) else "asset_id"


def _asset_row(asset_id: str, book: object, counted: object, what: str) -> Reconciliation:
    rec = compare_quantity("assets_vs_count", {"asset_id": asset_id}, _num(book), _num(counted),
                           "账面数量", "实盘数量")
    rec.status = "mismatch"
    rec.right_label = f"实盘数量（{what}）"
    return rec


def _place_row(rule: str, asset_id: str, book: object, counted: object) -> Reconciliation:
    return Reconciliation(
        rule=rule, key={"asset_id": asset_id}, left=str(book),
        right="（未填）" if _blank(counted) else str(counted), difference="地点不同",
        status="mismatch", left_label="账面存放地点", right_label="实际存放地点",
    )


def _found_frame(counts: list[TypedLedger]) -> pd.DataFrame:
    """The count rows with each row's state and the quantity actually found: 0 when 未盘
    (whatever the app copied into 实盘数量), or when 盘亏 with no quantity or with all of its
    账面数量 (a copy, not a count). A 盘亏 with a part found is a quantity to compare; `short`
    keeps what the status said, for the register's quantity to judge the same way."""
    found = stack(counts, _COUNT_FIELDS)
    state = _states(found["count_status"])
    counted = found["counted_quantity"].to_numpy(float).copy()
    book = found["book_quantity"].to_numpy(float)
    short = state == SHORT
    copied = short & (counted > 0) & ~np.isnan(book) & (counted >= book)
    nothing = (state == NOT_FOUND) | (short & ~(counted > 0)) | copied
    state[nothing] = NOT_FOUND
    state[short & ~nothing] = FOUND
    counted[nothing] = 0.0
    found["state"] = state
    found["counted_quantity"] = counted
    found["short"] = short & ~nothing
    return found


def _unnumbered(counts: list[TypedLedger], found: pd.DataFrame) -> list[Finding]:
    """盘盈 rows without an asset number: found, not on the books, and not to be matched with
    the register. (Any other row without a number is `missing` already.)"""
    out = []
    unnumbered = found["asset_id"].isna().to_numpy() & (found["state"].to_numpy() == SURPLUS)
    for d in found[unnumbered].to_dict("records"):
        typed = counts[int(d[SOURCE])]
        out.append(cell_finding(
            typed, int(d[POSITION]), _field_or_id(typed, "name"), "count_extra",
            f"盘点发现、账上没有（盘盈）{_status_text(d['count_status'])}，尚无资产编号"))
    return out


def _unstated(counts: list[TypedLedger], found: pd.DataFrame) -> list[Finding]:
    """Count rows that say nothing about the asset: no 实盘数量 and no 盘点状态. (A row with a
    status needs no quantity: 相符 is found as booked, 未盘 is not found.)"""
    blank = (found["counted_quantity"].isna().to_numpy() & found["asset_id"].notna().to_numpy()
             & fold_column(found["count_status"]).eq("").to_numpy())
    out = []
    for d in found[blank].to_dict("records"):
        typed = counts[int(d[SOURCE])]
        if not typed.ledger.has_column("counted_quantity"):
            continue  # a status-only export without the column: the status is blank, said below
        if (int(d[ROW]), "counted_quantity") in typed.bad_cells:
            continue  # there but unreadable: reported as bad_type already
        out.append(cell_finding(typed, int(d[POSITION]), "counted_quantity", "missing",
                                "实盘数量未填，也没有盘点结果", key={"asset_id": d["asset_id"]}))
    return out


def _repeated(counts: list[TypedLedger], found: pd.DataFrame,
              on_register: pd.Series | None) -> list[Finding]:
    """An asset number listed again on the count sheet: a duplicate on the later row — unless
    the register lists it as often (an app exports one row per card, so two cards under one
    number, already reported on the register, come back twice)."""
    numbered = found[found["asset_id"].notna()]
    occurrence = numbered.groupby("asset_id", sort=False).cumcount().to_numpy()
    allowed = np.ones(len(numbered))
    if on_register is not None:
        allowed = np.maximum(1, numbered["asset_id"].map(on_register).fillna(0).to_numpy(float))
    repeated = occurrence >= allowed
    if not repeated.any():
        return []
    firsts = numbered[occurrence == 0].set_index("asset_id")
    out = []
    for d in numbered[repeated].to_dict("records"):
        typed = counts[int(d[SOURCE])]
        first = firsts.loc[d["asset_id"]]
        sheet = counts[int(first[SOURCE])].ledger.sheet
        row = int(first[ROW])
        where = f"第{row}行" if sheet == typed.ledger.sheet else f"{sheet} 第{row}行"
        out.append(cell_finding(typed, int(d[POSITION]), "asset_id", "duplicate", f"与{where}重复"))
    return out


@register("assets_vs_count", "资产台账与盘点表核对（账实相符）", ("fixed_assets", "asset_count"))
def assets_vs_count(by_name: dict[str, list[TypedLedger]], ctx: Context, period: Period | None
                    ) -> tuple[list[Finding], list[Reconciliation]]:
    registers, counts = by_name["fixed_assets"], by_name["asset_count"]
    assets = stack(registers, ["asset_id", "quantity", "location", "status"])
    assets = assets[assets["asset_id"].notna()]
    found_all = _found_frame(counts)
    findings = [*_unstated(counts, found_all), *_unnumbered(counts, found_all),
                *_repeated(counts, found_all, assets["asset_id"].value_counts())]
    found = found_all[found_all["asset_id"].notna()]
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
    # 盘亏 with all the register's quantity in 实盘数量: the app copied it; nothing was found.
    copied = (merged["short"].fillna(False).to_numpy(bool)
              & (merged["counted_quantity"].to_numpy(float) >= merged["quantity"].to_numpy(float)))
    if copied.any():
        merged.loc[copied, "state"] = NOT_FOUND
        merged.loc[copied, "counted_quantity"] = 0.0
    disposed = disposed_mask(merged["status"])
    state = merged["state"].to_numpy(dtype=object)
    compared: list[Reconciliation] = []
    on_books = merged["_merge"].isin(["left_only", "both"]).to_numpy() & ~disposed
    in_count = merged["_merge"].isin(["right_only", "both"]).to_numpy() & (state != NOT_FOUND)
    # Each location column is folded once (per distinct text), then cut by the masks below.
    book_places, counted_places = _places(merged["location"]), _places(merged["location_count"])
    # An asset counted without a 实际存放地点 was found where the books have it (as the check
    # per asset takes it): its place in the per-location totals is the book's, not （未填）.
    unplaced = ((counted_places == "（未填）") & (merged["_merge"] == "both")).to_numpy()
    counted_places = counted_places.where(~unplaced, book_places)
    expected_at = merged.loc[on_books, "quantity"].fillna(0).groupby(
        book_places[on_books]).sum().to_dict()
    counted_at = merged.loc[in_count, "counted_quantity"].fillna(0).groupby(
        counted_places[in_count]).sum().to_dict()

    left_only = (merged["_merge"] == "left_only").to_numpy()
    for d in merged[left_only & ~disposed].to_dict("records"):
        findings.append(cell_finding(
            registers[int(d[SOURCE])], int(d[POSITION]), "asset_id", "count_missing",
            "账上有、盘点未找到（盘亏）", key={"asset_id": d["asset_id"]}))
        compared.append(_asset_row(d["asset_id"], d["quantity"], 0, "盘亏"))

    for d in merged[merged["_merge"] == "right_only"].to_dict("records"):
        typed = counts[int(d[SOURCE + "_count"])]
        if d["state"] == NOT_FOUND:
            # On the app's book, not on this register, and not found either: the count was
            # taken against other books.
            findings.append(cell_finding(
                typed, int(d[POSITION + "_count"]), "asset_id", "count_extra",
                f"盘点表列出、台账上没有，且盘点未找到{_status_text(d['count_status'])}："
                "盘点依据的账面与台账不一致", severity="warning", key={"asset_id": d["asset_id"]}))
            continue
        findings.append(cell_finding(
            typed, int(d[POSITION + "_count"]), "asset_id", "count_extra",
            f"盘点发现、账上没有（盘盈）{_status_text(d['count_status'])}",
            key={"asset_id": d["asset_id"]}))
        compared.append(_asset_row(d["asset_id"], 0, d["counted_quantity"], "盘盈"))

    both_mask = (merged["_merge"] == "both").to_numpy()
    both = merged[both_mask]
    book_n = both["quantity"].fillna(0).to_numpy(float)
    counted_n = both["counted_quantity"].to_numpy(float)
    book_place, counted_place = book_places[both_mask], counted_places[both_mask]
    both_state = state[both_mask]
    # Only the assets that differ are looked at one by one.
    differs = (
        disposed[both_mask] | (both_state != FOUND)
        | (~np.isnan(counted_n) & (np.abs(book_n - np.nan_to_num(counted_n)) > 1e-9))
        | ((book_place != "（未填）") & (counted_place != "（未填）") & (book_place != counted_place)).to_numpy()
    )
    for d in both[differs].to_dict("records"):
        found_one = _compare_one(registers[int(d[SOURCE])], int(d[POSITION]), d)
        findings.extend(found_one[0])
        compared.extend(found_one[1])
    findings.extend(_book_columns(registers, counts, both))

    for place in sorted(set(expected_at) | set(counted_at)):
        compared.append(compare_quantity("assets_vs_count", {"location": place},
                                         expected_at.get(place, 0), counted_at.get(place, 0),
                                         "账面数量", "实盘数量"))
    compared.append(compare_quantity("assets_vs_count", {"location": GRAND_TOTAL},
                                     sum(expected_at.values()), sum(counted_at.values()),
                                     "账面数量", "实盘数量"))
    return findings, compared


def _compare_one(typed: TypedLedger, position: int, d: dict[str, Any]
                 ) -> tuple[list[Finding], list[Reconciliation]]:
    """An asset both on the register and on the count sheet whose count says something."""
    asset_id = d["asset_id"]
    key = {"asset_id": asset_id}
    state, status = d["state"], _status_text(d["count_status"])
    book_n, counted_n = _num(d["quantity"]), d["counted_quantity"]
    if is_disposed(d["status"]):
        if state == NOT_FOUND or (not _blank(counted_n) and counted_n == 0):
            return [], []  # disposed and not found: as it should be
        return ([cell_finding(typed, position, _field_or_id(typed, "status"), "count_diff",
                              "已报废资产仍在盘点中出现", key=key)],
                [_asset_row(asset_id, 0, counted_n, "已报废仍在")])
    if (state == NOT_FOUND and not (counted_n > 0)) or (
            not _blank(counted_n) and counted_n == 0 and book_n > 0):
        return ([cell_finding(typed, position, "asset_id", "count_missing",
                              f"账上有、盘点未找到（盘亏）{status}", key=key)],
                [_asset_row(asset_id, book_n, 0, "盘亏")])
    findings: list[Finding] = []
    compared: list[Reconciliation] = []
    if not _blank(counted_n) and abs(book_n - counted_n) > 1e-9:
        findings.append(cell_finding(
            typed, position, _field_or_id(typed, "quantity"), "count_diff",
            f"实盘数量 {quantity_text(counted_n)} 与账面不符{status}", key=key))
        compared.append(_asset_row(asset_id, book_n, counted_n, "数量不符"))
    book_place, counted_place = fold(d["location"]), fold(d["location_count"])
    moved = book_place and counted_place and book_place != counted_place
    if moved or state == MOVED:
        where = (f"实际存放于“{d['location_count']}”" if counted_place
                 else "实际存放地点未填")
        findings.append(cell_finding(
            typed, position, _field_or_id(typed, "location"), "count_diff",
            f"{where}，与账面不符{status}", key=key))
        compared.append(_place_row("assets_vs_count_location", asset_id, d["location"],
                                   d["location_count"]))
    return findings, compared


def _book_columns(registers: list[TypedLedger], counts: list[TypedLedger], both: pd.DataFrame
                  ) -> list[Finding]:
    """The count sheet's own 账面 columns against the register: a count taken against other
    books (an old print of the register) is said once per differing cell, as a warning."""
    out: list[Finding] = []
    book_n = both["book_quantity"].to_numpy(float)
    quantity = both["quantity"].to_numpy(float)
    quantity_differs = ~np.isnan(book_n) & ~np.isnan(quantity) & (np.abs(book_n - quantity) > 1e-9)
    book_place, place = _places(both["book_location"]), _places(both["location"])
    place_differs = ((book_place != "（未填）") & (place != "（未填）") & (book_place != place)).to_numpy()
    for d, q_differs, p_differs in zip(both[quantity_differs | place_differs].to_dict("records"),
                                       quantity_differs[quantity_differs | place_differs],
                                       place_differs[quantity_differs | place_differs], strict=True):
        typed = counts[int(d[SOURCE + "_count"])]
        register_row = int(registers[int(d[SOURCE])].frame[ROW].iat[int(d[POSITION])])
        position = int(d[POSITION + "_count"])
        if q_differs:
            out.append(cell_finding(
                typed, position, "book_quantity", "bad_value",
                f"盘点表的账面数量与台账第{register_row}行的数量 {quantity_text(d['quantity'])} 不一致："
                "盘点依据的账面不是这本台账", severity="warning", key={"asset_id": d["asset_id"]}))
        if p_differs:
            out.append(cell_finding(
                typed, position, "book_location", "bad_value",
                f"盘点表的账面存放地点与台账第{register_row}行的“{d['location']}”不一致："
                "盘点依据的账面不是这本台账", severity="warning", key={"asset_id": d["asset_id"]}))
    return out


@register("count_book_vs_found", "盘点表账面与实盘核对（无资产台账时）", ("asset_count",))
def count_book_vs_found(by_name: dict[str, list[TypedLedger]], ctx: Context,
                        period: Period | None) -> tuple[list[Finding], list[Reconciliation]]:
    """Without a register, a count sheet's own 账面 columns are the books: each row's 账面
    against its 实盘, reported on the count row. With a register, assets_vs_count does this
    against the register itself, and this rule has nothing to add."""
    if by_name.get("fixed_assets"):
        return [], []
    counts = by_name["asset_count"]
    found = _found_frame(counts)
    findings: list[Finding] = [*_unstated(counts, found), *_unnumbered(counts, found),
                               *_repeated(counts, found, None)]
    if not any(t.ledger.has_column("book_quantity") or t.ledger.has_column("book_location")
               or t.ledger.has_column("count_status") for t in counts):
        return findings, []  # nothing on the sheet says what the books hold
    compared: list[Reconciliation] = []
    found = found[found["asset_id"].notna()]
    book_n = found["book_quantity"].to_numpy(float)
    counted_n = found["counted_quantity"].to_numpy(float)
    book_place, counted_place = _places(found["book_location"]), _places(found["location"])
    state = found["state"].to_numpy(dtype=object)
    differs = ((state != FOUND) | (~np.isnan(book_n) & ~np.isnan(counted_n)
                                    & (np.abs(book_n - counted_n) > 1e-9))
               | ((book_place != "（未填）") & (counted_place != "（未填）")
                  & (book_place != counted_place)).to_numpy())
    for d in found[differs].to_dict("records"):
        typed = counts[int(d[SOURCE])]
        position = int(d[POSITION])
        key = {"asset_id": d["asset_id"]}
        status = _status_text(d["count_status"])
        book, counted = d["book_quantity"], d["counted_quantity"]
        no_book = _blank(book) or book == 0
        if d["state"] == SURPLUS or (no_book and not _blank(counted) and counted > 0):
            findings.append(cell_finding(typed, position, "asset_id", "count_extra",
                                         f"盘点发现、账上没有（盘盈）{status}", key=key))
            compared.append(_asset_row(d["asset_id"], 0, counted, "盘盈"))
            continue
        if (d["state"] == NOT_FOUND and not (counted > 0)) or (
                not _blank(counted) and counted == 0 and not no_book):
            findings.append(cell_finding(typed, position, "asset_id", "count_missing",
                                         f"账上有、盘点未找到（盘亏）{status}", key=key))
            compared.append(_asset_row(d["asset_id"], book, 0, "盘亏"))
            continue
        if not _blank(book) and not _blank(counted) and abs(book - counted) > 1e-9:
            findings.append(cell_finding(
                typed, position, _field_or_id(typed, "counted_quantity"), "count_diff",
                f"实盘数量 {quantity_text(counted)} 与账面数量 {quantity_text(book)} 不符{status}",
                key=key))
            compared.append(_asset_row(d["asset_id"], book, counted, "数量不符"))
        book_at, found_at = fold(d["book_location"]), fold(d["location"])
        if (book_at and found_at and book_at != found_at) or d["state"] == MOVED:
            findings.append(cell_finding(
                typed, position, _field_or_id(typed, "location"), "count_diff",
                f"实际存放地点与账面存放地点“{d['book_location']}”不符{status}", key=key))
            compared.append(_place_row("count_book_vs_found", d["asset_id"], d["book_location"],
                                       d["location"]))
    for rec in compared:
        rec.rule = "count_book_vs_found"
    compared.append(compare_quantity(
        "count_book_vs_found", {"location": GRAND_TOTAL},
        float(np.nansum(book_n)), float(np.nansum(np.where(state == NOT_FOUND, 0, counted_n))),
        "账面数量", "实盘数量"))
    return findings, compared
