"""Fees: 按章收费, receipts without gaps, 收支两条线.

- fee_rows: per row, paid + waived ≤ due and refunded ≤ paid (fee_balance).
- fee_standards: due equals the approved standard for the item and grade (bad_value).
- receipts: within a receipt book (same prefix) numbers run without gaps; a missing number is
  excused when it is listed as voided (作废) in the settings or on a row (receipt_gap).
- deposits: per day (or per period when the school deposits less often), Σ paid − Σ refunded
  equals Σ deposited (deposit_mismatch). A refund is dated by 退费日期 when given, else by 缴费日期.
A voided row (备注 says 作废) carries no money and takes no part in the sums.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...findings import Finding, Reconciliation
from ...ledgers.grades import grade_of
from ...ledgers.money import fen_text
from . import Skipped, register
from .base import (
    POSITION,
    SOURCE,
    aggregate_finding,
    cell_finding,
    compare_money,
    contains_column,
    fen,
    fold,
    fold_column,
    fold_text,
    per_distinct,
    shared,
    stack,
)

if TYPE_CHECKING:
    from ...ledgers.typed import TypedLedger
    from ...period import Period
    from ..validate import Context

VOID = "作废"
ALL_GRADES = {"", "全部", "全校", "所有年级", "各年级", "全年级", "通用"}
_FEE_FIELDS = ["grade", "class", "major", "item", "due", "waived", "paid", "refunded", "receipt_no",
               "paid_on", "refunded_on", "note"]
GAP_RUN_LIMIT = 20  # a longer run of missing numbers is one finding, not hundreds


def _fees(ledgers: list[TypedLedger]) -> pd.DataFrame:
    """The fee ledger stacked, with `voided`: built once per run and shared by the four fee
    rules, so it is read-only (filter it, never assign into it)."""
    return shared("fees", ledgers, _stack_fees)


def _stack_fees(ledgers: list[TypedLedger]) -> pd.DataFrame:
    fees = stack(ledgers, _FEE_FIELDS)
    fees["voided"] = contains_column(fees["note"], VOID)
    return fees


@register("fee_rows", "收费行核对（应收、减免、实收、退费）", ("fees",))
def fee_rows(by_name: dict[str, list[TypedLedger]], ctx: Context, period: Period | None
             ) -> tuple[list[Finding], list[Reconciliation]]:
    ledgers = by_name["fees"]
    fees = _fees(ledgers)
    fees = fees[~fees["voided"]]
    tolerance = ctx.config.tolerance_fen
    due, waived, paid, refunded = (fen(fees[c]) for c in ("due", "waived", "paid", "refunded"))
    findings: list[Finding] = []
    sources, positions = fees[SOURCE].to_numpy(), fees[POSITION].to_numpy()
    over = (paid + waived > due + tolerance) & fees["due"].notna().to_numpy()
    for i in np.flatnonzero(over):
        findings.append(cell_finding(
            ledgers[int(sources[i])], int(positions[i]), "paid", "fee_balance",
            f"实收 {fen_text(paid[i])} + 减免 {fen_text(waived[i])} 超过应收 {fen_text(due[i])}"))
    # Only a refund made can exceed what was paid (a negative 实收 is its own bad_value).
    too_much_back = (refunded > 0) & (refunded > paid + tolerance)
    for i in np.flatnonzero(too_much_back):
        findings.append(cell_finding(
            ledgers[int(sources[i])], int(positions[i]), "refunded", "fee_balance",
            f"退费 {fen_text(refunded[i])} 超过实收 {fen_text(paid[i])}"))
    return findings, []


def _grade_key(grade: object, klass: object = None) -> str:
    """A grade as a grade, however written: 三年级 = 3年级 = 三 年级; a class (三(2)班) stands in
    for a missing grade; 全部 and the like are '' (every grade); anything else (a major, a
    2024级) is compared as its text."""
    if isinstance(grade, str) and fold(grade) in ALL_GRADES:
        return ""
    named = grade_of(grade)
    if named:
        return named
    if isinstance(grade, str) and fold(grade):
        return fold(grade)
    return grade_of(klass) or ""


@register("fee_standards", "按章收费核对（应收与收费标准）", ("fees", "fee_standards"))
def fee_standards(by_name: dict[str, list[TypedLedger]], ctx: Context, period: Period | None
                  ) -> tuple[list[Finding], list[Reconciliation]]:
    """Every charged row against the approved standard of its item and grade (the grade's own
    first, the school-wide 全部 otherwise). A row whose item or grade has no approved standard
    is a finding too: 按章收费 is the first thing an auditor checks, and a row never compared
    must not vanish from the report."""
    ledgers = by_name["fees"]
    standards = stack(by_name["fee_standards"], ["item", "grade", "amount"])
    table: dict[tuple[str, str], float] = {}
    grades_of_item: dict[str, list[str]] = defaultdict(list)
    unreadable: set[str] = set()  # items whose standard is there but its amount is not readable
    incomplete = False  # a standard's row lacks its item: any unmatched row may be its
    for record in standards.to_dict("records"):
        if not isinstance(record["item"], str):
            incomplete = incomplete or not np.isnan(record["amount"])
            continue
        item, grade = fold(record["item"]), _grade_key(record["grade"])
        if np.isnan(record["amount"]):
            unreadable.add(item)  # the standard's own cell is reported; its rows cannot be judged
            continue
        table[(item, grade)] = float(fen(pd.Series([record["amount"]]))[0])
        grades_of_item[item].append(grade or "全部")
    fees = _fees(ledgers)
    fees = fees[~fees["voided"] & fees["due"].notna()]
    items = fold_column(fees["item"])
    # Grades read once per distinct (grade, class, major), then spread back to the rows. A row's
    # 专业 is its key where the standards are listed per major.
    listed = {grade for _, grade in table}

    def key_of(grade: object, klass: object, major: object) -> str:
        if isinstance(major, str) and fold(major) in listed:
            return fold(major)
        return _grade_key(grade, klass)

    pair = pd.Series(list(zip(fees["grade"].tolist(), fees["class"].tolist(), fees["major"].tolist(),
                              strict=True)), index=fees.index, dtype=object)
    grades = pd.Series(per_distinct(pair, lambda cells: [key_of(*c) for c in cells], ""),
                       index=fees.index, dtype=object)
    item_codes, item_names = pd.factorize(items.to_numpy(dtype=object))
    grade_codes, grade_names = pd.factorize(grades.to_numpy(dtype=object))
    width = max(len(grade_names), 1)
    pair_codes, pairs = pd.factorize(item_codes.astype(np.int64) * width + grade_codes)
    per_pair = np.array([table.get((item_names[p // width], grade_names[p % width]), np.nan)
                         for p in pairs], dtype=float)
    per_item = np.array([table.get((item, ""), np.nan) for item in item_names], dtype=float)
    by_grade = pd.Series(per_pair[pair_codes], index=fees.index, dtype=float)
    school_wide = pd.Series(per_item[item_codes], index=fees.index, dtype=float)
    standard = by_grade.where(by_grade.notna(), school_wide)
    standard_grade = grades.where(by_grade.notna(), "")
    known = standard.notna()
    due_fen = pd.Series(fen(fees["due"]), index=fees.index)
    tolerance = ctx.config.tolerance_fen
    wrong = known & ((due_fen - standard).abs() > tolerance)
    findings: list[Finding] = []
    bad = fees.loc[wrong, [SOURCE, POSITION, "item", "grade"]]
    for record, amount in zip(bad.to_dict("records"), standard[wrong].to_numpy(), strict=True):
        grade_text = f"，{record['grade']}" if isinstance(record["grade"], str) else ""
        findings.append(cell_finding(
            ledgers[int(record[SOURCE])], int(record[POSITION]), "due", "bad_value",
            f"应收金额与收费标准 {fen_text(amount)} 元不符（{record['item']}{grade_text}）"))
    judged = ~known & ~items.isin(unreadable)
    if not incomplete:  # otherwise the standard's own blank cell is the finding
        findings.extend(_without_standard(ledgers, fees[judged], items[judged], grades[judged],
                                          grades_of_item))
    groups = pd.DataFrame({"item": items[known], "grade": standard_grade[known],
                           "due": due_fen[known], "standard": standard[known]})
    sums = groups.groupby(["item", "grade"], sort=True)[["due", "standard"]].sum()
    compared = [
        compare_money("fee_standards", {"item": item, "grade": grade or "全部"}, float(row.due),
                      float(row.standard), tolerance, "应收金额合计", "收费标准×人数")
        for (item, grade), row in sums.iterrows()
    ]
    unmatched = pd.DataFrame({"item": items[judged], "grade": grades[judged],
                              "due": due_fen[judged]})
    for (item, grade), due in unmatched.groupby(["item", "grade"], sort=True)["due"].sum().items():
        rec = compare_money("fee_standards", {"item": item, "grade": grade or "（未填）"},
                            float(due), 0.0, tolerance, "应收金额合计", "收费标准（无）")
        rec.status = "mismatch"  # nothing to compare with is never 相符, even at 0.00
        compared.append(rec)
    return findings, compared


def _without_standard(ledgers: list[TypedLedger], rows: pd.DataFrame, items: pd.Series,
                      grades: pd.Series, grades_of_item: dict[str, list[str]]) -> list[Finding]:
    """One finding per charged row that no approved standard covers: on the item's cell when
    the item has no standard at all, on the 应收 cell when only its grade has none."""
    findings = []
    records = rows[[SOURCE, POSITION, "item", "grade"]].to_dict("records")
    for record, item, grade in zip(records, items.tolist(), grades.tolist(), strict=True):
        typed = ledgers[int(record[SOURCE])]
        if item not in grades_of_item:
            findings.append(cell_finding(
                typed, int(record[POSITION]), "item", "bad_value",
                f"收费项目“{record['item']}”没有经批准的收费标准（收费标准表中没有这个项目），"
                "不能确认是否按章收费"))
        else:
            listed = "、".join(dict.fromkeys(grades_of_item[item]))
            shown = grade or "（年级未填）"
            findings.append(cell_finding(
                typed, int(record[POSITION]), "due", "bad_value",
                f"{shown}没有“{record['item']}”的收费标准（标准表中只有：{listed}），不能确认是否按章收费"))
    return findings


_RECEIPT = re.compile(r"^(.*?)(\d+)$")
_SPACE_BUT_NEWLINE = re.compile(r"[^\S\n]")
_ASCII_DIGITS = "0123456789"


def _receipt_numbers(values: np.ndarray) -> list[tuple[str, str]]:
    """(prefix, digits) of each value that reads as a receipt number, in order: what
    `_RECEIPT.match(fold(value))` finds, the regex left out where it can be."""
    texts = [v for v in values if isinstance(v, str)]  # fold() of anything else is ''
    joined = "\n".join(texts)
    # The usual book: ASCII numbers without whitespace, which fold() leaves as they are and
    # where \d is 0-9, so the number is the run of digits at the end (the lazy prefix of
    # _RECEIPT leaves the longest one). Anything else goes value by value, as it always did.
    if (joined.isascii() and joined.count("\n") == len(texts) - 1
            and _SPACE_BUT_NEWLINE.search(joined) is None):
        found = []
        for text in texts:
            prefix = text.rstrip(_ASCII_DIGITS)
            if len(prefix) < len(text):
                found.append((prefix, text[len(prefix):]))
        return found
    matches = (_RECEIPT.match(fold_text(text)) for text in texts)
    return [m.groups() for m in matches if m]


@register("receipts", "票据号连续性核对", ("fees",))
def receipts(by_name: dict[str, list[TypedLedger]], ctx: Context, period: Period | None
             ) -> tuple[list[Finding], list[Reconciliation]]:
    ledgers = by_name["fees"]
    fees = _fees(ledgers)
    voided_numbers = {fold(n) for n in ctx.config.voided_receipts}
    books: dict[str, dict[int, int]] = defaultdict(dict)  # prefix → number → width
    # Row by row, a later row with the same number sets its width. Parsing only the last row
    # of each distinct text, in row order, leaves the same books: the last row of a number is
    # the last row of its own text, and comes after the last row of any other text for it.
    numbers = fees["receipt_no"].dropna().drop_duplicates(keep="last")
    for prefix, digits in _receipt_numbers(numbers.to_numpy(dtype=object)):
        books[prefix][int(digits)] = len(digits)
    findings: list[Finding] = []
    compared: list[Reconciliation] = []
    # A gap is reported on the sheet of the number before it (the class whose run it breaks).
    sheet_of = ({} if not _missing_any(books) else
                dict(zip(fold_column(fees["receipt_no"]).tolist(), fees[SOURCE].tolist(), strict=True)))
    for prefix in sorted(books):
        used = books[prefix]
        width = max(used.values())
        low, high = min(used), max(used)

        def label(n: int, prefix: str = prefix, width: int = width) -> str:
            return f"{prefix}{n:0{width}d}"

        missing = [n for n in range(low, high + 1) if n not in used and label(n) not in voided_numbers]
        for run in _runs(missing):
            first, last = run[0], run[-1]
            where = ledgers[int(sheet_of.get(fold(label(first - 1)), 0))]
            if len(run) <= GAP_RUN_LIMIT:
                for n in run:
                    findings.append(aggregate_finding(
                        where, "receipt_gap", {"receipt_no": label(n)}, field="receipt_no",
                        message=f"票据号 {label(n)} 缺号（{label(low)}–{label(high)} 之间），未登记也未列为作废"))
            else:
                findings.append(aggregate_finding(
                    where, "receipt_gap", {"receipt_no": label(first)}, field="receipt_no",
                    message=f"票据号 {label(first)}–{label(last)} 共{len(run)}张缺号，未登记也未列为作废"))
        issued = high - low + 1
        compared.append(Reconciliation(
            rule="receipts", key={"receipt_book": prefix or "（无前缀）"},
            left=str(len(used) + (issued - len(used) - len(missing))), right=str(issued),
            difference=str(-len(missing)), status="ok" if not missing else "mismatch",
            left_label="已登记及作废张数", right_label=f"{label(low)}–{label(high)} 应有张数"))
    return findings, compared


def _strftime(dates: pd.Series, fmt: str) -> pd.Series:
    """dates.dt.strftime(fmt), formatting each distinct date once (strftime is a Python call
    per value; a term of fees has a few hundred days)."""
    codes, days = pd.factorize(dates)
    labels = pd.Series(days).dt.strftime(fmt).to_numpy(dtype=object)
    table = np.append(labels, np.nan).astype(object)  # code -1: NaT, which strftime leaves NaN
    return pd.Series(table[codes], index=dates.index, dtype=str, name=dates.name)


def _missing_any(books: dict[str, dict[int, int]]) -> bool:
    """Whether any receipt book has a number missing between its first and its last."""
    return any(max(used) - min(used) + 1 > len(used) for used in books.values())


def _runs(numbers: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


@register("deposits", "收入与缴款核对（收支两条线）", ("fees", "deposits"))
def deposits(by_name: dict[str, list[TypedLedger]], ctx: Context, period: Period | None
             ) -> tuple[list[Finding], list[Reconciliation]]:
    fees = _fees(by_name["fees"])
    fees = fees[~fees["voided"]]
    slips = stack(by_name["deposits"], ["date", "amount"])
    paid = pd.Series(fen(fees["paid"]), index=fees.index)
    refunded = pd.Series(fen(fees["refunded"]), index=fees.index)
    refund_day = fees["refunded_on"].where(fees["refunded_on"].notna(), fees["paid_on"])
    daily = ctx.config.deposit_frequency == "daily"

    def bucket(dates: pd.Series) -> pd.Series:
        return _strftime(dates, "%Y-%m-%d" if daily else "%Y-%m")

    start = pd.Timestamp(period.start) if period else None
    end = pd.Timestamp(period.end) if period else None

    def within(dates: pd.Series) -> pd.Series:
        ok = dates.notna()
        if period:
            ok &= (dates >= start) & (dates <= end)
        return ok

    collected: dict[str, float] = defaultdict(float)
    for dates, amounts, sign in ((fees["paid_on"], paid, 1), (refund_day, refunded, -1)):
        keep = within(dates) & (amounts != 0)
        for day, total in amounts[keep].groupby(bucket(dates[keep])).sum().items():
            collected[day] += sign * total
    keep = within(slips["date"])
    banked = pd.Series(fen(slips.loc[keep, "amount"]), index=slips.index[keep]).groupby(
        bucket(slips.loc[keep, "date"])).sum().to_dict()

    if not collected and not banked:  # nothing compared is said, never a silent "0 errors"
        raise Skipped(_nothing_to_deposit(period, fees["paid_on"], slips["date"]))
    tolerance = ctx.config.tolerance_fen
    findings: list[Finding] = []
    compared: list[Reconciliation] = []
    deposit_ledger = by_name["deposits"][0]
    key_name = "date" if daily else "period"
    for day in sorted(set(collected) | set(banked)):
        key = {key_name: day}
        rec = compare_money("deposits", key, collected.get(day, 0.0), banked.get(day, 0.0),
                            tolerance, "实收−退费", "缴存银行")
        compared.append(rec)
        if rec.status != "ok":
            findings.append(aggregate_finding(
                deposit_ledger, "deposit_mismatch", key, value=rec.right,
                message=(f"{day}：收费 {rec.left} 元（实收−退费）与缴款 {rec.right} 元不符，"
                         f"差额 {rec.difference}")))
    return findings, compared


def _nothing_to_deposit(period: Period | None, paid_on: pd.Series, deposited_on: pd.Series) -> str:
    """Why no day was compared: nothing paid or deposited in the period (with the dates the
    ledgers do hold, so the bursar sees the period was the wrong one), or no dates at all."""

    def span(dates: pd.Series) -> str:
        dates = dates.dropna()
        if dates.empty:
            return "无日期"
        return f"{dates.min():%Y-%m-%d} 至 {dates.max():%Y-%m-%d}"

    if period is None:
        return ("收费与缴款都没有可用的日期，未核对收入与缴款 / no dated payment or deposit: "
                "deposits not compared")
    return (f"核对期间 {period} 内既无收费也无缴款，未核对收入与缴款（缴费日期：{span(paid_on)}；"
            f"缴款日期：{span(deposited_on)}） / nothing paid or deposited in {period}: deposits not compared")
