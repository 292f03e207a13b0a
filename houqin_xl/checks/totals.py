"""The bursar's own 小计 / 合计 rows, checked against the data rows they sum; and every other
figure a layout found stated on the sheet (`StatedSum`: a row's 合计 column, a 本月合计, an
account's 期末余额), checked against the cells it must add up.

A 小计 (or 本月合计) sums its block: the data rows since the previous subtotal or total row.
A 合计 (总计) sums every data row above it. 本年累计 and 承前页 carry rows that are not on the
sheet, so they are not checked. A bursar's 合计 includes disposed assets; it is never compared
with the general ledger.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..findings import Finding
from ..ledgers.ledger import Ledger, StatedSum
from ..ledgers.money import fen_text, to_fen
from ..ledgers.parse import BAD, display, parse_number
from ..ledgers.typed import ROW, TypedLedger, bad_type_message
from ..read.grid import column_letter
from .rules.base import contains_column
from .rules.fees import VOID


def check_totals(typed: TypedLedger, tolerance_fen: int) -> list[Finding]:
    ledger = typed.ledger
    fields = [f for f in ledger.schema.totals if f in ledger.columns]
    if not ledger.totals or not fields:
        return []
    # Data rows in Excel row order (recognise gives them so; the sort is for any other frame):
    # a block is then one slice found by binary search — a boolean mask over all rows per
    # total row made a ledger with a 小计 per class quadratic. Fen are whole numbers, so the
    # order of summing changes nothing.
    order = np.argsort(typed.frame[ROW].to_numpy(), kind="stable")
    rows = typed.frame[ROW].to_numpy()[order]
    # Per field, the fen of each data row with NaN as 0: what np.nansum adds up, made once
    # rather than once per total row.
    fen = {f: to_fen(typed.frame[f].to_numpy(float)[order]) for f in fields}
    sums = {f: np.where(np.isnan(v), 0.0, v) for f, v in fen.items()}
    # A fee row marked 作废 carries no money: a 合计 that leaves its figures out adds up too.
    voided = _voided(typed)
    kept = ({f: np.where(voided[order], 0.0, v) for f, v in sums.items()}
            if voided is not None and voided.any() else None)
    # Per field, how many unreadable cells (already bad_type) come before each position —
    # usually there are none at all, and then there is nothing to build.
    bad_before = {
        f: np.concatenate([[0], np.cumsum(np.isin(rows, [r for r, name in typed.bad_cells if name == f]))])
        for f in fields} if typed.bad_cells else {}
    stated_fen = _stated_fen(ledger, fields)
    findings: list[Finding] = []
    block_start = 0  # Excel row after which the current block begins
    for k, total in enumerate(ledger.totals):
        scope = total.scope
        if scope == "skip":
            block_start = total.row
            continue
        low = block_start if scope == "block" else 0
        start = int(np.searchsorted(rows, low, side="right"))
        stop = max(start, int(np.searchsorted(rows, total.row, side="left")))
        count = stop - start
        first, last = (int(rows[start]), int(rows[stop - 1])) if count else (0, 0)
        has_bad = {f: bool(b[stop] - b[start]) for f, b in bad_before.items()}
        for name in fields:
            stated = stated_fen[name][k]
            if stated is None:
                continue
            raw = total.values.get(name)
            header = ledger.headers[name]
            column = column_letter(ledger.columns[name])
            if stated is BAD:
                findings.append(Finding(
                    kind="bad_type", ledger=ledger.name, path=ledger.path, sheet=ledger.sheet,
                    row=total.row, column=column, field=name, header=header, value=display(raw),
                    message=bad_type_message(total.row, header, raw, ledger.schema.field(name).type),
                ))
                continue
            if has_bad.get(name, False):
                continue  # a summed cell is unreadable (already bad_type): the sum is unknown
            computed = float(np.sum(sums[name][start:stop]))
            if kept is not None and abs(stated - computed) > tolerance_fen:
                without_void = float(np.sum(kept[name][start:stop]))
                if abs(stated - without_void) <= tolerance_fen:
                    continue
            if abs(stated - computed) > tolerance_fen:
                span = f"第{first}–{last}行" if count else "无数据行"
                findings.append(Finding(
                    kind="arithmetic", ledger=ledger.name, path=ledger.path, sheet=ledger.sheet,
                    row=total.row, column=column, field=name, header=header, value=display(raw),
                    message=(f"第{total.row}行 {total.label} {header} {display(raw)}："
                             f"应为 {_amount(computed, ledger.schema.field(name).type)}（{span}之和）"),
                ))
        block_start = total.row
    return findings


def _voided(typed: TypedLedger) -> np.ndarray | None:
    """The fee rows whose 备注 says 作废 — read as the fee rules read it — or None for other
    ledgers."""
    if typed.name != "fees" or "note" not in typed.frame.columns:
        return None
    return contains_column(typed.frame["note"], VOID)


def _stated_fen(ledger: Ledger, fields: list[str]) -> dict[str, list[Any]]:
    """Per field, what each total row states, in fen — or None (blank) or BAD — with one
    to_fen over all of a field's totals instead of one per total row."""
    out: dict[str, list[Any]] = {}
    for name in fields:
        stated = [None if total.scope == "skip" else parse_number(total.values.get(name))
                  for total in ledger.totals]
        numbers = [k for k, number in enumerate(stated) if number is not None and number is not BAD]
        multiplier = ledger.units.get(name, 1)
        fen = to_fen(np.array([float(stated[k] * multiplier) for k in numbers], dtype=float))
        for k, value in zip(numbers, fen.tolist(), strict=True):
            stated[k] = value
        out[name] = stated
    return out


def _amount(fen: float, type_name: str) -> str:
    if type_name == "money":
        return fen_text(fen)
    value = fen / 100
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def check_stated_sums(typed: TypedLedger, tolerance_fen: int) -> list[Finding]:
    """Every StatedSum of the ledger re-added: an arithmetic finding on the stated cell where
    it differs; nothing where a term is unreadable (that cell is already reported)."""
    ledger = typed.ledger
    findings: list[Finding] = []
    for stated_sum in ledger.sums:
        finding = _check_one(ledger, stated_sum, tolerance_fen)
        if finding is not None:
            findings.append(finding)
    return findings


def _check_one(ledger: Ledger, s: StatedSum, tolerance_fen: int) -> Finding | None:
    column = column_letter(s.column)
    stated = parse_number(s.stated)
    if stated is None:
        if not s.blank_is_zero:
            return None
        stated = 0
    if stated is BAD:
        if s.stated_is_data:
            return None  # typed.py reports the cell as bad_type already
        return Finding(
            kind="bad_type", ledger=ledger.name, path=ledger.path, sheet=ledger.sheet, row=s.row,
            column=column, field=s.field, header=s.header, value=display(s.stated),
            message=bad_type_message(s.row, s.header, s.stated, "money" if s.money else "quantity"),
        )
    total = 0
    for sign, raw, _row, _col in s.terms:
        value = parse_number(raw)
        if value is BAD:
            return None
        if value is not None:
            total += sign * value
    stated_fen = float(to_fen(np.array([float(stated * s.unit)]))[0])
    computed_fen = float(to_fen(np.array([float(total * s.unit)]))[0])
    tolerance = tolerance_fen if s.money else 0.0001
    if abs(stated_fen - computed_fen) <= tolerance:
        return None
    shown = display(s.stated) if s.stated is not None else "（空）"
    expected = _amount(computed_fen, "money" if s.money else "quantity")
    return Finding(
        kind="arithmetic", ledger=ledger.name, path=ledger.path, sheet=ledger.sheet, row=s.row,
        column=column, field=s.field, header=s.header, value=display(s.stated),
        message=f"第{s.row}行 {s.label} {s.header} {shown}：应为 {expected}（{s.what}）",
    )
