"""收支两条线 with the bank books the school already keeps: the cashier's 银行存款日记账 or the
bank's own statement stands for the deposits list. Money in is a deposit, money out is not an
error, and the book's running 余额 and 本月合计 are re-added."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from builders import FEES_HEADER, cells, describe, fee_rows, ledger, run, write_workbook

from houqin_xl.ledgers.recognise import recognise_grid
from houqin_xl.ledgers.schemas import load_schemas
from houqin_xl.read import read_paths

D = dt.date
JOURNAL = "银行存款日记账"
# (date, voucher, 摘要, money in, money out). Agrees with builders.fee_rows(): 120.00 collected
# on 11-03 and 100.00 on 11-04, each deposited that day.
LINES: list[tuple[D, str, str, str | None, str | None]] = [
    (D(2026, 11, 3), "记-001", "存入代收费", "120.00", None),
    (D(2026, 11, 4), "记-002", "存入代收费（现金）", "100.00 ", None),
    (D(2026, 11, 10), "记-003", "支付食堂食材款", None, "1,500.00"),
    (D(2026, 11, 30), "记-004", "银行手续费", None, "2.50"),
]
OPENING = Decimal("5000.00")


def _amount(text: str | None) -> Decimal:
    return Decimal(text.replace(",", "").strip()) if text else Decimal(0)


def journal_rows(lines=LINES, opening: Decimal = OPENING) -> list[list[Any]]:
    """The cashier's book: title, account line, 日期 | 凭证号 | 摘要 | 借方 | 贷方 | 余额, 上月结转,
    the month's lines, 本月合计 and 本年累计, a signature line."""
    rows: list[list[Any]] = [
        ["银行存款日记账"],
        ["账户：代收费专户（农行城南支行）", None, None, None, "单位：元"],
        ["日期", "凭证号", "摘要", "借方", "贷方", "余额"],
        [D(2026, 11, 1), None, "上月结转", None, None, float(opening)],
    ]
    balance, money_in, money_out = opening, Decimal(0), Decimal(0)
    for day, voucher, summary, cash_in, cash_out in lines:
        balance += _amount(cash_in) - _amount(cash_out)
        money_in += _amount(cash_in)
        money_out += _amount(cash_out)
        rows.append([day, voucher, summary, cash_in, cash_out, float(balance)])
    rows.append([None, None, "本月合计", float(money_in), float(money_out), float(balance)])
    rows.append([None, None, "本年累计", 99999.0, 88888.0, float(balance)])  # earlier months: off the page
    rows.append([])
    rows.append(["出纳：陈静", None, None, "会计：李秀英"])
    return rows


def write_set(tmp_path: Path, book: dict[str, list[list[Any]]], suffix: str = ".xlsx",
              merges: dict[str, list[str]] | None = None) -> list[Path]:
    return [write_workbook(tmp_path / f"银行{suffix}", book, merges),
            write_workbook(tmp_path / "收费台账.xlsx", {"收费台账": [FEES_HEADER, *fee_rows()]})]


def deposit_recs(checked: Any) -> dict[str, tuple[str, str, str]]:
    return {r.key["date"]: (r.left, r.right, r.status) for r in checked.result.reconciliations
            if r.rule == "deposits"}


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_the_bank_journal_is_the_deposits_side_of_the_fee_ledger(tmp_path, suffix):
    checked = run(*write_set(tmp_path, {JOURNAL: journal_rows()}, suffix))
    assert checked.result.findings == [], describe(checked.result.findings)
    assert deposit_recs(checked) == {"2026-11-03": ("120.00", "120.00", "ok"),
                                     "2026-11-04": ("100.00", "100.00", "ok")}
    deposits = ledger(checked, "deposits")
    # Money-in lines only: not the opening, the withdrawals, the totals or the signature line.
    assert deposits.frame["_row"].tolist() == [5, 6]
    assert deposits.frame["slip_no"].tolist() == ["记-001", "记-002"]
    assert deposits.ledger.layout == "journal"
    assert deposits.ledger.context["账户"] == "代收费专户(农行城南支行)"


def test_a_short_day_is_a_deposit_mismatch_on_that_day(tmp_path):
    lines = list(LINES)
    lines[1] = (D(2026, 11, 4), "记-002", "存入代收费", "90.00", None)
    checked = run(*write_set(tmp_path, {JOURNAL: journal_rows(lines)}))
    found = [(f.kind, f.key) for f in checked.result.findings]
    assert found == [("deposit_mismatch", {"date": "2026-11-04"})], describe(checked.result.findings)
    assert deposit_recs(checked)["2026-11-04"] == ("100.00", "90.00", "mismatch")


def test_a_wrong_running_balance_is_reported_on_its_余额_cell(tmp_path):
    rows = journal_rows()
    rows[4][5] = 5130.0  # 5000 + 120 = 5120
    checked = run(*write_set(tmp_path, {JOURNAL: rows}))
    found = [(f.row, f.column) for f in checked.result.findings if f.kind == "arithmetic"]
    # The wrong figure, and the line after it that was carried on from it.
    assert found == [(5, "F"), (6, "F")]
    first = next(f for f in checked.result.findings if f.row == 5)
    assert "应为 5120.00" in first.message and "上一余额（第4行）+收入−支出" in first.message


def test_a_wrong_本月合计_is_reported_on_the_total_cell(tmp_path):
    rows = journal_rows()
    total = next(i for i, line in enumerate(rows) if len(line) > 2 and line[2] == "本月合计")
    rows[total][4] = 1500.0  # the month's withdrawals are 1502.50
    checked = run(*write_set(tmp_path, {JOURNAL: rows}))
    assert {(f.row, f.column, f.kind) for f in checked.result.findings} == {(total + 1, "E", "arithmetic")}


def test_an_unreadable_withdrawal_is_bad_type_and_breaks_no_other_check(tmp_path):
    rows = journal_rows()
    rows[6][4] = "1,5OO.00"
    checked = run(*write_set(tmp_path, {JOURNAL: rows}))
    assert cells(checked) == {(JOURNAL, 7, "E", "bad_type")}, describe(checked.result.findings)


def test_the_bank_statement_newest_first_with_收入_支出(tmp_path):
    """The bank's own export: 交易日期, 收入金额 | 支出金额, 账户余额, the counterpart's name and
    account, the newest line at the top."""
    rows = [["中国农业银行账户交易明细"],
            ["交易日期", "交易流水号", "摘要", "收入金额", "支出金额", "账户余额", "对方户名", "对方账号"],
            ["2026-11-10", "NS0004", "转账支出", None, "1,500.00", "3,720.00", "江州市粮油公司", "6228…"],
            ["2026-11-04", "NS0003", "现金存入", "100.00", None, "5,220.00", None, None],
            ["2026-11-03", "NS0002", "现金存入", "120.00", None, "5,120.00", None, None],
            ["2026-11-01", "NS0001", "结息", "0.00", None, "5,000.00", None, None]]
    checked = run(*write_set(tmp_path, {"交易明细": rows}))
    assert checked.result.findings == [], describe(checked.result.findings)
    assert deposit_recs(checked) == {"2026-11-03": ("120.00", "120.00", "ok"),
                                     "2026-11-04": ("100.00", "100.00", "ok")}
    assert ledger(checked, "deposits").frame["slip_no"].tolist() == ["NS0003", "NS0002"]


def test_a_statement_in_借方_贷方_takes_the_banks_贷方_as_money_in(tmp_path):
    rows = [["银行对账单"],
            ["交易日期", "摘要", "借方发生额", "贷方发生额", "余额", "对方户名"],
            [D(2026, 11, 3), "现金存入", None, 120, 5120, None],
            [D(2026, 11, 4), "现金存入", None, 100, 5220, None],
            [D(2026, 11, 10), "转账", 1500, None, 3720, "江州市粮油公司"]]
    checked = run(*write_set(tmp_path, {"对账单": rows}))
    assert checked.result.findings == [], describe(checked.result.findings)
    assert ledger(checked, "deposits").frame["amount"].tolist() == [120, 100]


def test_a_hand_kept_book_with_月_日_under_its_year(tmp_path):
    """月 and 日 under a 2026年 group, the month written once, a same-day line with no day."""
    rows = [["银行存款日记账"],
            ["2026年", None, "凭证号数", "摘要", "借方", "贷方", "余额"],
            ["月", "日", None, None, None, None, None],
            [11, 1, None, "上月结转", None, None, 5000],
            [None, 3, "银付1", "存入代收费", 70, None, 5070],
            [None, None, "银付2", "存入代收费", 50, None, 5120],
            [None, 4, "银付3", "存入代收费", 100, None, 5220],
            [None, None, None, "本月合计", 220, None, 5220]]
    merges = {JOURNAL: ["A2:B2", "C2:C3", "D2:D3", "E2:E3", "F2:F3", "G2:G3"]}
    checked = run(*write_set(tmp_path, {JOURNAL: rows}, merges=merges))
    assert checked.result.findings == [], describe(checked.result.findings)
    deposits = ledger(checked, "deposits")
    assert [d.date() for d in deposits.frame["date"]] == [D(2026, 11, 3)] * 2 + [D(2026, 11, 4)]
    # The second line's date is the day written on the line above: that cell is named.
    assert deposits.ledger.cell_of("date", 1) == (5, 2)
    assert deposit_recs(checked)["2026-11-03"] == ("120.00", "120.00", "ok")


def _recognised(path: Path) -> list[Any]:
    schemas = list(load_schemas().values())
    return [recognise_grid(grid, schemas) for grid in read_paths([path])]


def test_a_cash_journal_is_not_a_list_of_bank_deposits(tmp_path):
    rows = journal_rows()
    rows[0] = ["现金日记账"]
    rows[1] = ["库存现金", None, None, None, "单位：元"]
    [found] = _recognised(write_workbook(tmp_path / "现金日记账.xlsx", {"现金日记账": rows}))
    assert found.ledgers == [] and found.reason


def test_the_journal_of_another_account_is_not_taken(tmp_path):
    rows = journal_rows()
    rows[0] = ["应收账款明细账"]
    rows[1] = ["科目：应收账款", None, None, None, "单位：元"]
    [found] = _recognised(write_workbook(tmp_path / "明细账.xlsx", {"明细账": rows}))
    assert all(ledger.name != "deposits" for ledger in found.ledgers)


def test_a_stock_account_book_with_数量_单价_is_not_a_bank_book(tmp_path):
    rows = [["银行存款数量金额明细账"],
            ["日期", "凭证字号", "摘要", "借方", None, None, "贷方", None, None, "余额", None, None],
            [None, None, None, "数量", "单价", "金额", "数量", "单价", "金额", "数量", "单价", "金额"],
            [D(2026, 11, 3), "记-1", "购入", 10, 2, 20, None, None, None, 10, 2, 20]]
    [found] = _recognised(write_workbook(tmp_path / "a.xlsx", {"Sheet1": rows}))
    assert all(ledger.layout != "journal" for ledger in found.ledgers)


def test_a_red_ink_reversal_lowers_its_days_deposits_and_is_no_error(tmp_path):
    """A deposit booked twice and reversed in red (a negative 借方) under the same voucher."""
    lines = list(LINES)
    lines.insert(1, (D(2026, 11, 3), "记-001", "存入代收费（重复）", "120.00", None))
    lines.insert(2, (D(2026, 11, 3), "记-001", "冲销重复入账", "-120.00", None))
    checked = run(*write_set(tmp_path, {JOURNAL: journal_rows(lines)}))
    assert checked.result.findings == [], describe(checked.result.findings)
    assert deposit_recs(checked)["2026-11-03"] == ("120.00", "120.00", "ok")
