"""The stores book kept by hand as a 数量金额式明细账 (REAL-FORMATS §5): one page per item, the
item named in the title block, 2026年 over 月 | 日, 收入 / 发出 / 结存 over 数量 | 单价 | 金额."""

from __future__ import annotations

import datetime as dt

from book_sheets import (
    BOOK_MERGES,
    body_rows,
    book_head,
    footer_rows,
    hand_book,
    set_cell,
    title_rows,
)
from builders import describe, errors, ledger, run, write_xls, write_xlsx


def _checked(tmp_path, sheets, merges=None, name="库存物资明细账.xlsx"):
    path = tmp_path / name
    merges = merges if merges is not None else {sheet: BOOK_MERGES for sheet in sheets}
    if name.endswith(".xls"):
        write_xls(path, sheets, merges)
    else:
        write_xlsx(path, sheets, merges)
    return run(path)


def _found(checked, kind):
    return [(f.sheet, f.row, f.column) for f in checked.result.findings if f.kind == kind]


def test_one_sheet_per_item_reads_every_movement_and_the_item_from_the_merged_title_block(tmp_path):
    checked = _checked(tmp_path, {"A4复印纸": hand_book()})
    assert errors(checked) == [], describe(errors(checked))
    book = ledger(checked, "stock_moves")
    assert book.ledger.layout == "account_book"
    assert book.ledger.header_rows == [4, 5]
    # The opening and the movements are the records; totals, carries and the footer are not.
    assert book.frame["_row"].tolist() == [6, 7, 8, 11, 14]
    assert set(book.frame["item"]) == {"A4复印纸"}
    assert set(book.frame["spec"]) == {"70g 500张/包"}
    assert set(book.frame["unit"]) == {"包"}
    assert set(book.frame["item_code"]) == {"BG-001"}
    # Each title value keeps its own cell: a finding about the item points at the title.
    assert book.ledger.cell_of("item", 3) == (2, 1)
    assert book.ledger.cell_of("spec", 3) == (2, 5)
    assert book.ledger.cell_of("item_code", 0) == (3, 5)
    assert book.ledger.cell_of("in_qty", 1) == (7, 5)
    assert book.frame["in_qty"].iloc[1] == 140 and book.frame["out_qty"].iloc[2] == 25
    rollforward = [r for r in checked.result.reconciliations if r.rule == "stock_rollforward"]
    assert [(r.key, r.left, r.status) for r in rollforward] == [
        ({"item": "BG-001 A4复印纸 70g 500张/包"}, "200", "ok")]


def test_a_month_written_once_carries_down_and_the_year_comes_from_the_header(tmp_path):
    book = ledger(_checked(tmp_path, {"A4复印纸": hand_book()}), "stock_moves")
    assert [d.date() for d in book.frame["date"]] == [
        dt.date(2026, 1, 1), dt.date(2026, 1, 8), dt.date(2026, 1, 22), dt.date(2026, 2, 3),
        dt.date(2026, 2, 20)]
    assert book.ledger.cell_of("date", 2) == (8, 2)  # a date's cell is its 日 cell


def test_上年结转_is_the_opening_the_roll_forward_starts_from(tmp_path):
    rows = hand_book()
    set_cell(rows, "K6", 70)  # brought forward 70, yet the first receipt of 140 makes 200
    set_cell(rows, "M6", 1645)
    checked = _checked(tmp_path, {"A4复印纸": rows})
    assert _found(checked, "stock_balance") == [("A4复印纸", 7, "K")]
    finding = next(f for f in checked.result.findings if f.kind == "stock_balance")
    assert "210" in finding.message


def test_a_本月合计_that_does_not_add_up_is_arithmetic_on_the_stated_cell(tmp_path):
    rows = hand_book()
    set_cell(rows, "H15", 25)  # February's issues are 15
    checked = _checked(tmp_path, {"A4复印纸": rows})
    assert [(f.row, f.column, f.kind) for f in errors(checked)] == [(15, "H", "arithmetic")]
    message = errors(checked)[0].message
    assert "本月合计" in message and "应为 15" in message and "2月" in message


def test_the_结存_a_total_row_repeats_is_checked_against_the_last_balance_above_it(tmp_path):
    rows = hand_book()
    set_cell(rows, "K15", 210)   # February ends at 200
    set_cell(rows, "M16", 4800)  # the year's closing 金额 is 4700
    checked = _checked(tmp_path, {"A4复印纸": rows})
    assert [(f.row, f.column, f.kind) for f in errors(checked)] == [
        (15, "K", "arithmetic"), (16, "M", "arithmetic")]
    assert "第14行" in errors(checked)[0].message and "应为 200" in errors(checked)[0].message


def test_a_slip_in_a_balance_amount_is_reported_on_its_row_not_again_on_the_totals(tmp_path):
    rows = hand_book()
    set_cell(rows, "M14", 4800)  # 200 × 23.5 is 4700, which the totals below carry
    checked = _checked(tmp_path, {"A4复印纸": rows})
    assert [(f.row, f.column) for f in errors(checked)] == [(14, "M")]


def test_a_new_items_page_starting_with_its_first_purchase_checks_the_本年累计(tmp_path):
    rows = [*title_rows(item="84消毒液", unit="桶", code="QJ-084"), *book_head(),
            [2, 20, "入-0205", "购入", 120, 8.5, 1020, None, None, None, 120, 8.5, 1020],
            [None, None, None, "本月合计", 120, None, 1020, None, None, None, 120, 8.5, 1020],
            [None, None, None, "本年累计", 12, None, 1020, None, None, None, 120, 8.5, 1020]]
    checked = _checked(tmp_path, {"84消毒液": rows})
    assert [(f.row, f.column, f.kind) for f in errors(checked)] == [(8, "E", "arithmetic")]
    assert "本年累计未复核" not in ledger(checked, "stock_moves").ledger.context


def test_a_本年累计_that_does_not_add_up_is_arithmetic_on_the_stated_cell(tmp_path):
    rows = hand_book()
    set_cell(rows, "G16", 4330)  # 3290 + 940 is 4230
    checked = _checked(tmp_path, {"A4复印纸": rows})
    assert [(f.row, f.column, f.kind) for f in errors(checked)] == [(16, "G", "arithmetic")]
    assert "应为 4230.00" in errors(checked)[0].message


def test_过次页_and_承前页_carry_the_balance_and_are_not_movements(tmp_path):
    rows = hand_book()
    # A page total in their 收入/发出 cells (some books write one) is neither a movement nor checked.
    set_cell(rows, "H12", 15)
    set_cell(rows, "H13", 15)
    checked = _checked(tmp_path, {"A4复印纸": rows})
    assert errors(checked) == [], describe(errors(checked))
    assert 12 not in ledger(checked, "stock_moves").frame["_row"].tolist()


def test_a_承前页_that_does_not_repeat_the_过次页_is_arithmetic_on_its_结存(tmp_path):
    rows = hand_book()
    set_cell(rows, "K13", 150)
    checked = _checked(tmp_path, {"A4复印纸": rows})
    assert [(f.row, f.column, f.kind) for f in errors(checked)] == [(13, "K", "arithmetic")]
    assert "第12行" in errors(checked)[0].message


def test_a_broken_结存_is_stock_balance_on_its_row_reported_once(tmp_path):
    rows = hand_book()
    set_cell(rows, "K11", 170)  # 175 − 15 is 160; the carry and the rows after are right again
    set_cell(rows, "M11", 3995)
    checked = _checked(tmp_path, {"A4复印纸": rows})
    assert [(f.row, f.column, f.kind) for f in errors(checked)] == [(11, "K", "stock_balance")], \
        describe(errors(checked))
    assert "160" in errors(checked)[0].message


def test_stock_going_below_zero_is_reported_where_it_does(tmp_path):
    rows = hand_book()
    set_cell(rows, "H11", 180)  # 180 issued from 175
    set_cell(rows, "J11", 4230)
    set_cell(rows, "K11", -5)
    set_cell(rows, "M11", -117.5)
    set_cell(rows, "H15", 180)
    set_cell(rows, "J15", 4230)
    for ref, value in (("K12", -5), ("M12", -117.5), ("K13", -5), ("M13", -117.5), ("K14", 35),
                       ("M14", 822.5), ("K15", 35), ("M15", 822.5), ("H16", 205), ("J16", 4817.5),
                       ("K16", 35), ("M16", 822.5)):
        set_cell(rows, ref, value)
    checked = _checked(tmp_path, {"A4复印纸": rows})
    assert _found(checked, "stock_balance") == [("A4复印纸", 11, "K")], describe(errors(checked))
    assert "负数" in errors(checked)[0].message


def test_收入金额_not_quantity_times_price_is_arithmetic_on_the_amount_cell(tmp_path):
    rows = hand_book()
    set_cell(rows, "F7", 25.3)  # the 单价 mistyped; the 金额 3290 is 140 × 23.5
    checked = _checked(tmp_path, {"A4复印纸": rows})
    assert [(f.row, f.column, f.kind) for f in errors(checked)] == [(7, "G", "arithmetic")]
    assert "应为 3542.00" in errors(checked)[0].message


def test_发出金额_and_结存金额_are_quantity_times_price_too(tmp_path):
    rows = hand_book()
    set_cell(rows, "J8", 597.5)
    set_cell(rows, "M14", 4800)
    checked = _checked(tmp_path, {"A4复印纸": rows})
    assert sorted((f.row, f.column, f.kind) for f in errors(checked) if f.kind == "arithmetic") == [
        (8, "J", "arithmetic"), (14, "M", "arithmetic")], describe(errors(checked))


def test_hand_calculations_under_the_footer_are_not_read(tmp_path):
    rows = hand_book()
    rows.append([None] * 13)
    rows.append([None, None, None, "11月伙食费收入", None, None, 86400] + [None] * 6)
    rows.append([None, None, None, "材料合计", None, None, 6390] + [None] * 6)
    rows.append([None, None, None, "毛利率", None, None, "92.6%"] + [None] * 6)
    checked = _checked(tmp_path, {"大米": rows})
    assert errors(checked) == [], describe(errors(checked))
    assert ledger(checked, "stock_moves").frame["_row"].max() == 14


def test_hand_calculations_after_a_blank_row_end_a_page_without_a_footer(tmp_path):
    rows = hand_book()[:-2]  # no signature line
    rows.append([None] * 13)
    rows.append([None, None, None, "材料合计", None, None, 6390] + [None] * 6)
    checked = _checked(tmp_path, {"大米": rows})
    assert errors(checked) == [], describe(errors(checked))
    assert ledger(checked, "stock_moves").frame["_row"].max() == 14


def test_two_items_on_one_long_sheet_are_two_pages_each_read_with_its_own_header(tmp_path):
    first = hand_book()
    second = hand_book(item="粉笔", spec="无尘 100支/盒", unit="盒", code="JX-003")
    offset = len(first) + 1
    set_cell(second, "K11", 170)  # a slip on the second page, at its own row
    set_cell(second, "M11", 3995)
    sheet = [*first, [None] * 13, *second]
    merges = list(BOOK_MERGES)
    for ref in BOOK_MERGES:
        start, _, end = ref.partition(":")
        merges.append(f"{start[0]}{int(start[1:]) + offset}:{end[0]}{int(end[1:]) + offset}")
    checked = _checked(tmp_path, {"库存物资明细账": sheet}, {"库存物资明细账": merges})
    pages = [t for t in checked.ledgers if t.name == "stock_moves"]
    assert [p.ledger.header_rows for p in pages] == [[4, 5], [4 + offset, 5 + offset]]
    assert [set(p.frame["item"]) for p in pages] == [{"A4复印纸"}, {"粉笔"}]
    assert pages[1].ledger.cell_of("item", 0) == (2 + offset, 1)
    assert [(f.row, f.column, f.kind) for f in errors(checked)] == [
        (11 + offset, "K", "stock_balance")], describe(errors(checked))
    assert errors(checked)[0].key == {"item": "JX-003 粉笔 无尘 100支/盒"}


def test_the_item_comes_from_the_sheet_name_when_the_title_names_none(tmp_path):
    rows = [["库存物资明细账", *([None] * 12)], [None] * 13, [None] * 13, *hand_book()[3:]]
    merges = [m for m in BOOK_MERGES if not m.startswith(("A2", "E2", "J2", "A3", "E3", "J3"))]
    checked = _checked(tmp_path, {"碳素墨水": rows}, {"碳素墨水": merges})
    book = ledger(checked, "stock_moves")
    assert set(book.frame["item"]) == {"碳素墨水"}
    assert book.ledger.cell_of("item", 0) is None  # from the sheet's name, not a cell
    assert book.ledger.context["物品来自"] == "工作表名"
    assert errors(checked) == [], describe(errors(checked))


def test_title_values_in_the_cell_after_a_bare_label(tmp_path):
    rows = hand_book()
    rows[1] = ["品名", "A4复印纸", None, None, "规格", "70g 500张/包", None, None, None, "计量单位：",
               "包", None, None]
    merges = [m for m in BOOK_MERGES if not m.startswith(("A2", "E2", "J2"))]
    book = ledger(_checked(tmp_path, {"纸": rows}, {"纸": merges}), "stock_moves")
    assert (set(book.frame["item"]), set(book.frame["spec"]), set(book.frame["unit"])) == (
        {"A4复印纸"}, {"70g 500张/包"}, {"包"})
    assert book.ledger.cell_of("item", 0) == (2, 2)
    assert book.ledger.cell_of("unit", 0) == (2, 11)


def test_a_目录_sheet_is_listed_unread_with_its_reason(tmp_path):
    catalogue = [["库存物资明细账目录（2026年）"],
                 ["序号", "编号", "品名", "规格", "计量单位", "结存数量", "单价", "结存金额", "页码"],
                 [1, "BG-001", "A4复印纸", "70g 500张/包", "包", 200, 23.5, 4700, 2]]
    checked = _checked(tmp_path, {"目录": catalogue, "A4复印纸": hand_book()},
                       {"A4复印纸": BOOK_MERGES})
    assert [(u.sheet, u.reason) for u in checked.result.unread_sheets] == [
        ("目录", "不是台账：目录 / not a ledger")]
    assert errors(checked) == []


def test_a_page_continued_from_an_earlier_sheet_says_its_本年累计_was_not_checked(tmp_path):
    rows = [*title_rows(), *hand_book()[3:5],
            [None, None, None, "承前页", None, None, None, None, None, None, 175, 23.5, 4112.5],
            *body_rows()[5:], *footer_rows()]
    checked = _checked(tmp_path, {"A4复印纸(续)": rows}, {"A4复印纸(续)": BOOK_MERGES})
    assert errors(checked) == [], describe(errors(checked))
    book = ledger(checked, "stock_moves")
    assert book.frame["_row"].tolist()[0] == 6  # the 承前页 opens the page: the balance brought in
    assert "本年累计未复核" in book.ledger.context
    # Said where the bursar reads: the JSON's ledgers and the report's 识别到的台账.
    entry = checked.result.to_json("test")["ledgers"][0]
    assert "本年累计未复核" in entry["context"] and entry["context"]["物品"] == "A4复印纸"
    from houqin_xl.outputs.report import ledgers_block

    block = ledgers_block(checked)
    assert "本年累计未复核" in block.rows[0][block.header.index("说明")]


def test_a_second_page_printed_down_the_same_sheet_continues_the_first(tmp_path):
    # Page one ends with 过次页 in September; page two repeats the title and the header, opens
    # with 承前页, closes September (本月合计, its movements on page one) and goes on in October.
    first = [*hand_book()[:15],  # up to February's 本月合计 (row 15): 200 at 23.5
             [9, 1, "入-0901", "购入", 60, 23.5, 1410, None, None, None, 260, 23.5, 6110],
             [None, 12, "出-0902", "德育处领用", None, None, None, 20, 23.5, 470, 240, 23.5, 5640],
             [None, None, None, "过次页", None, None, None, None, None, None, 240, 23.5, 5640]]
    second = [*title_rows(), *book_head(),
              [None, None, None, "承前页", None, None, None, None, None, None, 240, 23.5, 5640],
              [None, None, None, "本月合计", 60, None, 1410, 20, None, 470, 240, 23.5, 5640],
              [10, 9, "出-1001", "总务处领用", None, None, None, 15, 23.5, 352.5, 225, 23.5, 5287.5],
              [None, None, None, "本月合计", None, None, None, 15, None, 352.5, 225, 23.5, 5287.5]]
    rows = [*first, *second, *footer_rows()]
    merges = [*BOOK_MERGES, *[_shifted(ref, len(first)) for ref in BOOK_MERGES]]
    checked = _checked(tmp_path, {"A4复印纸": rows}, {"A4复印纸": merges})
    assert errors(checked) == [], describe(errors(checked))
    rollforward = [r for r in checked.result.reconciliations if r.rule == "stock_rollforward"]
    assert [(r.left, r.status) for r in rollforward] == [("225", "ok")]
    # The September 本月合计 on page two has none of its movements there: said, not checked.
    pages = [t.ledger.context for t in checked.ledgers if t.name == "stock_moves"]
    assert any("本月合计未复核" in context for context in pages)


def _shifted(ref: str, rows: int) -> str:
    """An Excel range moved down by `rows` rows ('A1:M1', 18 → 'A19:M19')."""
    import re

    return re.sub(r"\d+", lambda m: str(int(m.group()) + rows), ref)


def test_an_impossible_date_is_bad_type_on_its_日_cell(tmp_path):
    rows = hand_book()
    set_cell(rows, "A11", 2)
    set_cell(rows, "B11", 30)  # 2月30日
    checked = _checked(tmp_path, {"A4复印纸": rows})
    assert ("A4复印纸", 11, "B") in _found(checked, "bad_type"), describe(errors(checked))


def test_an_old_xls_stores_book_reads_the_same(tmp_path):
    rows = hand_book()
    set_cell(rows, "H15", 25)
    checked = _checked(tmp_path, {"A4复印纸": rows}, name="库存物资明细账.xls")
    assert [(f.row, f.column, f.kind) for f in errors(checked)] == [(15, "H", "arithmetic")]
    assert ledger(checked, "stock_moves").frame["_row"].tolist() == [6, 7, 8, 11, 14]


def test_a_one_row_header_under_the_title_block_with_the_year_in_the_title(tmp_path):
    rows = [["库存物资明细账（2026年度）"], ["品名：粉笔", None, None, None, "计量单位：盒"],
            ["月", "日", "凭证号", "摘要", "收入数量", "收入单价", "收入金额", "发出数量", "发出单价",
             "发出金额", "结存数量", "结存单价", "结存金额"],
            [1, 1, None, "上年结转", None, None, None, None, None, None, 10, 5, 50],
            [1, "5日", "入1", "购入", 20, 5, 100, None, None, None, 30, 5, 150],
            [None, "9", "出1", "领用", None, None, None, 8, 5, 40, 22, 5, 110],
            [None, None, None, "本月合计", 20, None, 100, 8, None, 40, 22, 5, 110],
            [None] * 13,  # a line left blank mid-page: the next dated row is still a movement
            [2, 3, "出2", "领用", None, None, None, 2, 5, 10, 20, 5, 100],
            ["本月合计", None, None, None, None, None, None, 2, None, 10, 20, 5, 100],
            ["本年累计", None, None, None, 20, None, 100, 10, None, 50, 20, 5, 100]]
    checked = _checked(tmp_path, {"粉笔": rows}, {"粉笔": ["A10:D10", "A11:D11"]})
    assert errors(checked) == [], describe(errors(checked))
    book = ledger(checked, "stock_moves")
    assert book.ledger.header_rows == [3]  # the title block is not a group row over the header
    assert book.frame["_row"].tolist() == [4, 5, 6, 9]
    assert [d.date() for d in book.frame["date"]] == [
        dt.date(2026, 1, 1), dt.date(2026, 1, 5), dt.date(2026, 1, 9), dt.date(2026, 2, 3)]
    assert set(book.frame["unit"]) == {"盒"}
    # two 本月合计 and a 本年累计, labels merged across A:D: 收发 数量 and 金额, and 结存 数量 (the
    # 结存金额 each repeats is its 数量 × 单价: no second check)
    assert len(book.ledger.sums) == 13


def test_dates_written_without_their_year_take_the_year_above_the_table(tmp_path):
    rows = [["低值易耗品明细账（2026年）"], ["品名：扫帚", None, None, None, None, "计量单位：把"],
            ["日期", "摘要", "收入", None, "发出", None, "结存", None],
            [None, None, "数量", "金额", "数量", "金额", "数量", "金额"],
            ["11月1日", "期初余额", None, None, None, None, 12, 180],
            ["11月6日", "购入", 10, 150, None, None, 22, 330],
            ["11.20", "领用", None, None, 5, 75, 17, 255],
            [None, "本月合计", 10, 150, 6, 75, 17, 255]]  # 5 issued, not 6
    merges = ["A3:A4", "B3:B4", "C3:D3", "E3:F3", "G3:H3"]
    checked = _checked(tmp_path, {"扫帚": rows}, {"扫帚": merges})
    book = ledger(checked, "stock_moves")
    assert [d.date() for d in book.frame["date"]] == [
        dt.date(2026, 11, 1), dt.date(2026, 11, 6), dt.date(2026, 11, 20)]
    assert [(f.row, f.column, f.kind) for f in errors(checked)] == [(8, "E", "arithmetic")]
