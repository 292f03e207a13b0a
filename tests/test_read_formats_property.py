"""The same ledger, written as .xlsx, as an HTML ".xls", as a SpreadsheetML ".xls" and as CSV,
gives the same records, the same values and the same findings at the same cells: a bursar's
register reads the same whichever system saved it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
from builders import run, write_xlsx
from formats import write_csv, write_html_xls, write_spreadsheet_xml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HEADER = ["资产编号", "资产名称", "资产分类", "数量", "单价", "原值", "取得日期", "使用部门", "存放地点", "使用状况"]
DEPARTMENT = HEADER.index("使用部门")
TITLE = "江州市实验小学固定资产台账"

asset = st.fixed_dictionaries({
    # ids as exports write them: letters, leading zeros, 15 digits (never a number)
    "id_style": st.sampled_from(["A{:04d}", "00{:03d}", "2010104201{:05d}"]),
    "name": st.sampled_from(["台式计算机", "钢琴", "课桌椅", "投影仪", "图书"]),
    "category": st.sampled_from(["通用设备", "专用设备", "图书档案", "家具用具装具及动植物"]),
    "quantity": st.integers(1, 40),
    "price": st.sampled_from([1200, 3500.5, 4800, 12800, 2999.99]),
    "wrong_value": st.booleans(),  # a 原值 that is not 数量 × 单价: a finding at that cell
    "acquired": st.dates(dt.date(2010, 1, 1), dt.date(2026, 11, 30)),
    "place": st.sampled_from(["301教室", "音乐室", "图书室", "仓库"]),
    "status": st.sampled_from(["在用", "闲置", "出借", "待报废"]),
})
blocks = st.lists(st.tuples(st.sampled_from(["教务处", "总务处", "音乐组", "图书室", "信息中心"]),
                            st.lists(asset, min_size=1, max_size=4)), min_size=1, max_size=4)


def _register(department_blocks: list[tuple[str, list[dict]]]) -> tuple[list[list[Any]], list[str], list[list[Any]]]:
    """(rows with the department once per block, their merges, rows with it on every line)."""
    rows: list[list[Any]] = [[TITLE], HEADER]
    flat: list[list[Any]] = [[TITLE], HEADER]
    merges = [f"A1:{chr(64 + len(HEADER))}1"]
    for department, assets in department_blocks:
        top = len(rows) + 1
        for k, item in enumerate(assets):
            number = item["id_style"].format(len(rows) - 1)  # unique down the register
            value = round(item["quantity"] * item["price"], 2) + (100 if item["wrong_value"] else 0)
            line = [number, item["name"], item["category"], item["quantity"], item["price"], value,
                    item["acquired"], department if k == 0 else None, item["place"], item["status"]]
            rows.append(line)
            flat.append([*line[:DEPARTMENT], department, *line[DEPARTMENT + 1:]])
        if len(assets) > 1:
            column = chr(65 + DEPARTMENT)
            merges.append(f"{column}{top}:{column}{top + len(assets) - 1}")
    return rows, merges, flat


def _read(path: Path) -> tuple[pd.DataFrame, set[tuple[str, int | None, str | None, str | None]]]:
    checked = run(path)
    registers = [t for t in checked.ledgers if t.name == "fixed_assets"]
    assert len(registers) == 1, [t.ledger.sheet for t in checked.ledgers]
    frame = registers[0].frame.reset_index(drop=True)
    findings = {(f.kind, f.row, f.column, f.field) for f in checked.result.findings
                if f.path == str(path)}
    return frame, findings


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(department_blocks=blocks)
def test_the_same_register_in_every_format_gives_the_same_records_values_and_cells(
        tmp_path_factory: Any, department_blocks: list[tuple[str, list[dict]]]) -> None:
    rows, merges, flat = _register(department_blocks)
    base = tmp_path_factory.mktemp("formats")
    paths = {}
    for kind in ("xlsx", "html", "xml", "csv"):
        folder = base / kind
        folder.mkdir()
        target = folder / "固定资产台账"
        if kind == "xlsx":
            paths[kind] = write_xlsx(target.with_suffix(".xlsx"), {"固定资产台账": rows}, merges={"固定资产台账": merges})
        elif kind == "html":
            paths[kind] = write_html_xls(target.with_suffix(".xls"), rows, merges)
        elif kind == "xml":
            paths[kind] = write_spreadsheet_xml(target.with_suffix(".xls"), {"固定资产台账": rows},
                                                merges={"固定资产台账": merges})
        else:
            paths[kind] = write_csv(target.with_suffix(".csv"), flat, encoding="gbk")
    results = {kind: _read(path) for kind, path in paths.items()}
    frame, findings = results["xlsx"]
    assert len(frame) == len(rows) - 2
    assert any(kind == "arithmetic" for kind, *_ in findings) == any(a["wrong_value"] for _, assets in department_blocks
                                                                   for a in assets)
    for kind in ("html", "xml", "csv"):
        other_frame, other_findings = results[kind]
        pd.testing.assert_frame_equal(other_frame, frame, check_dtype=False, obj=f"{kind} vs xlsx")
        assert other_findings == findings, kind
