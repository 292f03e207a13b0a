"""账账相符 and 账实相符: the register against the general ledger and against the count."""

from __future__ import annotations

import copy

import pytest
from ledger_set import check_sheets, consistent_sheets, of_kind, row_of


def test_consistent_set_has_no_findings_and_lists_every_comparison(tmp_path):
    result = check_sheets(tmp_path, consistent_sheets())
    assert [f.message for f in result.findings] == []
    rules = {r.rule for r in result.reconciliations}
    assert {"assets_vs_gl", "assets_vs_count", "stock_rollforward", "fee_standards",
            "receipts", "deposits"} <= rules
    assert all(r.status == "ok" for r in result.reconciliations)
    total = next(r for r in result.reconciliations
                 if r.rule == "assets_vs_gl" and r.key == {"category": "合计"})
    # The disposed projector (3000) is on the register but not in the general ledger's total.
    assert (total.left, total.right, total.difference) == ("68800.00", "68800.00", "0.00")


def test_category_balance_off_by_1000_is_a_ledger_mismatch_keyed_by_category(tmp_path):
    sheets = consistent_sheets()
    sheets["总账"][1][2] = 20800
    result = check_sheets(tmp_path, sheets)
    found = of_kind(result, "ledger_mismatch")
    assert [(f.key, f.row, f.column) for f in found] == [
        ({"category": "通用设备"}, None, None), ({"category": "合计"}, None, None)]
    rec = next(r for r in result.reconciliations
               if r.rule == "assets_vs_gl" and r.key == {"category": "通用设备"})
    assert (rec.left, rec.right, rec.difference, rec.status) == (
        "21800.00", "20800.00", "1000.00", "mismatch")
    assert found[0].ledger == "fixed_assets" and found[0].sheet == "固定资产台账"


def test_gl_quantity_disagreement_is_reported(tmp_path):
    sheets = consistent_sheets()
    sheets["总账"][2][1] = 2
    found = of_kind(check_sheets(tmp_path, sheets), "ledger_mismatch")
    assert {f.key["category"] for f in found} == {"专用设备", "合计"}
    assert all("数量" in f.message for f in found)


def test_disposed_assets_are_left_out_of_the_gl_comparison(tmp_path):
    sheets = consistent_sheets()
    sheets["总账"][1][2] = 24800  # as if the disposed projector were still counted
    found = of_kind(check_sheets(tmp_path, sheets), "ledger_mismatch")
    assert found and found[0].key == {"category": "通用设备"}


def test_category_written_as_code_still_matches_the_gl(tmp_path):
    sheets = consistent_sheets()
    sheets["固定资产台账"][1][2] = "2"
    sheets["固定资产台账"][2][2] = "2 通用设备"
    result = check_sheets(tmp_path, sheets)
    assert of_kind(result, "ledger_mismatch") == []
    assert of_kind(result, "bad_value") == []


def test_uncounted_asset_is_count_missing_on_its_register_row(tmp_path):
    sheets = consistent_sheets()
    del sheets["盘点表"][2]  # A002 not found
    found = of_kind(check_sheets(tmp_path, sheets), "count_missing")
    assert [(f.sheet, f.row, f.column, f.key) for f in found] == [
        ("固定资产台账", row_of(sheets, "固定资产台账", "A002"), "A", {"asset_id": "A002"})]


def test_disposed_asset_is_not_expected_in_the_count(tmp_path):
    sheets = consistent_sheets()
    assert "A005" not in [r[0] for r in sheets["盘点表"]]
    assert of_kind(check_sheets(tmp_path, sheets), "count_missing") == []


def test_counted_asset_not_on_register_is_count_extra_on_the_count_row(tmp_path):
    sheets = consistent_sheets()
    sheets["盘点表"].append(["A099", "电子琴", "音乐室", 1, "王老师", None])
    found = of_kind(check_sheets(tmp_path, sheets), "count_extra")
    assert [(f.sheet, f.row, f.column, f.ledger) for f in found] == [
        ("盘点表", len(sheets["盘点表"]), "A", "asset_count")]


def test_quantity_and_location_differences_are_count_diff_on_the_register_row(tmp_path):
    sheets = consistent_sheets()
    sheets["盘点表"][4][3] = 38          # A004: 38 desks found, 40 on the books
    sheets["盘点表"][1][2] = "行政楼2楼"  # A001 moved without a transfer
    found = of_kind(check_sheets(tmp_path, sheets), "count_diff")
    cells = sorted((f.row, f.column) for f in found)
    assert cells == [(row_of(sheets, "固定资产台账", "A001"), "I"),
                     (row_of(sheets, "固定资产台账", "A004"), "D")]


def test_location_written_with_fullwidth_digits_and_spaces_is_the_same_place(tmp_path):
    sheets = consistent_sheets()
    sheets["盘点表"][1][2] = "３０１ 教室"
    assert of_kind(check_sheets(tmp_path, sheets), "count_diff") == []


def test_asset_acquired_after_period_is_reported_but_still_counted(tmp_path):
    sheets = consistent_sheets()
    sheets["固定资产台账"][6][6] = "2026-12-05"  # A006 books dated in December
    result = check_sheets(tmp_path, sheets)
    late = [f for f in of_kind(result, "bad_value") if f.field == "acquired_on"]
    assert [(f.row, f.column) for f in late] == [(7, "G")]
    assert of_kind(result, "ledger_mismatch") == []  # still in the totals
    assert of_kind(result, "count_missing") == []


@pytest.mark.parametrize("missing_sheet,rule", [("总账", "assets_vs_gl"), ("盘点表", "assets_vs_count")])
def test_a_rule_without_its_ledger_is_listed_as_skipped(tmp_path, missing_sheet, rule):
    sheets = copy.deepcopy(consistent_sheets())
    del sheets[missing_sheet]
    result = check_sheets(tmp_path, sheets)
    assert rule in {s["rule"] for s in result.skipped_rules}
    assert rule not in {r.rule for r in result.reconciliations}


def test_gl_rows_named_as_finance_accounts_match_the_register(tmp_path):
    sheets = consistent_sheets()
    sheets["总账"][1][0] = "固定资产-通用设备"
    sheets["总账"][2][0] = "1601 固定资产—专用设备"
    result = check_sheets(tmp_path, sheets)
    assert [f.message for f in result.findings] == []
