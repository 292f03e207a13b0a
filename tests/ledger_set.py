"""A small, consistent ledger set of one primary school for the reconciliation tests.

`consistent_sheets()` returns the sheets as plain lists (header first) that a test changes to
seed one defect, then `write_book()` writes them to a real .xlsx on disk to be read back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

D = dt.date

ASSET_HEADER = ["资产编号", "资产名称", "资产分类", "数量", "单价", "原值", "取得日期", "使用部门",
                "存放地点", "使用状况"]
GL_HEADER = ["资产分类", "数量", "期末余额"]
COUNT_HEADER = ["资产编号", "资产名称", "实际存放地点", "实盘数量", "盘点人", "盘点日期"]
STOCK_HEADER = ["日期", "单据号", "物品名称", "规格", "单位", "摘要", "入库数量", "入库单价",
                "入库金额", "出库数量", "出库金额", "结存数量", "领用部门", "领用人"]
FEE_HEADER = ["学期", "年级", "班级", "学号", "姓名", "收费项目", "应收金额", "减免金额",
              "实收金额", "退费金额", "票据号", "缴费日期", "收款人", "备注"]
STANDARD_HEADER = ["收费项目", "年级", "收费标准"]
DEPOSIT_HEADER = ["缴款日期", "缴款金额", "缴款单号"]


def consistent_sheets() -> dict[str, list[list[Any]]]:
    term = "2026秋"
    return {
        "固定资产台账": [
            ASSET_HEADER,
            ["A001", "交互式一体机", "通用设备", 1, 12800, 12800, D(2026, 9, 1), "教务处", "301教室", "在用"],
            ["A002", "台式电脑", "通用设备", 2, 4500, 9000, D(2026, 9, 5), "信息中心", "计算机教室", "在用"],
            ["A003", "钢琴", "专用设备", 1, 18000, 18000, D(2025, 3, 1), "音乐组", "音乐室", "在用"],
            ["A004", "课桌椅", "家具用具装具及动植物", 40, 350, 14000, D(2024, 8, 20), "一年级组",
             "101教室", "在用"],
            ["A005", "旧投影仪", "通用设备", 1, 3000, 3000, D(2015, 5, 1), "教务处", "仓库", "已报废"],
            ["A006", "图书", "图书档案", 500, 30, 15000, D(2026, 10, 10), "图书室", "图书室", "在用"],
        ],
        "总账": [
            GL_HEADER,
            ["通用设备", 3, 21800],
            ["专用设备", 1, 18000],
            ["家具用具装具及动植物", 40, 14000],
            ["图书档案", 500, 15000],
        ],
        "盘点表": [
            COUNT_HEADER,
            ["A001", "交互式一体机", "301教室", 1, "王老师", D(2026, 11, 28)],
            ["A002", "台式电脑", "计算机教室", 2, "王老师", D(2026, 11, 28)],
            ["A003", "钢琴", "音乐室", 1, "王老师", D(2026, 11, 28)],
            ["A004", "课桌椅", "101教室", 40, "王老师", D(2026, 11, 28)],
            ["A006", "图书", "图书室", 500, "王老师", D(2026, 11, 28)],
        ],
        "物资出入库": [
            STOCK_HEADER,
            [D(2026, 11, 1), None, "A4复印纸", "70g", "箱", "期初结存", None, None, None, None, None, 20,
             None, None],
            [D(2026, 11, 1), None, "签字笔", "0.5mm", "支", "上月结存", None, None, None, None, None, 100,
             None, None],
            [D(2026, 11, 3), "RK001", "A4复印纸", "70g", "箱", "购入", 10, 120, 1200, None, None, 30,
             None, "李四"],
            [D(2026, 11, 5), "LY001", "签字笔", "0.5mm", "支", "领用", None, None, None, 20, 30, 80,
             "教务处", "张老师"],
            [D(2026, 11, 10), "LY002", "A4复印纸", "70g", "箱", "领用", None, None, None, 5, 600, 25,
             "教务处", "张老师"],
            [D(2026, 11, 20), "LY003", "A4复印纸", "70g", "箱", "领用", None, None, None, 3, 360, 22,
             "德育处", "刘老师"],
        ],
        "收费台账": [
            FEE_HEADER,
            [term, "一年级", "一(1)班", "S001", "张三", "作业本费", 50, 0, 50, 0, "A0000001",
             D(2026, 11, 2), "陈会计", None],
            [term, "一年级", "一(1)班", "S002", "李四", "作业本费", 50, 0, 50, 0, "A0000002",
             D(2026, 11, 2), "陈会计", None],
            [term, "一年级", "一(1)班", "S003", "王五", "伙食费", 600, 100, 500, 0, "A0000003",
             D(2026, 11, 3), "陈会计", "特困生补助"],
            [term, "一年级", "一(1)班", "S004", "赵六", "伙食费", 600, 0, 0, 0, None, None, None, "欠费"],
            [term, "一年级", "一(1)班", "S005", "钱七", "伙食费", 600, 0, 600, 100, "A0000004",
             D(2026, 11, 3), "陈会计", "清退"],
        ],
        "收费标准": [
            STANDARD_HEADER,
            ["作业本费", "全部", 50],
            ["伙食费", "一年级", 600],
        ],
        "缴款登记": [
            DEPOSIT_HEADER,
            [D(2026, 11, 2), 100, "JK001"],
            [D(2026, 11, 3), 1000, "JK002"],
        ],
    }


def write_book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def row_of(sheets: dict[str, list[list[Any]]], sheet: str, first_cell: Any) -> int:
    """The Excel row (header on row 1) of the first row whose first cell is `first_cell`."""
    for index, row in enumerate(sheets[sheet]):
        if row and row[0] == first_cell:
            return index + 1
    raise KeyError(first_cell)


def check_sheets(tmp_path: Path, sheets: dict[str, list[list[Any]]], period: str = "2026-11",
                 config: Any = None) -> Any:
    """Write the sheets as one workbook, read it back and check it: the CheckResult."""
    from houqin_xl.check import check
    from houqin_xl.read import read_paths

    path = write_book(tmp_path / "台账.xlsx", sheets)
    return check(read_paths([path]), config, period).result


def of_kind(result: Any, kind: str) -> list[Any]:
    return [f for f in result.findings if f.kind == kind]
