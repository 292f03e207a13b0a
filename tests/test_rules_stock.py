"""Stock roll-forward: opening + in − out = closing, every stated 结存 checked."""

from __future__ import annotations

import datetime as dt

import openpyxl
from ledger_set import STOCK_HEADER, check_sheets, consistent_sheets

from houqin_xl.check import check
from houqin_xl.read import read_paths


def stock_findings(result):
    return [(f.row, f.column, f.key) for f in result.findings if f.kind == "stock_balance"]


def test_wrong_stated_balance_is_reported_once_on_the_first_row_where_it_parts(tmp_path):
    sheets = consistent_sheets()
    sheets["物资出入库"][5][11] = 26  # 30 − 5 is 25, typed 26; the next row (22) is right again
    result = check_sheets(tmp_path, sheets)
    assert stock_findings(result) == [(6, "L", {"item": "A4复印纸 70g"})]
    rec = next(r for r in result.reconciliations if r.key == {"item": "A4复印纸 70g"})
    assert rec.status == "mismatch"
    # The ends agree (difference 0): the comparison says why it is a mismatch all the same.
    assert rec.difference == "0" and "中途结存不符" in rec.right_label


def test_negative_stock_is_reported_where_it_goes_below_zero(tmp_path):
    sheets = consistent_sheets()
    sheets["物资出入库"][4][9] = 120   # 120 pens issued from 100
    sheets["物资出入库"][4][11] = -20  # and the bursar wrote the negative balance faithfully
    result = check_sheets(tmp_path, sheets)
    found = [f for f in result.findings if f.kind == "stock_balance"]
    assert [(f.row, f.key) for f in found] == [(5, {"item": "签字笔 0.5mm"})]
    assert "负数" in found[0].message


def test_rows_are_taken_in_date_order_not_sheet_order(tmp_path):
    sheets = consistent_sheets()
    rows = sheets["物资出入库"]
    rows[5], rows[6] = rows[6], rows[5]  # 11-20 typed above 11-10: still consistent by date
    rows[5][11], rows[6][11] = 22, 25
    assert stock_findings(check_sheets(tmp_path, sheets)) == []


def test_items_are_name_and_spec_together(tmp_path):
    sheets = consistent_sheets()
    rows = sheets["物资出入库"]
    # Another spec of paper with its own opening: must not mix with 70g.
    rows.append([dt.date(2026, 11, 1), None, "A4复印纸", "80g", "箱", "期初结存", None, None, None,
                 None, None, 5, None, None])
    rows.append([dt.date(2026, 11, 21), "LY004", "A4复印纸", "80g", "箱", "领用", None, None, None,
                 2, 240, 3, "教务处", "张老师"])
    result = check_sheets(tmp_path, sheets)
    assert stock_findings(result) == []
    assert {"item": "A4复印纸 80g"} in [r.key for r in result.reconciliations]


def test_in_amount_not_quantity_times_price_is_arithmetic_on_the_amount_cell(tmp_path):
    sheets = consistent_sheets()
    sheets["物资出入库"][3][8] = 1300
    found = [f for f in check_sheets(tmp_path, sheets).findings if f.kind == "arithmetic"]
    assert [(f.row, f.column, f.field) for f in found] == [(4, "I", "in_amount")]


def test_movement_after_period_end_is_reported_and_left_out(tmp_path):
    sheets = consistent_sheets()
    sheets["物资出入库"].append([dt.date(2026, 12, 2), "LY009", "A4复印纸", "70g", "箱", "领用",
                                None, None, None, 2, 240, 20, "教务处", "张老师"])
    result = check_sheets(tmp_path, sheets)
    late = [f for f in result.findings if f.kind == "bad_value" and f.field == "date"]
    assert [(f.row, f.column) for f in late] == [(8, "A")]
    assert stock_findings(result) == []
    rec = next(r for r in result.reconciliations if r.key == {"item": "A4复印纸 70g"})
    assert (rec.left, rec.right) == ("22", "22")


def test_opening_balance_from_earlier_months_on_the_sheet(tmp_path):
    sheets = consistent_sheets()
    rows = sheets["物资出入库"]
    # October's closing carried on the same sheet, no 期初 row for November.
    rows[2] = [dt.date(2026, 10, 8), "RK000", "签字笔", "0.5mm", "支", "购入", 100, 1.5, 150,
               None, None, 100, None, "李四"]
    assert stock_findings(check_sheets(tmp_path, sheets)) == []


def test_two_level_stock_header_with_merged_cells(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "库存台账"
    sheet.append(["阳光小学物资出入库登记（2026年11月）"])
    sheet.merge_cells("A1:J1")
    sheet.append(["日期", "物品名称", "规格", "摘要", "入库", None, None, "出库", None, "结存"])
    sheet.append([None, None, None, None, "数量", "单价", "金额", "数量", "金额", "数量"])
    for cells in ("A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:G2", "H2:I2"):
        sheet.merge_cells(cells)
    sheet.append([dt.date(2026, 11, 1), "粉笔", "白色", "期初结存", None, None, None, None, None, 50])
    sheet.append([dt.date(2026, 11, 4), "粉笔", "白色", "购入", 20, 3, 60, None, None, 70])
    sheet.append([dt.date(2026, 11, 9), "粉笔", "白色", "领用", None, None, None, 30, 90, 41])
    path = tmp_path / "库存.xlsx"
    book.save(path)
    checked = check(read_paths([path]), None, "2026-11")
    assert checked.result.ledgers[0].header_rows == [2, 3]
    assert stock_findings(checked.result) == [(6, "J", {"item": "粉笔 白色"})]


def test_receipt_of_a_fixed_asset_item_must_appear_on_the_register(tmp_path):
    sheets = consistent_sheets()
    sheets["物资出入库"].append([dt.date(2026, 11, 12), "RK002", "打印机", "HP M232", "台", "购入",
                                2, 1800, 3600, None, None, 2, None, "李四"])
    result = check_sheets(tmp_path, sheets)
    found = [f for f in result.findings if f.kind == "ledger_mismatch"]
    assert [f.key for f in found] == [{"item": "打印机"}]
    # Once the printers are on the register (acquired in November), receipts and additions agree.
    sheets["固定资产台账"].append(["A007", "打印机", "通用设备", 2, 1800, 3600, dt.date(2026, 11, 12),
                                  "总务处", "行政楼2楼", "在用"])
    sheets["总账"][1][1:] = [5, 25400]
    sheets["盘点表"].append(["A007", "打印机", "行政楼2楼", 2, "王老师", dt.date(2026, 11, 28)])
    result = check_sheets(tmp_path, sheets)
    assert [f.message for f in result.findings] == []
    assert any(r.rule == "stock_vs_register" and r.status == "ok" for r in result.reconciliations)


def test_stock_header_constant_is_the_one_the_set_uses():
    assert consistent_sheets()["物资出入库"][0] == STOCK_HEADER
