"""What an asset's 使用状况 and a count row's 盘点状态 mean, in one place for the rules, the
validation and the summaries.

使用状况 as the asset systems write it: 在用, 闲置, 出租, 出借, 待处置, 待报废 are assets on the
books; 已报废 — and 报废, 处置, 已处置 in older exports — are disposed: not in the general
ledger, not expected in the count, left out of the summaries by category.

盘点状态 / 盘点结果 as stocktake apps and bursars write it: 已盘, 正常, 相符 (found); 未盘, 未找到
(not found); 盘亏 (short: nothing, or less than the books, found); 盘盈 (found, not on the
books); 位置异常, 位置变动 (found elsewhere).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

DISPOSED = frozenset({"已报废", "报废", "处置", "已处置"})

# A count row's status, by the words in it. SHORT (盘亏) may come with a part of the quantity
# found (38 of 40 desks); NOT_FOUND (未盘, 未找到) is nothing found, whatever quantity an app
# copied into 实盘数量.
FOUND, NOT_FOUND, SHORT, SURPLUS, MOVED = "found", "not_found", "short", "surplus", "moved"
_NOT_FOUND = re.compile(r"未盘|未找到|未发现|丢失|遗失|缺失|灭失")
_SHORT = re.compile(r"盘亏|短缺")
_SURPLUS = re.compile(r"盘盈")
_MOVED = re.compile(r"位置|地点|调拨未办|存放不符")


def _fold(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))


def is_disposed(value: object) -> bool:
    return _fold(value) in DISPOSED


def disposed_mask(statuses: pd.Series) -> np.ndarray:
    """Which rows hold a disposed asset (a bool array; a blank status is not disposed)."""
    codes, uniques = pd.factorize(statuses.to_numpy(dtype=object))
    table = np.array([is_disposed(v) for v in uniques] + [False], dtype=bool)
    return table[codes]


def count_state(value: object) -> str:
    """FOUND, NOT_FOUND, SHORT, SURPLUS or MOVED for a 盘点状态 (FOUND when blank or unknown:
    the quantities and places then speak for themselves)."""
    text = _fold(value)
    if not text:
        return FOUND
    if _SURPLUS.search(text):
        return SURPLUS
    if _NOT_FOUND.search(text):
        return NOT_FOUND
    if _SHORT.search(text):
        return SHORT
    if _MOVED.search(text):
        return MOVED
    return FOUND
