"""The accounting software's stock ledgers (REAL-FORMATS end of §3) and per-item summaries:
the 数量金额式明细账 per account, the 数量金额余额表, 进销存 summaries and closing-balance lists.
They are stock ledgers — never the general ledger's asset categories, never bank deposits — and
items are keyed by code."""

from __future__ import annotations

import pytest
from book_sheets import (
    BOOK_MERGES,
    SOFTWARE_MERGES,
    SUMMARY_MERGES,
    balance_summary,
    hand_book,
    software_book,
    summary_row,
)
from builders import describe, errors, ledger, run, write_xls, write_xlsx

PAPER_MOVES = [("2026-01-03", "记-0101", "采购入库", 140, 0), ("2026-01-17", "记-0102", "领用出库", 0, 23),
               ("2026-11-02", "记-1116", "领用出库", 0, 31), ("2026-11-20", "记-1117", "采购入库", 20, 0)]
BOX_MOVES = [("2026-03-05", "记-0301", "采购入库", 10, 0), ("2026-11-09", "记-1103", "领用出库", 0, 6)]


def _books(tmp_path, paper=PAPER_MOVES, boxes=BOX_MOVES):
    """Two accounts, both named A4复印纸: by the 包 and by the 箱."""
    sheets = {"1403000_0001": software_book("1403000_0001", "原材料—A4复印纸", "包", (80, 23.5), paper),
              "1403000_0004": software_book("1403000_0004", "原材料—A4复印纸", "箱", (25, 115), boxes)}
    path = write_xlsx(tmp_path / "数量金额式明细账.xlsx", sheets,
                      {name: SOFTWARE_MERGES for name in sheets})
    return path


def _summary(tmp_path, items=None, name="数量金额余额表.xls", **kwargs):
    items = items if items is not None else [
        summary_row("1403000_0001", "原材料_A4复印纸", "包", 23.5, 197, 20, 31),
        summary_row("1403000_0004", "原材料_A4复印纸", "箱", 115, 35, 0, 6),
    ]
    rows = balance_summary(items, **kwargs)
    path = tmp_path / name
    (write_xls if name.endswith(".xls") else write_xlsx)(path, {"数量金额余额表": rows},
                                                          {"数量金额余额表": SUMMARY_MERGES})
    return path


def test_the_software_明细账_reads_借方_as_收入_贷方_as_发出_余额_as_结存(tmp_path):
    checked = run(_books(tmp_path))
    assert errors(checked) == [], describe(errors(checked))
    pages = [t for t in checked.ledgers if t.name == "stock_moves"]
    assert [p.ledger.layout for p in pages] == ["account_book", "account_book"]
    paper = pages[0]
    assert paper.ledger.headers["in_qty"] == "借方数量"
    assert paper.ledger.headers["balance_amount"] == "余额金额"
    assert set(paper.frame["item_code"]) == {"1403000_0001"}
    assert set(paper.frame["item"]) == {"原材料—A4复印纸"}
    assert paper.ledger.cell_of("item_code", 0) == (2, 1)  # 科目：1403000_0001 …
    # 上年结转 and the four movements are records; 本月合计 / 本年累计 are stated sums.
    assert paper.frame["_row"].tolist() == [5, 6, 7, 10, 11]
    assert len(paper.ledger.sums) > 0


def test_two_codes_with_one_name_roll_forward_apart_and_are_no_duplicates(tmp_path):
    checked = run(_books(tmp_path))
    assert [f for f in checked.result.findings if f.kind in ("stock_balance", "duplicate")] == []
    rolled = {r.key["item"]: r.left for r in checked.result.reconciliations
              if r.rule == "stock_rollforward"}
    assert rolled == {"1403000_0001 原材料—A4复印纸": "186", "1403000_0004 原材料—A4复印纸": "29"}


def test_a_software_明细账_with_a_wrong_本月合计_is_arithmetic_on_its_cell(tmp_path):
    path = _books(tmp_path)
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book["1403000_0001"]
    assert sheet["C12"].value == "本月合计"  # November's: 31 issued
    sheet["G12"] = 41
    book.save(path)
    checked = run(path)
    assert [(f.sheet, f.row, f.column, f.kind) for f in errors(checked)] == [
        ("1403000_0001", 12, "G", "arithmetic")], describe(errors(checked))


def test_the_余额表_is_a_stock_summary_never_the_general_ledger_or_deposits(tmp_path):
    checked = run(_summary(tmp_path))
    assert errors(checked) == [], describe(errors(checked))
    summary = ledger(checked, "stock_balances")
    assert [t.name for t in checked.ledgers] == ["stock_balances"]
    # The parent account 1403000 (row 5) and the 合计 are not items; the two codes are.
    assert summary.frame["_row"].tolist() == [6, 7]
    assert summary.frame["item_code"].tolist() == ["1403000_0001", "1403000_0004"]
    assert summary.ledger.context["期间"] == "2026.11-2026.11"
    assert "1403000" in summary.ledger.context["上级科目"]


def test_an_余额表_row_whose_期末_is_not_期初_plus_借方_minus_贷方_is_arithmetic_on_its_期末(tmp_path):
    paper = summary_row("1403000_0001", "原材料_A4复印纸", "包", 23.5, 197, 20, 31)
    paper[12] = 196  # 197 + 20 − 31 is 186
    paper[14] = 4606
    boxes = summary_row("1403000_0004", "原材料_A4复印纸", "箱", 115, 35, 0, 6)
    checked = run(_summary(tmp_path, [paper, boxes]))
    found = sorted((f.row, f.column, f.kind) for f in errors(checked))
    # Its 数量 and 金额 roll-forwards are broken; the parent and the 合计 add up the 期末金额
    # as written, so they stay quiet.
    assert (6, "M", "arithmetic") in found and (6, "O", "arithmetic") in found, describe(errors(checked))
    assert {row for row, _c, _k in found} == {6}
    message = next(f.message for f in errors(checked) if f.column == "M")
    assert "应为 186" in message and "期初余额数量+本期借方数量−本期贷方数量" in message


def test_a_parent_account_that_is_not_the_sum_of_its_children_is_arithmetic(tmp_path):
    items = [summary_row("1403000_0001", "原材料_A4复印纸", "包", 23.5, 197, 20, 31),
             summary_row("1403000_0004", "原材料_A4复印纸", "箱", 115, 35, 0, 6)]
    rows = balance_summary(items)
    rows[4][14] = 8000  # the parent's 期末金额; its children add to 4371 + 3335
    path = tmp_path / "余额表.xlsx"
    write_xlsx(path, {"数量金额余额表": rows}, {"数量金额余额表": SUMMARY_MERGES})
    checked = run(path)
    found = [(f.row, f.column, f.kind) for f in errors(checked)]
    assert (5, "O", "arithmetic") in found, describe(errors(checked))
    assert "下级科目之和" in next(f.message for f in errors(checked) if f.row == 5)


def test_the_余额表_and_the_明细账_agree_item_by_item(tmp_path):
    checked = run(_books(tmp_path), _summary(tmp_path))
    assert errors(checked) == [], describe(errors(checked))
    against = [r for r in checked.result.reconciliations if r.rule.startswith("stock_rollforward_summary")]
    assert {r.status for r in against} == {"ok"}
    closing = {r.key["item"]: (r.left, r.right) for r in against
               if r.rule == "stock_rollforward_summary_closing"}
    assert closing == {"1403000_0001 原材料—A4复印纸": ("186", "186"),
                       "1403000_0004 原材料—A4复印纸": ("29", "29")}


def test_a_余额表_closing_that_the_明细账_does_not_show_is_ledger_mismatch_on_its_cell(tmp_path):
    paper = summary_row("1403000_0001", "原材料_A4复印纸", "包", 23.5, 197, 30, 31)  # 30 received?
    boxes = summary_row("1403000_0004", "原材料_A4复印纸", "箱", 115, 35, 0, 6)
    checked = run(_books(tmp_path), _summary(tmp_path, [paper, boxes]))
    mismatches = [(f.sheet, f.row, f.column) for f in errors(checked) if f.kind == "ledger_mismatch"]
    assert ("数量金额余额表", 6, "H") in mismatches  # 本期借方数量: the books received 20
    assert ("数量金额余额表", 6, "M") in mismatches  # 期末数量: the books hold 186
    assert all(row == 6 for _s, row, _c in mismatches), describe(errors(checked))


def test_a_进销存_summary_with_a_one_row_header_is_a_roll_forward_per_row(tmp_path):
    rows = [["办公用品出入库一览表", None, None, None, None, None, None],
            ["月份： 2026  年  11  月", None, None, None, None, None, None],
            ["序号", "名称", "单位", "初数", "本月入库", "本月出库", "本月结余"],
            [1, "抽纸", "包", 95, None, 50, 95],   # 95 − 50 is 45
            [2, "纸杯", "个", 290, 500, 50, 740],
            [3, "洗洁精", "瓶", 0, 1, 1, 0]]
    path = write_xlsx(tmp_path / "营销中心.xlsx", {"营销中心": rows})
    checked = run(path)
    summary = ledger(checked, "stock_balances")
    assert summary.frame["_row"].tolist() == [4, 5, 6]
    assert [(f.row, f.column, f.kind) for f in errors(checked)] == [(4, "G", "arithmetic")]
    assert "应为 45" in errors(checked)[0].message


def test_hand_calculations_under_a_余额表_end_it(tmp_path):
    items = [summary_row("1403000_0001", "原材料_A4复印纸", "包", 23.5, 197, 20, 31)]
    rows = balance_summary(items, parent=None)
    rows += [[None] * 15, [None] * 15,
             [None, None, None, None, None, None, 4629.5, None, 470, None, 728.5, None, None, None, 4371],
             ["材料合计", None, None, None, None, None, None, None, None, None, 728.5] + [None] * 4,
             ["职工工资", None, None, None, None, None, None, None, None, None, 40659] + [None] * 4,
             ["合计", None, None, None, None, None, None, None, None, None, 41387.5] + [None] * 4]
    path = write_xlsx(tmp_path / "成本出库表.xlsx", {"余额表": rows}, {"余额表": SUMMARY_MERGES})
    checked = run(path)
    assert errors(checked) == [], describe(errors(checked))
    assert ledger(checked, "stock_balances").frame["_row"].tolist() == [5]


def test_a_closing_balance_list_not_named_目录_is_reconciled_with_the_books(tmp_path):
    listing = [["库存汇总（2026年11月30日）"],
               ["序号", "编号", "品名", "规格", "计量单位", "结存数量", "单价", "结存金额"],
               [1, "BG-001", "A4复印纸", "70g 500张/包", "包", 210, 23.5, 4935]]
    path = write_xlsx(tmp_path / "库存物资明细账.xlsx", {"库存汇总": listing, "A4复印纸": hand_book()},
                      {"A4复印纸": BOOK_MERGES})
    checked = run(path)
    assert ledger(checked, "stock_balances").ledger.context["格式"] == "库存结存表"
    mismatches = [(f.sheet, f.row, f.column, f.kind) for f in errors(checked)]
    # The book ends at 200; the list says 210 (and its 金额 follows).
    assert ("库存汇总", 3, "F", "ledger_mismatch") in mismatches, describe(errors(checked))
    assert {m[0] for m in mismatches} == {"库存汇总"}


def test_a_明细账_holding_only_its_opening_and_totals_is_read_and_says_what_it_did_not_check(tmp_path):
    rows = [["日期", "凭证字号", "摘要", "借方", None, None, "贷方", None, None, "方向", "余额", None, None],
            [None, None, None, "数量", "单价", "金额", "数量", "单价", "金额", None, "数量", "单价", "金额"],
            ["2021-06-01", None, "期初余额", None, None, None, None, None, None, "平", None, None, None],
            ["2021-06-30", None, "本期合计", None, None, None, None, None, None, "平", None, None, None],
            ["2021-06-30", None, "本年累计", "4", "723,948.26", "2,895,793.02", "4", "723,948.26",
             "2,895,793.02", "平", None, None, None]]
    merges = ["A1:A2", "B1:B2", "C1:C2", "D1:F1", "G1:I1", "J1:J2", "K1:M1"]
    sheet = "数量核算明细账1405 库存商品_202106"
    path = write_xls(tmp_path / "数量核算明细账1405.xls", {sheet: rows}, {sheet: merges})
    checked = run(path, period="2021-06")
    assert errors(checked) == [], describe(errors(checked))
    page = ledger(checked, "stock_moves")
    assert page.frame["_row"].tolist() == [3]
    assert (page.frame["item_code"].iloc[0], page.frame["item"].iloc[0]) == ("1405", "库存商品")
    assert "本年累计未复核" in page.ledger.context


def test_a_summary_that_cannot_be_compared_with_the_books_says_so(tmp_path):
    # Receipts and issues logged without an opening or a running 结存, and a summary that names
    # no period: nothing to set its figures against — said, as a warning, never silently passed.
    log = [["日期", "物品编码", "物品名称", "单位", "入库数量", "出库数量"],
           ["2026-11-03", "A-001", "玉米", "斤", 2000, None],
           ["2026-11-09", "A-001", "玉米", "斤", None, 1500]]
    summary = [["库存统计"],
               ["名称", "期初余量", "入库数量", "出库数量", "结余数量"],
               ["玉米", 1200, 2000, 1500, 1700]]
    path = write_xlsx(tmp_path / "进销存.xlsx", {"出入库": log, "进销存统计": summary})
    checked = run(path)
    assert errors(checked) == [], describe(errors(checked))
    said = [f for f in checked.result.findings if f.severity == "warning"]
    assert len(said) == 1 and "未能与明细账核对" in said[0].message
    assert said[0].sheet == "进销存统计"


def test_a_summary_titled_with_its_month_is_compared_for_that_month(tmp_path):
    rows = balance_summary([summary_row("1403000_0001", "原材料_A4复印纸", "包", 23.5, 197, 20, 31),
                            summary_row("1403000_0004", "原材料_A4复印纸", "箱", 115, 35, 0, 6)])
    rows[0][0] = "阳光实验小学2026年11月数量金额余额表"
    rows[1][5] = None  # no 期间 line: the title names the month
    path = tmp_path / "余额表.xlsx"
    write_xlsx(path, {"数量金额余额表": rows}, {"数量金额余额表": SUMMARY_MERGES})
    checked = run(_books(tmp_path), path)
    assert errors(checked) == [], describe(errors(checked))
    assert ledger(checked, "stock_balances").ledger.context["期间"] == "2026年11月"
    rules = {r.rule for r in checked.result.reconciliations}
    assert {"stock_rollforward_summary_in_qty", "stock_rollforward_summary_opening"} <= rules


@pytest.mark.parametrize("title", [
    [["2026年库存物资收发存汇总表"], ["截止：2026年11月30日"]],
    [["库存物资收发存汇总表（2026年度，截至11月30日）"]],
    [["2026年1—11月库存物资收发存汇总表"]],
])
def test_a_year_to_date_summary_is_compared_from_january_not_as_one_month(tmp_path, title):
    # The book: 上年结转 60, January and February's receipts 180 and issues 40, closing 200.
    header = ["品名", "规格", "单位", "期初数量", "期初金额", "入库数量", "入库金额", "出库数量", "出库金额",
              "结存数量", "结存金额"]
    line = ["A4复印纸", "70g 500张/包", "包", 60, 1410, 180, 4230, 40, 940, 200, 4700]
    path = write_xlsx(tmp_path / "库存物资明细账.xlsx",
                      {"库存汇总": [*title, header, line], "A4复印纸": hand_book()}, {"A4复印纸": BOOK_MERGES})
    checked = run(path)
    assert errors(checked) == [], describe(errors(checked))
    assert ledger(checked, "stock_balances").ledger.context["期间"] == "2026.01-2026.11"
    rules = {r.rule for r in checked.result.reconciliations}
    assert {"stock_rollforward_summary_in_qty", "stock_rollforward_summary_opening"} <= rules
    line[5] = 190  # a receipt the books do not have
    path = write_xlsx(tmp_path / "b.xlsx", {"库存汇总": [*title, header, line], "A4复印纸": hand_book()},
                      {"A4复印纸": BOOK_MERGES})
    row = len(title) + 2
    assert ("库存汇总", row, "F", "ledger_mismatch") in [
        (f.sheet, f.row, f.column, f.kind) for f in errors(run(path))]


def test_a_closing_list_agreeing_with_the_books_is_quiet_and_its_合计_is_checked(tmp_path):
    listing = [["库存物资明细账目录（2026年）"],
               ["序号", "编号", "品名", "规格", "计量单位", "结存数量", "单价", "结存金额", "页码"],
               [1, "BG-001", "A4复印纸", "70g 500张/包", "包", 200, 23.5, 4700, 2],
               ["合计", None, None, None, None, None, None, 4800, None]]  # 合计 merged across A:G
    path = write_xlsx(tmp_path / "库存物资明细账.xlsx", {"库存汇总": listing, "A4复印纸": hand_book()},
                      {"A4复印纸": BOOK_MERGES, "库存汇总": ["A4:G4"]})
    checked = run(path)
    assert [(f.sheet, f.row, f.column, f.kind) for f in errors(checked)] == [
        ("库存汇总", 4, "H", "arithmetic")], describe(errors(checked))
    against = [r for r in checked.result.reconciliations if r.rule.startswith("stock_rollforward_summary")]
    assert [(r.rule, r.status) for r in against] == [("stock_rollforward_summary_closing", "ok"),
                                                     ("stock_rollforward_summary_closing_amount", "ok")]


def test_an_item_on_one_side_only_is_a_warning_not_an_error(tmp_path):
    oil = summary_row("1403000_0005", "原材料_食用油", "桶", 98, 41, 30, 12)  # no book for it
    paper = summary_row("1403000_0001", "原材料_A4复印纸", "包", 23.5, 197, 20, 31)
    checked = run(_books(tmp_path), _summary(tmp_path, [paper, oil]))  # and no 箱 row
    assert errors(checked) == [], describe(errors(checked))
    said = sorted((f.key["item"], f.message.split("，")[0]) for f in checked.result.findings
                  if f.kind == "ledger_mismatch" and f.severity == "warning")
    assert [item for item, _ in said] == ["1403000_0004 原材料—A4复印纸", "1403000_0005 原材料_食用油"]
