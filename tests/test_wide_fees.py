"""Fee books kept wide (REAL-FORMATS §6): one sheet per class, one row per student, one column
per fee item — read as one fee record per student × item, each amount keeping its own cell, so
every fee rule works on them. Every workbook is written to disk and read back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from builders import describe, errors, ledger, run, write_xls, write_xlsx

from houqin_xl.ledgers.grades import class_in, grade_of
from houqin_xl.ledgers.layouts.fee_lists import item_in
from houqin_xl.ledgers.schemas import normalise_header

D = dt.date
HEADER = ["序号", "学号", "姓名", "伙食费", "课后服务费", "校服费", "保险费", "合计", "收据号", "缴费日期", "备注"]


def class_rows() -> list[list[Any]]:
    """三(2)班 as its bursar keeps it: blanks for items not taken, one student who left."""
    return [
        [1, "20240201", "薛怡", 880, 300, None, 120, 1300, "SB0026101", D(2026, 11, 2), None],
        [2, "20240202", "龙文", 880, None, None, None, 880, "SB0026102", D(2026, 11, 2), None],
        [3, "20240203", "段涵然", 880, 300, 285, 120, 1585, "SB0026103", D(2026, 11, 3), None],
        [4, "20240204", "徐梦明", None, None, None, None, None, None, None, "已转学"],
        [5, "20240205", "董博睿", None, 300, 285, None, 585, "SB0026104", D(2026, 11, 3), None],
    ]


def class_sheet(rows: list[list[Any]] | None = None, title: list[list[Any]] | None = None,
                empty_rows: int = 0, bottom: bool = True) -> list[list[Any]]:
    """The sheet: title lines, header, students, pre-numbered empty rows, the 合计 row."""
    rows = class_rows() if rows is None else rows
    body = [list(r) for r in rows]
    n = len(body)
    body += [[n + k + 1] + [None] * (len(HEADER) - 1) for k in range(empty_rows)]
    out = [list(line) for line in (title or [])] + [HEADER] + body
    if bottom:
        sums = [sum(r[c] or 0 for r in rows if isinstance(r[c] or 0, int | float)) for c in range(3, 8)]
        out.append(["合计", None, None, *sums, None, None, None])
    return out


def standards_sheet() -> list[list[Any]]:
    return [
        ["2026年秋季学期代收费标准"],
        [None, None, None, None, "单位：元/生"],
        ["年级", "伙食费", "课后服务费", "校服费", "保险费", "备注"],
        ["一年级", 880, 300, 320, 120, None],
        ["3年级", 880, 300, 285, 120, None],  # the grade as another office writes it
        ["四年级", 960, 300, 285, 120, None],
        ["注：校服费、保险费、课后服务费自愿参加。"],
    ]


def deposits_sheet(days: dict[dt.date, float]) -> list[list[Any]]:
    return [["缴款日期", "缴款金额", "缴款单号"],
            *[[day, amount, f"JK{k:03d}"] for k, (day, amount) in enumerate(sorted(days.items()))]]


CLEAN_DEPOSITS = {D(2026, 11, 2): 2180, D(2026, 11, 3): 2170}


def fee_book(tmp_path, sheets: dict[str, list[list[Any]]], merges: dict | None = None,
             name: str = "代收费登记.xlsx"):
    return write_xlsx(tmp_path / name, sheets, merges=merges)


def records(checked) -> list[dict[str, Any]]:
    """The fee ledger's records as the rules see them, with each amount's own cell."""
    typed = ledger(checked, "fees")
    frame = typed.frame
    out = []
    for i in range(len(frame)):
        row = {name: frame[name].iat[i] for name in ("class", "grade", "student_name", "item", "due",
                                                      "paid", "receipt_no")}
        row["due_cell"] = typed.ledger.cell_of("due", i)
        row["item_cell"] = typed.ledger.cell_of("item", i)
        out.append(row)
    return out


# ---- one sheet per class ---------------------------------------------------------------------


def test_one_sheet_per_class_is_one_fee_record_per_student_and_item_taken(tmp_path):
    path = fee_book(tmp_path, {"三(2)班": class_sheet()})
    checked = run(path)
    assert errors(checked) == [], describe(errors(checked))
    found = records(checked)
    # 3 + 1 + 4 + 0 (left the school) + 2 items taken
    assert len(found) == 10
    first = found[0]
    assert (first["class"], first["grade"], first["student_name"], first["item"]) == (
        "三(2)班", "三年级", "薛怡", "伙食费")
    assert first["due"] == first["paid"] == 880
    # each amount keeps its own cell; the item is the header cell naming it
    assert [(r["item"], r["due_cell"]) for r in found if r["student_name"] == "段涵然"] == [
        ("伙食费", (4, 4)), ("课后服务费", (4, 5)), ("校服费", (4, 6)), ("保险费", (4, 7))]
    assert found[0]["item_cell"] == (1, 4)


def test_blank_item_cell_is_an_item_not_taken_not_arrears(tmp_path):
    checked = run(fee_book(tmp_path, {"三(2)班": class_sheet()}))
    names = [(r["student_name"], r["item"]) for r in records(checked)]
    assert ("龙文", "课后服务费") not in names
    assert "徐梦明" not in {name for name, _ in names}  # 已转学: takes nothing, no record
    assert not [f for f in checked.result.findings if f.kind in ("missing", "fee_balance")]


@pytest.mark.parametrize("title", [
    [["2026年秋季代收费登记表"], ["班级：三(2)班", None, None, "班主任：郭霞"]],
    [["三年级（2）班2026年秋季代收费登记表"]],
    [["2026年秋季代收费登记表"], ["班级：", "三(2)班"]],
], ids=["class-line", "class-in-title", "class-in-next-cell"])
def test_class_named_in_the_title_block(tmp_path, title):
    path = fee_book(tmp_path, {"Sheet1": class_sheet(title=title)}, merges={"Sheet1": ["A1:K1"]})
    checked = run(path)
    assert errors(checked) == [], describe(errors(checked))
    found = records(checked)
    assert {r["grade"] for r in found} == {"三年级"}
    assert {r["class"] for r in found} <= {"三(2)班", "三年级(2)班"}
    fees = ledger(checked, "fees").ledger
    assert fees.header_rows == [len(title) + 1]
    assert fees.cell_of("grade", 0) is not None  # the title cell that names the class


def test_pre_numbered_empty_rows_at_the_end_are_not_records(tmp_path):
    path = fee_book(tmp_path, {"三(2)班": class_sheet(empty_rows=20)})
    checked = run(path)
    assert len(records(checked)) == 10
    assert errors(checked) == [], describe(errors(checked))


def test_a_wrong_row_total_is_arithmetic_on_the_total_cell(tmp_path):
    rows = class_rows()
    rows[2][7] = 1685  # 880 + 300 + 285 + 120 = 1585
    sheet = class_sheet(rows)
    sheet[-1][7] = sum(r[7] or 0 for r in rows)  # the bottom 合计 adds the column as written
    checked = run(fee_book(tmp_path, {"三(2)班": sheet}))
    assert [(f.kind, f.row, f.column) for f in errors(checked)] == [("arithmetic", 4, "H")]
    message = errors(checked)[0].message
    assert "1585.00" in message and "伙食费、课后服务费、校服费、保险费之和" in message


def test_the_bottom_total_row_is_checked_per_item_column_and_for_the_total_column(tmp_path):
    sheet = class_sheet(empty_rows=3)
    sheet[-1][3] = 2600  # 伙食费 adds to 2640
    sheet[-1][7] = 4000  # 合计 adds to 4350
    checked = run(fee_book(tmp_path, {"三(2)班": sheet}))
    found = sorted((f.kind, f.row, f.column) for f in errors(checked))
    assert found == [("arithmetic", 10, "D"), ("arithmetic", 10, "H")]
    by_column = {f.column: f.message for f in errors(checked)}
    assert "2640.00" in by_column["D"] and "第2–9行之和" in by_column["D"]


def test_hand_notes_under_the_footer_are_not_students(tmp_path):
    sheet = class_sheet()
    sheet += [[], ["收款人：陈静", None, None, "班主任：郭霞"], [],
              [None, None, "收现金", 2000], [None, None, "扫码", 2350]]
    checked = run(fee_book(tmp_path, {"三(2)班": sheet}))
    assert len(records(checked)) == 10
    assert errors(checked) == [], describe(errors(checked))


def test_a_hidden_student_row_is_read_like_any_other(tmp_path):
    path = write_xlsx(tmp_path / "代收费登记.xlsx", {"三(2)班": class_sheet()},
                      hidden_rows={"三(2)班": [3]})
    assert "龙文" in {r["student_name"] for r in records(run(path))}


def test_the_same_book_saved_as_old_xls_reads_the_same(tmp_path):
    rows = class_rows()
    rows[0][7] = 1400
    sheets = {"三(2)班": class_sheet(rows)}
    xlsx = write_xlsx(tmp_path / "a.xlsx", sheets)
    xls = write_xls(tmp_path / "b.xls", sheets)
    got = [[(f.kind, f.row, f.column) for f in errors(run(p))] for p in (xlsx, xls)]
    assert got[0] == got[1] == [("arithmetic", 2, "H")]


# ---- 应收 | 实收 | 减免 groups -------------------------------------------------------------------


def grouped_sheet() -> tuple[list[list[Any]], list[str]]:
    sheet = [
        ["住校生收费登记表（四(1)班）"],
        ["序号", "学号", "姓名", "住宿费", None, None, "伙食费", None, None, "欠费", "收据号", "缴费日期"],
        [None, None, None, "应收", "减免", "实收", "应收", "减免", "实收", None, None, None],
        [1, "S1", "甲", 600, 0, 600, 960, 100, 860, 0, "C001", D(2026, 11, 2)],
        [2, "S2", "乙", 600, 300, 300, 960, 0, 660, 300, "C002", D(2026, 11, 2)],
        [3, "S3", "丙", 600, 0, 600, None, None, None, 0, "C003", D(2026, 11, 3)],
    ]
    merges = ["A1:L1", "A2:A3", "B2:B3", "C2:C3", "D2:F2", "G2:I2", "J2:J3", "K2:K3", "L2:L3"]
    return sheet, merges


def test_due_waived_and_paid_groups_each_come_from_their_own_column(tmp_path):
    sheet, merges = grouped_sheet()
    checked = run(fee_book(tmp_path, {"住校生": sheet}, merges={"住校生": merges}))
    assert errors(checked) == [], describe(errors(checked))
    typed = ledger(checked, "fees")
    frame = typed.frame
    assert typed.ledger.header_rows == [2, 3]
    second = frame[(frame["student_name"] == "乙") & (frame["item"] == "住宿费")].index[0]
    assert (frame.at[second, "due"], frame.at[second, "waived"], frame.at[second, "paid"]) == (600, 300, 300)
    assert typed.ledger.cell_of("waived", int(second)) == (5, 5)
    assert typed.ledger.header_of("paid", int(second)) == "住宿费 实收"
    assert set(frame["grade"]) == {"四年级"} and set(frame["class"]) == {"四(1)班"}
    assert len(frame) == 5  # 丙 takes no 伙食费


def test_paid_and_waived_above_due_in_a_group_is_fee_balance_on_the_paid_cell(tmp_path):
    sheet, merges = grouped_sheet()
    sheet[4][5] = 400  # 乙 住宿费: 400 paid + 300 waived on 600 due
    sheet[4][9] = 200  # 住宿费 −100 and 伙食费 300 still owed
    checked = run(fee_book(tmp_path, {"住校生": sheet}, merges={"住校生": merges}))
    assert [(f.kind, f.row, f.column) for f in errors(checked)] == [("fee_balance", 5, "F")]


def test_a_wrong_arrears_cell_is_arithmetic_on_it(tmp_path):
    sheet, merges = grouped_sheet()
    sheet[4][9] = 200  # 乙 owes 300 + 0
    checked = run(fee_book(tmp_path, {"住校生": sheet}, merges={"住校生": merges}))
    assert [(f.kind, f.row, f.column) for f in errors(checked)] == [("arithmetic", 5, "J")]


# ---- standards, receipts, deposits ---------------------------------------------------------


def test_an_amount_other_than_the_standard_is_bad_value_on_its_own_cell(tmp_path):
    rows = class_rows()
    rows[4][5] = 258  # 校服费 for 三年级 is 285
    rows[4][7] = 558
    sheets = {"三(2)班": class_sheet(rows), "收费标准": standards_sheet()}
    checked = run(fee_book(tmp_path, sheets))
    assert [(f.kind, f.sheet, f.row, f.column) for f in errors(checked)] == [
        ("bad_value", "三(2)班", 6, "F")]
    found = errors(checked)[0]
    assert found.header == "校服费" and "校服费" in found.message and "285.00" in found.message


def test_wide_standards_are_one_record_per_grade_and_item_each_with_its_cell(tmp_path):
    checked = run(fee_book(tmp_path, {"三(2)班": class_sheet(), "收费标准": standards_sheet()}))
    standards = ledger(checked, "fee_standards")
    frame = standards.frame
    assert len(frame) == 12
    assert set(frame["grade"]) == {"一年级", "三年级", "四年级"}  # 3年级 is 三年级
    k = int(frame[(frame["grade"] == "三年级") & (frame["item"] == "校服费")].index[0])
    assert standards.ledger.cell_of("amount", k) == (5, 4)
    assert standards.ledger.cell_of("item", k) == (3, 4)
    matched = [r for r in checked.result.reconciliations if r.rule == "fee_standards"]
    assert matched and all(r.status == "ok" for r in matched)
    assert {r.key["grade"] for r in matched} == {"三年级"}


def test_a_collection_table_per_grade_is_not_taken_for_standards(tmp_path):
    summary = [["各年级收费汇总"], ["年级", "伙食费", "课后服务费"], ["三年级", 88000, 30000]]
    checked = run(fee_book(tmp_path, {"三(2)班": class_sheet(), "汇总": summary}))
    assert "fee_standards" not in {info.ledger for info in checked.result.ledgers}
    assert "汇总" in {u.sheet for u in checked.result.unread_sheets}


def test_a_receipt_covers_the_whole_row_and_a_repeat_on_another_row_is_one_duplicate(tmp_path):
    rows = class_rows()
    rows[4][8] = "SB0026101"  # 董博睿 given 薛怡's receipt; SB0026104 is never used
    checked = run(fee_book(tmp_path, {"三(2)班": class_sheet(rows)}))
    found = [(f.kind, f.row, f.column, f.key) for f in errors(checked)]
    assert found == [("duplicate", 6, "I", None)]
    assert "与第2行重复" in errors(checked)[0].message


def test_a_blank_receipt_on_a_row_of_three_items_is_one_finding_not_three(tmp_path):
    rows = class_rows()
    rows[0][8] = None  # 薛怡 paid 伙食费, 课后服务费 and 保险费 without a receipt number
    checked = run(fee_book(tmp_path, {"三(2)班": class_sheet(rows)}))
    missing = [(f.kind, f.row, f.column) for f in errors(checked) if f.kind == "missing"]
    assert missing == [("missing", 2, "I")]


def test_a_receipt_number_missing_from_the_book_is_a_gap(tmp_path):
    rows = class_rows()
    rows[2][8] = "SB0026106"  # SB0026103 .. SB0026105: 103 and 105 never issued
    checked = run(fee_book(tmp_path, {"三(2)班": class_sheet(rows)}))
    assert sorted((f.kind, f.key["receipt_no"]) for f in errors(checked)) == [
        ("receipt_gap", "SB0026103"), ("receipt_gap", "SB0026105")]


def test_a_gap_is_reported_on_the_sheet_whose_run_of_numbers_it_breaks(tmp_path):
    other = [[k, f"2024030{k}", name, 880, None, None, None, 880, f"SC002620{k}", D(2026, 11, 4), None]
             for k, name in ((1, "甲"), (2, "乙"), (4, "丁"))]  # SC0026203 never issued
    checked = run(fee_book(tmp_path, {"三(2)班": class_sheet(), "三(3)班": class_sheet(other)}))
    gaps = [(f.key["receipt_no"], f.sheet) for f in errors(checked) if f.kind == "receipt_gap"]
    assert gaps == [("SC0026203", "三(3)班")]


def test_deposits_per_day_are_compared_with_the_item_amounts(tmp_path):
    sheets = {"三(2)班": class_sheet(), "缴款": deposits_sheet(CLEAN_DEPOSITS)}
    checked = run(fee_book(tmp_path, sheets))
    assert errors(checked) == [], describe(errors(checked))
    days = {r.key["date"]: r.left for r in checked.result.reconciliations if r.rule == "deposits"}
    assert days == {"2026-11-02": "2180.00", "2026-11-03": "2170.00"}
    short = dict(CLEAN_DEPOSITS)
    short[D(2026, 11, 3)] = 1870
    checked = run(fee_book(tmp_path, {"三(2)班": class_sheet(), "缴款": deposits_sheet(short)},
                           name="b.xlsx"))
    assert [(f.kind, f.key) for f in errors(checked)] == [("deposit_mismatch", {"date": "2026-11-03"})]


# ---- one sheet for many classes ----------------------------------------------------------------


def test_one_sheet_with_a_class_column_holds_many_classes(tmp_path):
    sheet = [
        ["2026年秋季代收费登记表"],
        ["班级", "学号", "姓名", "伙食费", "校服费", "合计", "收据号", "缴费日期"],
        ["三(1)班", "S1", "甲", 880, 285, 1165, "A001", D(2026, 11, 2)],
        [None, "S2", "乙", 880, None, 880, "A002", D(2026, 11, 2)],
        ["初一(3)班", "S3", "丙", 960, 310, 1270, "A003", D(2026, 11, 2)],
        [None, "S4", "丁", 960, 300, 1260, "A004", D(2026, 11, 2)],
    ]
    standards = [["收费标准"], ["年级", "伙食费", "校服费"], ["三年级", 880, 285], ["七年级", 960, 310]]
    path = fee_book(tmp_path, {"登记": sheet, "收费标准": standards},
                    merges={"登记": ["A1:H1", "A3:A4", "A5:A6"]})
    checked = run(path)
    frame = ledger(checked, "fees").frame
    assert list(frame["class"]) == ["三(1)班"] * 3 + ["初一(3)班"] * 4
    assert list(frame["grade"]) == ["三年级"] * 3 + ["七年级"] * 4  # 初一 is 七年级
    assert [(f.kind, f.row, f.column) for f in errors(checked)] == [("bad_value", 6, "E")]


# ---- lists whose item is implied, and fee systems' exports -----------------------------------


def test_a_payment_list_takes_its_item_from_its_title(tmp_path):
    sheet = [
        ["高二（1）班2026年秋季学费缴费名单"],
        ["学号", "姓名", "应缴", "实缴", "欠费", "减免", "收据号", "缴费日期"],
        ["G1", "甲", 1200, 1200, 0, 0, "X001", D(2026, 11, 2)],
        ["G2", "乙", 1200, 600, 100, 500, "X002", D(2026, 11, 2)],  # owes 100
        ["G3", "丙", 1200, 1000, 100, 0, "X003", D(2026, 11, 3)],    # owes 200, not 100
    ]
    standards = [["收费项目", "年级", "收费标准"], ["学费", "高二", 1200]]
    checked = run(fee_book(tmp_path, {"Sheet1": sheet, "收费标准": standards},
                           merges={"Sheet1": ["A1:H1"]}))
    typed = ledger(checked, "fees")
    assert list(typed.frame["item"]) == ["学费"] * 3
    assert typed.ledger.cell_of("item", 0) == (1, 1)
    assert set(typed.frame["grade"]) == {"高二"}
    assert [(f.kind, f.row, f.column) for f in errors(checked)] == [("arithmetic", 5, "E")]
    assert errors(checked)[0].message.startswith("第5行 丙 欠费 100：应为 200.00")  # the row said once


def test_a_list_whose_title_names_no_item_is_named_as_not_read(tmp_path):
    sheet = [["缴费名单"], ["学号", "姓名", "应缴", "实缴"], ["G1", "甲", 1200, 1200]]
    checked = run(fee_book(tmp_path, {"三(2)班": class_sheet(), "名单": sheet}))
    reasons = {u.sheet: u.reason for u in checked.result.unread_sheets}
    assert "收费项目" in reasons["名单"]


def test_fee_system_export_headers_with_stars_and_format_hints(tmp_path):
    sheet = [
        ["学生学号*", "学年度*", "学期*", "应缴费用（格式：0.00）*", "交费类型代码*", "实缴费用（格式：0.00）",
         "缴费日期(yyyy-M-d)", "发票号", "备注"],
        ["std.user.code", "semester.schoolYear", "semester.name", "shouldPay", "type.code", "payed",
         "payedAt", "invoiceCode", "remark"],
        ["2024001", "2026-2027", "1", "5000.00", "学费", "5000.00", "2026-11-2", "F0001", None],
        ["2024002", "2026-2027", "1", "1200.00", "住宿费", "1200.00", "2026-11-2", "F0002", None],
    ]
    checked = run(fee_book(tmp_path, {"导入收费信息": sheet}))
    assert errors(checked) == [], describe(errors(checked))
    typed = ledger(checked, "fees")
    assert typed.ledger.rows == [3, 4]  # the binding row is not a student
    assert list(typed.frame["item"]) == ["学费", "住宿费"]
    assert list(typed.frame["due"]) == [5000, 1200]
    assert typed.ledger.columns["paid_on"] == 7


# ---- what is not a fee book ----------------------------------------------------------------------


def test_a_payroll_sheet_with_fee_columns_is_not_a_fee_book(tmp_path):
    payroll = [["姓名", "基本工资", "交通费", "通讯费", "实发工资"], ["王老师", 5000, 300, 100, 5400]]
    checked = run(fee_book(tmp_path, {"三(2)班": class_sheet(), "工资": payroll}))
    assert [info.sheet for info in checked.result.ledgers if info.ledger == "fees"] == ["三(2)班"]
    assert "工资" in {u.sheet for u in checked.result.unread_sheets}


def test_words_in_an_item_cell_are_one_bad_type_and_a_negative_amount_one_bad_value(tmp_path):
    rows = class_rows()
    rows[0][4] = "已交"
    rows[0][7] = None
    rows[2][6] = -120
    rows[2][7] = 1345
    checked = run(fee_book(tmp_path, {"三(2)班": class_sheet(rows, bottom=False)}))
    # The amount is both 应收 and 实收, yet each cell is reported once.
    assert sorted((f.kind, f.row, f.column) for f in errors(checked)
                  if f.kind in ("bad_type", "bad_value")) == [("bad_type", 2, "E"), ("bad_value", 4, "G")]


# ---- the words --------------------------------------------------------------------------------------


@pytest.mark.parametrize("written, grade", [
    ("三年级", "三年级"), ("3年级", "三年级"), ("三 年级", "三年级"), ("三(2)班", "三年级"),
    ("三（2）班", "三年级"), ("三年级2班", "三年级"), ("302班", "三年级"), ("初一(3)班", "七年级"),
    ("初一", "七年级"), ("七年级", "七年级"), ("高二", "高二"), ("高中二年级", "高二"),
    ("十一年级", "高二"), ("大(1)班", "大班"), ("2024级", None), ("全部", None), ("计算机专业", None),
])
def test_grades_are_named_one_way(written, grade):
    assert grade_of(written) == grade


def test_a_class_is_found_in_a_title_or_a_class_line():
    assert class_in("班级：三(2)班") == "三(2)班"
    assert class_in("三年级（2）班2026年秋季代收费登记表") == "三年级(2)班"
    assert class_in("江州市实验小学2026年秋季学期代收费标准") is None


def test_an_item_is_found_in_a_title():
    assert item_in("2026年秋季学期学费缴费名单") == "学费"
    assert item_in("教材费收费清单") == "教材费"
    assert item_in("三年级（2）班收费登记表") is None


@pytest.mark.parametrize("written, key", [
    ("应缴费用（格式：0.00）*", "应缴费用"), ("缴费日期(yyyy-M-d)", "缴费日期"), ("*学号", "学号"),
    ("★学号", "学号"), ("缴费日期（格式：yyyy-MM-dd(可选)）", "缴费日期"),
])
def test_required_stars_and_format_hints_are_not_part_of_a_header(written, key):
    assert normalise_header(written)[0] == key


def test_role_groups_over_items_read_the_same_as_item_groups(tmp_path):
    sheet = [
        ["学号", "姓名", "应收", None, "实收", None, "收据号", "缴费日期"],
        [None, None, "住宿费", "伙食费", "住宿费", "伙食费", None, None],
        ["S1", "甲", 600, 960, 600, 960, "C001", D(2026, 11, 2)],
        ["S2", "乙", 600, None, 300, None, "C002", D(2026, 11, 2)],
    ]
    merges = ["A1:A2", "B1:B2", "C1:D1", "E1:F1", "G1:G2", "H1:H2"]
    checked = run(fee_book(tmp_path, {"四(1)班": sheet}, merges={"四(1)班": merges}))
    typed = ledger(checked, "fees")
    frame = typed.frame
    assert list(zip(frame["item"], frame["due"], frame["paid"], strict=True)) == [
        ("住宿费", 600, 600), ("伙食费", 960, 960), ("住宿费", 600, 300)]
    assert typed.ledger.cell_of("paid", 2) == (4, 5)
    assert typed.ledger.header_of("due", 0) == "住宿费 应收"


def test_items_grouped_under_a_merged_item_header(tmp_path):
    sheet = [
        ["序号", "姓名", "代收费项目", None, None, "合计", "收据号", "缴费日期"],
        [None, None, "伙食费", "校服费", "保险费", None, None, None],
        [1, "甲", 880, 285, 120, 1258, "C001", D(2026, 11, 2)],  # adds to 1285
    ]
    merges = ["A1:A2", "B1:B2", "C1:E1", "F1:F2", "G1:G2", "H1:H2"]
    checked = run(fee_book(tmp_path, {"三(1)班": sheet}, merges={"三(1)班": merges}))
    assert [(f.kind, f.row, f.column) for f in errors(checked)] == [("arithmetic", 3, "F")]
    assert list(ledger(checked, "fees").frame["item"]) == ["伙食费", "校服费", "保险费"]


def test_an_empty_class_form_beside_a_kept_one_is_named_not_checked(tmp_path):
    empty = class_sheet(rows=[], empty_rows=30, bottom=False)
    checked = run(fee_book(tmp_path, {"三(2)班": class_sheet(), "三(3)班": empty}))
    assert [info.sheet for info in checked.result.ledgers if info.ledger == "fees"] == ["三(2)班"]
    reasons = {u.sheet: u.reason for u in checked.result.unread_sheets}
    assert reasons["三(3)班"].startswith("空表单")


def test_a_sum_row_without_its_label_is_a_total_not_a_nameless_student(tmp_path):
    sheet = class_sheet()
    sheet[-1][0] = None  # the bursar's =SUM row, no 合计 written
    checked = run(fee_book(tmp_path, {"三(2)班": sheet}))
    assert len(records(checked)) == 10
    assert errors(checked) == [], describe(errors(checked))


def test_a_row_of_amounts_without_a_name_that_sums_nothing_is_a_record_missing_its_name(tmp_path):
    rows = class_rows()
    rows[1][2] = None  # 龙文's name left out
    rows[1][1] = None
    checked = run(fee_book(tmp_path, {"三(2)班": class_sheet(rows)}))
    assert [(f.kind, f.row, f.column) for f in errors(checked)] == [("missing", 3, "C")]


def test_wide_standards_per_major_keep_the_major_as_written(tmp_path):
    standards = [["2026学年收费标准"], ["专业", "学费", "住宿费", "教材费"],
                 ["计算机应用", 2400, 800, 350], ["学前教育", 2000, 800, None]]
    checked = run(fee_book(tmp_path, {"收费标准": standards, "三(2)班": class_sheet()}))
    frame = ledger(checked, "fee_standards").frame
    assert list(zip(frame["grade"], frame["item"], frame["amount"], strict=True)) == [
        ("计算机应用", "学费", 2400), ("计算机应用", "住宿费", 800), ("计算机应用", "教材费", 350),
        ("学前教育", "学费", 2000), ("学前教育", "住宿费", 800)]


def test_a_students_major_finds_the_standard_of_that_major(tmp_path):
    standards = [["2026学年收费标准"], ["专业", "学费", "住宿费"],
                 ["计算机应用", 3000, 800], ["会计事务", 2800, 800]]
    book = [["2026级新生缴费登记表"],
            ["序号", "学号", "姓名", "班级", "专业", "学费", "住宿费", "合计", "票据号", "缴费日期"],
            [1, "20260001", "甲", "2026计算机1班", "计算机应用", 3000, 800, 3800, "Q5001", D(2026, 11, 2)],
            [2, "20260002", "乙", "2026会计1班", "会计事务", 2800, None, 2800, "Q5002", D(2026, 11, 2)],
            [3, "20260003", "丙", "2026会计1班", "会计事务", 3000, 800, 3800, "Q5003", D(2026, 11, 3)]]
    checked = run(fee_book(tmp_path, {"收费标准": standards, "2026级": book}))
    # 丙's 学费 is the 计算机应用 amount, not 会计事务's 2800: the one finding, on its cell.
    assert [(f.kind, f.row, f.column) for f in errors(checked)] == [("bad_value", 5, "F")], \
        describe(errors(checked))
    keys = {(r.key["item"], r.key["grade"]) for r in checked.result.reconciliations if r.rule == "fee_standards"}
    assert keys == {("学费", "计算机应用"), ("住宿费", "计算机应用"), ("学费", "会计事务"), ("住宿费", "会计事务")}


def test_an_item_typed_once_over_its_roles_without_a_merge_is_still_a_group(tmp_path):
    sheet, _merges = grouped_sheet()
    checked = run(fee_book(tmp_path, {"住校生": sheet}, merges={"住校生": ["A1:L1"]}))
    assert errors(checked) == [], describe(errors(checked))
    frame = ledger(checked, "fees").frame
    assert list(zip(frame["item"], frame["due"], frame["waived"], frame["paid"], strict=True))[:2] == [
        ("住宿费", 600, 0, 600), ("伙食费", 960, 100, 860)]
