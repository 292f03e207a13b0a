"""The header of a bank book: the unit's own 银行存款日记账 or the bank's statement (对账单).

- 银行存款日记账: 日期 (or 月 | 日 under a `2026年` group), 凭证号 / 凭证字号, 摘要, 借方 | 贷方 |
  (方向) | 余额 — the unit's side: 借方 is money in.
- The bank's statement: 交易日期 / 交易时间, 摘要 / 交易用途, 收入金额 | 支出金额 (or 借方 | 贷方,
  where the bank's 贷方 is money in), 账户余额, 对方户名 / 对方账号, 流水号. It is told from a
  journal by those headers (交易日期, 对方户名, 收入 / 支出 …) or by its title (对账单, 交易明细).
A book with 数量 | 单价 columns is a stock account book, not a bank book.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...read.grid import Grid
from ..parse import normalise_text
from ..schemas import normalise_header
from .cells import HEADER_SEARCH_ROWS, MergeMap, squeeze

_WORDS = {
    "date": ["日期", "记账日期", "出纳日期", "交易日期", "交易时间", "入账日期", "业务日期", "发生日期",
             "凭证日期", "日期时间", "交易日", "记账日"],
    "month": ["月"], "day": ["日"],
    "voucher": ["凭证号", "凭证字号", "凭证编号", "凭证号数", "记账凭证号", "凭证", "凭证号码", "流水号",
                "交易流水号", "交易流水", "交易序号", "柜员流水号", "银行流水号"],
    "summary": ["摘要", "交易摘要", "摘要说明", "用途", "交易用途", "附言", "交易附言", "业务摘要", "摘要用途"],
    "debit": ["借方", "借方金额", "借方发生额", "借方发生"],
    "credit": ["贷方", "贷方金额", "贷方发生额", "贷方发生"],
    "in": ["收入", "收入金额", "存入", "存入金额", "收款", "收款金额", "转入金额", "来账金额", "入账金额"],
    "out": ["支出", "支出金额", "支取", "支取金额", "付款", "付款金额", "转出金额", "往账金额", "出账金额"],
    "balance": ["余额", "账户余额", "结余", "余额金额", "当前余额", "联机余额", "账面余额"],
    "direction": ["方向", "借或贷", "借贷方向", "余额方向"],
}
_ROLE_OF = {word: role for role, words in _WORDS.items() for word in words}
STATEMENT_HEADERS = frozenset(["交易日期", "交易时间", "对方户名", "对方账号", "对方账户", "对方单位",
                               "对方名称", "收入金额", "支出金额", "交易行名", "账户余额", "交易流水号",
                               "流水号", "对方行名", "对方开户行", "交易用途", "交易日", "来账金额"])
_STATEMENT_TITLE = re.compile(r"对账单|交易明细|账户明细|银行流水|流水明细|交易流水")
_BANK_TITLE = re.compile(r"银行|存款|对账单|流水|交易明细|账户明细|基本户|专户|零余额")
_CASH_TITLE = re.compile(r"现金日记账|库存现金")
# Headers of other books: stock (数量, 单价), fees (姓名, 收费项目), the general ledger (科目编码).
_FOREIGN = frozenset(["数量", "单价", "姓名", "学生姓名", "收费项目", "科目编码", "科目代码", "物品名称",
                      "资产编号"])
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass
class JournalHeader:
    rows: list[int]
    columns: dict[str, int]           # role → column
    shown: dict[str, str]             # role → header as shown
    statement: bool                   # the bank's statement rather than the unit's journal
    money_in: str                     # the role of the money-in column: 'debit', 'credit' or 'in'
    money_out: str
    year: int | None = None           # for 月 | 日 columns: from the group over them or the title
    title: list[tuple[int, int, str]] = field(default_factory=list)  # text above the header

    @property
    def data_start(self) -> int:
        return self.rows[-1] + 1


def _role(key: str) -> str | None:
    return _ROLE_OF.get(key)


def _title_lines(grid: Grid, merges: MergeMap, header_row: int) -> list[tuple[int, int, str]]:
    out = []
    for row in range(grid.first_row, header_row):
        for col in range(grid.first_col, grid.last_col + 1):
            if (row, col) in merges.cover:
                continue
            value = grid.cell(row, col)
            if isinstance(value, str) and value.strip():
                out.append((row, col, normalise_text(value)))
    return out


def _read(grid: Grid, merges: MergeMap, row: int) -> JournalHeader | None:
    columns: dict[str, int] = {}
    shown: dict[str, str] = {}
    keys: set[str] = set()
    deep = False
    year = None
    for col in range(grid.first_col, grid.last_col + 1):
        top_value = merges.value(row, col)
        top = normalise_header(top_value)[0]
        origin = merges.cover.get((row, col), (row, col))
        below = None if merges.cover.get((row + 1, col)) == origin else merges.value(row + 1, col)
        sub = normalise_header(below)[0] if row + 1 <= grid.last_row else ""
        keys |= {top, sub}
        role, text = _role(top), squeeze(top_value) if top_value is not None else ""
        sub_role = _role(sub) if sub else None
        if sub_role and (role is None or (role == "balance" and sub_role == "direction")):
            # A group over its parts: 2026年 over 月 | 日, 金额 over 借方 | 贷方 | 余额, 余额 over
            # 借或贷 | 金额. (Under a header that is a part itself, the row below is data.)
            deep = True
            match = _YEAR.search(normalise_text(str(top_value or "")))
            if match and sub_role in ("month", "day"):
                year = int(match.group(1))
            role, text = sub_role, squeeze(below)
        if role and role not in columns:
            columns[role] = col
            shown[role] = text
    if keys & _FOREIGN:
        return None
    has_date = "date" in columns or ("month" in columns and "day" in columns)
    money = ("debit" in columns and "credit" in columns) or ("in" in columns and "out" in columns)
    if not (has_date and "summary" in columns and money and "balance" in columns):
        return None
    title = _title_lines(grid, merges, row)
    title_text = " ".join([grid.sheet, *(t for _, _, t in title)])
    statement = bool(keys & STATEMENT_HEADERS or _STATEMENT_TITLE.search(title_text))
    if not statement and (_CASH_TITLE.search(title_text) and "银行" not in title_text):
        return None  # a cash journal: money into the cash box is not money in the bank
    if not (statement or _BANK_TITLE.search(title_text)):
        return None  # a journal of some other account: its 借方 is no deposit
    if "in" in columns and "out" in columns:
        money_in, money_out = "in", "out"
    elif statement:
        money_in, money_out = "credit", "debit"  # the bank's books: its 贷方 is the customer's money in
    else:
        money_in, money_out = "debit", "credit"
    if year is None:
        match = _YEAR.search(title_text)
        year = int(match.group(1)) if match else None
    rows = [row, row + 1] if deep else [row]
    return JournalHeader(rows, columns, shown, statement, money_in, money_out, year, title)


def find_journal_header(grid: Grid) -> JournalHeader | None:
    """The bank book header of this sheet, or None when it has none."""
    merges = MergeMap(grid, grid.first_row + HEADER_SEARCH_ROWS + 1)
    last = min(grid.last_row, grid.first_row + HEADER_SEARCH_ROWS)
    for row in range(grid.first_row, last + 1):
        keys = {normalise_header(merges.value(row, col))[0]
                for col in range(grid.first_col, grid.last_col + 1)}
        if not keys & frozenset(_WORDS["summary"]):
            continue
        header = _read(grid, merges, row)
        if header is not None:
            return header
    return None
