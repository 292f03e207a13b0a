"""The stores summary (数量金额余额表, 进销存统计, 库存汇总) against the books (明细账, 出入库登记):
账账相符 for the stores, run by stock_rollforward when both are present.

Per item — by code where both sides give one, else by name and spec — for the summary's own
period (its 期间 line; without one only the closing balance is compared, at the end of the
period being checked):
- 期初数量: the books' balance before the period;
- 本期入库 / 本期出库 数量 and 金额: the books' movements dated in the period;
- 期末数量 and 期末金额: the books' balance at the period's end — the 结存 the book states on
  its last row by then, or its running balance when it states none.
The books' balance is compared only where it stands on something: an opening row (上年结转,
期初余额) or a stated 结存; a log of receipts and issues without either says nothing about
what was in stock. A difference is a ledger_mismatch on the summary's cell; an item the
summary shows with stock or movements but that has no book (or the reverse) is a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...findings import Finding, Reconciliation
from .base import SOURCE, aggregate_finding, cell_finding, compare_money, compare_quantity, fen

if TYPE_CHECKING:
    from ...ledgers.typed import TypedLedger
    from ...period import Period

RULE = "stock_rollforward_summary"
_MONTH = re.compile(r"((?:19|20)\d{2})\s*[.\-/年]\s*(\d{1,2})")


def identity(code: Any, item: Any, spec: Any) -> tuple[str, str]:
    """(the item's identity, its name key): '#1403000_0001' where a code is given, else
    '=A4复印纸 70g' — the same identity stock_rollforward rolls forward by."""
    name = " ".join(t.strip() for t in (item, spec) if isinstance(t, str) and t.strip())
    text = code.strip() if isinstance(code, str) else ""
    return ("#" + text if text else "=" + name), name


def _period_of(text: str | None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """'2026.11-2026.11' → Nov 2026; '2026.01-2026.11' → Jan to Nov; '2018 年 5 月' → May."""
    found = _MONTH.findall(text or "")
    if not found:
        return None
    (y0, m0), (y1, m1) = found[0], found[-1]
    try:
        start = pd.Timestamp(dt.date(int(y0), int(m0), 1))
        end = pd.Timestamp(dt.date(int(y1), int(m1), 1)) + pd.offsets.MonthEnd(0)
    except ValueError:
        return None
    return start, end


class _Book:
    """One item's rows in the books, in date then sheet order, with the running balance."""

    def __init__(self, rows: pd.DataFrame) -> None:
        self.rows = rows
        self.grounded = bool(rows["opening"].any() or rows["balance_qty"].notna().any())

    def _before(self, when: pd.Timestamp, inclusive: bool) -> pd.DataFrame:
        dates = self.rows["date"]
        if inclusive:
            mask = dates.isna() | (dates <= when)
        else:
            mask = dates.isna() | (dates < when) | (self.rows["opening"] & (dates <= when))
        return self.rows[mask.to_numpy(bool)]

    def balance(self, when: pd.Timestamp | None, inclusive: bool = True) -> tuple[float, float | None, int | None]:
        """(quantity, amount or None, the book row it was read from) at `when`."""
        rows = self.rows if when is None else self._before(when, inclusive)
        if rows.empty:
            return 0.0, 0.0, None
        last = rows.iloc[-1]
        qty = last["balance_qty"] if not np.isnan(last["balance_qty"]) else last["running"]
        amount = None if np.isnan(last["balance_amount"]) else float(last["balance_amount"])
        return float(qty), amount, int(last["_row"])

    def moved(self, start: pd.Timestamp, end: pd.Timestamp, name: str) -> float:
        dates = self.rows["date"]
        inside = (dates >= start) & (dates <= end) & ~self.rows["opening"]
        return float(np.nansum(self.rows.loc[inside.to_numpy(bool), name].to_numpy(float)))


def _books(moves: pd.DataFrame) -> tuple[dict[str, _Book], dict[str, list[str]]]:
    """Each item's book by identity, and the identities each name key belongs to."""
    books: dict[str, _Book] = {}
    by_name: dict[str, list[str]] = {}
    for ident, rows in moves.groupby("identity", sort=False):
        books[str(ident)] = _Book(rows)
        by_name.setdefault(str(rows["name_key"].iloc[0]), []).append(str(ident))
    return books, by_name


def reconcile_summaries(summaries: list[TypedLedger], moves: pd.DataFrame, books_of: list[TypedLedger],
                        period: Period | None, tolerance_fen: int
                        ) -> tuple[list[Finding], list[Reconciliation]]:
    """Every summary's items against the books. `moves` are the books' rows as stock_rollforward
    ordered them, with their identity, name_key, running balance and Excel row."""
    books, by_name = _books(moves)
    matched: set[str] = set()
    findings: list[Finding] = []
    compared: list[Reconciliation] = []
    for typed in summaries:
        ledger = typed.ledger
        frame = typed.frame
        window = _period_of(ledger.context.get("期间"))
        end = window[1] if window else (pd.Timestamp(period.end) if period else None)
        uncompared: list[str] = []
        for position in range(len(frame)):
            record = frame.iloc[position]
            ident, name = identity(record.get("item_code"), record.get("item"), record.get("spec"))
            if ident not in books and len(by_name.get(name, [])) == 1:
                ident = by_name[name][0]  # one side gives codes, the other only names
            shown = _shown(record, name)
            book = books.get(ident)
            if book is None:
                if _has_figures(record):
                    findings.append(cell_finding(
                        typed, position, "closing_qty", "ledger_mismatch",
                        "余额表列有此物品的结存或收发，明细账中没有这一物品，未能核对",
                        severity="warning", key={"item": shown}))
                continue
            matched.add(ident)
            shown = str(book.rows["key"].iloc[0])  # as stock_rollforward names the item
            checks = _comparisons(book, record, window, end)
            if not checks:
                uncompared.append(shown)
            for rule, field, book_value, book_row, label, money in checks:
                stated = record.get(field)
                summary_value = 0.0 if stated is None or np.isnan(stated) else float(stated)
                compare = (compare_money(rule, {"item": shown}, float(fen(pd.Series([book_value]))[0]),
                                         float(fen(pd.Series([summary_value]))[0]), tolerance_fen,
                                         f"明细账{label}", f"{ledger.schema.title}{label}")
                           if money else
                           compare_quantity(rule, {"item": shown}, book_value, summary_value,
                                            f"明细账{label}", f"{ledger.schema.title}{label}"))
                compared.append(compare)
                if compare.status != "ok":
                    where = f"（明细账第{book_row}行）" if book_row else ""
                    findings.append(cell_finding(
                        typed, position, field, "ledger_mismatch",
                        f"与明细账不符：明细账{label} {compare.left}{where}，差额 {compare.difference}",
                        key={"item": shown}))
        if uncompared:
            # Never silent: items found on both sides that could not be compared are said.
            names = "、".join(uncompared[:5]) + ("等" if len(uncompared) > 5 else "")
            findings.append(aggregate_finding(
                typed, "ledger_mismatch", {"item": uncompared[0]},
                message=(f"{ledger.sheet}：{len(uncompared)}种物品（{names}）未能与明细账核对——"
                         "该表没有写明期间（本期收发无从对应），明细账也没有期初或结存"),
            ))
            findings[-1].severity = "warning"
    for ident, book in books.items():
        if ident in matched or not summaries:
            continue
        rows = book.rows
        if rows["in_qty"].fillna(0).any() or rows["out_qty"].fillna(0).any() or book.balance(None)[0]:
            first = rows.iloc[0]
            findings.append(aggregate_finding(
                books_of[int(first[SOURCE])], "ledger_mismatch", {"item": str(first["key"])},
                message=f"{first['key']}：明细账有收发或结存，余额表中没有这一物品，未能核对",
            ))
            findings[-1].severity = "warning"
    return findings, compared


def _shown(record: pd.Series, name: str) -> str:
    code = record.get("item_code")
    return f"{code} {name}".strip() if isinstance(code, str) and code else name


def _has_figures(record: pd.Series) -> bool:
    return any(not np.isnan(record.get(f, np.nan)) and record.get(f) != 0
               for f in ("opening_qty", "in_qty", "out_qty", "closing_qty", "closing_amount"))


def _comparisons(book: _Book, record: pd.Series, window: tuple[pd.Timestamp, pd.Timestamp] | None,
                 end: pd.Timestamp | None) -> list[tuple[str, str, float, int | None, str, bool]]:
    """(rule, summary field, the books' figure, its book row, what it is, money?) to compare."""
    out: list[tuple[str, str, float, int | None, str, bool]] = []
    if book.grounded:
        qty, amount, row = book.balance(end)
        out.append((RULE + "_closing", "closing_qty", qty, row, "期末结存数量", False))
        if amount is not None and "closing_amount" in record.index:
            out.append((RULE + "_closing_amount", "closing_amount", amount, row, "期末结存金额", True))
        if window is not None and "opening_qty" in record.index:
            qty, _amount, row = book.balance(window[0], inclusive=False)
            out.append((RULE + "_opening", "opening_qty", qty, row, "期初结存数量", False))
    if window is not None:
        start, stop = window
        for field, label, money in (("in_qty", "本期入库数量", False), ("in_amount", "本期入库金额", True),
                                    ("out_qty", "本期出库数量", False), ("out_amount", "本期出库金额", True)):
            if field in record.index and field in book.rows.columns and book.rows[field].notna().any():
                out.append((f"{RULE}_{field}", field, book.moved(start, stop, field), None, label, money))
    return out

