"""The chart of accounts as a 科目余额表 shows it: account codes, their hierarchy by code
prefix, and which accounts are the fixed assets (1601 固定资产) and their depreciation (1602
固定资产累计折旧).

Codes come as numbers (1001.0) or text ('1002', ' 1002.01.05', '100201'); a child's code starts
with its parent's (`1601` → `160101`; `1002` → `1002.01`). An account's parent is the longest
code on the sheet that its own code starts with, so any coding structure (4/2/2, 4/3/3, dotted)
works without being told; where the parent is not on the sheet the level is guessed from the
code's length (4 digits a level-1 account, then two digits a level).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

# A chart-of-accounts code: a level-1 code of four digits, then more digits or dotted parts.
ACCOUNT_CODE = re.compile(r"[1-9]\d{3}(?:\d*|(?:[.\-]\d{1,4})+)")
# The item codes of a 数量金额余额表 (1403000_0003): stock items, never general-ledger accounts.
ITEM_CODE = re.compile(r"\d{4,}_\w+")

ASSETS, DEPRECIATION = "1601", "1602"
# Level-1 names of the two families, in the government chart (政府会计制度: 1601 固定资产, 1602
# 固定资产累计折旧), the enterprise one (1601 固定资产, 1602 累计折旧) and the older 事业单位
# chart (1501 固定资产, 1502 累计折旧), whose codes differ.
_FAMILY_NAMES = {"固定资产": ASSETS, "固定资产原值": ASSETS, "累计折旧": DEPRECIATION,
                 "固定资产累计折旧": DEPRECIATION}
# What a child account's name may repeat of its parent's before its own (固定资产—通用设备,
# 固定资产累计折旧-房屋及构筑物, 累计折旧：设备).
_PARENT_PREFIX = re.compile(r"^\d*(?:固定资产累计折旧|固定资产原值|固定资产|累计折旧)[-—－–_/:：·.、]+(.+)$")


def code_text(value: Any) -> str:
    """A code cell as text: 1001.0 → '1001', ' 1002.01 ' → '1002.01', blank → ''."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def name_text(value: Any) -> str:
    """An account name without its indentation or inner spaces (`    通用设备` → `通用设备`)."""
    if value is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def code_key(code: str) -> str:
    """The code's digits alone, for comparing prefixes (`1002.01` → `100201`)."""
    return re.sub(r"\D", "", code)


def class_text(name: str) -> str:
    """The asset class a child of 1601 or 1602 names: its name less what it repeats of its
    parent (`固定资产累计折旧—房屋及构筑物` → `房屋及构筑物`); CategoryList.canonical makes the
    class of it."""
    m = _PARENT_PREFIX.match(name)
    return m.group(1) if m else name


@dataclass
class Account:
    """One account row: its Excel row, code and name, and its place in the hierarchy."""

    row: int
    code: str
    key: str
    name: str
    parent: int | None = None  # index of the parent account among the sheet's accounts
    level: int = 1
    family: str | None = None  # ASSETS or DEPRECIATION, for those accounts and their children
    is_class: bool = False     # a direct child of 1601 / 1602: its name is an asset class


def _level_from_length(key: str) -> int:
    return 1 if len(key) <= 4 else 2 + (len(key) - 5) // 2


def build_hierarchy(accounts: list[Account]) -> bool:
    """Give every account its parent, level and family, in place. Returns False when a code
    stands on more than one row (one row per currency or per 核算项目): then no account is a
    plain sum of others and the hierarchy is not used for sums."""
    first: dict[str, int] = {}
    repeated = False
    for index, account in enumerate(accounts):
        if account.key in first:
            repeated = True
        else:
            first[account.key] = index
    for account in accounts:
        for length in range(len(account.key) - 1, 3, -1):
            parent = first.get(account.key[:length])
            if parent is not None:
                account.parent = parent
                break
    # Parents come before their children on every export; where one does not, its level is
    # still right, as levels are settled parent first.
    for account in _parent_first(accounts):
        if account.parent is None:
            account.level = _level_from_length(account.key)
        else:
            account.level = accounts[account.parent].level + 1
    _families(accounts)
    return not repeated


def _parent_first(accounts: list[Account]) -> list[Account]:
    return sorted(accounts, key=lambda a: (len(a.key), a.row))


def _families(accounts: list[Account]) -> None:
    roots: set[int] = set()
    for index, account in enumerate(accounts):
        if account.parent is not None:
            continue
        if account.key in (ASSETS, DEPRECIATION):
            account.family = account.key
        elif len(account.key) == 4 and account.name in _FAMILY_NAMES:
            account.family = _FAMILY_NAMES[account.name]
        if account.family:
            roots.add(index)
    for account in _parent_first(accounts):
        if account.parent is not None:
            if accounts[account.parent].family:
                account.family = accounts[account.parent].family
                account.is_class = account.parent in roots
        elif account.family is None and account.key[:4] in (ASSETS, DEPRECIATION):
            # The children without their parent on the sheet (an export of level 2 only).
            account.family, account.is_class = account.key[:4], True


def roots(accounts: list[Account]) -> list[int]:
    """The level-1 accounts (those whose parent is not on the sheet): what 合计 adds up."""
    return [i for i, a in enumerate(accounts) if a.parent is None]


def children(accounts: list[Account]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for index, account in enumerate(accounts):
        if account.parent is not None:
            out.setdefault(account.parent, []).append(index)
    return out
