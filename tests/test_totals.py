"""The bursar's own 小计 / 合计 rows, checked against the data rows they sum."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import (
    FA_HEADER,
    STOCK_FLAT,
    Formula,
    describe,
    fixed_asset_rows,
    run,
    stock_rows,
    write_workbook,
    write_xlsx,
)


def _total(label: str, quantity: object, value: object, depreciation: object = None,
           net: object = None, label_col: int = 1) -> list:
    row: list = [None] * 16
    row[label_col] = label
    row[5], row[7], row[13], row[14] = quantity, value, depreciation, net
    return row


def _arith(checked) -> list[tuple[int, str, str]]:
    return [(f.row, f.column, f.field) for f in checked.result.findings if f.kind == "arithmetic"]


def _blocks(first: list, second: list, tail: list[list]) -> list[list]:
    data = fixed_asset_rows()
    return [FA_HEADER, *data[:3], first, *data[3:], second, *tail]


def test_correct_subtotals_and_grand_total_give_nothing(tmp_path: Path) -> None:
    rows = _blocks(_total("小计", 4, 23800, 12241.67, 11558.33),
                   _total("小计", 511, 28000, 7311.11, 20688.89),
                   [_total("合计", 515, 51800, 19552.78, 32247.22, label_col=0)])
    checked = run(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
    assert checked.result.findings == [], describe(checked.result.findings)


def test_a_wrong_subtotal_is_reported_on_its_own_cell(tmp_path: Path) -> None:
    rows = _blocks(_total("小计", 4, 23000, 12241.67, 11558.33),
                   _total("小计", 511, 28000, 7311.11, 20688.89),
                   [_total("合计", 515, 51800, 19552.78, 32247.22)])
    checked = run(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
    assert _arith(checked) == [(5, "H", "original_value")]
    finding = checked.result.findings[0]
    assert finding.message == "第5行 小计 原值 23000：应为 23800.00（第2–4行之和）"
    assert finding.value == "23000"


def test_a_grand_total_sums_every_data_row_above_not_the_subtotals(tmp_path: Path) -> None:
    rows = _blocks(_total("小计", 4, 23800), _total("小计", 511, 28000),
                   [_total("合 计", 1030, 103600)])  # subtotals counted twice: wrong
    checked = run(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
    assert _arith(checked) == [(10, "F", "quantity"), (10, "H", "original_value")]
    assert "应为 51800.00（第2–8行之和）" in checked.result.findings[-1].message


def test_the_grand_total_includes_disposed_assets(tmp_path: Path) -> None:
    rows = [FA_HEADER, *fixed_asset_rows(), _total("合计", 515, 46800)]  # 51800 less the disposed 5000
    checked = run(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
    assert _arith(checked) == [(8, "H", "original_value")]


def test_a_hidden_row_counts_in_the_total(tmp_path: Path) -> None:
    rows = [FA_HEADER, *fixed_asset_rows(), _total("合计", 515, 51800)]
    checked = run(write_xlsx(tmp_path / "t.xlsx", {"S": rows}, hidden_rows={"S": [3, 4]}))
    assert checked.result.findings == []
    rows[-1] = _total("合计", 512, 32800)  # what the visible rows alone add up to
    checked = run(write_xlsx(tmp_path / "t.xlsx", {"S": rows}, hidden_rows={"S": [3, 4]}))
    assert _arith(checked) == [(8, "F", "quantity"), (8, "H", "original_value")]


def test_本年累计_and_承前页_are_not_checked(tmp_path: Path) -> None:
    rows = [FA_HEADER, _total("承前页", 100, 999999), *fixed_asset_rows(),
            _total("本月合计", 515, 51800), _total("本年累计", 9999, 1234567.89)]
    checked = run(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
    assert checked.result.findings == [], describe(checked.result.findings)


def test_本月合计_sums_its_block_in_the_stock_ledger(tmp_path: Path) -> None:
    total = [None, None, "本月合计", None, None, None, 150, None, 1400, 70, 810]
    rows = [STOCK_FLAT, *stock_rows(), total]
    assert run(write_xlsx(tmp_path / "s.xlsx", {"S": rows})).result.findings == []
    rows[-1] = [None, None, "本月合计", None, None, None, 150, None, 1400, 70, 800]
    checked = run(write_xlsx(tmp_path / "s.xlsx", {"S": rows}))
    assert _arith(checked) == [(7, "K", "out_amount")]


def test_totals_in_万元_compare_with_the_rows_in_万元(tmp_path: Path) -> None:
    rows = [["资产分类汇总"], ["单位：万元"], ["资产分类", "期末余额"], ["通用设备", 1.18],
            ["专用设备", "1.2"], ["合计", Formula("=SUM(B4:B5)", 2.38)]]
    assert run(write_xlsx(tmp_path / "g.xlsx", {"S": rows})).result.findings == []
    rows[-1] = ["合计", 2.39]
    checked = run(write_xlsx(tmp_path / "g.xlsx", {"S": rows}))
    assert _arith(checked) == [(6, "B", "balance")]
    assert "应为 23800.00" in checked.result.findings[0].message


def test_an_error_in_a_total_cell_is_bad_type(tmp_path: Path) -> None:
    rows = [FA_HEADER, *fixed_asset_rows(), _total("合计", 515, "#REF!")]
    checked = run(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
    assert [(f.kind, f.row, f.column) for f in checked.result.findings] == [("bad_type", 8, "H")]


def test_an_unreadable_member_leaves_the_total_unchecked(tmp_path: Path) -> None:
    rows = [FA_HEADER, *fixed_asset_rows(), _total("合计", 515, 51800)]
    rows[2][7] = "#DIV/0!"
    checked = run(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
    assert [(f.kind, f.row, f.column) for f in checked.result.findings] == [("bad_type", 3, "H")]


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_total_cells_with_formulas_and_text_numbers(tmp_path: Path, suffix: str) -> None:
    rows = [FA_HEADER, *fixed_asset_rows(),
            _total("合计", "515", Formula("=SUM(H2:H7)", 51800), "19,552.78", "¥32247.22")]
    checked = run(write_workbook(tmp_path / f"t{suffix}", {"S": rows}))
    assert checked.result.findings == [], describe(checked.result.findings)


def test_a_total_row_without_data_above_reports_what_it_should_be(tmp_path: Path) -> None:
    rows = [FA_HEADER, _total("小计", 1, 100), *fixed_asset_rows()]
    checked = run(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
    assert _arith(checked) == [(2, "F", "quantity"), (2, "H", "original_value")]
    assert "无数据行" in checked.result.findings[0].message
