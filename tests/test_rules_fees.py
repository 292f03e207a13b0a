"""Fees: 按章收费, receipts without gaps, and 收支两条线."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from ledger_set import check_sheets, consistent_sheets, of_kind

from houqin_xl.config import Config


def test_paid_plus_waived_above_due_is_fee_balance_on_the_paid_cell(tmp_path):
    sheets = consistent_sheets()
    sheets["收费台账"][3][8] = 550  # 550 paid + 100 waived on a 600 due
    sheets["缴款登记"][2][1] = 1050
    found = of_kind(check_sheets(tmp_path, sheets), "fee_balance")
    assert [(f.row, f.column, f.field) for f in found] == [(4, "I", "paid")]


def test_refund_above_paid_is_fee_balance_on_the_refund_cell(tmp_path):
    sheets = consistent_sheets()
    sheets["收费台账"][1][9] = 80  # 80 refunded of 50 paid
    sheets["缴款登记"][1][1] = 20
    found = of_kind(check_sheets(tmp_path, sheets), "fee_balance")
    assert [(f.row, f.column, f.field) for f in found] == [(2, "J", "refunded")]


def test_a_negative_paid_is_one_bad_value_not_also_a_refund_above_it(tmp_path):
    sheets = consistent_sheets()
    sheets["收费台账"][1][8] = -50
    sheets["缴款登记"][1][1] = 950
    result = check_sheets(tmp_path, sheets)
    assert [(f.row, f.column) for f in of_kind(result, "bad_value") if f.field == "paid"] == [(2, "I")]
    assert of_kind(result, "fee_balance") == []


def test_negative_refund_is_bad_value(tmp_path):
    sheets = consistent_sheets()
    sheets["收费台账"][5][9] = -100
    sheets["缴款登记"][2][1] = 1200
    found = [f for f in of_kind(check_sheets(tmp_path, sheets), "bad_value") if f.field == "refunded"]
    assert [(f.row, f.column) for f in found] == [(6, "J")]


def test_unpaid_row_needs_no_receipt_but_a_paid_row_does(tmp_path):
    sheets = consistent_sheets()
    assert of_kind(check_sheets(tmp_path, sheets), "missing") == []
    sheets["收费台账"][2][10] = None  # S002 paid 50 without a receipt number
    found = of_kind(check_sheets(tmp_path, sheets), "missing")
    assert [(f.row, f.column) for f in found] == [(3, "K")]


def test_due_different_from_the_standard_is_bad_value(tmp_path):
    sheets = consistent_sheets()
    sheets["收费台账"][2][6] = 60
    sheets["收费台账"][2][8] = 60
    sheets["缴款登记"][1][1] = 110
    result = check_sheets(tmp_path, sheets)
    found = [f for f in of_kind(result, "bad_value") if f.field == "due"]
    assert [(f.row, f.column) for f in found] == [(3, "G")]
    assert "50.00" in found[0].message
    rec = next(r for r in result.reconciliations if r.rule == "fee_standards"
               and r.key["item"] == "作业本费")
    assert rec.status == "mismatch"


def test_grade_specific_standard_beats_the_school_wide_one(tmp_path):
    sheets = consistent_sheets()
    sheets["收费标准"].append(["作业本费", "一年级", 60])
    found = [f for f in of_kind(check_sheets(tmp_path, sheets), "bad_value") if f.field == "due"]
    assert [f.row for f in found] == [2, 3]


def test_missing_receipt_number_is_a_gap_keyed_by_the_number(tmp_path):
    sheets = consistent_sheets()
    sheets["收费台账"][5][10] = "A0000006"  # A0000004 and A0000005 never appear
    result = check_sheets(tmp_path, sheets)
    found = of_kind(result, "receipt_gap")
    assert [(f.key, f.row, f.column) for f in found] == [
        ({"receipt_no": "A0000004"}, None, None), ({"receipt_no": "A0000005"}, None, None)]


def test_voided_receipt_in_settings_or_on_a_row_is_not_a_gap(tmp_path):
    sheets = consistent_sheets()
    sheets["收费台账"][5][10] = "A0000006"
    config = Config(voided_receipts=["A0000004"])
    sheets["收费台账"].append(["2026秋", "一年级", "一(1)班", None, "（作废）", "作业本费", None, None, 0,
                              0, "A0000005", None, "陈会计", "作废"])
    assert of_kind(check_sheets(tmp_path, sheets, config=config), "receipt_gap") == []


def test_duplicate_receipt_is_reported_on_the_later_row(tmp_path):
    sheets = consistent_sheets()
    sheets["收费台账"][2][10] = "A0000001"
    found = of_kind(check_sheets(tmp_path, sheets), "duplicate")
    assert [(f.row, f.column) for f in found] == [(3, "K")]
    assert "第2行" in found[0].message


def test_one_receipt_for_a_students_several_items_paid_at_once_is_no_duplicate(tmp_path):
    # As a fee system exports a payment: a line per item under the one receipt.
    sheets = consistent_sheets()
    term = sheets["收费台账"][1][0]
    sheets["收费台账"].insert(2, [term, "一年级", "一(1)班", "S001", "张三", "伙食费", 600, 0, 600, 0,
                              "A0000001", dt.date(2026, 11, 2), "陈会计", None])
    sheets["缴款登记"][1][1] += 600
    assert of_kind(check_sheets(tmp_path, sheets), "duplicate") == []
    # The same receipt for the same student on another day is a duplicate again.
    sheets["收费台账"][2][11] = dt.date(2026, 11, 3)
    sheets["缴款登记"][1][1] -= 600
    sheets["缴款登记"][2][1] += 600
    found = of_kind(check_sheets(tmp_path, sheets), "duplicate")
    assert [(f.row, f.column) for f in found] == [(3, "K")]


def test_short_deposit_is_a_deposit_mismatch_keyed_by_date(tmp_path):
    sheets = consistent_sheets()
    sheets["缴款登记"][2][1] = 900
    result = check_sheets(tmp_path, sheets)
    found = of_kind(result, "deposit_mismatch")
    assert [(f.key, f.ledger, f.row) for f in found] == [({"date": "2026-11-03"}, "deposits", None)]
    rec = next(r for r in result.reconciliations if r.key == {"date": "2026-11-03"})
    assert (rec.left, rec.right, rec.difference) == ("1000.00", "900.00", "100.00")


def _refunded_on(day: dt.date) -> dict:
    """The consistent set with a 退费日期 column: 钱七's refund of 100 (row 6) made on `day`."""
    sheets = consistent_sheets()
    fees = sheets["收费台账"]
    fees[0].append("退费日期")
    for row in fees[1:]:
        row.append(None)
    fees[5][14] = day
    return sheets


def test_refund_dated_by_its_own_refund_date(tmp_path):
    sheets = _refunded_on(dt.date(2026, 11, 9))  # the 100 went back to the parent on the 9th
    sheets["缴款登记"][2][1] = 1100
    sheets["缴款登记"].append([dt.date(2026, 11, 9), -100, "JK003"])
    result = check_sheets(tmp_path, sheets)
    # A negative deposit slip is itself a bad value; the day's money still has to balance.
    assert of_kind(result, "deposit_mismatch") == []


def test_period_deposits_compare_the_month_as_a_whole(tmp_path):
    sheets = consistent_sheets()
    sheets["缴款登记"][1:] = [[dt.date(2026, 11, 30), 1100, "JK009"]]
    daily = check_sheets(tmp_path, sheets)
    assert len(of_kind(daily, "deposit_mismatch")) == 3
    monthly = check_sheets(tmp_path, sheets, config=Config(deposit_frequency="period"))
    assert of_kind(monthly, "deposit_mismatch") == []
    assert [r.key for r in monthly.reconciliations if r.rule == "deposits"] == [{"period": "2026-11"}]


def test_fee_paid_after_the_period_is_reported_and_not_in_this_months_deposits(tmp_path):
    sheets = consistent_sheets()
    sheets["收费台账"].append(["2026秋", "一年级", "一(1)班", "S006", "孙八", "作业本费", 50, 0, 50, 0,
                              "A0000005", dt.date(2026, 12, 1), "陈会计", None])
    result = check_sheets(tmp_path, sheets)
    late = [f for f in of_kind(result, "bad_value") if f.field == "paid_on"]
    assert [f.row for f in late] == [7]
    assert of_kind(result, "deposit_mismatch") == []


def test_a_period_with_nothing_paid_or_deposited_says_the_deposits_were_not_compared(tmp_path):
    # The fees and the slips are all November's; checked as October, no day is compared: that
    # is said with the dates the ledgers hold, never a silent "0 errors".
    result = check_sheets(tmp_path, consistent_sheets(), period="2026-10")
    assert [r for r in result.reconciliations if r.rule == "deposits"] == []
    skipped = [s for s in result.skipped_rules if s["rule"] == "deposits"]
    assert len(skipped) == 1
    assert "2026-10" in skipped[0]["reason"] and "缴费日期：2026-11-02 至 2026-11-03" in skipped[0]["reason"]


@pytest.mark.parametrize(("paid_total", "wrong"), [(1200, False), (1250, False), (1300, True)])
def test_a_合计_may_leave_a_voided_rows_figures_out(tmp_path, paid_total, wrong):
    # 1200 without the voided 50, 1250 with it: both are the bursar's sums; 1300 is neither.
    sheets = consistent_sheets()
    term = sheets["收费台账"][1][0]
    sheets["收费台账"] += [
        [term, "一年级", "一(1)班", "S006", "孙八", "作业本费", 50, 0, 50, 0, "A0000005",
         dt.date(2026, 11, 3), "陈会计", "作废"],
        ["合计", None, None, None, None, None, 1900 + (paid_total - 1200), 100, paid_total, 100]]
    found = [(f.row, f.column) for f in of_kind(check_sheets(tmp_path, sheets), "arithmetic")]
    assert found == ([(8, "G"), (8, "I")] if wrong else [])


def test_a_refund_dated_after_the_period_is_reported_on_its_date(tmp_path):
    sheets = _refunded_on(dt.date(2026, 12, 2))  # 钱七's 100 goes back in December
    sheets["缴款登记"][2][1] = 1100  # November's deposits hold it still
    result = check_sheets(tmp_path, sheets)
    late = [f for f in of_kind(result, "bad_value") if f.field == "refunded_on"]
    assert [(f.row, f.column) for f in late] == [(6, "O")]
    assert of_kind(result, "deposit_mismatch") == []


@pytest.mark.parametrize("paid,mismatch", [
    (50.005, False),  # 50.005 rounds half up to 50.01: 50.01 + 50.01 = the 100.02 deposited
    (50.004, True),   # 50.004 is 50.00: one fen short of the slip
])
def test_money_is_compared_in_fen_with_zero_tolerance(tmp_path, paid, mismatch):
    sheets = consistent_sheets()
    for row in (1, 2):
        sheets["收费台账"][row][6] = 50.01
    sheets["收费标准"][1][2] = 50.01
    sheets["收费台账"][1][8] = 50.01
    sheets["收费台账"][2][8] = paid
    sheets["缴款登记"][1][1] = 100.02
    found = of_kind(check_sheets(tmp_path, sheets, config=Config(tolerance=Decimal("0"))), "deposit_mismatch")
    assert bool(found) is mismatch


def test_default_tolerance_forgives_one_fen(tmp_path):
    sheets = consistent_sheets()
    sheets["缴款登记"][1][1] = 100.01
    assert of_kind(check_sheets(tmp_path, sheets), "deposit_mismatch") == []
    sheets["缴款登记"][1][1] = 100.02
    assert len(of_kind(check_sheets(tmp_path, sheets), "deposit_mismatch")) == 1


def test_class_subtotal_with_digits_and_cashier_footer_are_not_data(tmp_path):
    sheets = consistent_sheets()
    fees = sheets["收费台账"]
    fees.append(["101班 小计", None, None, None, None, None, 1900, 100, 1200, 100, None, None, None, None])
    fees.append([])
    fees.append(["收款人：陈会计", None, None, "审核：王校长"])
    result = check_sheets(tmp_path, sheets)
    assert [f.message for f in result.findings] == []
    fees[6][8] = 1300  # and the subtotal is still checked
    found = [f for f in check_sheets(tmp_path, sheets).findings if f.kind == "arithmetic"]
    assert [(f.row, f.column) for f in found] == [(7, "I")]
