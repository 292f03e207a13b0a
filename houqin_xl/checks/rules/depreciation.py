"""折旧 (LEDGERS.md "Depreciation"): what an auditor recomputes, and 账账相符 for depreciation.

- depreciation: every asset on the books has its 累计折旧 recomputed (`depreciation_schedule`):
  原值 × min(months, life) ÷ life, months from the acquisition month through the period's, the
  register's own life or the class default, nothing for the classes never depreciated. A
  figure off by more than max(1 yuan, 0.01 yuan per month charged) is a `depreciation` finding
  on the 累计折旧 cell, saying the expected figure and how it was computed (an asset never
  depreciated must show 0.00 within the usual 0.01). A life on the
  register shorter than the minimum of 财会〔2017〕4号 is a warning on the 使用年限 cell. Assets
  that cannot be recomputed (no acquisition date, no life and no class default) are named in
  the register's notes (`context`), never passed over silently; disposed assets are off the
  books and not recomputed.
- depreciation_vs_gl: per class, Σ 累计折旧 of the register's assets on the books equals the
  general ledger's 1602 固定资产累计折旧 child of that class (a 贷方 balance), and in total
  1602 itself: `ledger_mismatch` keyed by the class, its message saying it is depreciation.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...findings import Finding, Reconciliation
from ...ledgers.money import fen_text
from ...ledgers.statuses import disposed_mask
from ...ledgers.typed import ROW
from ..depreciation_lives import NEVER, SCHOOL_GROUP, SOURCE_NOTE, years_text
from . import Skipped, register
from .base import POSITION, SOURCE, aggregate_finding, cell_finding, compare_money, fen, stack
from .depreciation_schedule import DISPOSED, LATER, Schedule, depreciation_schedule

if TYPE_CHECKING:
    from ...ledgers.typed import TypedLedger
    from ...period import Period
    from ..validate import Context

GRAND_TOTAL = "合计"
UNCLASSED = "（未分类）"
DEPRECIATION_FAMILY = "1602"
FIELD = "accumulated_depreciation"
LIFE_FIELD = "useful_life_months"


def schedule_of(registers: list[TypedLedger], ctx: Context, period: Period | None) -> Schedule:
    schedule = depreciation_schedule(registers, ctx.config, ctx.categories, period)
    if schedule is None:
        raise Skipped("没有核对期间，无法计算折旧月数 / no period: depreciation months cannot be counted")
    return schedule


def _month_text(stamp: pd.Timestamp) -> str:
    return f"{stamp.year}年{stamp.month}月"


def _how(row: pd.Series, period: Period) -> str:
    """How the expected figure was computed, in the bursar's words."""
    life = int(row["life"])
    months = int(row["months"])
    taken = min(months, life)
    counted = (f"{_month_text(row['start'])}{'入账' if row['booked'] else '取得'}，当月起计提至"
               f"{period.year}年{period.month}月共{months}个月")
    if months > life:
        counted += f"，已提足{life}个月"
    basis = str(row["basis"]).removesuffix(SCHOOL_GROUP)
    if not np.isnan(row["life_given"]):
        source = f"使用年限{years_text(life)}（台账所填）"
    elif row["school"]:
        source = f"使用年限未填，按学校设置（houqin.toml [depreciation_lives]）的{basis}年限{years_text(life)}"
    elif basis.endswith("默认"):
        source = f"使用年限未填，按{basis}{years_text(life)}"
    else:
        source = f"使用年限未填，按{basis}最低折旧年限{years_text(life)}（{SOURCE_NOTE}）"
    original = fen_text(row["original"])
    note = "，财务入账日期代替取得日期" if row["booked"] else ""
    return f"原值 {original} × {taken}个月 ÷ {life}个月（{counted}；{source}{note}）"


def _message(row: pd.Series, period: Period) -> str:
    expected = fen_text(row["expected"])
    blank = np.isnan(row["stated"])
    if row["never"]:
        basis = str(row["basis"])
        why = {"名义金额": "按名义金额入账的资产不计提折旧",
               NEVER: "该类资产（土地、动植物等）不计提折旧"}.get(basis, basis)
        return f"{why}，累计折旧应为 0.00"
    head = "累计折旧为空，" if blank else ""
    return f"{head}应为 {expected} = {_how(row, period)}"


def _life_warning(typed: TypedLedger, position: int, row: pd.Series) -> Finding:
    given, minimum = int(row["life_given"]), int(row["minimum"])
    basis = str(row["basis"])
    what = basis.removesuffix("默认") if basis.endswith("默认") else basis
    return cell_finding(
        typed, position, LIFE_FIELD, "bad_value",
        f"使用年限{years_text(given)}短于{what}的最低折旧年限{years_text(minimum)}（{SOURCE_NOTE}），"
        "请核实", severity="warning")


def _not_recomputed(schedule: Schedule) -> None:
    """Name in each register's notes the assets whose 累计折旧 could not be recomputed, and
    why: said in the report beside the ledger, never passed over silently."""
    frame = schedule.frame
    # Acquired after the period: its date is reported on its cell; that its 累计折旧 was not
    # recomputed is said here too, with any figure it carries (none is due yet).
    left = frame[(frame["skipped"] != "") & (frame["skipped"] != DISPOSED)
                 & ((frame["skipped"] != LATER) | (np.nan_to_num(frame["stated"].to_numpy(float)) != 0))]
    for source, part in left.groupby(SOURCE):
        typed = schedule.registers[int(source)]
        if not typed.ledger.has_column(FIELD):
            continue
        reasons = []
        for reason, rows in part.groupby("skipped"):
            shown = "、".join(str(r) for r in rows[ROW].head(10))
            more = " 等" if len(rows) > 10 else ""
            reasons.append(f"{reason}：第{shown}行{more}（{len(rows)}项）")
        typed.ledger.context["折旧未复核"] = "；".join(reasons)


@register("depreciation", "累计折旧复核（年限平均法、当月计提）", ("fixed_assets",))
def depreciation(by_name: dict[str, list[TypedLedger]], ctx: Context, period: Period | None
                 ) -> tuple[list[Finding], list[Reconciliation]]:
    registers = by_name["fixed_assets"]
    schedule = schedule_of(registers, ctx, period)
    assert period is not None
    frame = schedule.frame
    findings: list[Finding] = []
    # A life shorter than the table's minimum: a warning wherever the register writes one.
    short = (~frame["never"] & ~frame["disposed"] & (frame["life_given"] < frame["minimum"]))
    for _, row in frame[short].iterrows():
        typed = registers[int(row[SOURCE])]
        if (int(row[ROW]), LIFE_FIELD) not in typed.bad_cells:
            findings.append(_life_warning(typed, int(row[POSITION]), row))
    with_column = [i for i, t in enumerate(registers) if t.ledger.has_column(FIELD)]
    stated_any = frame[SOURCE].isin(with_column) & frame["stated"].notna()
    if not with_column or not stated_any.any():
        raise Skipped(
            "固定资产台账没有累计折旧" + ("列" if not with_column else "数（整列为空）")
            + "，未逐项复核累计折旧（本月应提折旧见汇总-折旧）/ the register gives no 累计折旧",
            findings)
    _not_recomputed(schedule)
    checked = frame[frame[SOURCE].isin(with_column) & (frame["skipped"] == "")]
    stated = np.nan_to_num(checked["stated"].to_numpy(float))
    charged = np.minimum(np.nan_to_num(checked["months"].to_numpy(float)),
                         np.nan_to_num(checked["life"].to_numpy(float), nan=0.0))
    tolerance = np.maximum(np.maximum(100.0, charged), float(ctx.config.tolerance_fen))
    # Rounding the monthly charge is what the yuan allows for: with no charge at all (a class
    # never depreciated, 名义金额) the figure is 0.00 exactly.
    tolerance[checked["never"].to_numpy()] = float(ctx.config.tolerance_fen)
    wrong = np.abs(stated - checked["expected"].to_numpy(float)) > tolerance
    for _, row in checked[wrong].iterrows():
        typed = registers[int(row[SOURCE])]
        if (int(row[ROW]), FIELD) in typed.bad_cells:
            continue  # unreadable: reported as bad_type already
        findings.append(cell_finding(typed, int(row[POSITION]), FIELD, "depreciation",
                                     _message(row, period)))
    return findings, []


# ---- 1602 against the register -------------------------------------------------------------------


def _gl_depreciation(ledgers: list[TypedLedger]) -> tuple[pd.DataFrame, list[float]]:
    """The 1602 children with a class (their 贷方 balance made positive), and per ledger the
    1602 total: the account itself where the sheet shows it, else the sum of its children."""
    gl = stack(ledgers, ["category", "balance", "family", "level"])
    ours = gl[gl["family"] == DEPRECIATION_FAMILY]
    classes = ours[ours["category"].notna()].copy()
    classes["credit"] = -fen(classes["balance"])
    totals = []
    for source in sorted(set(ours[SOURCE])):
        own = ours[(ours[SOURCE] == source) & (ours["level"] == 1)]
        part = own if len(own) else classes[classes[SOURCE] == source]
        totals.append(float(-fen(part["balance"]).sum()))
    return classes, totals


@register("depreciation_vs_gl", "累计折旧与总账1602核对（账账相符）", ("fixed_assets", "gl_balances"))
def depreciation_vs_gl(by_name: dict[str, list[TypedLedger]], ctx: Context, period: Period | None
                       ) -> tuple[list[Finding], list[Reconciliation]]:
    registers, ledgers = by_name["fixed_assets"], by_name["gl_balances"]
    gl, gl_totals = _gl_depreciation(ledgers)
    if not gl_totals:
        raise Skipped("总账中没有 1602 固定资产累计折旧科目，未核对累计折旧 / the general ledger gives "
                      "no 1602 固定资产累计折旧")
    if not any(t.ledger.has_column(FIELD) for t in registers):
        raise Skipped("固定资产台账没有累计折旧列，未与总账 1602 核对 / the register has no 累计折旧 column")
    assets = stack(registers, ["category", "status", FIELD])
    assets = assets[~disposed_mask(assets["status"])]
    stated = pd.Series(fen(assets[FIELD]), index=assets.index)
    classed = assets["category"].isin(ctx.categories.names)
    by_class: dict[str, float] = defaultdict(float)
    for category, amount in stated[classed].groupby(assets.loc[classed, "category"]).sum().items():
        by_class[str(category)] = float(amount)
    gl_class = gl.groupby("category")["credit"].sum()
    tolerance = ctx.config.tolerance_fen
    register_ledger = registers[0]
    findings: list[Finding] = []
    compared: list[Reconciliation] = []

    def compare(category: str, left: float, right: float) -> None:
        key = {"category": category}
        rec = compare_money("depreciation_vs_gl", key, left, right, tolerance,
                            "资产台账累计折旧", "总账1602累计折旧")
        compared.append(rec)
        if rec.status != "ok":
            findings.append(aggregate_finding(
                register_ledger, "ledger_mismatch", key, value=rec.left, field=FIELD,
                message=(f"{category}：资产台账累计折旧 {rec.left} 与总账 1602 固定资产累计折旧 "
                         f"{rec.right} 不符，差额 {rec.difference}（折旧账账不符）")))

    has_children = len(gl) > 0 and any(t.ledger.has_column("category") for t in registers)
    if has_children:
        names = ctx.categories.names
        shown = {c for c, v in by_class.items() if v} | {str(c) for c in gl_class.index}
        order = [c for c in names if c in shown] + sorted(shown - set(names))
        for category in order:
            compare(category, by_class.get(category, 0.0), float(gl_class.get(category, 0.0)))
        if (~classed).any() and float(stated[~classed].sum()):
            compared.append(compare_money("depreciation_vs_gl", {"category": UNCLASSED},
                                          float(stated[~classed].sum()), 0.0, tolerance,
                                          "资产台账累计折旧", "总账1602累计折旧"))
    compare(GRAND_TOTAL, float(stated.sum()), sum(gl_totals))
    if not has_children:
        raise Skipped(
            "总账只有 1602 累计折旧总额，没有分类明细，只核对了合计 / 1602 without its classes: the "
            "grand total only" if not len(gl) else
            "固定资产台账没有资产分类列，累计折旧只核对了合计 / the register has no category column",
            findings, compared)
    return findings, compared
