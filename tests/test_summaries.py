"""The 汇总 sheets' numbers: what the bursar reads off the pivot summaries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from builders import (
    FA_HEADER,
    FEES_HEADER,
    STOCK_FLAT,
    fee_rows,
    fixed_asset_rows,
    stock_rows,
    write_xlsx,
)

from houqin_xl.config import Config
from houqin_xl.ledgers.recognise import recognise
from houqin_xl.ledgers.schemas import load_schemas
from houqin_xl.ledgers.typed import TypedLedger, type_ledger
from houqin_xl.outputs import summaries
from houqin_xl.read import read_paths


def typed_ledgers(path: Path) -> list[TypedLedger]:
    """Recognised and typed, without the reconciliation rules: summaries need only this."""
    ledgers = recognise(read_paths([path]), load_schemas(Config()))
    return [type_ledger(ledger)[0] for ledger in ledgers]


def row_of(frame, column: str, value: str) -> dict:
    found = frame[frame[column] == value]
    assert len(found) == 1, f"{value!r} in {list(frame[column])}"
    return found.iloc[0].to_dict()


@pytest.fixture
def ledgers(tmp_path: Path) -> list[TypedLedger]:
    fees = fee_rows()
    fees.append(["2026秋", "三年级", "三(2)班", "S101", "钱七", "作业本费", 60, 0, 60, 0, "B0004",
                 dt.date(2026, 11, 4), "陈", None])
    fees.append(["2026秋", "三年级", "三(2)班", "S102", "孙八", "作业本费", 60, 0, 60, 0, "B0005",
                 dt.date(2026, 11, 4), "陈", "作废"])
    stock = stock_rows()
    stock.append([dt.date(2026, 10, 20), "LY000", "A4纸", "70g", "包", "领用", None, None, None,
                  4, 100, 16, "教务处", "吴"])
    stock.append([dt.date(2026, 11, 12), "BS001", "中性笔", "0.5mm", "支", "报损", None, None, None,
                  5, 7.5, 55, None, "周"])
    assets = fixed_asset_rows()
    assets[1][14] = None  # 净值 left blank: 原值 − 累计折旧 stands in
    path = write_xlsx(tmp_path / "台账.xlsx", {
        "固定资产台账": [FA_HEADER, *assets],
        "出入库": [STOCK_FLAT, *stock],
        "收费台账": [FEES_HEADER, *fees],
    })
    return typed_ledgers(path)


def test_assets_by_category_leave_out_disposed_and_total_to_the_fen(ledgers):
    frame = summaries.assets_by_category(ledgers)
    assert list(frame.columns) == ["资产分类", "资产数", "数量", "原值合计", "净值合计"]
    general = row_of(frame, "资产分类", "通用设备")
    assert general["资产数"] == 2  # A006 已报废 is not on the books
    assert general["原值合计"] == 11800.00
    assert general["净值合计"] == 3000 + 4958.33  # A002's blank 净值 = 7000 − 2041.67
    total = frame.iloc[-1]
    assert total["资产分类"] == "合计"
    assert total["资产数"] == 5
    assert total["原值合计"] == pytest.approx(46800.00)


def test_assets_by_category_and_department(ledgers):
    frame = summaries.assets_by_category_department(ledgers)
    assert list(frame.columns)[:2] == ["资产分类", "使用部门"]
    pairs = {(r["资产分类"], r["使用部门"]) for _, r in frame.iloc[:-1].iterrows()}
    assert ("专用设备", "音乐组") in pairs
    assert ("通用设备", "总务处") not in pairs  # only the disposed computer stood there
    assert frame.iloc[-1]["原值合计"] == pytest.approx(46800.00)


def test_assets_by_status_count_every_asset_including_disposed(ledgers):
    frame = summaries.assets_by_status(ledgers)
    assert list(frame["使用状况"]) == ["在用", "已报废", "合计"]
    assert row_of(frame, "使用状况", "已报废")["原值合计"] == 5000
    assert frame.iloc[-1]["资产数"] == 6


def test_stock_issues_by_department_and_month_leave_out_write_offs(ledgers):
    frame = summaries.stock_issues_by_month_department(ledgers)
    assert list(frame.columns) == ["领用部门", "2026-10", "2026-11", "合计"]
    rows = {r["领用部门"]: (r["2026-10"], r["2026-11"], r["合计"]) for _, r in frame.iterrows()}
    assert rows == {"教务处": (100.0, 750.0, 850.0), "三年级组": (0.0, 60.0, 60.0),
                    "合计": (100.0, 810.0, 910.0)}  # the 报损 of 7.50 is not consumption
    assert list(frame["领用部门"]) == ["教务处", "三年级组", "合计"]  # biggest first


def test_top_items_consumed_biggest_amount_first(ledgers):
    frame = summaries.top_items_consumed(ledgers)
    assert list(frame["物品"]) == ["A4纸", "中性笔", "合计"]
    a4 = row_of(frame, "物品", "A4纸")
    assert (a4["领用数量合计"], a4["领用金额合计"], a4["领用笔数"]) == (34, 850.0, 2)
    assert summaries.top_items_consumed(ledgers, limit=1)["物品"].tolist() == ["A4纸", "合计"]


def test_fees_by_class_and_item_owing_and_collection_rate(ledgers):
    frame = summaries.fees_by_class_item(ledgers)
    assert list(frame.columns) == ["年级", "班级", "收费项目", "笔数", "应收", "减免", "实收", "退费",
                                   "欠费", "收缴率"]
    books = frame[(frame["班级"] == "三(1)班") & (frame["收费项目"] == "作业本费")].iloc[0]
    assert (books["应收"], books["减免"], books["实收"], books["欠费"]) == (240, 60, 120, 60)
    assert books["收缴率"] == pytest.approx(120 / 180, abs=1e-4)
    second = frame[frame["班级"] == "三(2)班"].iloc[0]
    assert second["笔数"] == 1  # the voided receipt (备注 作废) carries no money
    assert second["收缴率"] == 1.0
    total = frame.iloc[-1]
    assert total["年级"] == "合计"
    assert (total["应收"], total["实收"], total["欠费"]) == (400, 280, 60)
    assert total["收缴率"] == pytest.approx(280 / 340, abs=1e-4)


def test_fees_by_class_gives_one_rate_per_class(ledgers):
    frame = summaries.fees_by_class(ledgers)
    assert list(frame["班级"]) == ["三(1)班", "三(2)班", ""]
    assert frame.iloc[-1]["年级"] == "合计"


def test_a_ledger_set_without_the_ledger_gives_only_a_zero_total(tmp_path):
    path = write_xlsx(tmp_path / "fees.xlsx", {"收费台账": [FEES_HEADER, *fee_rows()]})
    ledgers = typed_ledgers(path)
    assert not summaries.has_ledger(ledgers, "fixed_assets")
    frame = summaries.assets_by_category(ledgers)
    assert len(frame) == 1 and frame.iloc[0]["资产分类"] == "合计" and frame.iloc[0]["资产数"] == 0
    assert len(summaries.top_items_consumed(ledgers)) == 1


def test_money_adds_up_to_the_fen(tmp_path):
    rows = [[f"A{i:03d}", "椅子", "家具用具装具及动植物", None, "把", 1, 0.1, 0.1, dt.date(2025, 1, 1),
             "总务处", "仓库", None, "在用", 0, 0.1, None] for i in range(10)]
    path = write_xlsx(tmp_path / "a.xlsx", {"固定资产台账": [FA_HEADER, *rows]})
    frame = summaries.assets_by_category(typed_ledgers(path))
    assert frame.iloc[0]["原值合计"] == 1.0  # ten times 0.1, not 0.9999999999999999
