"""LedgerSchema → pandera DataFrameSchema; lazy validation → findings at the exact cell.

Every check carries a name of the form `kind:field:index` so a pandera failure case maps
straight back to a finding kind, the field whose cell is reported, and the message the schema
declares. Validation is lazy: every failing cell of every check is collected in one pass.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..config import Config
from ..findings import Finding, Listing
from ..ledgers.categories import CATEGORY_SOURCES, CategoryList
from ..ledgers.money import fen_text, to_fen
from ..ledgers.parse import display
from ..ledgers.schemas import FieldSpec, LedgerSchema, RowCheck
from ..ledgers.statuses import disposed_mask
from ..ledgers.typed import ROW, TypedLedger
from ..read.grid import column_letter
from .category_labels import label_categories, settle

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le,
}


@dataclass
class Context:
    """What the checks need beyond the row itself."""

    config: Config
    categories: CategoryList
    period_end: dt.date | None


@dataclass
class _Declared:
    kind: str
    field: str
    message: str
    severity: str = ""
    detail: Callable[[pd.DataFrame, int], str] | None = None


def _allowed_values(spec: FieldSpec, ctx: Context) -> list[str]:
    if spec.allowed == "categories":
        return ctx.categories.names
    return list(spec.allowed or [])


def _row_check_fn(check: RowCheck, ctx: Context) -> tuple[Callable[[pd.DataFrame], pd.Series],
                                                          Callable[[pd.DataFrame, int], str] | None]:
    """The vectorised test of a row check (True = passes) and how to say what was expected."""
    tolerance = ctx.config.tolerance_fen
    result = check.result

    if check.equals:
        (op, operands), = check.equals.items()

        def expected(frame: pd.DataFrame) -> np.ndarray:
            a = frame[operands[0]].to_numpy(float)
            if op == "same":  # the result repeats another field (盘点数量 = 账面数量)
                return to_fen(a)
            b = frame[operands[1]].to_numpy(float)
            if op == "product":
                return to_fen(a * b)
            if op == "difference":
                return to_fen(a) - to_fen(b)
            if op == "sum":
                return to_fen(a) + to_fen(b)
            raise ValueError(f"unknown arithmetic {op}")

        def allowed(frame: pd.DataFrame) -> np.ndarray | int:
            if check.tolerance == "per_unit" and op == "product":
                # A unit price written to the fen is up to half a fen off the true price of
                # each unit: 129000 × 0.42 may honestly be 54,807.73.
                return tolerance + 0.5 * np.nan_to_num(np.abs(frame[operands[0]].to_numpy(float)))
            return tolerance

        def test(frame: pd.DataFrame) -> pd.Series:
            if not set(operands) <= set(frame.columns):
                return pd.Series(True, index=frame.index)
            want = expected(frame)
            have = to_fen(frame[result].to_numpy(float))
            ok = np.isnan(want) | np.isnan(have) | (np.abs(want - have) <= allowed(frame))
            return pd.Series(ok, index=frame.index)

        def detail(frame: pd.DataFrame, i: int) -> str:
            if op == "same" and check.compared_as:
                value = float(frame.at[i, operands[0]])
                shown = str(int(value)) if value.is_integer() else f"{value:g}"
                return f"（{check.compared_as} {shown}）"
            return f"（应为 {fen_text(expected(frame.loc[[i]])[0])}）"

        return test, detail

    if check.at_most:
        other = check.at_most

        def test(frame: pd.DataFrame) -> pd.Series:
            if other not in frame.columns:
                return pd.Series(True, index=frame.index)
            a, b = to_fen(frame[result].to_numpy(float)), to_fen(frame[other].to_numpy(float))
            return pd.Series(np.isnan(a) | np.isnan(b) | (a <= b + tolerance), index=frame.index)

        return test, None

    if check.not_after == "period_end":
        end = ctx.period_end

        def test(frame: pd.DataFrame) -> pd.Series:
            if end is None:
                return pd.Series(True, index=frame.index)
            dates = frame[result]
            return dates.isna() | (dates <= pd.Timestamp(end))

        def detail(frame: pd.DataFrame, i: int) -> str:
            return f"（本期截至 {end.isoformat()}）" if end else ""

        return test, detail

    if check.function == "capitalization_threshold":
        return _capitalization_test(ctx), _capitalization_detail(ctx)

    raise ValueError(f"row check {check.name} declares nothing to test")


def _thresholds(frame: pd.DataFrame, ctx: Context) -> np.ndarray:
    base = float(ctx.config.capitalization_threshold)
    limit = np.full(len(frame), base)
    if ctx.config.legacy_special_equipment and "category" in frame.columns:
        special = frame["category"].isin(["专用设备"]).to_numpy()
        limit[special] = float(ctx.config.special_equipment_threshold)
    return limit


def _unit_values(frame: pd.DataFrame) -> np.ndarray | None:
    """Each asset's value per unit: its 单价, or — on a register without one (the asset
    systems' exports give only 价值) — 价值 ÷ 数量; None when neither can be had."""
    if "unit_price" in frame.columns:
        return frame["unit_price"].to_numpy(float)
    if "original_value" in frame.columns and "quantity" in frame.columns:
        quantity = frame["quantity"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(quantity > 0, frame["original_value"].to_numpy(float) / quantity, np.nan)
    return None


def _capitalization_test(ctx: Context) -> Callable[[pd.DataFrame], pd.Series]:
    def test(frame: pd.DataFrame) -> pd.Series:
        price = _unit_values(frame)
        if price is None:
            return pd.Series(True, index=frame.index)
        limit = _thresholds(frame, ctx)
        cheap = price < limit  # NaN (no price, no quantity) is never cheap
        if "category" in frame.columns:
            cheap &= ~frame["category"].isin(ctx.categories.books).to_numpy()
        if "quantity" in frame.columns and "original_value" in frame.columns:
            # Items bought in bulk (a batch worth the threshold) count whatever their unit price;
            # so do buildings and land, whose 数量 is an area.
            bulk = (frame["quantity"].to_numpy(float) > 1) & (
                frame["original_value"].to_numpy(float) >= limit)
            cheap &= ~bulk
        if "status" in frame.columns:
            cheap &= ~disposed_mask(frame["status"])  # a disposed card at 0 is no cheap item
        if "value_type" in frame.columns:
            # An asset kept at 名义金额 (nominal value, usually 1 yuan) is on the books by rule.
            cheap &= ~frame["value_type"].fillna("").astype(str).str.contains("名义").to_numpy()
        return pd.Series(~cheap, index=frame.index)

    return test


def _capitalization_detail(ctx: Context) -> Callable[[pd.DataFrame, int], str]:
    def detail(frame: pd.DataFrame, i: int) -> str:
        row = frame.loc[[i]]
        limit = _thresholds(row, ctx)[0]
        if "unit_price" not in frame.columns:
            unit_value = _unit_values(row)
            shown = fen_text(to_fen(unit_value)[0]) if unit_value is not None else "?"
            return f"（单位价值 = 价值 ÷ 数量 = {shown} 元，标准 {limit:.0f} 元）"
        return f"（标准 {limit:.0f} 元）"

    return detail


def _category_detail(ctx: Context) -> Callable[[pd.DataFrame, int], str]:
    """Why a row's category cells map nowhere and how the school makes them map."""
    categories = ctx.categories

    def detail(frame: pd.DataFrame, i: int) -> str:
        cells = [frame.at[i, f] for f in CATEGORY_SOURCES if f in frame.columns]
        return categories.explain([v if isinstance(v, str) else None for v in cells])

    return detail


def _column_checks(spec: FieldSpec, ctx: Context,
                   declared: dict[str, _Declared]) -> list[pa.Check]:
    checks: list[pa.Check] = []
    for index, value_check in enumerate(spec.checks):
        name = f"bad_value:{spec.name}:{index}"
        declared[name] = _Declared("bad_value", spec.name, value_check.message)
        op, bound = _OPS[value_check.op], value_check.value
        checks.append(pa.Check(lambda s, op=op, bound=bound: op(s, bound), name=name, n_failure_cases=1001))
    allowed = _allowed_values(spec, ctx)
    if allowed:
        name = f"bad_value:{spec.name}:allowed"
        detail = _category_detail(ctx) if spec.allowed == "categories" else None
        declared[name] = _Declared("bad_value", spec.name, spec.message or "不在允许的取值范围内",
                                   detail=detail)
        checks.append(pa.Check(lambda s, allowed=allowed: s.isin(allowed), name=name, n_failure_cases=1001))
    return checks


def _first_in_its_source_row(frame: pd.DataFrame, field: str,
                             shared_by: list[str] | tuple[str, ...] = ()) -> pd.Series:
    """True where a unique field's value is not a repeat of an earlier source row's.

    Counted per Excel row, not per record: in a wide fee book one receipt covers a student's
    whole row, and each item taken is a record of that row sharing the receipt. A later row
    repeating the value fails once (on its first record); a row table has one record a row,
    so this is the plain `duplicated()`. A later row that agrees with the value's first row on
    every field of `shared_by` (the same student, the same day) shares it legitimately: a fee
    system's export lists one line per item under the one receipt of the payment."""
    values = frame[field]
    repeated = values.duplicated(keep="first").to_numpy() & values.notna().to_numpy()
    if repeated.any() and ROW in frame.columns:
        repeated &= ~frame[[ROW, field]].duplicated(keep="first").to_numpy()
    if repeated.any() and shared_by:
        together = pd.Series(list(zip(*(frame[name].astype(object).where(frame[name].notna(), "")
                                         for name in shared_by), strict=True)),
                             index=frame.index, dtype=object)
        first = together.groupby(values).transform("first")
        repeated &= (together != first).to_numpy()
    return pd.Series(~repeated, index=frame.index)


def build_schema(schema: LedgerSchema, present: list[str], ctx: Context,
                 rows_never_blank: bool = False
                 ) -> tuple[pa.DataFrameSchema, dict[str, _Declared]]:
    """The pandera schema for the fields a sheet actually has, and what each check means.

    `rows_never_blank`: the frame has a column that is never NA (the Excel row number), so no
    row is blank all through. A frame-level check's ignore_na only passes rows that are blank
    all through, at the price of `frame.isna()` over the whole frame per check (most of
    pandera's time, on object columns): with no such row it is turned off, changing nothing.
    """
    ignore_na = not rows_never_blank
    declared: dict[str, _Declared] = {}
    columns = {}
    unless_checks: list[pa.Check] = []
    for spec in schema.fields:
        if spec.name not in present:
            continue
        dtype = {"money": float, "quantity": float, "date": "datetime64[ns]"}.get(spec.type)
        excused = spec.required and spec.optional_when.get("field") in present
        columns[spec.name] = pa.Column(
            dtype, nullable=not spec.required or excused, checks=_column_checks(spec, ctx, declared),
            coerce=spec.type == "date",
        )
        if excused:
            name = f"missing:{spec.name}:unless"
            declared[name] = _Declared("missing", spec.name, "必填项不能为空")

            def filled_or_excused(frame: pd.DataFrame, field_name: str = spec.name,
                                  other: str = spec.optional_when["field"],
                                  pattern: str = spec.optional_when["matches"]) -> pd.Series:
                excuse = frame[other].astype("string").str.contains(pattern, regex=True, na=False)
                return frame[field_name].notna() | excuse.to_numpy(bool)

            unless_checks.append(pa.Check(filled_or_excused, name=name, ignore_na=False,
                                          n_failure_cases=1001))
    frame_checks = unless_checks
    for spec in schema.fields:
        if spec.unique and spec.name in present:
            name = f"duplicate:{spec.name}:unique"
            declared[name] = _Declared("duplicate", spec.name, "重复")
            shared_by = [f for f in spec.unique_with if f in present]
            frame_checks.append(pa.Check(
                lambda frame, field_name=spec.name, shared_by=shared_by: _first_in_its_source_row(
                    frame, field_name, shared_by),
                name=name, ignore_na=ignore_na, n_failure_cases=1001))
    for check in schema.row_checks:
        result = check.result if check.result in present else check.fallback_result
        if result not in present:
            continue
        test, detail = _row_check_fn(check, ctx)
        name = f"{check.kind}:{result}:{check.name}"
        declared[name] = _Declared(check.kind, result, check.message, check.severity, detail)
        frame_checks.append(pa.Check(test, name=name, ignore_na=ignore_na, n_failure_cases=1001))
    paid_rules = [s for s in schema.fields if s.required_when_paid and s.name in present]
    if paid_rules and "paid" in present:
        for spec in paid_rules:
            name = f"missing:{spec.name}:when_paid"
            declared[name] = _Declared("missing", spec.name, "已收费的行必须填写" + spec.header)

            def test(frame: pd.DataFrame, field_name: str = spec.name) -> pd.Series:
                paid = frame["paid"].fillna(0) > 0
                return ~paid | frame[field_name].notna()

            frame_checks.append(pa.Check(test, name=name, ignore_na=ignore_na, n_failure_cases=1001))
    return pa.DataFrameSchema(columns, checks=frame_checks, name=schema.ledger), declared


def _canonical_categories(frame: pd.DataFrame, ctx: Context) -> CategoryList:
    """Each row's category as its top class in the school's wording, in the edition the ledger
    is written in; the category list seen in that edition (what the checks compare with)."""
    return label_categories(frame, ctx.categories)


def settle_categories(ledgers: list[TypedLedger], ctx: Context) -> Context:
    """The context the rules and summaries use: every ledger's classes in the edition the run
    reports in (`category_labels.settle`)."""
    return replace(ctx, categories=settle(ledgers, ctx.categories))


def _as_if_na_ignored(cases: pd.DataFrame, declared: dict[str, _Declared]) -> pd.DataFrame:
    """The failure cases in the order they had with the frame-level checks' ignore_na on.

    A failing row gives one case per column; ignore_na also drops the cases of its NA cells,
    and pandera then numbers all cases in order and sorts them by schema_context with an
    unstable sort, so the extra cases would reorder the findings (and tied findings keep that
    order in the report). Dropping them and sorting the same way gives the old order back.
    """
    concat = cases.sort_index()  # the index is each case's number before pandera's sort
    dropped = (concat["schema_context"].eq("DataFrameSchema").to_numpy(bool)
               & concat["check"].isin(list(declared)).to_numpy(bool)
               & concat["failure_case"].isna().to_numpy(bool))
    if not dropped.any():
        return cases
    return concat[~dropped].reset_index(drop=True).sort_values("schema_context", ascending=False)


def validate(typed: TypedLedger, ctx: Context) -> list[Finding]:
    """Run the ledger's pandera schema lazily; every failure case becomes one finding."""
    ledger = typed.ledger
    frame = typed.frame
    ctx = replace(ctx, categories=_canonical_categories(frame, ctx))
    present = [c for c in frame.columns if c != ROW]
    rows_never_blank = ROW in frame.columns and frame[ROW].dtype.kind in "iu"  # int: no NA
    pandera_schema, declared = build_schema(ledger.schema, present, ctx, rows_never_blank)
    try:
        pandera_schema.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    if rows_never_blank:
        cases = _as_if_na_ignored(cases, declared)
    findings = []
    listing = Listing()
    seen: set[tuple[str, int]] = set()
    first_rows: dict[str, dict[Any, int]] = {}
    # A cell two fields share (a wide fee book's single amount is both 应收 and 实收) is
    # reported once per kind, not once per field.
    on_cell: dict[tuple[str, int | None, str | None], str] = {}
    for case in cases.itertuples(index=False):
        check = str(case.check)
        if case.index is None or (isinstance(case.index, float) and np.isnan(case.index)):
            continue  # a dtype failure: cannot happen for frames built by typed.py
        i = int(case.index)
        if check == "not_nullable":
            meaning = _Declared("missing", str(case.column), "必填项不能为空")
        elif check in declared:
            meaning = declared[check]
        else:
            raise RuntimeError(f"undeclared pandera check {check!r} on {ledger.name}")
        if (check + ":" + meaning.field, i) in seen:
            continue  # a frame-level check reports each column of a failing row
        seen.add((check + ":" + meaning.field, i))
        row = int(frame.at[i, ROW])
        if (row, meaning.field) in typed.bad_cells:
            continue  # already reported as bad_type: one finding per cell
        if not listing.admit((meaning.kind, meaning.field)):
            continue  # a column wrong as a whole: the rest counted in one finding (issue 16)
        finding = _finding(typed, meaning, i, row, frame, first_rows)
        cell_key = (finding.kind, finding.row, finding.column)
        if finding.column is not None and on_cell.setdefault(cell_key, meaning.field) != meaning.field:
            continue
        listing.listed_first((meaning.kind, meaning.field), finding)
        findings.append(finding)
    return findings + listing.summaries()


def _finding(typed: TypedLedger, meaning: _Declared, i: int, row: int,
             frame: pd.DataFrame, first_rows: dict[str, dict[Any, int]]) -> Finding:
    ledger = typed.ledger
    field = meaning.field
    header = ledger.header_of(field, i)
    cell = ledger.cell_of(field, i)
    if cell is not None:
        row = cell[0]  # a value kept outside its record's row (an account book's title block)
    raw_index = i
    raw_value = ledger.raw[field][raw_index] if field in ledger.raw else None
    shown = display(raw_value)
    message = meaning.message
    if meaning.kind == "duplicate":
        if field not in first_rows:
            values = frame[[field, ROW]].dropna(subset=[field])
            first_rows[field] = dict(zip(values[field][::-1], values[ROW][::-1], strict=True))
        earlier = first_rows[field][frame.at[i, field]]
        message = f"与第{earlier}行重复"
    elif meaning.detail is not None:
        message = message + meaning.detail(frame, i)
    if meaning.kind == "missing" or shown is None:
        text = f"第{row}行 {header}：{message}"
    else:
        text = f"第{row}行 {header} {shown}：{message}"
    return Finding(
        kind=meaning.kind, severity=meaning.severity, ledger=ledger.name, path=ledger.path,
        sheet=ledger.sheet, row=row, column=column_letter(cell[1]) if cell else None, field=field,
        header=header, value=shown, message=text,
    )


def missing_column_findings(typed: TypedLedger) -> list[Finding]:
    """A required column the sheet lacks altogether: one finding on the header row."""
    ledger = typed.ledger
    out = []
    for name in ledger.missing_fields:
        spec = ledger.schema.field(name)
        row = ledger.header_rows[-1]
        out.append(Finding(
            kind="missing", ledger=ledger.name, path=ledger.path, sheet=ledger.sheet, row=row,
            column=None, field=name, header=spec.header, value=None,
            message=f"第{row}行 表头：缺少必填列“{spec.header}”",
        ))
    return out

