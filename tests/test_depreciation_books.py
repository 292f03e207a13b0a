"""折旧 in the books: 1602 固定资产累计折旧 against the register (账账相符), and the month's charge
the bursar books (汇总-折旧, the 汇总 button's PivotTable, the JSON summaries)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from builders import describe, run, write_xlsx
from depreciation_books import card, due, write_gl, write_register
from excel_client import ExcelClient, desktop_excel  # noqa: F401
from openpyxl import load_workbook

from houqin_xl.cli import main
from houqin_xl.excel import sheets
from houqin_xl.outputs.write import report_bytes
from houqin_xl.read.grid import parse_range

D = dt.date
GENERAL = [  # 通用设备: a computer bought this month, one charging, one fully depreciated
    card("C1", "台式计算机", "2010104", "台式机", 7200, D(2026, 11, 12), 6, due(7200, D(2026, 11, 12), 72),
         department="教务处"),
    card("C2", "台式计算机", "2010104", "台式机", 5400, D(2023, 5, 18), 6, due(5400, D(2023, 5, 18), 72),
         department="信息中心"),
    card("C3", "投影仪", "2020200", "投影仪", 4980, D(2015, 3, 10), 6, 4980, department="教务处"),
]
FURNITURE = [card("F1", "学生课桌椅", "6010200", "台、桌类", 62400, D(2021, 8, 20), 15,
                  due(62400, D(2021, 8, 20), 180), department="教务处")]
BOOKS = [card("B1", "图书", "5010101", "普通图书", 78000, D(2024, 3, 1), None, 0, department="图书室",
              quantity=2600)]
CARDS = [*GENERAL, *FURNITURE, *BOOKS]


def _sum(cards: list[list], column: int) -> Decimal:
    return sum((Decimal(str(c[column])) for c in cards), Decimal(0))


def accounts(general_1602: Decimal | None = None) -> list[tuple]:
    """The 余额表 agreeing with CARDS: 1601 by class at 原值, 1602 by class at Σ 累计折旧."""
    value = {name: _sum(cards, 6) for name, cards in
             (("通用设备", GENERAL), ("家具用具装具及动植物", FURNITURE), ("图书档案", BOOKS))}
    depreciation = {"通用设备": _sum(GENERAL, 10) if general_1602 is None else general_1602,
                    "家具用具装具及动植物": _sum(FURNITURE, 10)}
    total_value, total_depreciation = sum(value.values()), sum(depreciation.values())
    return [("1001", "库存现金", 5000, 0, 0),
            ("1601", "固定资产", total_value, 0, 0),
            ("160102", "通用设备", value["通用设备"], 0, 0),
            ("160105", "图书档案", value["图书档案"], 0, 0),
            ("160106", "家具用具装具及动植物", value["家具用具装具及动植物"], 0, 0),
            ("1602", "固定资产累计折旧", -total_depreciation, 0, 0),
            ("160202", "通用设备", -depreciation["通用设备"], 0, 0),
            ("160206", "家具用具装具及动植物", -depreciation["家具用具装具及动植物"], 0, 0),
            ("3001", "累计盈余", -(5000 + total_value - total_depreciation), 0, 0)]


@pytest.fixture
def books(tmp_path: Path) -> list[Path]:
    return [write_register(tmp_path / "折旧明细表.xlsx", CARDS),
            write_gl(tmp_path / "科目余额表.xlsx", accounts())]


def _compared(checked) -> dict[str, tuple[str, str, str]]:
    return {r.key["category"]: (r.left, r.right, r.status) for r in checked.result.reconciliations
            if r.rule == "depreciation_vs_gl"}


def test_1602_agrees_with_the_register_class_by_class(books: list[Path]) -> None:
    checked = run(*books)
    assert checked.result.findings == [], describe(checked.result.findings)
    general = f"{_sum(GENERAL, 10):.2f}"
    assert _compared(checked) == {"通用设备": (general, general, "ok"),
                                  "家具用具装具及动植物": ("22186.67", "22186.67", "ok"),
                                  "合计": (f"{_sum(CARDS, 10):.2f}",) * 2 + ("ok",)}


def test_a_1602_class_that_disagrees_is_a_ledger_mismatch_keyed_by_its_class(tmp_path: Path) -> None:
    off = _sum(GENERAL, 10) + Decimal("316.50")
    checked = run(write_register(tmp_path / "折旧明细表.xlsx", CARDS),
                  write_gl(tmp_path / "科目余额表.xlsx", accounts(general_1602=off)))
    found = [f for f in checked.result.findings if f.kind == "ledger_mismatch"]
    assert [f.key for f in found] == [{"category": "通用设备"}, {"category": "合计"}]
    assert all(f.row is None and f.ledger == "fixed_assets" for f in found)
    assert "累计折旧" in found[0].message and "1602" in found[0].message
    assert "差额 -316.50" in found[0].message
    assert _compared(checked)["通用设备"][2] == "mismatch"
    # The register's own cells are right: no finding on any of them.
    assert [f for f in checked.result.findings if f.row is not None] == []


def test_a_general_ledger_without_1602_says_the_comparison_was_not_made(tmp_path: Path) -> None:
    summary = [["资产分类", "数量", "期末余额"], ["通用设备", 3, float(_sum(GENERAL, 6))],
               ["家具用具装具及动植物", 1, 62400], ["图书档案", 2600, 78000]]
    checked = run(write_register(tmp_path / "折旧明细表.xlsx", CARDS),
                  write_xlsx(tmp_path / "总账.xlsx", {"总账": summary}))
    skipped = {s["rule"]: s["reason"] for s in checked.result.skipped_rules}
    assert skipped["depreciation_vs_gl"].startswith("总账中没有 1602")
    assert checked.result.findings == [], describe(checked.result.findings)


def test_1602_without_its_classes_is_compared_in_total_and_says_so(tmp_path: Path) -> None:
    lines = [a for a in accounts() if not a[0].startswith("1602") or a[0] == "1602"]
    checked = run(write_register(tmp_path / "折旧明细表.xlsx", CARDS),
                  write_gl(tmp_path / "科目余额表.xlsx", lines))
    assert set(_compared(checked)) == {"合计"}
    skipped = {s["rule"]: s["reason"] for s in checked.result.skipped_rules}
    assert "只核对了合计" in skipped["depreciation_vs_gl"]


def test_disposed_assets_stay_out_of_the_register_side(tmp_path: Path) -> None:
    cards = [*CARDS, card("X1", "旧电脑", "2010104", "台式机", 5000, D(2015, 9, 1), 6, 5000,
                          status="已报废")]
    checked = run(write_register(tmp_path / "折旧明细表.xlsx", cards),
                  write_gl(tmp_path / "科目余额表.xlsx", accounts()))
    assert checked.result.findings == [], describe(checked.result.findings)


# ---- the month's charge ----------------------------------------------------------------------------

# 本月应提折旧 of CARDS: C1 bought this month 100.00, C2 5400/72 = 75.00 (43rd of 72 months), C3
# fully depreciated 0,
# F1 62400/180 = 346.67 (rounded per asset: 22186.67 − 21840.00), books 0.
CHARGE = {"通用设备": "175.00", "家具用具装具及动植物": "346.67", "图书档案": "0.00"}


def test_the_months_charge_per_class_and_department_in_the_json(tmp_path: Path, books) -> None:
    out = tmp_path / "r.json"
    assert main(["check", *map(str, books), "--period", "2026-11", "--json", str(out), "--quiet"]) == 0
    summary = json.loads(out.read_text(encoding="utf-8"))["summaries"]["depreciation"]
    assert summary["period"] == "2026-11"
    by_class = {row["category"]: row for row in summary["by_category"]}
    assert {k: by_class[k]["charge"] for k in CHARGE} == CHARGE
    general = by_class["通用设备"]
    assert general["original_value"] == "17580.00" and general["assets"] == 3
    assert general["opening_depreciation"] == "8130.00"  # C2 42/72 of 5400 + C3 in full
    assert general["closing_depreciation"] == "8305.00" == general["stated_depreciation"]
    assert general["net_value"] == "9275.00"
    assert by_class["合计"]["charge"] == "521.67"
    by_department = {row["department"]: row["charge"] for row in summary["by_department"]}
    assert by_department == {"信息中心": "75.00", "图书室": "0.00", "教务处": "446.67", "合计": "521.67"}


def _table(ws, first_header: str) -> tuple[list, list[list]]:
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    body = []
    for r in rows[start + 1:]:
        if not r or r[0] is None:
            break
        body.append(r)
    return rows[start], body


def test_the_report_has_a_汇总_折旧_sheet_with_the_voucher_figure(tmp_path: Path, books) -> None:
    checked = run(*books)
    path = tmp_path / "核对报告.xlsx"
    path.write_bytes(report_bytes(checked, path))
    ws = load_workbook(path)["汇总-折旧"]
    assert "本月应提折旧 521.67 元" in ws["A1"].value
    header, body = _table(ws, "资产分类")
    assert header[:8] == ["资产分类", "资产数", "原值合计", "期初累计折旧", "本月应提折旧", "期末累计折旧",
                          "期末净值", "台账累计折旧"]
    charge = {r[0]: r[header.index("本月应提折旧")] for r in body}
    assert charge == {"通用设备": 175.0, "图书档案": 0.0, "家具用具装具及动植物": 346.67, "合计": 521.67}
    header, body = _table(ws, "使用部门")
    assert [r[0] for r in body] == ["信息中心", "图书室", "教务处", "合计"]


def test_the_summary_names_assets_it_could_not_recompute(tmp_path: Path) -> None:
    cards = [*CARDS, card("N1", "台式计算机", "2010104", "台式机", 6000, None, 6, 1000)]
    checked = run(write_register(tmp_path / "折旧明细表.xlsx", cards))
    path = tmp_path / "核对报告.xlsx"
    path.write_bytes(report_bytes(checked, path))
    ws = load_workbook(path)["汇总-折旧"]
    titles = [r[0] for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], str)]
    assert any("其中 1 项资产无法重算" in t for t in titles)
    summary = checked.result.summaries["depreciation"]
    general = next(r for r in summary["by_category"] if r["category"] == "通用设备")
    # N1 counts with the register's 1000.00 and no charge.
    assert general["not_recomputed"] == 1 and general["closing_depreciation"] == "9305.00"
    assert general["charge"] == "175.00"


def test_the_汇总_button_makes_a_depreciation_pivot_adding_up_to_the_table(tmp_path: Path,
                                                                       desktop_excel) -> None:  # noqa: F811
    book = tmp_path / "台账.xlsx"
    source = load_workbook(write_register(tmp_path / "折旧明细表.xlsx", CARDS))
    source.save(book)
    client = ExcelClient(load_workbook(book), name=str(book))
    assert "汇总完成" in client.click("summarise")
    pivot = next(p for p in client.pivot_tables if p["sheet"] == "汇总-折旧")
    assert pivot["rows"] == ["资产类", "部门名称"]
    sheet_name, address = pivot["source"].split("!")
    assert sheet_name.strip("'") == sheets.PIVOT_DATA_SHEET
    top, left, bottom, right = parse_range(address)
    data = client.book[sheets.PIVOT_DATA_SHEET]
    header = [data.cell(row=top, column=c).value for c in range(left, right + 1)]
    rows = [[data.cell(row=r, column=c).value for c in range(left, right + 1)]
            for r in range(top + 1, bottom + 1)]
    assert len(rows) == len(CARDS)
    assert round(sum(r[header.index("本月折旧元")] for r in rows), 2) == 521.67
    assert {v[0] for v in pivot["values"]} == {"原值元", "期初累计折旧元", "本月折旧元", "期末累计折旧元",
                                               "净值元"}
