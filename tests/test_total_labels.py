"""A total row is told by its label standing where labels stand, and by a label that IS a total
(合计, 301班小计, 通用设备 小计) — not by a total word inside a name (合计报表打印机, 1602 累计折旧).
A block of hand calculations under the table ends it and is not data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from builders import (
    FA_HEADER,
    STOCK_FLAT,
    cells,
    describe,
    errors,
    fixed_asset_rows,
    ledger,
    run,
    stock_rows,
    write_xlsx,
)

from houqin_xl.ledgers.layouts.cells import label_kind


@pytest.mark.parametrize("name", ["合计报表打印机", "电能综合计量仪", "1602 累计折旧", "累计折旧",
                                  "累计盈余", "累计摊销", "合计金额说明很长很长很长很长很长很长很长很长",
                                  "ZC20261234 合计", "小计本"])
def test_a_total_word_inside_a_name_is_data(name: str) -> None:
    assert label_kind(name) == ""


@pytest.mark.parametrize("label", ["合计", "合 计", "合计：", "小计", "总计", "本月合计", "本期合计",
                                   "本年累计", "累计", "承前页", "过次页", "301班小计", "301班 小计",
                                   "通用设备 小计", "2026年11月合计", "一年级（100）班 小计",
                                   "小计（通用设备）", "合计数"])
def test_a_total_label_may_name_what_it_totals(label: str) -> None:
    assert label_kind(label) == "total"


@pytest.mark.parametrize(("line", "kind"), [
    ("共10条记录", "total"), ("合计：10条", "total"), ("记录数：10", "total"), ("共 6 条", "total"),
    ("共计：10条记录", "total"), ("总计10条", "total"),
    ("第1页 共1页", "footer"), ("第 1 页，共 3 页", "footer"), ("共2页", "footer"),
    ("共青团活动室", ""), ("第三教学楼", ""), ("条形码打印机", ""), ("总务处", ""),
])
def test_a_count_of_the_records_is_a_total_and_a_page_number_a_footer(line: str, kind: str) -> None:
    assert label_kind(line) == kind


@pytest.mark.parametrize("line", ["共6条记录", "合计：6条", "第1页 共1页"])
def test_a_register_ending_in_a_count_or_a_page_number_has_no_extra_record(tmp_path: Path, line: str) -> None:
    rows = [FA_HEADER, *fixed_asset_rows(), [line]]
    checked = run(write_xlsx(tmp_path / "台账.xlsx", {"台账": rows}))
    assert errors(checked) == [], describe(errors(checked))
    assert len(ledger(checked, "fixed_assets").frame) == len(fixed_asset_rows())


def _asset(asset_id: str, name: str, category: str, value: int) -> list[Any]:
    return [asset_id, name, category, None, "台", 1, value, value, None, "教务处", "201", None,
            "在用", None, None, None]


def test_assets_named_like_totals_are_data_and_class_subtotals_are_checked(tmp_path: Path) -> None:
    rows = [
        FA_HEADER,
        _asset("A01", "合计报表打印机", "通用设备", 2900),
        _asset("A02", "电能综合计量仪", "通用设备", 5300),
        _asset("A03", "累计折旧", "通用设备", 1800),  # an item really called so
        [None, "通用设备 小计", None, None, None, 3, None, 10000],
        _asset("A04", "钢琴", "专用设备", 12000),
        [None, "专用设备 小计", None, None, None, 1, None, 12500],  # 500 too much
        ["合计", None, None, None, None, 4, None, 22000],
    ]
    checked = run(write_xlsx(tmp_path / "台账.xlsx", {"台账": rows}))
    assets = ledger(checked, "fixed_assets")
    assert assets.ledger.rows == [2, 3, 4, 6]
    assert list(assets.frame["name"]) == ["合计报表打印机", "电能综合计量仪", "累计折旧", "钢琴"]
    assert [(t.row, t.label) for t in assets.ledger.totals] == [
        (5, "通用设备小计"), (7, "专用设备小计"), (8, "合计")]
    assert cells(checked, ["arithmetic"]) == {("台账", 7, "H", "arithmetic")}


def test_an_account_named_累计_in_a_category_summary_is_a_row(tmp_path: Path) -> None:
    rows = [["资产分类", "期末余额"], ["通用设备", 4800], ["1602 累计折旧", -1200], ["合计", 3600]]
    checked = run(write_xlsx(tmp_path / "总账.xlsx", {"资产分类汇总": rows}))
    gl = ledger(checked, "gl_balances")
    assert gl.ledger.rows == [2, 3]  # never dropped as a 本年累计 row without a word
    assert [t.row for t in gl.ledger.totals] == [4]


def test_a_block_of_hand_calculations_under_the_table_is_not_data(tmp_path: Path) -> None:
    rows = [STOCK_FLAT, *stock_rows(),
            [None, None, None, None, None, "本月合计", 150, None, 1400, 70, 810],
            [],
            [None, None, "材料合计", None, None, None, None, None, 2210],
            [None, None, "11月伙食费收入", None, None, None, None, None, 3000],
            [None, None, "毛利", None, None, None, None, None, 790],
            [None, None, "毛利率", None, None, None, None, None, "26.3%"],
            ["说明：材料按进价计"]]
    checked = run(write_xlsx(tmp_path / "出入库.xlsx", {"出入库": rows}))
    assert errors(checked) == [], describe(checked.result.findings)
    stock = ledger(checked, "stock_moves")
    assert stock.ledger.rows == [2, 3, 4, 5, 6]
    assert [t.row for t in stock.ledger.totals] == [7]
    note = stock.ledger.context["表下说明"]
    assert note.startswith("第9–12行") and "材料合计" in note and "毛利" in note


def test_a_plain_合计_after_a_blank_row_is_still_the_tables_total(tmp_path: Path) -> None:
    rows = [FA_HEADER, *fixed_asset_rows(), [], ["合计", None, None, None, None, 515, None, 50800]]
    checked = run(write_xlsx(tmp_path / "台账.xlsx", {"台账": rows}))
    assert cells(checked, ["arithmetic"]) == {("台账", 9, "H", "arithmetic")}  # 51,800 is right


def test_a_named_total_under_the_table_is_its_total_when_its_figures_are_the_sums(tmp_path: Path) -> None:
    rows = [FA_HEADER, *fixed_asset_rows(), [],
            ["固定资产合计", None, None, None, None, 515, None, 51800], ["制表人：张三"]]
    assets = ledger(run(write_xlsx(tmp_path / "台账.xlsx", {"台账": rows})), "fixed_assets")
    assert [(t.row, t.label) for t in assets.ledger.totals] == [(9, "固定资产合计")]
    assert assets.ledger.context == {}


def test_sparse_rows_right_under_the_data_stay_data_and_their_blanks_are_said(tmp_path: Path) -> None:
    rows = [FA_HEADER, *fixed_asset_rows(), ["A007", "电子琴"]]
    checked = run(write_xlsx(tmp_path / "台账.xlsx", {"台账": rows}))
    assert ledger(checked, "fixed_assets").ledger.rows[-1] == 8
    assert ("台账", 8, "H", "missing") in cells(checked, ["missing"])


def test_the_rows_left_under_the_table_are_named_in_the_json_and_the_summary(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from houqin_xl.cli import main

    rows = [STOCK_FLAT, *stock_rows(), [], [None, None, "材料合计", None, None, None, None, None, 2210],
            [None, None, "毛利", None, None, None, None, None, 790]]
    path = write_xlsx(tmp_path / "出入库.xlsx", {"出入库": rows})
    assert main(["check", str(path), "--period", "2026-11", "--json", str(tmp_path / "r.json"),
                 "--quiet"]) == 0
    entry = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["ledgers"][0]
    assert entry["rows"] == 5 and entry["context"]["表下说明"].startswith("第8–9行")
    capsys.readouterr()
    main(["check", str(path), "--period", "2026-11"])
    assert "表下说明：第8–9行" in capsys.readouterr().out


def test_a_hand_made_table_under_the_ledger_with_its_own_合计_is_not_data(tmp_path: Path) -> None:
    # A bookkeeper's cost sheet typed under the export, its columns falling where the
    # ledger's are: labels in the amount columns, figures in the 摘要 column.
    rows = [STOCK_FLAT, *stock_rows(), [],
            [None, None, "开票名称", None, None, "毛利", "数量", None, "金额"],
            [None, None, "鞋底 双", None, None, 0.9, 59700, None, 303008.85],
            [None, None, "TPR颗粒", None, None, 1.37, 56350, None, 433628.34],
            ["合计", None, None, None, None, None, 116050, None, 736637.19]]
    checked = run(write_xlsx(tmp_path / "出入库.xlsx", {"出入库": rows}))
    assert errors(checked) == [], describe(checked.result.findings)
    stock = ledger(checked, "stock_moves").ledger
    assert stock.rows == [2, 3, 4, 5, 6] and stock.totals == []
    assert stock.context["表下说明"].startswith("第8–11行")
