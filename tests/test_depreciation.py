"""折旧: every asset's 累计折旧 recomputed the way an auditor does (LEDGERS.md "Depreciation")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from builders import describe, errors, ledger, run, warnings, write_xlsx
from depreciation_books import (
    DEPRECIATION_COLUMN,
    FIRST_ROW,
    LIFE_COLUMN,
    card,
    due,
    register_rows,
    write_register,
)
from formats import write_csv, write_html_xls

from houqin_xl.cli import main

D = dt.date


def clean_cards() -> list[list]:
    """A register right at 2026-11, with every case of the rule in it."""
    return [
        card("ZJ01", "教学楼", "1020601", "教育用房", 8_680_000, D(2009, 8, 20), 50,
             due(8_680_000, D(2009, 8, 20), 600), spec="框架结构 5层"),
        # Bought this month: one month is due (当月增加，当月计提).
        card("ZJ02", "台式计算机（本月购入）", "2010104", "台式机", 7200, D(2026, 11, 12), 6,
             due(7200, D(2026, 11, 12), 72)),
        # No life on the register: the class default, computers 6 years.
        card("ZJ03", "台式计算机", "2010104", "台式机", 5400, D(2023, 5, 18), None,
             due(5400, D(2023, 5, 18), 72)),
        # Fully depreciated and still in use: no more than its value.
        card("ZJ04", "台式计算机（已提足）", "2010104", "台式机", 4980, D(2015, 3, 10), 6, 4980),
        card("ZJ05", "柜式空调", "2101905", "空调机组", 10880, D(2024, 6, 15), 10,
             due(10880, D(2024, 6, 15), 120)),
        card("ZJ06", "旧钢琴（捐赠）", "3700104", "键盘乐器", 1, D(2021, 6, 1), None, 0,
             value_type="名义金额"),
        card("ZJ07", "图书（2024年采购）", "5010101", "普通图书", 78000, D(2024, 3, 1), None, 0,
             quantity=2600),
        card("ZJ08", "动物标本", "4020101", "动物标本", 4600, D(2016, 10, 12), None, 0),
        card("ZJ09", "名贵树木（罗汉松）", "6040100", "名贵树木", 8600, D(2014, 3, 12), None, 0),
        card("ZJ10", "学生课桌椅", "6010200", "台、桌类", 62400, D(2021, 8, 20), 15,
             due(62400, D(2021, 8, 20), 180)),
        card("ZJ11", "立式钢琴", "3700104", "键盘乐器", 36800, D(2018, 4, 16), 10,
             due(36800, D(2018, 4, 16), 120)),
    ]


def _row(asset_id: str, cards: list[list]) -> int:
    return FIRST_ROW + [c[0] for c in cards].index(asset_id)


def _depreciation(checked) -> list:
    return [f for f in checked.result.findings if f.kind == "depreciation"]


def test_a_register_right_in_every_case_gives_no_finding(tmp_path: Path) -> None:
    checked = run(write_register(tmp_path / "折旧.xlsx", clean_cards()))
    assert checked.result.findings == [], describe(checked.result.findings)
    assert "depreciation" not in {s["rule"] for s in checked.result.skipped_rules}


def test_an_asset_bought_this_month_carries_exactly_one_month(tmp_path: Path) -> None:
    cards = clean_cards()
    cards[1][10], cards[1][11] = 0, 7200  # not charged in its first month
    checked = run(write_register(tmp_path / "折旧.xlsx", cards))
    [found] = _depreciation(checked)
    assert (found.row, found.column, found.field) == (_row("ZJ02", cards), DEPRECIATION_COLUMN,
                                                      "accumulated_depreciation")
    assert "应为 100.00" in found.message and "7200.00 × 1个月 ÷ 72个月" in found.message
    assert "2026年11月取得，当月起计提" in found.message
    assert found.severity == "error" and checked.result.errors == 1


def test_an_asset_without_a_life_on_the_register_uses_its_class_default(tmp_path: Path) -> None:
    cards = clean_cards()
    written = due(5400, D(2023, 5, 18), 60)  # depreciated over 5 years instead of 6
    cards[2][10], cards[2][11] = float(written), float(5400 - written)
    checked = run(write_register(tmp_path / "折旧.xlsx", cards))
    [found] = _depreciation(checked)
    assert (found.row, found.column) == (_row("ZJ03", cards), DEPRECIATION_COLUMN)
    assert found.value == "3870"
    assert "应为 3225.00" in found.message and "÷ 72个月" in found.message
    assert "使用年限未填，按计算机设备最低折旧年限6年" in found.message


def test_books_depreciated_at_all_are_found(tmp_path: Path) -> None:
    cards = clean_cards()
    cards[6][10], cards[6][11] = 7800, 70200
    checked = run(write_register(tmp_path / "折旧.xlsx", cards))
    [found] = _depreciation(checked)
    assert (found.row, found.column) == (_row("ZJ07", cards), DEPRECIATION_COLUMN)
    assert "图书档案不计提折旧" in found.message and "0.00" in found.message


def test_nominal_value_and_plants_are_never_depreciated(tmp_path: Path) -> None:
    cards = clean_cards()
    cards[5][10], cards[5][11] = 1, 0     # the donated piano at 名义金额
    cards[8][10], cards[8][11] = 860, 7740  # the tree
    checked = run(write_register(tmp_path / "折旧.xlsx", cards))
    found = {f.row: f.message for f in _depreciation(checked)}
    assert set(found) == {_row("ZJ06", cards), _row("ZJ09", cards)}
    assert "名义金额" in found[_row("ZJ06", cards)]
    assert "不计提折旧" in found[_row("ZJ09", cards)]


def test_an_asset_acquired_after_the_period_carrying_depreciation_is_named_as_not_recomputed(
        tmp_path: Path) -> None:
    # The date is the finding (on its cell); the 累计折旧 it carries is named, not passed over.
    cards = [card("ZL01", "台式计算机", "2010104", "台式机", 5000, D(2026, 12, 1), 6, 83.33),
             card("ZL02", "台式计算机", "2010104", "台式机", 5000, D(2026, 12, 1), 6, 0)]
    checked = run(write_register(tmp_path / "折旧.xlsx", cards))
    assert _depreciation(checked) == []
    assert [f.field for f in errors(checked)] == ["acquired_on", "acquired_on"]
    note = ledger(checked, "fixed_assets").ledger.context["折旧未复核"]
    assert f"取得日期晚于本期：第{_row('ZL01', cards)}行" in note and str(_row("ZL02", cards)) not in note


def test_a_tree_known_by_its_kind_is_a_plant_and_resin_furniture_is_not(tmp_path: Path) -> None:
    cards = [
        card("ZS01", "香樟树", None, "家具用具装具及动植物", 2600, D(2019, 4, 1), None, 0),
        card("ZS02", "桂花树（校门两侧）", None, "家具用具装具及动植物", 1800, D(2020, 3, 12), None, 0),
        card("ZS03", "树脂课桌", None, "家具用具装具及动植物", 3000, D(2025, 11, 5), None, 0),
    ]
    checked = run(write_register(tmp_path / "折旧.xlsx", cards))
    assert [f.row for f in _depreciation(checked)] == [_row("ZS03", cards)]


def test_a_register_a_year_ahead_is_found_on_every_asset_still_depreciating(tmp_path: Path) -> None:
    cards = clean_cards()
    ahead = {"ZJ01": (8_680_000, D(2009, 8, 20), 600), "ZJ03": (5400, D(2023, 5, 18), 72),
             "ZJ05": (10880, D(2024, 6, 15), 120), "ZJ10": (62400, D(2021, 8, 20), 180),
             "ZJ11": (36800, D(2018, 4, 16), 120), "ZJ02": (7200, D(2026, 11, 12), 72)}
    for row in cards:
        if row[0] in ahead:
            value, acquired, life = ahead[row[0]]
            row[10] = float(due(value, acquired, life, period=(2027, 11)))
            row[11] = value - row[10]
    checked = run(write_register(tmp_path / "折旧.xlsx", cards))
    # 钢琴 ZJ11 is fully depreciated by 2027-11 but not yet in 2026-11 (104 of 120 months).
    assert sorted(f.row for f in _depreciation(checked)) == sorted(_row(a, cards) for a in ahead)


def test_depreciation_stops_at_the_life_even_while_the_asset_is_in_use(tmp_path: Path) -> None:
    cards = clean_cards()
    cards[3][10], cards[3][11] = 4980 * 141 / 72, 4980 - 4980 * 141 / 72  # charged past its life
    checked = run(write_register(tmp_path / "折旧.xlsx", cards))
    found = [f for f in _depreciation(checked) if f.row == _row("ZJ04", cards)]
    assert len(found) == 1
    assert "应为 4980.00" in found[0].message and "已提足72个月" in found[0].message


def test_a_figure_within_a_yuan_or_a_fen_a_month_is_the_system_s_rounding(tmp_path: Path) -> None:
    cards = clean_cards()
    cards[0][10] += 2.00   # 208 months charged: 2.08 yuan of rounding are allowed
    cards[2][10] += 0.99   # 43 months: a yuan
    cards[1][10] += 1.01   # one month: more than a yuan
    checked = run(write_register(tmp_path / "折旧.xlsx", cards))
    assert [f.row for f in _depreciation(checked)] == [_row("ZJ02", cards)]
    cards[0][10] += 1.00  # 3.00 off over 208 months
    checked = run(write_register(tmp_path / "折旧2.xlsx", cards))
    assert _row("ZJ01", cards) in [f.row for f in _depreciation(checked)]


def test_months_count_from_the_acquisition_date_not_the_booking_date(tmp_path: Path) -> None:
    header = ["资产编号", "资产名称", "资产分类", "数量/面积", "价值(元)", "累计折旧(元)", "净值(元)", "取得日期",
              "财务入账日期", "使用部门", "存放地点", "使用状况", "使用年限(月)"]
    # Bought on 27 October, booked by the finance office on 3 November: two months are due.
    right = ["440105202600000002", "激光打印机", "2010601 打印设备", 1, 2900, 80.56, 2819.44,
             "2026-10-27", "2026-11-03", "教务处", "行政楼201", "在用", 72]
    counted_from_booking = [*right[:5], 40.28, 2859.72, *right[7:]]
    counted_from_booking[0] = "440105202600000003"
    rows = [["资产卡片信息列表"], header, right, counted_from_booking]
    checked = run(write_xlsx(tmp_path / "卡片.xlsx", {"卡片": rows}))
    [found] = _depreciation(checked)
    assert (found.row, found.column) == (4, "F")
    assert "应为 80.56" in found.message and "2026年10月取得" in found.message


def test_a_register_giving_only_the_booking_date_counts_from_it_and_says_so(tmp_path: Path) -> None:
    header = ["资产编号", "资产名称", "资产分类", "数量", "原值", "累计折旧", "财务入账日期", "使用部门", "存放地点"]
    rows = [header, ["A001", "台式电脑", "通用设备", 1, 7200, 0, "2026-09-03", "教务处", "201"]]
    checked = run(write_xlsx(tmp_path / "台账.xlsx", {"台账": rows}))
    [found] = _depreciation(checked)
    assert "应为 300.00" in found.message  # 3 months of 72
    assert "财务入账日期代替取得日期" in found.message


@pytest.mark.parametrize(("header", "life"), [("使用年限(月)", 72), ("折旧年限（年）", 6), ("使用年限", 6),
                                              ("使用月数", 72),
                                              # the unit written in the cell, whatever the header says
                                              ("使用年限", "6年"), ("使用年限", "72个月"),
                                              ("使用年限(月)", "6年"), ("使用月数", " 72 月")])
def test_the_life_is_read_in_years_or_in_months_as_its_header_says(tmp_path: Path, header: str,
                                                                  life: int | str) -> None:
    columns = ["资产编号", "资产名称", "资产分类", "数量", "原值", "取得日期", "使用部门", "存放地点", header,
               "累计折旧"]
    # Written over 60 months; 13 of 72 months are due whichever way the life is written.
    rows = [columns, ["A001", "台式电脑", "通用设备", 1, 7200, D(2025, 11, 5), "教务处", "201", life, 1560]]
    checked = run(write_xlsx(tmp_path / "台账.xlsx", {"台账": rows}))
    [found] = _depreciation(checked)
    assert "应为 1300.00" in found.message and "13个月 ÷ 72个月" in found.message
    assert "使用年限6年（台账所填）" in found.message


def test_a_life_shorter_than_the_minimum_is_a_warning_on_the_life_cell(tmp_path: Path) -> None:
    cards = clean_cards()
    cards[2][9] = 3  # three years for a computer; its 累计折旧 follows the register's own life
    cards[2][10] = float(due(5400, D(2023, 5, 18), 36))
    cards[2][11] = 5400 - cards[2][10]
    checked = run(write_register(tmp_path / "折旧.xlsx", cards))
    assert errors(checked) == [], describe(checked.result.findings)
    [warning] = warnings(checked)
    assert (warning.kind, warning.row, warning.column) == ("bad_value", _row("ZJ03", cards),
                                                           LIFE_COLUMN)
    assert "使用年限3年短于计算机设备的最低折旧年限6年" in warning.message
    assert "财会〔2017〕4号" in warning.message


def test_a_longer_life_than_the_minimum_is_fine(tmp_path: Path) -> None:
    cards = clean_cards()
    cards[2][9] = 8
    cards[2][10] = float(due(5400, D(2023, 5, 18), 96))
    cards[2][11] = 5400 - cards[2][10]
    assert run(write_register(tmp_path / "折旧.xlsx", cards)).result.findings == []


def test_names_without_a_code_find_their_group(tmp_path: Path) -> None:
    header = ["资产编号", "资产名称", "资产分类", "规格型号", "数量", "原值", "取得日期", "使用部门", "存放地点",
              "累计折旧"]
    bought = D(2024, 11, 1)  # 25 months to 2026-11
    rows = [header,
            # 空调 is electrical equipment, 5 years (LEDGERS.md); a desk is furniture, 15.
            ["A001", "空调", "通用设备", "格力 3匹", 1, 6000, bought, "总务处", "301", float(due(6000, bought, 60))],
            ["A002", "办公桌", "家具用具装具及动植物", None, 1, 1800, bought, "总务处", "301",
             float(due(1800, bought, 180))],
            ["A003", "钢琴", "专用设备", None, 1, 18000, bought, "音乐组", "音乐室", float(due(18000, bought, 60))],
            # 2022 codes: 设备 A0201… is a computer.
            ["A004", "便携式计算机", "A02010105", None, 1, 7200, bought, "教务处", "201",
             float(due(7200, bought, 72))],
            # A building's structure decides its row of the table: brick and concrete, 30 years.
            ["A005", "1号教学楼", "土地房屋及构筑物", "砖混4层", 1, 3_600_000, D(2008, 8, 20), "总务处", "校园",
             float(due(3_600_000, D(2008, 8, 20), 360))]]
    checked = run(write_xlsx(tmp_path / "台账.xlsx", {"台账": rows}))
    assert checked.result.findings == [], describe(checked.result.findings)


def test_disposed_assets_are_off_the_books_and_not_recomputed(tmp_path: Path) -> None:
    cards = clean_cards()
    cards.append(card("ZJ12", "旧投影仪", "2020200", "投影仪", 3000, D(2015, 5, 1), 6, 1234,
                      status="已报废"))
    assert run(write_register(tmp_path / "折旧.xlsx", cards)).result.findings == []


def test_an_asset_that_cannot_be_recomputed_is_named_beside_the_register(tmp_path: Path) -> None:
    cards = clean_cards()
    cards[2][8] = None  # no acquisition date, no life: nothing to count the months from
    checked = run(write_register(tmp_path / "折旧.xlsx", cards))
    assert _depreciation(checked) == []
    note = ledger(checked, "fixed_assets").ledger.context["折旧未复核"]
    assert note == f"缺少取得日期：第{_row('ZJ03', cards)}行（1项）"
    [info] = checked.result.ledgers
    assert info.to_json()["context"]["折旧未复核"] == note


def test_a_register_without_累计折旧_says_the_check_was_skipped(tmp_path: Path) -> None:
    header = ["资产编号", "资产名称", "资产分类", "数量", "原值", "取得日期", "使用部门", "存放地点"]
    rows = [header, ["A001", "台式电脑", "通用设备", 1, 7200, D(2025, 11, 5), "教务处", "201"]]
    checked = run(write_xlsx(tmp_path / "台账.xlsx", {"台账": rows}))
    reason = {s["rule"]: s["reason"] for s in checked.result.skipped_rules}["depreciation"]
    assert reason.startswith("固定资产台账没有累计折旧列")
    # The month's charge is worked out all the same, for the summary.
    assert checked.depreciation is not None
    assert float(checked.depreciation.frame["charge"].iloc[0]) == 10000  # 100.00 a month, in fen


def test_the_school_sets_its_own_default_lives_in_houqin_toml(tmp_path: Path) -> None:
    cards = clean_cards()
    cards[2][10] = float(due(5400, D(2023, 5, 18), 60))
    cards[2][11] = 5400 - cards[2][10]
    path = write_register(tmp_path / "折旧.xlsx", cards)
    assert len(_depreciation(run(path))) == 1
    (tmp_path / "houqin.toml").write_text('[depreciation_lives]\n"计算机设备" = 5\n', encoding="utf-8")
    assert run(path).result.findings == []
    # A code prefix does it for one detailed class only.
    (tmp_path / "houqin.toml").write_text('[depreciation_lives]\n"2010104" = 5\n', encoding="utf-8")
    assert run(path).result.findings == []
    # A top class sets the default of its assets that nothing finer places.
    rows = [["资产编号", "资产名称", "资产分类", "数量", "原值", "取得日期", "使用部门", "存放地点", "累计折旧"],
            ["A001", "门禁系统", "通用设备", 1, 6000, D(2024, 11, 1), "教务处", "201",
             float(due(6000, D(2024, 11, 1), 96))]]
    (tmp_path / "other").mkdir()
    other = write_xlsx(tmp_path / "other" / "台账.xlsx", {"台账": rows})
    assert len(_depreciation(run(other))) == 1
    (tmp_path / "other" / "houqin.toml").write_text('[depreciation_lives]\n"通用设备" = 8\n',
                                                    encoding="utf-8")
    assert run(other).result.findings == []


@pytest.mark.parametrize("setting", ['"电脑类" = 6', '"计算机设备" = 0', '"计算机设备" = "六"'])
def test_a_wrong_life_setting_is_one_clear_line(tmp_path: Path, capsys, setting: str) -> None:
    path = write_register(tmp_path / "折旧.xlsx", clean_cards())
    (tmp_path / "houqin.toml").write_text(f"[depreciation_lives]\n{setting}\n", encoding="utf-8")
    assert main(["check", str(path), "--period", "2026-11", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "depreciation_lives" in err and "Traceback" not in err


@pytest.mark.parametrize("kind", ["html", "csv"])
def test_a_card_export_as_html_or_csv_is_checked_at_the_cells_excel_shows(tmp_path: Path,
                                                                         kind: str) -> None:
    cards = clean_cards()
    cards[1][10], cards[1][11] = 0, 7200
    cards[6][10], cards[6][11] = 7800, 70200
    for row in cards:
        row[8] = row[8].isoformat()
    rows = register_rows(cards)
    if kind == "html":
        path = write_html_xls(tmp_path / "折旧明细.xls", rows, merges=["A1:P1"])
    else:
        path = write_csv(tmp_path / "折旧明细.csv", rows, encoding="gbk")
    checked = run(path)
    assert sorted((f.row, f.column) for f in _depreciation(checked)) == [
        (_row("ZJ02", cards), DEPRECIATION_COLUMN), (_row("ZJ07", cards), DEPRECIATION_COLUMN)]


def test_a_year_end_report_is_checked_on_its_年末_figures(tmp_path: Path) -> None:
    header = ["卡片编号", "资产名称", "资产分类代码", "数量", "原值", None, None, None, "累计折旧", None, None,
              None, "取得日期", "使用部门", "存放地点", "使用年限(月)"]
    sub = [None, None, None, None, "年初", "本年增加", "本年减少", "年末", "年初", "本年增加", "本年减少",
           "年末", None, None, None, None]
    acquired = D(2023, 5, 18)
    opening, closing = due(5400, acquired, 72, (2025, 12)), due(5400, acquired, 72)
    rows = [["2026年度资产决算卡片数据"], header, sub,
            ["KP1", "台式计算机", "2010104", 1, 5400, 0, 0, 5400, float(opening),
             float(closing - opening), 0, float(closing), acquired, "教务处", "201", 72],
            ["KP2", "台式计算机", "2010104", 1, 5400, 0, 0, 5400, float(opening),
             float(closing - opening) + 90, 0, float(closing) + 90, acquired, "教务处", "201", 72]]
    merges = ["A1:P1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:H2", "I2:L2", "M2:M3", "N2:N3",
              "O2:O3", "P2:P3"]
    checked = run(write_xlsx(tmp_path / "决算.xlsx", {"卡片数据": rows}, merges={"卡片数据": merges}))
    assert [(f.row, f.column) for f in _depreciation(checked)] == [(5, "L")]
    assert describe(errors(checked)).count("\n") == 0



def test_a_life_column_without_a_unit_holding_months_is_read_as_months(tmp_path: Path) -> None:
    header = ["资产编号", "资产名称", "资产分类代码", "数量", "原值", "取得日期", "使用部门", "存放地点", "折旧年限",
              "累计折旧"]
    rows = [header,
            ["A001", "台式计算机", "2010104", 1, 7200, D(2025, 11, 5), "教务处", "201", 72,
             float(due(7200, D(2025, 11, 5), 72))],
            ["A002", "教学楼", "1020601", 1, 6_000_000, D(2010, 9, 1), "总务处", "校园", 600,
             float(due(6_000_000, D(2010, 9, 1), 600))]]
    checked = run(write_xlsx(tmp_path / "台账.xlsx", {"台账": rows}))
    assert checked.result.findings == [], describe(checked.result.findings)
    assert "按月读取" in ledger(checked, "fixed_assets").ledger.context["使用年限"]
    # In years, the same header is years: buildings at 50, not 50 months.
    rows[1][8], rows[2][8] = 6, 50
    checked = run(write_xlsx(tmp_path / "台账2.xlsx", {"台账": rows}))
    assert checked.result.findings == [], describe(checked.result.findings)
    assert "使用年限" not in ledger(checked, "fixed_assets").ledger.context


def test_a_figure_from_the_school_s_own_default_says_so(tmp_path: Path) -> None:
    cards = clean_cards()
    cards[2][10], cards[2][11] = 0, 5400
    path = write_register(tmp_path / "折旧.xlsx", cards)
    (tmp_path / "houqin.toml").write_text('[depreciation_lives]\n"2010104" = 8\n', encoding="utf-8")
    [found] = _depreciation(run(path))
    assert "÷ 96个月" in found.message and "按学校设置（houqin.toml [depreciation_lives]）" in found.message
    # The table's minimum still stands for the warning: 6 years for computers, not the 8 set.
    cards[2][9] = 7
    cards[2][10] = float(due(5400, D(2023, 5, 18), 84))
    cards[2][11] = 5400 - cards[2][10]
    assert run(write_register(tmp_path / "折旧.xlsx", cards)).result.findings == []
