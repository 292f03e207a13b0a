"""Stocktake results (REAL-FORMATS §4): an app's export of every asset with its 盘点状态, and a
count kept by hand under 账面 | 实盘 groups with a 盘点结果 column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from builders import cells, describe, errors, ledger, run, warnings, write_xlsx

D = dt.date
REGISTER_HEADER = ["资产编号", "资产名称", "资产分类", "数量", "单价", "原值", "取得日期", "使用部门",
                   "存放地点", "使用状况"]


def _asset(asset_id: str, name: str, quantity: int, price: int, place: str, status: str = "在用"
           ) -> list[Any]:
    return [asset_id, name, "通用设备", quantity, price, quantity * price, D(2024, 9, 1), "教务处",
            place, status]


REGISTER = [
    REGISTER_HEADER,
    _asset("A001", "交互式一体机", 1, 12800, "301教室"),
    _asset("A002", "台式电脑", 2, 4500, "计算机教室"),
    _asset("A003", "钢琴", 1, 18000, "音乐室"),
    _asset("A004", "课桌椅", 40, 1000, "101教室"),
    _asset("A005", "旧投影仪", 1, 3000, "仓库", "已报废"),
    _asset("A006", "图书架", 5, 1200, "图书室"),
    _asset("A007", "投影仪", 1, 3500, "302教室"),
    _asset("A008", "笔记本电脑", 1, 6000, "303教室"),
]
REGISTER_ROW = {row[0]: i + 1 for i, row in enumerate(REGISTER)}

APP_HEADER = ["资产编号", "资产名称", "使用部门", "账面存放地点", "实际存放地点", "账面数量", "实盘数量",
              "盘点状态", "盘点人", "盘点时间", "备注"]


def _app(asset_id: str, name: str, book_place: str, place: str, book: str, found: str, status: str,
         when: str = "2026-11-24 10:23:45") -> list[Any]:
    # As the app's CSV arrives: every value text.
    return [asset_id, name, "教务处", book_place, place, book, found, status, "周敏", when, None]


def app_rows() -> list[list[Any]]:
    return [
        APP_HEADER,
        _app("A001", "交互式一体机", "301教室", "301教室", "1", "1", "已盘"),
        _app("A002", "台式电脑", "计算机教室", "计算机教室", "2", "2", "正常"),
        _app("A003", "钢琴", "音乐室", "", "1", "0", "未盘", ""),
        _app("A004", "课桌椅", "101教室", "101教室", "40", "40", "相符"),
        _app("A005", "旧投影仪", "仓库", "", "1", "", "未盘", ""),       # disposed, not found: right
        _app("A006", "图书架", "图书室", "阅览室", "5", "5", "位置异常"),
        _app("A007", "投影仪", "302教室", "", "1", "1", "未盘", ""),    # the app copied the book's 1
        _app("A008", "笔记本电脑", "303教室", "", "1", "", "盘亏", ""),
        _app("PY20261125001", "激光打印机", "", "行政楼203", "0", "1", "盘盈", "2026-11-25 15:02:11"),
    ]


def test_an_apps_export_with_every_status(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "盘点.xlsx", {"台账": REGISTER, "盘点结果": app_rows()})
    checked = run(path)
    assert sorted((f.kind, f.sheet, f.row, f.column) for f in errors(checked)) == sorted([
        ("count_missing", "台账", REGISTER_ROW["A003"], "A"),   # 未盘
        ("count_missing", "台账", REGISTER_ROW["A007"], "A"),   # 未盘, whatever the app wrote
        ("count_missing", "台账", REGISTER_ROW["A008"], "A"),   # 盘亏
        ("count_diff", "台账", REGISTER_ROW["A006"], "I"),      # 位置异常: on the register's place
        ("count_extra", "盘点结果", 10, "A"),                    # 盘盈 under a temporary number
    ]), describe(checked.result.findings)
    assert warnings(checked) == []
    count = ledger(checked, "asset_count")
    # 盘点时间 is a date-time; the 未盘 and 盘亏 rows have none.
    assert count.frame["counted_on"].dt.strftime("%Y-%m-%d").fillna("").tolist() == [
        "2026-11-24", "2026-11-24", "", "2026-11-24", "", "2026-11-24", "", "", "2026-11-25"]
    # Per place, 未盘 rows count nothing found.
    places = {r.key["location"]: (r.left, r.right) for r in checked.result.reconciliations
              if r.rule == "assets_vs_count" and "location" in r.key}
    assert places["302教室"] == ("1", "0") and places["音乐室"] == ("1", "0")


def test_a_盘亏_whose_实盘数量_is_the_books_own_is_not_found_and_a_part_found_is_a_difference(
        tmp_path: Path) -> None:
    rows = app_rows()
    rows[2][7] = "盘亏"  # A002 台式电脑: the app copied 账面 2 into 实盘 2
    checked = run(write_xlsx(tmp_path / "盘点.xlsx", {"台账": REGISTER, "盘点结果": rows}))
    assert ("count_missing", "台账", REGISTER_ROW["A002"], "A") in [
        (f.kind, f.sheet, f.row, f.column) for f in errors(checked)]
    rows[2][6] = "1"  # one of the two found
    checked = run(write_xlsx(tmp_path / "盘点2.xlsx", {"台账": REGISTER, "盘点结果": rows}))
    found = [(f.kind, f.row) for f in errors(checked) if f.sheet == "台账" and f.row == REGISTER_ROW["A002"]]
    assert found == [("count_diff", REGISTER_ROW["A002"])]
    # Without a register, the count's own 账面数量 judges the copy the same way.
    no_register = app_rows()
    no_register[2][7] = "盘亏"
    checked = run(write_xlsx(tmp_path / "盘点3.xlsx", {"盘点结果": no_register[:-1]}))
    assert ("count_missing", 3) in [(f.kind, f.row) for f in errors(checked)]


def test_found_without_a_实际存放地点_is_found_where_the_books_have_it_in_the_totals_per_place_too(
        tmp_path: Path) -> None:
    rows = app_rows()
    for row in rows[1:]:
        if row[7] in ("已盘", "正常", "相符"):
            row[4] = ""  # the app leaves the place blank when the asset is where the books say
    checked = run(write_xlsx(tmp_path / "盘点.xlsx", {"台账": REGISTER, "盘点结果": rows}))
    places = {r.key["location"]: (r.left, r.right, r.status) for r in checked.result.reconciliations
              if r.rule == "assets_vs_count" and "location" in r.key}
    assert places["301教室"] == ("1", "1", "ok") and places["101教室"] == ("40", "40", "ok")
    assert "（未填）" not in places


def test_a_盘盈_row_without_a_number_is_found_and_not_on_the_books(tmp_path: Path) -> None:
    rows = app_rows()
    rows[-1][0] = None
    checked = run(write_xlsx(tmp_path / "盘点.xlsx", {"台账": REGISTER, "盘点结果": rows}))
    extra = [f for f in errors(checked) if f.kind == "count_extra"]
    assert [(f.sheet, f.row, f.column) for f in extra] == [("盘点结果", 10, "B")]
    assert "盘盈" in extra[0].message
    # Said once, as 盘盈 without a number — not a second time as a blank 资产编号.
    assert [f for f in errors(checked) if f.sheet == "盘点结果" and f.row == 10] == extra
    # A row that is not 盘盈 still needs its number.
    rows[2][0] = None
    checked = run(write_xlsx(tmp_path / "盘点2.xlsx", {"台账": REGISTER, "盘点结果": rows}))
    assert ("missing", 3, "A") in [(f.kind, f.row, f.column) for f in errors(checked) if f.sheet == "盘点结果"]


HAND_TOP = ["序号", "资产编号", "资产名称", "规格型号", "计量单位", "账面", None, "实盘", None, "盘点结果",
            "备注"]
HAND_SUB = [None, None, None, None, None, "数量", "存放地点", "数量", "存放地点", None, None]
HAND_MERGES = ["A1:K1", "A2:K2", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:G3", "H3:I3",
               "J3:J4", "K3:K4"]


def hand_rows() -> list[list[Any]]:
    return [
        ["江州市第六小学固定资产清查盘点表"],
        ["盘点日期：2026年11月25日\u3000\u3000盘点部门：总务处\u3000\u3000（已报废资产不列入）"],
        HAND_TOP, HAND_SUB,
        [1, "A001", "交互式一体机", None, "台", 1, "301教室", 1, "301教室", "相符", None],
        [2, "A002", "台式电脑", None, "台", 2, "计算机教室", 2, "计算机教室", "相符", None],
        [3, "A003", "钢琴", None, "台", 1, "音乐室", 0, None, "盘亏", "多方查找未见"],
        [4, "A004", "课桌椅", None, "套", 40, "101教室", 40, "101教室", "相符", None],
        [5, "A006", "图书架", None, "个", 5, "图书室", 5, "阅览室", "位置变动", "调至阅览室，未办手续"],
        [6, "A007", "投影仪", None, "台", 1, "302教室", 1, "302教室", "相符", None],
        [7, "A008", "笔记本电脑", None, "台", 1, "303教室", 1, "303教室", "相符", None],
        [],
        ["盘点人：周敏、赵磊\u3000\u3000监盘人：王建国\u3000\u3000负责人："],
    ]


def _hand(tmp_path: Path, rows: list[list[Any]] | None = None, with_register: bool = True) -> Path:
    sheets = {"盘点表": rows or hand_rows()}
    merges = {"盘点表": HAND_MERGES}
    if with_register:
        sheets = {"台账": REGISTER, **sheets}
    return write_xlsx(tmp_path / "清查.xlsx", sheets, merges=merges)


def test_a_hand_count_under_账面_and_实盘_groups(tmp_path: Path) -> None:
    checked = run(_hand(tmp_path))
    count = ledger(checked, "asset_count").ledger
    assert count.header_rows == [3, 4]
    assert {f: count.columns[f] for f in ("book_quantity", "book_location", "counted_quantity",
                                          "location", "count_status")} == {
        "book_quantity": 6, "book_location": 7, "counted_quantity": 8, "location": 9,
        "count_status": 10}
    assert count.rows == list(range(5, 12))  # the signature footer is no data
    assert sorted((f.kind, f.sheet, f.row, f.column) for f in errors(checked)) == sorted([
        ("count_missing", "台账", REGISTER_ROW["A003"], "A"),   # 盘亏: 实盘 0
        ("count_diff", "台账", REGISTER_ROW["A006"], "I"),      # 位置变动
    ]), describe(checked.result.findings)


def test_a_second_group_printed_down_the_sheet_under_its_own_merged_title(tmp_path: Path) -> None:
    # Two counting groups, each form with its title merged across the table, its two-row header
    # and its signature line: the second title is a line of its own, not a 盘盈 asset.
    first, second = hand_rows()[4:8], hand_rows()[8:11]
    rows = [["固定资产清查盘点表（第1组）"], HAND_TOP, HAND_SUB, *first, ["盘点人：周敏"], [],
            ["固定资产清查盘点表（第2组）"], HAND_TOP, HAND_SUB, *second, ["盘点人：赵磊"]]
    merges = ["A1:K1", "F2:G2", "H2:I2", "A10:K10", "F11:G11", "H11:I11"]
    path = write_xlsx(tmp_path / "清查.xlsx", {"台账": REGISTER, "盘点表": rows}, merges={"盘点表": merges})
    checked = run(path)
    assert sorted((f.kind, f.sheet, f.row, f.column) for f in errors(checked)) == sorted([
        ("count_missing", "台账", REGISTER_ROW["A003"], "A"),
        ("count_diff", "台账", REGISTER_ROW["A006"], "I"),
    ]), describe(checked.result.findings)


def test_a_count_taken_against_other_books_is_said_on_its_账面_cells(tmp_path: Path) -> None:
    rows = hand_rows()
    rows[5][5] = 3             # A002: the count sheet's 账面 says 3, the register 2
    rows[10][6] = "304教室"    # A008: the count sheet's 账面 place is not the register's
    rows[10][8] = "304教室"
    checked = run(_hand(tmp_path, rows))
    said = sorted((f.kind, f.severity, f.sheet, f.row, f.column) for f in warnings(checked))
    assert said == [("bad_value", "warning", "盘点表", 6, "F"), ("bad_value", "warning", "盘点表", 11, "G")]
    # What was found is compared with the register all the same.
    assert ("台账", REGISTER_ROW["A008"], "I", "count_diff") in cells(checked, ["count_diff"])


def test_without_a_register_the_count_sheet_is_checked_against_its_own_账面(tmp_path: Path) -> None:
    rows = hand_rows()
    rows.insert(11, [8, "PY001", "激光打印机", None, "台", None, None, 1, "行政楼203", "盘盈", None])
    checked = run(_hand(tmp_path, rows, with_register=False))
    assert sorted((f.kind, f.row, f.column) for f in errors(checked)) == [
        ("count_diff", 9, "I"), ("count_extra", 12, "B"), ("count_missing", 7, "B")]
    skipped = {s["rule"]: s["reason"] for s in checked.result.skipped_rules}
    assert "fixed_assets" in skipped["assets_vs_count"]
    total = [r for r in checked.result.reconciliations if r.rule == "count_book_vs_found"
             and r.key == {"location": "合计"}][0]
    assert (total.left, total.right) == ("51", "51")  # 51 on the books, 51 found (1 missing, 1 extra)


def test_a_count_row_saying_nothing_is_missing_its_quantity(tmp_path: Path) -> None:
    rows = hand_rows()
    rows[7][7] = None   # A004: no 实盘数量 …
    rows[7][9] = None   # … and no 盘点结果
    checked = run(_hand(tmp_path, rows))
    assert ("盘点表", 8, "H", "missing") in cells(checked, ["missing"])


def test_a_disposed_asset_found_in_the_count_is_said(tmp_path: Path) -> None:
    rows = app_rows()
    rows[5] = _app("A005", "旧投影仪", "仓库", "仓库", "1", "1", "已盘")
    checked = run(write_xlsx(tmp_path / "盘点.xlsx", {"台账": REGISTER, "盘点结果": rows}))
    assert ("台账", REGISTER_ROW["A005"], "J", "count_diff") in cells(checked, ["count_diff"])
