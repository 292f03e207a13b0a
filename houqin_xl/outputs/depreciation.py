"""The month's depreciation (折旧汇总): what the bursar books in the month's voucher.

Per 资产分类 and per 使用部门, over the assets on the books: 原值, 累计折旧 at the start of the
period (the end of the month before) and at its end, 本月应提折旧 (the difference: the figure of
the voucher, 借 业务活动费用 / 单位管理费用，贷 固定资产累计折旧), 净值 at the end, and beside
them the register's own 累计折旧 and the difference. The figures are the recomputed ones
(checks/rules/depreciation_schedule.py); an asset that could not be recomputed counts with the
register's figure and no charge, and the table's title says how many.

Headers avoid the ledgers' own header words (期末累计折旧, never 累计折旧), so a workbook carrying
these sheets is never taken for a register when read again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..checks.rules.depreciation_schedule import Schedule, charge_table

if TYPE_CHECKING:
    from ..check import Checked

COLUMNS = {"assets": "资产数", "original": "原值合计", "opening": "期初累计折旧", "charge": "本月应提折旧",
           "closing": "期末累计折旧", "net": "期末净值", "stated": "台账累计折旧"}
DIFFERENCE = "台账与重算之差"
LABELS = {"category": "资产分类", "department": "使用部门"}


def _yuan(fen: pd.Series) -> np.ndarray:
    return np.round(fen.to_numpy(float) / 100, 2)


def depreciation_table(schedule: Schedule, by: str) -> pd.DataFrame:
    """One row per class (or department) and a 合计 row; money in yuan."""
    table = charge_table(schedule, by)
    frame = pd.DataFrame({LABELS[by]: table[by].to_numpy(dtype=object)})
    frame[COLUMNS["assets"]] = table["assets"].astype(int).to_numpy()
    for column in ("original", "opening", "charge", "closing", "net", "stated"):
        frame[COLUMNS[column]] = _yuan(table[column])
    frame[DIFFERENCE] = _yuan(table["stated"] - table["closing"])
    return frame


def not_recomputed(schedule: Schedule) -> int:
    """Assets on the books whose 累计折旧 could not be recomputed (no date, no life)."""
    frame = schedule.frame[schedule.on_books]
    return int((frame["skipped"] != "").sum())


def month_charge(schedule: Schedule) -> float:
    """本月应提折旧 of all the assets on the books, in yuan."""
    frame = schedule.frame[schedule.on_books]
    return round(float(np.nansum(frame["charge"].to_numpy(float))) / 100, 2)


def pivot_rows(checked: Checked) -> list[list[object]]:
    """One row per asset on the books for the 汇总 button's PivotTable: 资产类, 部门名称, 件数,
    原值元, 期初累计折旧元, 本月折旧元, 期末累计折旧元, 净值元 (the same figures as the table)."""
    schedule = checked.depreciation
    if schedule is None:
        return []
    frame = schedule.frame[schedule.on_books]
    computed = (frame["skipped"] == "").to_numpy()
    stated = np.nan_to_num(frame["stated"].to_numpy(float))
    closing = np.where(computed, frame["expected"].to_numpy(float), stated)
    opening = np.where(computed, frame["opening"].to_numpy(float), stated)
    original = np.nan_to_num(frame["original"].to_numpy(float))
    rows = []
    for category, department, value, start, end in zip(
            frame["category"], frame["department"], original, opening, closing, strict=True):
        rows.append([_label(category), _label(department), 1, round(value / 100, 2),
                     round(start / 100, 2), round((end - start) / 100, 2), round(end / 100, 2),
                     round((value - end) / 100, 2)])
    return rows


PIVOT_HEADER = ["资产类", "部门名称", "件数", "原值元", "期初累计折旧元", "本月折旧元", "期末累计折旧元",
                "净值元"]


def _label(value: object) -> str:
    return value.strip() if isinstance(value, str) and value.strip() else "（未填）"
