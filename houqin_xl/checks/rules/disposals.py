"""资产处置 (报废审批 and its kin): disposal by approval, and the books that must follow it.

- disposal_approval: a disposal needs the approval of the body its 原值 calls for — the school
  itself (单位自行审批), the competent department (主管部门, the education bureau) or the
  finance department (财政部门) — by the limits of `[disposal_tiers]` (ILLUSTRATIVE defaults:
  each province sets its own), taken on the 原值 of the whole disposal (one 处置单号, else one
  批准文号) or of each asset (`basis = "item"`). The body is read from 审批级别 / 批准单位, or
  else from the issuer of the 批准文号 (阳教装〔2026〕17号: 教 → the education bureau; 财 → the
  finance department; 校 → the school). Too low an approval is `bad_value` on the approval cell;
  none at all is `missing` there; a disposal dated before its approval is `bad_value` on 处置日期.
- disposals_vs_register: an asset disposed of by the period's end is off the register or marked
  已报废 (报废, 处置, 已处置) there — otherwise it still counts in the register's in-use totals and
  in 账账相符; and a register row marked 已报废 has its disposal record. Either is
  `ledger_mismatch` on the register row's 使用状况 cell, keyed by the asset.
- disposals_vs_gl: the 原值 disposed in the period equals the 贷方发生额 of 1601 固定资产 for the
  period, where the 科目余额表 gives it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...findings import Finding, Reconciliation
from ...ledgers.money import fen_text
from ...ledgers.statuses import disposed_mask
from ...ledgers.typed import ROW
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
    stack,
)

if TYPE_CHECKING:
    from ...config import DisposalTiers
    from ...ledgers.typed import TypedLedger
    from ...period import Period
    from ..validate import Context

SCHOOL, DEPARTMENT, FINANCE = 1, 2, 3
TIER_NAMES = {SCHOOL: "学校（单位自行审批）", DEPARTMENT: "主管部门（教育局）", FINANCE: "财政部门"}
# The body an approval cell names; of several, the highest counts (教育局、财政局 → 财政部门).
_BODY_WORDS = ((FINANCE, re.compile(r"财政")),
               (DEPARTMENT, re.compile(r"教育|教体|教委|主管部门|主管单位|上级主管|行政主管|主管局")),
               (SCHOOL, re.compile(r"学校|本校|校内|校长|校务|校委|本单位|单位自行|自行|党支部|党总支|"
                                   r"党组|行政会|办公会")))
# The issuer of an approval's number: what stands before its year (阳教装〔2026〕17号 → 阳教装).
_ISSUER = re.compile(r"^(.*?)[\[〔［（(【]?\s*(?:19|20)\d{2}")
_ISSUER_WORDS = ((FINANCE, re.compile(r"财")), (DEPARTMENT, re.compile(r"教")),
                 (SCHOOL, re.compile(r"校|学|小|中|幼")))

_FIELDS = ["disposal_no", "asset_id", "name", "method", "disposed_on", "original_value",
           "approval_level", "approval_no", "approved_on"]


def _body(level: Any, number: Any) -> tuple[int | None, str]:
    """The approving body a disposal names (tier, how it was read); None when it names none
    that is known (a blank, or a text such as 已批)."""
    if isinstance(level, str) and level.strip():
        found = [tier for tier, words in _BODY_WORDS if words.search(fold(level))]
        if found:
            return max(found), f"审批级别“{level.strip()}”"
    if isinstance(number, str) and number.strip():
        issuer = _ISSUER.match(fold(number))
        text = issuer.group(1) if issuer else ""
        found = [tier for tier, words in _ISSUER_WORDS if words.search(text)]
        if found:
            return max(found), f"批准文号“{number.strip()}”的发文单位"
    return None, ""


def required_tier(value_fen: float, tiers: DisposalTiers) -> int:
    """The body a disposal of this 原值 (fen) must be approved by."""
    if value_fen >= float(tiers.finance_from) * 100:
        return FINANCE
    if value_fen >= float(tiers.department_from) * 100:
        return DEPARTMENT
    return SCHOOL


def _limits(tiers: DisposalTiers) -> str:
    return (f"主管部门 {tiers.department_from} 元起、财政部门 {tiers.finance_from} 元起"
            f"（{'按一次处置的原值合计' if tiers.basis == 'batch' else '按单项资产原值'}）")


def _batches(frame: pd.DataFrame, tiers: DisposalTiers) -> tuple[list[str], np.ndarray]:
    """Each row's batch label and the 原值 (fen) its approval is judged on: the batch's Σ
    (rows of one 处置单号, else of one 批准文号) or, with basis "item", the row's own."""
    value = fen(frame["original_value"])
    if tiers.basis == "item":
        return [""] * len(frame), value
    labels, keys = [], []
    numbers = fold_column(frame["disposal_no"]).tolist()
    approvals = fold_column(frame["approval_no"]).tolist()
    for i, (source, number, approval) in enumerate(
            zip(frame[SOURCE].tolist(), numbers, approvals, strict=True)):
        label = f"处置单 {number}" if number else (f"批准文号 {approval}" if approval else "")
        labels.append(label)
        keys.append((source, label) if label else ("row", i))
    totals = pd.Series(value).groupby(pd.Series(keys, dtype=object)).transform("sum").to_numpy()
    return labels, totals


def _approval_field(typed: TypedLedger) -> str | None:
    for name in ("approval_level", "approval_no"):
        if typed.ledger.has_column(name):
            return name
    return None


@register("disposal_approval", "资产处置审批权限核对（报废审批）", ("disposals",))
def disposal_approval(by_name: dict[str, list[TypedLedger]], ctx: Context, period: Period | None
                      ) -> tuple[list[Finding], list[Reconciliation]]:
    ledgers = by_name["disposals"]
    tiers = ctx.config.disposal_tiers
    frame = stack(ledgers, _FIELDS)
    labels, judged = _batches(frame, tiers)
    findings: list[Finding] = []
    without = []
    for i, row in enumerate(frame.to_dict("records")):
        typed = ledgers[int(row[SOURCE])]
        position = int(row[POSITION])
        approved, disposed = row["approved_on"], row["disposed_on"]
        if pd.notna(approved) and pd.notna(disposed) and disposed < approved:
            findings.append(cell_finding(
                typed, position, "disposed_on", "bad_value",
                f"处置早于审批（审批日期 {approved.date().isoformat()}）：应先报批，批准后再处置"))
        where = _approval_field(typed)
        if where is None:
            without.append(typed)
            continue
        if pd.isna(row["original_value"]):
            continue  # no 原值: reported as missing or bad_type already
        need = required_tier(judged[i], tiers)
        batch = f"（{labels[i]} 合计）" if labels[i] else ""
        value_text = f"原值 {fen_text(judged[i])} 元{batch}"
        tier, read_from = _body(row["approval_level"], row["approval_no"])
        level_blank = not (isinstance(row["approval_level"], str) and row["approval_level"].strip())
        number_blank = not (isinstance(row["approval_no"], str) and row["approval_no"].strip())
        if tier is None and level_blank and number_blank:
            findings.append(cell_finding(
                typed, position, where, "missing",
                f"处置未见审批：审批级别和批准文号都为空（{value_text}，应由{TIER_NAMES[need]}审批）"))
        elif tier is None:
            shown = row["approval_level"] if not level_blank else row["approval_no"]
            findings.append(cell_finding(
                typed, position, where, "bad_value",
                f"看不出由哪一级审批（“{str(shown).strip()}”）；{value_text}，应由{TIER_NAMES[need]}审批",
                severity="warning"))
        elif tier < need:
            field = "approval_level" if not level_blank else "approval_no"
            findings.append(cell_finding(
                typed, position, field, "bad_value",
                f"{value_text}，应由{TIER_NAMES[need]}审批，而{read_from}表明由{TIER_NAMES[tier]}审批"
                f"（审批权限按设置 disposal_tiers：{_limits(tiers)}；默认限额仅为示例，以本省规定为准）"))
    if without:
        names = "、".join(dict.fromkeys(f"{t.ledger.sheet}" for t in without))
        raise Skipped(f"资产处置登记（{names}）没有审批级别或批准文号列，未核对审批权限 / no approval "
                      "column: approvals not checked", findings)
    return findings, []


# ---- the register ----------------------------------------------------------------------------


def _status_field(typed: TypedLedger) -> str:
    return "status" if typed.ledger.has_column("status") else "asset_id"


def _text(value: Any, blank: str) -> str:
    return value.strip() if isinstance(value, str) and value.strip() else blank


def _date_text(value: Any) -> str:
    return value.date().isoformat() if pd.notna(value) else "（日期未填）"


@register("disposals_vs_register", "资产处置与资产台账核对", ("fixed_assets", "disposals"))
def disposals_vs_register(by_name: dict[str, list[TypedLedger]], ctx: Context,
                          period: Period | None) -> tuple[list[Finding], list[Reconciliation]]:
    registers, ledgers = by_name["fixed_assets"], by_name["disposals"]
    disposals = stack(ledgers, _FIELDS)
    disposals["key"] = fold_column(disposals["asset_id"])
    # Disposals after the period's end are reported on their date and not expected yet; one
    # without a date is in the list of disposals all the same.
    dates = disposals["disposed_on"]
    not_later = dates.isna() | (dates <= pd.Timestamp(period.end)) if period is not None else \
        pd.Series(True, index=disposals.index)
    done = disposals[(disposals["key"] != "") & not_later]
    assets = stack(registers, ["asset_id", "status"])
    assets["key"] = fold_column(assets["asset_id"])
    assets["disposed"] = disposed_mask(assets["status"]) if len(assets) else np.zeros(0, bool)
    findings: list[Finding] = []
    compared: list[Reconciliation] = []
    known = set(disposals["key"]) - {""}
    by_key = {k: d for k, d in zip(done["key"], done.to_dict("records"), strict=True)}

    still_in_use = assets[assets["key"].isin(by_key) & ~assets["disposed"]]
    for row in still_in_use.to_dict("records"):
        record = by_key[row["key"]]
        typed = registers[int(row[SOURCE])]
        source = ledgers[int(record[SOURCE])]
        status = row["status"] if isinstance(row["status"], str) else "（空）"
        number = _text(record["disposal_no"], "")
        number = f"，处置单 {number}" if number else ""
        findings.append(cell_finding(
            typed, int(row[POSITION]), _status_field(typed), "ledger_mismatch",
            f"已于 {_date_text(record['disposed_on'])} {_text(record['method'], '处置')}"
            f"（{source.ledger.sheet} 第{int(record[ROW])}行{number}），台账仍为“{status}”，"
            "仍计入在用资产合计：应标为已报废或从台账移出", key={"asset_id": str(row["asset_id"])}))
    unrecorded = assets[assets["disposed"] & ~assets["key"].isin(known) & (assets["key"] != "")]
    for row in unrecorded.to_dict("records"):
        typed = registers[int(row[SOURCE])]
        findings.append(cell_finding(
            typed, int(row[POSITION]), _status_field(typed), "ledger_mismatch",
            f"台账标为“{row['status']}”，资产处置登记中没有它的处置记录（处置须经审批并登记；"
            "往年已处置的，请把处置记录补入资产处置登记）", key={"asset_id": str(row["asset_id"])}))

    key = {"period": str(period)} if period is not None else {"period": "全部"}
    off_books = len(set(by_key)) - len(set(still_in_use["key"]))
    compared.append(compare_quantity("disposals_vs_register", key, float(len(by_key)),
                                     float(off_books), "已处置资产数（处置登记）",
                                     "其中台账已标报废或已移出"))
    marked = assets[assets["disposed"] & (assets["key"] != "")]
    compared.append(compare_quantity("disposals_vs_register_records", key,
                                     float(marked["key"].nunique()),
                                     float(marked["key"].isin(known).groupby(marked["key"]).any().sum()
                                           if len(marked) else 0),
                                     "台账已报废资产数", "其中有处置记录"))
    return findings, compared


# ---- 1601's credit -----------------------------------------------------------------------------

ASSETS_FAMILY = "1601"


@register("disposals_vs_gl", "本期处置原值与总账1601贷方发生额核对", ("disposals", "gl_balances"))
def disposals_vs_gl(by_name: dict[str, list[TypedLedger]], ctx: Context, period: Period | None
                    ) -> tuple[list[Finding], list[Reconciliation]]:
    ledgers, gl_ledgers = by_name["disposals"], by_name["gl_balances"]
    if period is None:
        raise Skipped("没有核对期间，无法确定本期处置 / no period")
    usable = [t for t in gl_ledgers if t.ledger.has_column("credit")]
    gl = stack(usable, ["family", "level", "credit"]) if usable else pd.DataFrame()
    top = gl[(gl["family"] == ASSETS_FAMILY) & (gl["level"] == 1)] if len(gl) else gl
    if not len(top):
        raise Skipped("总账没有 1601 固定资产的本期贷方发生额（科目余额表才有），未核对本期处置原值 / the "
                      "general ledger gives no 1601 credit for the period")
    disposals = stack(ledgers, _FIELDS)
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    dated = disposals["disposed_on"]
    in_period = disposals[(dated >= start) & (dated <= end)]
    undated = int(dated.isna().sum())
    key = {"period": str(period)}
    rec = compare_money("disposals_vs_gl", key, float(fen(in_period["original_value"]).sum()),
                        float(fen(top["credit"]).sum()), ctx.config.tolerance_fen,
                        "本期处置资产原值", "总账1601本期贷方")
    findings: list[Finding] = []
    if rec.status != "ok":
        findings.append(aggregate_finding(
            ledgers[0], "ledger_mismatch", key, value=rec.left, field="original_value",
            message=(f"{period}：本期处置资产原值 {rec.left}（{len(in_period)}项）与总账 1601 固定资产本期贷方"
                     f"发生额 {rec.right} 不符，差额 {rec.difference}")))
    if undated:
        raise Skipped(f"资产处置登记有 {undated} 项没有处置日期，未计入本期处置原值 / {undated} disposals "
                      "without a date were left out", findings, [rec])
    return findings, [rec]
