"""The asset system's card export read for what its columns mean (REAL-FORMATS §1): statuses
出租 and 待处置, 报废/处置 disposed; 数量/面积; 价值 without 单价; 财务入账日期 is not the
acquisition date; long digit ids stay text; headers with spaces and stars."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from builders import cells, describe, errors, ledger, run, warnings, write_xlsx

from houqin_xl.outputs import summaries

CARD_HEADER = ["序号", "资产编号", "资产名称", "资产分类", "规格型号", "计量单位", "数量/面积", "价值(元)",
               "累计折旧(元)", "净值(元)", "取得方式", "取得日期", "财务入账日期", "使用部门", "使用人",
               "存放地点", "使用状况", "折旧状态", "使用年限(月)", "已提月数", "价值类型", "备注"]


def _card(n: int, asset_id: Any, name: str, category: str, unit: str, quantity: float, value: Any,
          depreciation: float, net: float, acquired: str, booked: str, place: str, status: str,
          value_type: str = "原值", life: int = 72) -> list[Any]:
    return [n, asset_id, name, category, None, unit, quantity, value, depreciation, net, "新购",
            acquired, booked, "总务处", "周敏", place, status, "提折旧", life, 10, value_type, None]


def card_rows() -> list[list[Any]]:
    """累计折旧 as at 2026-11 (straight line from the month of acquisition, no residual)."""
    return [
        _card(1, "440105200700000001", "教学楼", "土地房屋及构筑物", "平方米", 2713.17, "5,426,340.00",
              2161492.10, 3264847.90, "2007-01-16", "2007-02-01", "教学楼A栋", "在用", life=600),
        # Acquired on the 27th, booked by the finance office after the period's end: two months
        # of depreciation are due (from 取得日期, never from 财务入账日期).
        _card(2, "440105202600000002", "合计报表打印机", "通用设备", "台", 1, 2900, 80.56, 2819.44,
              "2026-10-27", "2026-12-03", "教务处", "在用"),
        _card(3, "440105201900000003", "电能综合计量仪", "专用设备", "台", 1, 5300, 5300, 0,
              "2019-03-06", "2019-03-06", "实验楼301", "出租"),
        _card(4, "440105202000000004", "消毒柜", "通用设备", "台", 1, 3600, 3600, 0,
              "2020-05-08", "2020-05-20", "食堂", "待处置"),
        _card(5, "440105201000000005", "旧投影仪", "通用设备", "台", 1, 0, 0, 0,
              "2010-09-01", "2010-09-01", "仓库", "报废"),
        _card(6, "440105201200000006", "旧电脑", "通用设备", "台", 1, 4500, 4500, 0,
              "2012-09-01", "2012-09-01", "仓库", "处置"),
        _card(7, "440105202400000007", "文件柜", "家具用具装具及动植物", "组", 1, 600, 110, 490,
              "2024-03-01", "2024-03-01", "行政楼201", "在用", life=180),
        _card(8, "440105202400000008", "课桌椅", "家具用具装具及动植物", "套", 40, 14000, 2177.78,
              11822.22, "2024-08-20", "2024-08-20", "教学楼A-101", "在用", life=180),
        _card(9, "440105202300000009", "古琴（捐赠）", "文物和陈列品", "张", 1, 1, 0, 1,
              "2023-06-01", "2023-06-01", "校史馆", "在用", "名义金额"),
        # A 15-digit id typed as a number: still the same digits, never 2.01E+14.
        _card(10, 201010420190003, "复印机", "通用设备", "台", 1, 7000, 7000, 0,
              "2019-04-01", "2019-04-01", "行政楼202", "闲置"),
    ]


def card_sheet(rows: list[list[Any]] | None = None) -> list[list[Any]]:
    data = card_rows() if rows is None else rows
    return [["资产卡片信息列表"], ["单位名称：江州市实验小学", None, None, None, None, None, None, None,
                                 None, None, None, None, "导出时间：2026-11-30 09:12"],
            CARD_HEADER, *data,
            ["合计", None, None, None, None, None, 2761.17, 5464241, 2184260.44, 3279980.56]]


def _write(tmp_path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    return write_xlsx(tmp_path / "资产.xlsx", sheets,
                      merges={"卡片": ["A1:V1", "A2:L2", "M2:V2", "A14:F14"]})


def test_a_clean_card_export_gives_no_error(tmp_path: Path) -> None:
    checked = run(_write(tmp_path, {"卡片": card_sheet()}))
    assert errors(checked) == [], describe(checked.result.findings)
    assets = ledger(checked, "fixed_assets")
    assert assets.ledger.header_rows == [3]
    assert assets.ledger.rows == list(range(4, 14)) and [t.row for t in assets.ledger.totals] == [14]
    assert list(assets.frame["asset_id"])[-1] == "201010420190003"
    assert assets.frame["asset_id"].map(type).eq(str).all()
    assert assets.frame["quantity"].iloc[0] == 2713.17  # an area in the quantity column
    assert assets.frame["status"].tolist()[2:6] == ["出租", "待处置", "报废", "处置"]
    assert assets.frame["useful_life_months"].iloc[0] == 600  # 使用年限(月): months as written
    assert assets.frame["value_type"].iloc[8] == "名义金额"


def test_财务入账日期_is_the_booking_date_not_the_acquisition_date(tmp_path: Path) -> None:
    checked = run(_write(tmp_path, {"卡片": card_sheet()}))
    assets = ledger(checked, "fixed_assets").ledger
    assert assets.columns["acquired_on"] == CARD_HEADER.index("取得日期") + 1
    assert assets.columns["booked_on"] == CARD_HEADER.index("财务入账日期") + 1
    # Booked on 2026-12-03, after the period: that is the finance office's date, not an error.
    assert not [f for f in checked.result.findings if f.field in ("acquired_on", "booked_on")]


def test_a_register_giving_only_财务入账日期_has_no_acquisition_date(tmp_path: Path) -> None:
    header = ["资产编号", "资产名称", "资产分类", "数量", "价值", "财务入账日期", "使用部门", "存放地点"]
    rows = [header, ["A001", "台式电脑", "通用设备", 1, 4800, "2026-12-03", "教务处", "201"]]
    checked = run(write_xlsx(tmp_path / "台账.xlsx", {"台账": rows}))
    assets = ledger(checked, "fixed_assets").ledger
    assert "acquired_on" not in assets.columns and assets.columns["booked_on"] == 6
    assert errors(checked) == [], describe(checked.result.findings)


def test_without_单价_the_capitalisation_test_takes_价值_over_数量(tmp_path: Path) -> None:
    checked = run(_write(tmp_path, {"卡片": card_sheet()}))
    # The 600 文件柜 alone: 课桌椅 are a batch (14,000 for 40), the 报废 card at 0 is disposed,
    # the 古琴 is kept at 名义金额, the building's 数量 is an area.
    assert [(f.row, f.column, f.field) for f in warnings(checked)] == [(10, "H", "original_value")]
    assert "价值 ÷ 数量 = 600.00" in warnings(checked)[0].message
    # No 单价: no 原值 = 数量 × 单价 check to fail.
    assert cells(checked, ["arithmetic"]) == set()


def test_with_单价_the_capitalisation_warning_stays_on_the_单价_cell(tmp_path: Path) -> None:
    header = ["资产编号", "资产名称", "资产分类", "数量", "单价", "原值", "使用部门", "存放地点"]
    rows = [header, ["A001", "文件柜", "家具用具装具及动植物", 1, 600, 600, "教务处", "201"]]
    checked = run(write_xlsx(tmp_path / "台账.xlsx", {"台账": rows}))
    assert [(f.row, f.column) for f in warnings(checked)] == [(2, "E")]


def _gl(disposed_counted: bool = False) -> list[list[Any]]:
    general = 18000 if disposed_counted else 13500
    return [["资产分类", "数量", "期末余额"], ["土地房屋及构筑物", 2713.17, 5426340],
            ["通用设备", 5 if disposed_counted else 3, general], ["专用设备", 1, 5300],
            ["家具用具装具及动植物", 41, 14600], ["文物和陈列品", 1, 1]]


def _count() -> list[list[Any]]:
    found = [r for r in card_rows() if r[16] not in ("报废", "处置")]
    return [["资产编号", "资产名称", "实际存放地点", "实盘数量", "盘点人", "盘点日期"],
            *[[r[1], r[2], r[15], r[6], "周敏", dt.date(2026, 11, 25)] for r in found]]


def test_报废_and_处置_are_disposed_like_已报废(tmp_path: Path) -> None:
    checked = run(_write(tmp_path, {"卡片": card_sheet(), "总账": _gl(), "盘点": _count()}))
    assert errors(checked) == [], describe(checked.result.findings)
    general = [r for r in checked.result.reconciliations
               if r.rule == "assets_vs_gl" and r.key == {"category": "通用设备"}][0]
    assert (general.left, general.status) == ("13500.00", "ok")
    by_category = summaries.assets_by_category(checked.ledgers)
    assert by_category.set_index("资产分类").loc["通用设备", "资产数"] == 3


def test_a_general_ledger_still_carrying_the_disposed_assets_is_a_mismatch(tmp_path: Path) -> None:
    checked = run(_write(tmp_path, {"卡片": card_sheet(), "总账": _gl(disposed_counted=True)}))
    keys = [f.key for f in errors(checked) if f.kind == "ledger_mismatch"]
    assert {"category": "通用设备"} in keys


def test_出租_and_待处置_assets_are_on_the_books_and_expected_in_the_count(tmp_path: Path) -> None:
    count = [r for r in _count() if r[0] != "440105201900000003"]  # the 出租 meter not found
    checked = run(_write(tmp_path, {"卡片": card_sheet(), "盘点": count}))
    assert [(f.kind, f.row, f.column) for f in errors(checked)] == [("count_missing", 6, "B")]


def test_headers_with_spaces_inside_and_required_stars_are_the_same_headers(tmp_path: Path) -> None:
    header = ["*资 产 编 号", "资产名称", "资产分类", "数　量", "单\u3000\u3000价", "原 值", "使　用　部　门",
              "存放地点*"]
    rows = [header, ["A001", "台式电脑", "通用设备", 1, 4800, 4800, "教务处", "201"]]
    assets = ledger(run(write_xlsx(tmp_path / "台账.xlsx", {"台账": rows})), "fixed_assets").ledger
    assert [assets.columns[f] for f in ("asset_id", "quantity", "unit_price", "original_value",
                                        "department", "location")] == [1, 4, 5, 6, 7, 8]


def test_a_life_is_kept_in_months_whatever_the_header_counts_in(tmp_path: Path) -> None:
    base = ["资产编号", "资产名称", "资产分类", "数量", "原值", "使用部门", "存放地点"]
    row = ["A001", "台式电脑", "通用设备", 1, 4800, "教务处", "201"]
    lives = {}
    for header, value in (("使用年限(月)", 72), ("折旧年限", 6), ("使用年限（年）", 6), ("使用月数", 72)):
        path = write_xlsx(tmp_path / f"{header}.xlsx", {"台账": [[*base, header], [*row, value]]})
        lives[header] = float(ledger(run(path), "fixed_assets").frame["useful_life_months"].iloc[0])
    assert lives == {"使用年限(月)": 72.0, "折旧年限": 72.0, "使用年限（年）": 72.0, "使用月数": 72.0}


def test_an_18_digit_id_is_named_exactly_when_it_repeats(tmp_path: Path) -> None:
    rows = card_rows()
    rows[6][1] = "440105202600000002"  # the 文件柜 under the printer's number
    checked = run(_write(tmp_path, {"卡片": card_sheet(rows)}))
    duplicate = [f for f in errors(checked) if f.kind == "duplicate"]
    assert [(f.row, f.column, f.value) for f in duplicate] == [(10, "B", "440105202600000002")]
    assert "与第5行重复" in duplicate[0].message


def test_an_empty_增加单_beside_the_register_is_named_and_says_nothing_else(tmp_path: Path) -> None:
    form = [["固定资产增加单"], ["单位：元"],
            ["资产编号", "资产名称", None, "规格型号", "数量", "金额", "耐用年度"],
            [None, "中文", "英文", None, None, None, None], *[[None] * 7] * 4]
    path = write_xlsx(tmp_path / "资产.xlsx", {"卡片": card_sheet(), "增加单": form},
                      merges={"卡片": ["A1:V1", "A2:L2", "M2:V2", "A14:F14"],
                              "增加单": ["A1:G1", "A3:A4", "B3:C3", "D3:D4", "E3:E4", "F3:F4", "G3:G4"]})
    checked = run(path)
    assert [f for f in checked.result.findings if f.sheet == "增加单"] == []
    reasons = {u.sheet: u.reason for u in checked.result.unread_sheets}
    assert reasons["增加单"].startswith("空表单")
