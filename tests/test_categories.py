"""Categories by code at any depth (REAL-FORMATS §2): every form a register, a card export or a
general ledger writes an asset's class in, written to a real workbook and read back."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from builders import describe, errors, ledger, run, write_xlsx

from houqin_xl.cli import main
from houqin_xl.config import Config
from houqin_xl.ledgers.categories import NAMES_TABLE, load_categories
from houqin_xl.outputs import summaries

D = dt.date
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"

REGISTER_HEADER = ["资产编号", "资产名称", "资产分类", "数量", "单价", "原值", "取得日期", "使用部门",
                   "存放地点", "使用状况"]
GL_HEADER = ["资产分类", "数量", "期末余额"]


def asset(number: int, name: str, category: Any, value: float, quantity: int = 1) -> list[Any]:
    return [f"A{number:03d}", name, category, quantity, value / quantity, value, D(2024, 9, 1),
            "总务处", "办公室", "在用"]


def register(tmp_path: Path, rows: list[list[Any]], gl: list[list[Any]] | None = None,
             gl_first: bool = False, name: str = "台账.xlsx") -> Path:
    """A register (title row above its header, as bursars keep it) and, if given, the finance
    office's category summary, as sheets of one workbook."""
    sheets: dict[str, list[list[Any]]] = {}
    if gl is not None and gl_first:
        sheets["资产分类汇总"] = [GL_HEADER, *gl]
    sheets["固定资产台账"] = [["XX小学固定资产台账（2026年11月）"], REGISTER_HEADER, *rows]
    if gl is not None and not gl_first:
        sheets["资产分类汇总"] = [GL_HEADER, *gl]
    return write_xlsx(tmp_path / name, sheets, merges={"固定资产台账": ["A1:J1"]})


def categories_of(checked: Any, name: str = "fixed_assets") -> list[Any]:
    return list(ledger(checked, name).frame["category"])


def gl_comparisons(checked: Any) -> dict[str, tuple[str, str, str]]:
    return {r.key["category"]: (r.left, r.right, r.status)
            for r in checked.result.reconciliations if r.rule == "assets_vs_gl"}


# ---- codes ------------------------------------------------------------------------------------


def test_a_2010_code_of_any_depth_places_the_asset_in_its_top_class(tmp_path: Path) -> None:
    rows = [
        asset(1, "台式计算机", "2010104", 5000),
        asset(2, "笔记本电脑", "2.01.01.05", 6000),      # with dots
        asset(3, "服务器", "201-01-03", 30000),          # with dashes
        asset(4, "彩色显示终端", "2010604050105020", 2000),  # the Ministry of Education's 16 digits
        asset(5, "立式钢琴", "3700104", 18000),
        asset(6, "学生课桌椅", 6010200, 14000, quantity=40),  # a code typed as a number
        asset(7, "普通图书", "5010101", 15000, quantity=500),
        asset(8, "校园围墙", "1029004", 245600),
        asset(9, "动物标本", "4020101", 4600),
    ]
    checked = run(register(tmp_path, rows))
    assert errors(checked) == [], describe(checked.result.findings)
    assert categories_of(checked) == ["通用设备"] * 4 + [
        "专用设备", "家具用具装具及动植物", "图书档案", "土地房屋及构筑物", "文物和陈列品"]


def test_a_2022_code_places_the_asset_by_its_first_three_characters(tmp_path: Path) -> None:
    rows = [
        asset(1, "台式计算机", "A02010104", 5000),
        asset(2, "办公桌", "A05010200", 2200),
        asset(3, "教学楼", "A01020601", 5_526_820.20),
        asset(4, "普通图书", "a04010100", 15000, quantity=500),  # a lower-case letter
        asset(5, "名贵树木", "A06020100", 8600),
    ]
    gl = [["房屋和构筑物", 1, 5_526_820.20], ["设备", 1, 5000], ["图书和档案", 500, 15000],
          ["家具和用具", 1, 2200], ["特种动植物", 1, 8600]]
    checked = run(register(tmp_path, rows, gl))
    assert errors(checked) == [], describe(checked.result.findings)
    assert categories_of(checked) == ["设备", "家具和用具", "房屋和构筑物", "图书和档案", "特种动植物"]
    assert {k: v[2] for k, v in gl_comparisons(checked).items()} == {
        "房屋和构筑物": "ok", "设备": "ok", "图书和档案": "ok", "家具和用具": "ok", "特种动植物": "ok",
        "合计": "ok"}


def test_code_and_name_in_one_cell(tmp_path: Path) -> None:
    rows = [
        asset(1, "台式计算机", "A02010104 台式计算机", 5000),
        asset(2, "台式计算机", "2010104 台式机", 4800),
        asset(3, "台式计算机", "2010104台式机", 4700),
        asset(4, "钢琴", "3-专用设备", 18000),
        asset(5, "图书", "图书档案(5)", 15000, quantity=500),
        asset(6, "空调", "通用设备（2）", 6000),
    ]
    checked = run(register(tmp_path, rows), config=Config(category_set="gb2010"))
    assert errors(checked) == [], describe(checked.result.findings)
    # In a 2010 run a 2022 code is placed by the name beside it: 台式计算机 is 通用设备.
    assert categories_of(checked) == ["通用设备", "通用设备", "通用设备", "专用设备", "图书档案",
                                      "通用设备"]


# ---- names --------------------------------------------------------------------------------------


def test_class_names_are_compared_without_punctuation_and_named_in_the_schools_wording(
        tmp_path: Path) -> None:
    rows = [
        asset(1, "教学楼", "土地、房屋及构筑物", 1_000_000),
        asset(2, "围墙", "房屋及构筑物", 200_000),
        asset(3, "图书", "图书、档案", 15000, quantity=500),
        asset(4, "课桌椅", "家具、用具、装具及动植物", 14000, quantity=40),
        asset(5, "文件柜", "家具 用具 装具及动植物", 1500),
        asset(6, "标本", "文物及陈列品", 4600),
    ]
    gl = [["土地房屋及构筑物", 2, 1_200_000], ["图书档案", 500, 15000],
          ["家具用具装具及动植物", 41, 15500], ["文物和陈列品", 1, 4600]]
    checked = run(register(tmp_path, rows, gl))
    assert errors(checked) == [], describe(checked.result.findings)
    assert categories_of(checked) == ["土地房屋及构筑物", "土地房屋及构筑物", "图书档案",
                                      "家具用具装具及动植物", "家具用具装具及动植物", "文物和陈列品"]
    assert set(gl_comparisons(checked)) == {
        "土地房屋及构筑物", "图书档案", "家具用具装具及动植物", "文物和陈列品", "合计"}
    assert all(status == "ok" for _, _, status in gl_comparisons(checked).values())


def test_the_general_ledger_in_finance_account_names(tmp_path: Path) -> None:
    rows = [asset(1, "台式计算机", "通用设备", 5000), asset(2, "钢琴", "专用设备", 18000),
            asset(3, "图书", "图书档案", 15000, quantity=500), asset(4, "教学楼", "房屋及构筑物", 900_000)]
    gl = [["固定资产-通用设备", 1, 5000], ["1601 固定资产—专用设备", 1, 18000],
          ["160105 图书档案", 500, 15000], ["    房屋及构筑物", 1, 900_000]]
    checked = run(register(tmp_path, rows, gl))
    assert errors(checked) == [], describe(checked.result.findings)
    assert categories_of(checked, "gl_balances") == ["通用设备", "专用设备", "图书档案", "土地房屋及构筑物"]
    assert all(status == "ok" for _, _, status in gl_comparisons(checked).values())


def test_detailed_names_without_a_code_map_through_the_shipped_table(tmp_path: Path) -> None:
    rows = [asset(1, "联想启天", "台式机", 5000), asset(2, "学生课桌椅", "课桌椅", 14000, quantity=40),
            asset(3, "门口刷卡机", "刷卡机", 1200), asset(4, "柜式空调", "空调", 8000),
            asset(5, "立式钢琴", "钢琴", 18000), asset(6, "办公桌", "台、桌类", 2000),
            asset(7, "显示器", "显示器", 1500)]
    checked = run(register(tmp_path, rows))
    assert errors(checked) == [], describe(checked.result.findings)
    assert categories_of(checked) == ["通用设备", "家具用具装具及动植物", "通用设备", "通用设备",
                                      "专用设备", "家具用具装具及动植物", "通用设备"]


def test_a_name_standing_in_two_classes_is_not_guessed(tmp_path: Path) -> None:
    checked = run(register(tmp_path, [asset(1, "激光仪", "激光仪器", 9000)]))
    (found,) = errors(checked)
    assert (found.kind, found.row, found.column, found.field) == ("bad_value", 3, "C", "category")
    assert "“激光仪器”在分类表中分属 通用设备、专用设备，不能确定" in found.message


def test_a_name_that_maps_nowhere_says_how_to_map_it(tmp_path: Path) -> None:
    checked = run(register(tmp_path, [asset(1, "门禁刷卡器", "刷卡器", 1200)]))
    (found,) = errors(checked)
    assert (found.kind, found.row, found.column, found.value) == ("bad_value", 3, "C", "刷卡器")
    assert found.message.startswith("第3行 资产分类 刷卡器：无法归入资产大类（“刷卡器”不在分类表中）")
    assert '在 houqin.toml 的 [category_names] 中加入 "刷卡器" = "通用设备"' in found.message


def test_a_school_adds_its_own_names_in_houqin_toml(tmp_path: Path) -> None:
    path = register(tmp_path, [asset(1, "门禁刷卡器", "刷卡器", 1200), asset(2, "录播系统", "录播", 30000)])
    (tmp_path / "houqin.toml").write_text(
        '[category_names]\n"刷卡器" = "通用设备"\n"录 播" = "2 专用设备"\n', encoding="utf-8")
    checked = run(path)
    assert errors(checked) == [], describe(checked.result.findings)
    assert categories_of(checked) == ["通用设备", "专用设备"]


def test_a_school_name_mapped_to_no_class_is_a_settings_error(tmp_path: Path, capsys) -> None:
    path = register(tmp_path, [asset(1, "门禁刷卡器", "刷卡器", 1200)])
    (tmp_path / "houqin.toml").write_text('[category_names]\n"刷卡器" = "电子类"\n', encoding="utf-8")
    assert main(["check", str(path), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "[category_names]" in err and "刷卡器" in err


# ---- the card export's split columns ------------------------------------------------------------

CARD_HEADER = ["序号", "资产编号", "资产名称", "资产分类代码", "资产分类名称", "规格型号", "计量单位", "数量",
               "价值(元)", "累计折旧(元)", "净值(元)", "取得日期", "财务入账日期", "使用部门", "使用人",
               "存放地点", "使用状况", "备注"]


def card(number: int, name: str, code: Any, class_name: Any, value: float,
         depreciation: float = 0) -> list[Any]:
    """A card acquired 2019-03-06 (93 months to 2026-11): `depreciation` is its 累计折旧."""
    return [number, f"4401032019{number:08d}", name, code, class_name, "型号", "台", 1, value,
            depreciation, round(value - depreciation, 2), "2019-03-06", "2019-03-08", "总务处", "周敏",
            "行政楼301", "在用", None]


def card_export(tmp_path: Path, cards: list[list[Any]]) -> Path:
    """The asset system's card export: a title, a line with 单位名称 and 导出时间, one header
    with 资产分类代码 | 资产分类名称 and no 资产分类 column, 价值 without 单价, a 合计 row."""
    total = round(sum(c[8] for c in cards), 2)
    depreciation = round(sum(c[9] for c in cards), 2)
    rows = [["资产卡片信息列表"], ["单位名称：江州市第一实验小学", None, None, None, None, None, None, None,
                                 None, "导出时间：2026-12-01 09:32:15"],
            CARD_HEADER, *cards,
            ["合计", None, None, None, None, None, None, len(cards), total, depreciation,
             round(total - depreciation, 2)]]
    return write_xlsx(tmp_path / "资产卡片信息列表.xlsx", {"资产卡片信息列表": rows},
                      merges={"资产卡片信息列表": ["A1:R1"]})


def test_a_card_export_with_split_code_and_name_columns_is_read_by_its_codes(tmp_path: Path) -> None:
    # 累计折旧 at 2026-11, 93 months: 教学楼 over 50 years, the computers (6) and the piano
    # (文艺设备 5) in full, the desks over 15 years, the trees not at all.
    cards = [card(1, "教学楼", "1020601", "教育用房", 5_998_818.87, 929_816.92),
             card(2, "台式计算机", "2010104", "台式机", 5200, 5200),
             card(3, "立式钢琴", "3700104", "键盘乐器", 36800, 36800),
             card(4, "学生课桌椅", "6010200", "台、桌类", 62400, 32240),
             card(5, "便携式计算机", None, "便携式计算机", 6899, 6899),   # no code: the name decides
             card(6, "名贵树木", "6040100", "名贵树木", 8600)]
    checked = run(card_export(tmp_path, cards))
    assert [t.name for t in checked.ledgers] == ["fixed_assets"]
    assert errors(checked) == [], describe(checked.result.findings)
    assert categories_of(checked) == ["土地房屋及构筑物", "通用设备", "专用设备", "家具用具装具及动植物",
                                      "通用设备", "家具用具装具及动植物"]
    # The summaries name the top class, as the reconciliation keys do.
    table = summaries.assets_by_category(checked.ledgers)
    assert set(table["资产分类"]) == {"土地房屋及构筑物", "通用设备", "专用设备", "家具用具装具及动植物",
                                   "合计"}


def test_a_card_whose_code_and_name_map_nowhere_is_reported_on_the_code_cell(tmp_path: Path) -> None:
    cards = [card(1, "台式计算机", "2010104", "台式机", 5200, 5200),
             card(2, "智慧黑板", "9990100", "智慧教育设备", 6837.50),
             card(3, "录播设备", None, "录播一体化设备", 30000)]
    checked = run(card_export(tmp_path, cards))
    found = sorted(errors(checked), key=lambda f: f.row)
    assert [(f.kind, f.row, f.column, f.header, f.value) for f in found] == [
        ("bad_value", 5, "D", "资产分类代码", "9990100"),
        ("bad_value", 6, "E", "资产分类名称", "录播一体化设备")]
    assert "9990100 不是 GB/T 14885 的分类代码" in found[0].message
    assert "“智慧教育设备”不在分类表中" in found[0].message
    assert '"智慧教育设备" = "通用设备"' in found[0].message


def test_a_card_without_code_or_name_is_missing_its_category(tmp_path: Path) -> None:
    checked = run(card_export(tmp_path, [card(1, "台式计算机", None, None, 5200)]))
    assert [(f.kind, f.row, f.column) for f in errors(checked)] == [("missing", 4, "D")]


def test_a_top_class_column_of_an_export_is_read_as_the_category(tmp_path: Path) -> None:
    header = [h if h != "资产分类代码" else "资产大类" for h in CARD_HEADER]
    rows = [["资产卡片信息列表"], header, card(1, "台式计算机", "通用设备", "台式机", 5200, 5200),
            card(2, "钢琴", "专用设备", "键盘乐器", 36800, 36800)]
    checked = run(write_xlsx(tmp_path / "卡片.xlsx", {"卡片": rows}))
    assert errors(checked) == [], describe(checked.result.findings)
    assert categories_of(checked) == ["通用设备", "专用设备"]


# ---- editions -----------------------------------------------------------------------------------

REGISTER_2022 = [
    asset(1, "台式计算机", "A02010104 台式计算机", 5000),
    asset(2, "立式钢琴", "A02430101", 18000),
    asset(3, "教学楼", "A01020601", 900_000),
    asset(4, "普通图书", "A04010101", 15000, quantity=500),
    asset(5, "办公桌", "A05010200", 2000),
]
GL_2010 = [["土地、房屋及构筑物", 1, 900_000], ["通用设备", 1, 5000], ["专用设备", 1, 18000],
           ["图书、档案", 500, 15000], ["家具、用具、装具及动植物", 1, 2000]]


@pytest.mark.parametrize("gl_first", [False, True], ids=["register first", "general ledger first"])
def test_a_2022_register_reconciles_with_a_general_ledger_in_2010_names(tmp_path: Path,
                                                                        gl_first: bool) -> None:
    checked = run(register(tmp_path, REGISTER_2022, GL_2010, gl_first=gl_first))
    assert errors(checked) == [], describe(checked.result.findings)
    # Both ledgers in the 2022 classes: 通用设备 and 专用设备 are both 设备.
    assert categories_of(checked, "gl_balances") == ["房屋和构筑物", "设备", "设备", "图书和档案",
                                                      "家具和用具"]
    assert gl_comparisons(checked) == {
        "房屋和构筑物": ("900000.00", "900000.00", "ok"), "设备": ("23000.00", "23000.00", "ok"),
        "图书和档案": ("15000.00", "15000.00", "ok"), "家具和用具": ("2000.00", "2000.00", "ok"),
        "合计": ("940000.00", "940000.00", "ok")}


def test_a_mismatch_across_editions_is_keyed_by_the_2022_class(tmp_path: Path) -> None:
    gl = [list(row) for row in GL_2010]
    gl[2][2] = 24800  # 专用设备 booked 6,800 more than the register holds
    checked = run(register(tmp_path, REGISTER_2022, gl))
    found = [f for f in errors(checked) if f.kind == "ledger_mismatch"]
    assert [f.key for f in found] == [{"category": "设备"}, {"category": "合计"}]
    assert found[0].message.startswith("设备：资产台账原值 23000.00 与总账余额 29800.00 不符")


def test_a_2010_plant_code_is_its_own_class_in_a_2022_run(tmp_path: Path) -> None:
    rows = [*REGISTER_2022, asset(6, "名贵树木", "6040100", 8600), asset(7, "文件柜", "6010501", 1500)]
    checked = run(register(tmp_path, rows))
    assert errors(checked) == [], describe(checked.result.findings)
    assert categories_of(checked)[-2:] == ["特种动植物", "家具和用具"]


def test_settings_can_force_the_2010_edition(tmp_path: Path) -> None:
    rows = [asset(1, "台式计算机", "A02010104 台式计算机", 5000), asset(2, "钢琴", "A02430101", 18000),
            asset(3, "办公桌", "A05010200", 2000)]
    checked = run(register(tmp_path, rows), config=Config(category_set="gb2010"))
    (found,) = errors(checked)
    assert (found.kind, found.row, found.column) == ("bad_value", 4, "C")
    assert "2022版的“设备”在2010版分为通用设备和专用设备" in found.message
    assert categories_of(checked) == ["通用设备", "A02430101", "家具用具装具及动植物"]


def test_settings_can_force_the_2022_edition_on_a_2010_register(tmp_path: Path) -> None:
    rows = [asset(1, "台式计算机", "2010104", 5000), asset(2, "钢琴", "专用设备", 18000)]
    checked = run(register(tmp_path, rows, [["通用设备", 1, 5000], ["专用设备", 1, 18000]]),
                  config=Config(category_set="gb2022"))
    assert errors(checked) == [], describe(checked.result.findings)
    assert categories_of(checked) == ["设备", "设备"]
    assert gl_comparisons(checked)["设备"] == ("23000.00", "23000.00", "ok")


def test_a_schools_own_list_gives_the_wording_and_leaves_out_what_it_does_not_name(
        tmp_path: Path) -> None:
    path = register(tmp_path, [asset(1, "台式计算机", "2010104", 5000), asset(2, "教学楼", "1020601", 900_000),
                               asset(3, "标本", "4020101", 4600), asset(4, "实训设备", "实训", 30000)],
                    [["房屋及构筑物", 1, 900_000], ["通用设备", 1, 5000], ["实训", 1, 30000]])
    (tmp_path / "houqin.toml").write_text(
        '[categories]\n"1" = "房屋及构筑物"\n"2" = "通用设备"\n"3" = "专用设备"\n"9" = "实训"\n',
        encoding="utf-8")
    checked = run(path)
    (found,) = [f for f in errors(checked) if f.kind == "bad_value"]
    assert (found.row, found.column) == (5, "C")
    assert "文物和陈列品不在学校的资产分类目录中" in found.message
    comparisons = gl_comparisons(checked)
    assert {k: comparisons[k][2] for k in ("房屋及构筑物", "通用设备", "实训")} == {
        "房屋及构筑物": "ok", "通用设备": "ok", "实训": "ok"}
    assert categories_of(checked) == ["通用设备", "房屋及构筑物", "4020101", "实训"]


def test_a_schools_own_wording_of_a_class_is_placed_by_its_key(tmp_path: Path) -> None:
    # 房屋建筑物 and 图书 are no class names of the standard: the keys 1 and 5 say which class
    # the school words so; codes, names and the finance office's account names all land there.
    path = register(tmp_path, [asset(1, "教学楼", "1020601", 900_000), asset(2, "台式计算机", "2010104", 5000),
                               asset(3, "普通图书", "5010101", 15000, quantity=500)],
                    [["房屋及构筑物", 1, 900_000], ["通用设备", 1, 5000], ["图书档案", 500, 15000]])
    (tmp_path / "houqin.toml").write_text(
        '[categories]\n"1" = "房屋建筑物"\n"2" = "通用设备"\n"5" = "图书"\n', encoding="utf-8")
    checked = run(path)
    assert errors(checked) == [], describe(checked.result.findings)
    assert categories_of(checked) == ["房屋建筑物", "通用设备", "图书"]
    assert {k: v[2] for k, v in gl_comparisons(checked).items()} == {
        "房屋建筑物": "ok", "通用设备": "ok", "图书": "ok", "合计": "ok"}


def test_an_unknown_category_set_is_a_settings_error(tmp_path: Path, capsys) -> None:
    path = register(tmp_path, [asset(1, "台式计算机", "2010104", 5000)])
    (tmp_path / "houqin.toml").write_text('category_set = "gb2008"\n', encoding="utf-8")
    assert main(["check", str(path), "--quiet"]) == 2
    assert "category_set" in capsys.readouterr().err


# ---- the shipped names table ----------------------------------------------------------------


def _table() -> list[dict[str, str]]:
    with (SCHEMAS / NAMES_TABLE).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_names_table_holds_the_standard_and_the_common_school_names() -> None:
    rows = _table()
    standard = [r for r in rows if r["来源"] == "GB/T 14885-2010"]
    assert len(standard) == 3760
    # The transcription's defects, kept: 19 names without a code, one code on two names.
    assert sum(1 for r in standard if not r["代码"]) == 19
    codes = [r["代码"] for r in standard if r["代码"]]
    assert len(codes) - len(set(codes)) == 1
    # A code's class is its first digit.
    assert all(r["代码"][0] == r["门类代码"] for r in standard if r["代码"])
    common = {r["名称"] for r in rows if r["来源"] == "常用名"}
    assert {"台式机", "笔记本电脑", "一体机", "交互式一体机", "投影仪", "打印机", "复印机", "空调",
            "课桌椅", "讲台", "黑板", "钢琴", "图书", "监控", "刷卡机"} <= common | {r["名称"] for r in standard}


def test_every_name_of_the_table_places_an_asset_unless_it_stands_in_two_classes() -> None:
    categories = load_categories(Config())
    ambiguous = []
    for row in _table():
        placed = categories.canonical(row["名称"])
        if placed not in categories.names:
            ambiguous.append(row["名称"])
    assert set(ambiguous) == {"加油站", "加气站", "其他客车", "分选机", "筛分设备", "影剧院设备", "激光仪器"}


def test_the_shipped_table_is_packaged() -> None:
    text = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"houqin_xl.schema_files" = ["*.yaml", "*.csv"]' in text


def test_a_list_of_accounts_is_told_from_a_list_of_classes() -> None:
    categories = load_categories(Config())
    assert [categories.is_class(v) for v in ["库存现金", "银行存款", "固定资产—通用设备", "    设备",
                                             "160103", "A02010104", "台式机", None]] == [
        False, False, True, True, True, True, True, False]


@pytest.mark.parametrize(("cell", "klass"), [
    ("2010104", "通用设备"), ("2.01.01.04", "通用设备"), ("201-01-04", "通用设备"),
    ("2010104050105020", "通用设备"), (" 2010104 ", "通用设备"), ("２０１０１０４", "通用设备"),
    ("A02010104台式计算机", "设备"), ("2010104 台式机", "通用设备"), ("2-通用设备", "通用设备"),
    ("图书档案(5)", "图书档案"), ("通用设备（2）", "通用设备"), ("土地房屋构筑物", "土地房屋及构筑物"),
    ("固定资产_通用设备", "通用设备"), ("1601 固定资产—专用设备", "专用设备"), ("160102 通用设备", "通用设备"),
    ("固定资产累计折旧—通用设备", "通用设备"), ("不间断电源", "通用设备"), ("乘用车", "通用设备"),
    ("6040100", "家具用具装具及动植物"), ("A0601", "特种动植物"),
    ("102", "土地房屋及构筑物"), ("20101", "通用设备"), ("501", "图书档案"),  # 2010 codes at depth 2 and 3
    # Not classes: left as written, for the check to report.
    ("9990100", "9990100"), ("990", "990"), ("99001", "99001"), ("A09", "A09"), ("2019年购置", "2019年购置"), ("3D打印机", "3D打印机"),
    ("1601", "1601"), ("库存现金", "库存现金"), ("激光仪器", "激光仪器"),
])
def test_one_cell_in_every_form_it_is_written(cell: str, klass: str) -> None:
    assert load_categories(Config()).canonical(cell) == klass


def test_a_class_number_no_edition_has_says_so(tmp_path: Path) -> None:
    checked = run(register(tmp_path, [asset(1, "台式计算机", "9", 5000)]))
    (found,) = errors(checked)
    assert found.message.startswith("第3行 资产分类 9：无法归入资产大类（9 不是2010版的大类代码）。请写正确的分类代码")
    assert "[category_names]" not in found.message  # a number is corrected, not named
