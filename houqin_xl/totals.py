"""The bursar's own 小计 / 合计 rows, checked against the data rows they sum.

A 小计 (or 本月合计) sums its block: the data rows since the previous subtotal or total row.
A 合计 (总计) sums every data row above it. 本年累计 and 承前页 carry rows that are not on the
sheet, so they are not checked. A bursar's 合计 includes disposed assets; it is never compared
with the general ledger.
"""

from __future__ import annotations

import numpy as np

from .findings import Finding
from .grid import column_letter
from .money import fen_text, to_fen
from .parse import BAD, display, parse_number
from .typed import ROW, TypedLedger, bad_type_message


def check_totals(typed: TypedLedger, tolerance_fen: int) -> list[Finding]:
    ledger = typed.ledger
    fields = [f for f in ledger.schema.totals if f in ledger.columns]
    if not ledger.totals or not fields:
        return []
    rows = typed.frame[ROW].to_numpy()
    sums = {f: to_fen(typed.frame[f].to_numpy(float)) for f in fields}
    # Per field, the data rows whose cell could not be read (usually none at all).
    bad_rows = {f: np.isin(rows, [r for r, name in typed.bad_cells if name == f]) for f in fields}
    findings: list[Finding] = []
    block_start = 0  # Excel row after which the current block begins
    for total in ledger.totals:
        scope = total.scope
        if scope == "skip":
            block_start = total.row
            continue
        low = block_start if scope == "block" else 0
        members = (rows > low) & (rows < total.row)
        first, last = (int(rows[members].min()), int(rows[members].max())) if members.any() else (0, 0)
        for name in fields:
            raw = total.values.get(name)
            header = ledger.headers[name]
            column = column_letter(ledger.columns[name])
            stated = parse_number(raw)
            if stated is None:
                continue
            if stated is BAD:
                findings.append(Finding(
                    kind="bad_type", ledger=ledger.name, path=ledger.path, sheet=ledger.sheet,
                    row=total.row, column=column, field=name, header=header, value=display(raw),
                    message=bad_type_message(total.row, header, raw, ledger.schema.field(name).type),
                ))
                continue
            if bad_rows[name][members].any():
                continue  # a summed cell is unreadable (already bad_type): the sum is unknown
            stated_fen = to_fen(np.array([float(stated * ledger.units.get(name, 1))]))[0]
            values = sums[name][members]
            computed = float(np.nansum(values))
            if abs(stated_fen - computed) > tolerance_fen:
                span = f"第{first}–{last}行" if members.any() else "无数据行"
                findings.append(Finding(
                    kind="arithmetic", ledger=ledger.name, path=ledger.path, sheet=ledger.sheet,
                    row=total.row, column=column, field=name, header=header, value=display(raw),
                    message=(f"第{total.row}行 {total.label} {header} {display(raw)}："
                             f"应为 {_amount(computed, ledger.schema.field(name).type)}（{span}之和）"),
                ))
        block_start = total.row
    return findings


def _amount(fen: float, type_name: str) -> str:
    if type_name == "money":
        return fen_text(fen)
    value = fen / 100
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
