"""Grids → ledgers: recognised by headers, whatever the sheet is called or how it is laid out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from builders import (
    FA_HEADER,
    MESSY_LEDGERS,
    STOCK_SUB,
    STOCK_TOP,
    Book,
    fixed_asset_rows,
    stock_merges,
    stock_rows,
    write_workbook,
    write_xlsx,
)

from houqin_xl.config import Config
from houqin_xl.ledgers.ledger import Ledger
from houqin_xl.ledgers.recognise import recognise
from houqin_xl.ledgers.schemas import load_schemas, normalise_header
from houqin_xl.ledgers.typed import type_ledger
from houqin_xl.read import read_paths


def _ledgers(path: Path, config: Config | None = None) -> dict[str, Ledger]:
    found = recognise(read_paths([path]), load_schemas(config))
    return {ledger.sheet: ledger for ledger in found}


def _frame(ledger: Ledger):
    typed, bad = type_ledger(ledger)
    assert bad == [], [f.message for f in bad]
    return typed.frame


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".xls"])
def test_every_ledger_of_the_messy_set_is_recognised_by_its_headers(
        tmp_path: Path, book: Book, suffix: str) -> None:
    found = _ledgers(book.write(tmp_path / f"台账{suffix}"))
    assert {sheet: ledger.name for sheet, ledger in found.items()} == MESSY_LEDGERS
    assert "说明" not in found  # a sheet that is no ledger is ignored
    header_rows = {sheet: ledger.header_rows for sheet, ledger in found.items()}
    assert header_rows == {"Sheet1": [4], "Sheet2": [3], "Sheet3": [2], "Sheet4": [3, 4],
                           "Sheet5": [3], "Sheet6": [2], "Sheet7": [2]}


def test_one_ledger_per_file_in_a_folder(tmp_path: Path, book: Book) -> None:
    folder = book.write_folder(tmp_path / "台账", ".xls")
    found = recognise(read_paths([folder]), load_schemas())
    assert sorted(ledger.name for ledger in found) == sorted(MESSY_LEDGERS.values())
    assert all(ledger.path.endswith(".xls") for ledger in found)


def test_title_unit_line_and_blank_rows_above_the_header_are_skipped(tmp_path: Path, book: Book) -> None:
    assets = _ledgers(book.write(tmp_path / "a.xlsx"))["Sheet1"]
    assert assets.header_rows == [4]
    # data rows keep their Excel row; blank row 7, subtotal rows 9 and 13, totals 14–15 and
    # the footer on row 17 are not data; hidden row 10 is
    assert assets.rows == [5, 6, 8, 10, 11, 12]
    assert [(t.row, t.label, t.scope) for t in assets.totals] == [
        (9, "小计", "block"), (13, "小计", "block"), (14, "合计", "all"), (15, "本年累计", "skip")]


def test_header_spaces_line_breaks_full_width_brackets_and_aliases(tmp_path: Path, book: Book) -> None:
    assets = _ledgers(book.write(tmp_path / "a.xlsx"))["Sheet1"]
    columns = {name: col for name, col in assets.columns.items()}
    assert columns["asset_id"] == 1      # ' 资产 编码'
    assert columns["name"] == 2          # 品名
    assert columns["unit_price"] == 7    # 单价\n(元)
    assert columns["original_value"] == 8  # 原值（元）
    assert columns["acquired_on"] == 9   # 购置日期
    assert columns["custodian"] == 12    # 使用人
    assert columns["net_value"] == 15    # 账面净值


@pytest.mark.parametrize(("text", "key", "unit"), [
    ("原值\n(元)", "原值", "元"), ("原值（元）", "原值", "元"), (" 原 值 ", "原值", None),
    ("原值（万元）", "原值", "万元"), ("原值/万元", "原值", "万元"), ("*资产编号：", "资产编号", None),
    ("ＡＢＣ", "ABC", None), (None, "", None),
])
def test_normalise_header(text: str | None, key: str, unit: str | None) -> None:
    assert normalise_header(text) == (key, unit)


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_two_level_stock_header_joins_parent_and_child(tmp_path: Path, suffix: str) -> None:
    rows = [["物资出入库登记"], [], STOCK_TOP, STOCK_SUB, *stock_rows()]
    path = write_workbook(tmp_path / f"s{suffix}", {"库存": rows},
                          merges={"库存": ["A1:N1", *stock_merges(3)]})
    stock = _ledgers(path)["库存"]
    assert stock.name == "stock_moves"
    assert stock.header_rows == [3, 4]
    assert {k: stock.columns[k] for k in ("in_qty", "in_price", "in_amount", "out_qty",
                                          "out_amount", "balance_qty")} == {
        "in_qty": 7, "in_price": 8, "in_amount": 9, "out_qty": 10, "out_amount": 11, "balance_qty": 12}
    assert stock.rows == [5, 6, 7, 8, 9]


def test_领用_over_数量_金额_is_the_issue_side(tmp_path: Path) -> None:
    top = ["日期", "物品名称", "购入", None, "领用", None, "结存"]
    sub = [None, None, "数量", "金额", "数量", "金额", "数量"]
    rows = [top, sub, [dt.date(2026, 11, 2), "粉笔", 10, 20, 4, 8, 6]]
    path = write_xlsx(tmp_path / "l.xlsx", {"领用": rows}, merges={"领用": ["C1:D1", "E1:F1"]})
    stock = _ledgers(path)["领用"]
    assert {k: stock.columns[k] for k in ("in_qty", "in_amount", "out_qty", "out_amount")} == {
        "in_qty": 3, "in_amount": 4, "out_qty": 5, "out_amount": 6}


def test_merged_department_cell_applies_to_every_row(tmp_path: Path, book: Book) -> None:
    found = _ledgers(book.write(tmp_path / "a.xlsx"))
    assets = _frame(found["Sheet1"])
    assert assets.loc[assets["_row"] == 6, "department"].item() == "教务处"
    fees = _frame(found["Sheet5"])
    assert list(fees["class"]) == ["三(1)班"] * 5
    stock = _frame(found["Sheet4"])
    assert list(stock["item"][:3]) == ["A4纸"] * 3


def test_hidden_row_is_data(tmp_path: Path, book: Book) -> None:
    found = _ledgers(book.write(tmp_path / "a.xlsx"))
    assert 10 in found["Sheet1"].rows and 10 in found["Sheet1"].hidden_rows
    assert 6 in found["Sheet5"].rows


def test_numbers_and_dates_in_every_form_are_typed(tmp_path: Path, book: Book) -> None:
    for suffix in (".xlsx", ".xls"):
        found = _ledgers(book.write(tmp_path / f"a{suffix}"))
        assets = _frame(found["Sheet1"])
        assert list(assets["original_value"]) == [4800, 7000, 12000, 15000, 8000, 5000]
        assert list(assets["quantity"]) == [1, 2, 1, 500, 10, 1]
        # "1800元", "2,041.67", the "-" for zero of the books
        assert list(assets["accumulated_depreciation"]) == [1800, 2041.67, 8400, 0, 2311.11, 5000]
        assert list(assets["net_value"]) == [3000, 4958.33, 3600, 15000, 5688.89, 0]
        assert [d.date() for d in assets["acquired_on"]] == [
            dt.date(2024, 9, 1), dt.date(2025, 3, 15), dt.date(2023, 6, 20), dt.date(2025, 9, 1),
            dt.date(2022, 8, 30), dt.date(2015, 9, 1)]
        count = _frame(found["Sheet3"])
        assert set(count["counted_on"].dt.date) == {dt.date(2026, 11, 20)}
        fees = _frame(found["Sheet5"])
        assert list(fees["paid"]) == [60, 60, 0, 0, 100]
        assert [d.date() if d == d else None for d in fees["paid_on"]] == [
            dt.date(2026, 11, 3), dt.date(2026, 11, 3), None, None, dt.date(2026, 11, 4)]


def test_unit_line_in_万元_multiplies_amounts_not_quantities(tmp_path: Path, book: Book) -> None:
    gl = _frame(_ledgers(book.write(tmp_path / "a.xlsx"))["Sheet2"])
    assert [round(v, 2) for v in gl["balance"]] == [11800, 12000, 15000, 8000]
    assert list(gl["quantity"]) == [3, 1, 500, 10]


def test_万元_in_the_header_applies_to_that_column_only(tmp_path: Path) -> None:
    rows = [["资产编号", "资产名称", "数量", "单价（元）", "原值（万元）"], ["A1", "钢琴", 1, 12000, 1.2]]
    assets = _frame(_ledgers(write_xlsx(tmp_path / "w.xlsx", {"S": rows}))["S"])
    assert assets["unit_price"].item() == 12000
    assert round(assets["original_value"].item(), 2) == 12000


def test_header_found_below_many_title_rows_and_right_of_empty_columns(tmp_path: Path) -> None:
    rows = [[None, None, "XX小学"], [None, None, "固定资产台账"], [], [], [None, None, *FA_HEADER],
            *[[None, None, *r] for r in fixed_asset_rows()]]
    assets = _ledgers(write_xlsx(tmp_path / "o.xlsx", {"S": rows}))["S"]
    assert assets.header_rows == [5]
    assert assets.columns["asset_id"] == 3
    assert assets.rows == [6, 7, 8, 9, 10, 11]


def test_header_repeated_on_a_printed_page_is_not_data(tmp_path: Path) -> None:
    data = fixed_asset_rows()
    rows = [FA_HEADER, *data[:3], FA_HEADER, *data[3:]]
    assets = _ledgers(write_xlsx(tmp_path / "p.xlsx", {"S": rows}))["S"]
    assert assets.rows == [2, 3, 4, 6, 7, 8]


def test_original_value_takes_原值_when_金额_is_also_there(tmp_path: Path) -> None:
    rows = [["编号", "名称", "金额", "原值"], ["A1", "钢琴", 5, 12000]]
    assets = _ledgers(write_xlsx(tmp_path / "v.xlsx", {"S": rows}))["S"]
    assert assets.columns["original_value"] == 4


def test_a_count_sheet_showing_原值_is_not_the_register(tmp_path: Path) -> None:
    rows = [["资产编号", "资产名称", "原值", "实盘数量"], ["A1", "钢琴", 12000, 1]]
    assert _ledgers(write_xlsx(tmp_path / "c.xlsx", {"S": rows}))["S"].name == "asset_count"


def test_sheet_names_mean_nothing_and_non_ledgers_are_ignored(tmp_path: Path) -> None:
    sheets = {
        "固定资产台账": [["姓名", "电话"], ["张三", "138"]],  # misleading name, no ledger
        "Sheet9": [FA_HEADER, *fixed_asset_rows()],
        "空表": [],
        "说明": [["本表说明"], ["每月更新"]],
    }
    found = _ledgers(write_xlsx(tmp_path / "n.xlsx", sheets))
    assert {s: led.name for s, led in found.items()} == {"Sheet9": "fixed_assets"}


def test_a_school_adds_a_header_alias_in_its_settings(tmp_path: Path) -> None:
    header = ["财产编号", *FA_HEADER[1:]]
    path = write_xlsx(tmp_path / "alias.xlsx", {"S": [header, *fixed_asset_rows()]})
    assert _ledgers(path) == {}  # 财产编号 is no standard header: the signature lacks asset_id
    config = Config(aliases={"fixed_assets": {"asset_id": ["财产编号"]}})
    assets = _ledgers(path, config)["S"]
    assert assets.columns["asset_id"] == 1


def test_a_required_column_the_sheet_lacks_is_recorded(tmp_path: Path) -> None:
    header = [h for h in FA_HEADER if h != "存放地点"]
    rows = [[v for h, v in zip(FA_HEADER, r, strict=True) if h != "存放地点"] for r in fixed_asset_rows()]
    assets = _ledgers(write_xlsx(tmp_path / "lack.xlsx", {"S": [header, *rows]}))["S"]
    assert assets.missing_fields == ["location"]


def test_footer_lines_and_data_that_looks_like_a_footer(tmp_path: Path) -> None:
    rows = [FA_HEADER, *fixed_asset_rows(),
            ["说明：本表按月更新"], ["制表人：张三", None, "审核：李四"], ["注1：原值含安装费"]]
    rows[1][15] = "说明书已归档"  # a note that merely starts like a footer word stays data
    assets = _ledgers(write_xlsx(tmp_path / "f.xlsx", {"S": rows}))["S"]
    assert assets.rows == [2, 3, 4, 5, 6, 7]
    assert assets.totals == []


def test_signature_lines_under_a_count_sheet_are_footers(tmp_path: Path) -> None:
    rows = [["资产编号", "资产名称", "实盘数量", "盘点人"], ["A1", "钢琴", 1, "孙"], ["A2", "电脑", 2, "孙"],
            ["盘点人：孙", None, "监盘人：周"], ["日期：2026年11月20日"], ["验收人：李"]]
    count = _ledgers(write_xlsx(tmp_path / "c.xlsx", {"S": rows}))["S"]
    assert count.rows == [2, 3]


def test_以下空白_closes_the_table(tmp_path: Path) -> None:
    rows = [FA_HEADER, *fixed_asset_rows(), ["以下空白"], ["", "（以下空白）"]]
    assets = _ledgers(write_xlsx(tmp_path / "k.xlsx", {"S": rows}))["S"]
    assert assets.rows == [2, 3, 4, 5, 6, 7]


def test_a_group_header_over_the_real_header_and_a_serial_number_column(tmp_path: Path) -> None:
    group = [None, "基本信息", None, None, None, None, "价值", None, None, "使用情况", None, None, None,
             None, "折旧", None, None]
    rows = [["固定资产台账"], group, ["序号", *FA_HEADER],
            *[[i + 1, *r] for i, r in enumerate(fixed_asset_rows())], ["合计"]]
    merges = {"S": ["A1:Q1", "B2:F2", "G2:I2", "J2:N2", "O2:Q2"]}
    assets = _ledgers(write_xlsx(tmp_path / "g.xlsx", {"S": rows}, merges=merges))["S"]
    assert assets.header_rows[-1] == 3
    assert assets.columns["asset_id"] == 2 and assets.columns["original_value"] == 9
    assert assets.rows == [4, 5, 6, 7, 8, 9]


def test_stock_header_whose_single_columns_are_not_merged_down(tmp_path: Path) -> None:
    rows = [STOCK_TOP, STOCK_SUB, *stock_rows()]
    stock = _ledgers(write_xlsx(tmp_path / "s.xlsx", {"S": rows}, merges={"S": ["G1:I1", "J1:K1"]}))["S"]
    assert stock.header_rows == [1, 2]
    assert stock.columns["date"] == 1 and stock.columns["in_amount"] == 9
    assert stock.columns["balance_qty"] == 12
    assert stock.rows == [3, 4, 5, 6, 7]


def test_total_labels_may_name_a_class_or_a_month() -> None:
    from houqin_xl.ledgers.layouts.cells import label_kind as _label_kind

    for label in ("301班 小计", "2026年11月 合计", "一年级（100）班 小计", "本月合计"):
        assert _label_kind(label) == "total", label
    assert _label_kind("ZC20261234 合计用") == ""  # an asset number is data


def test_cashier_signature_lines_are_footers() -> None:
    from houqin_xl.ledgers.layouts.cells import label_kind as _label_kind

    for line in ("收款人：陈会计", "经手人：李四", "收费人: 王五"):
        assert _label_kind(line) == "footer", line


def test_cells_merged_down_over_two_header_rows_make_one_header(tmp_path) -> None:
    import openpyxl

    from houqin_xl.check import check
    from houqin_xl.read import read_paths

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "XX小学代收费登记表"
    sheet.merge_cells("A1:H1")
    sheet.append(["班级", "学生姓名", "收费项目", "缴费情况", None, None, "收据号码", "收费日期"])
    sheet.append([None, None, None, "应收", "减免", "实收", None, None])
    for cells in ("A2:A3", "B2:B3", "C2:C3", "G2:G3", "H2:H3", "D2:F2"):
        sheet.merge_cells(cells)
    sheet.append(["三(2)班", "张三", "作业本费", 50, 0, 50, "B0101", "2026-09-03"])
    sheet.append(["三(2)班", "李四", "作业本费", 50, 50, 0, None, None])
    book.save(tmp_path / "fees.xlsx")
    result = check(read_paths([tmp_path / "fees.xlsx"]), period="2026-09").result
    assert result.ledgers[0].header_rows == [2, 3]
    assert [f.message for f in result.findings] == []


def test_deposit_and_fee_header_variants_are_recognised(tmp_path) -> None:
    import openpyxl

    from houqin_xl.check import check
    from houqin_xl.read import read_paths

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["缴存日期", "缴存金额", "进账单号"])
    sheet.append(["2026-11-03", "1,000.00", "JZ001"])
    fees = book.create_sheet("收费")
    fees.append(["班级", "姓名", "收费项目", "应缴", "实交金额", "收据编号", "交费日期"])
    fees.append(["三(2)班", "张三", "伙食费", 1000, 1000, "C001", "2026.11.3"])
    book.save(tmp_path / "a.xlsx")
    result = check(read_paths([tmp_path / "a.xlsx"]), period="2026-11").result
    assert sorted(i.ledger for i in result.ledgers) == ["deposits", "fees"]
    assert [f.message for f in result.findings] == []
    assert [r.status for r in result.reconciliations if r.rule == "deposits"] == ["ok"]
