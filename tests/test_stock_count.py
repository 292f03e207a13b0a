"""A school canteen's weekly 食材盘存表 (REAL-FORMATS §8): 账面栏 | 盘点栏, each 数量 | 金额, per
food item, one form after another down a sheet — a stores count: 账面 against 盘点 per item."""

from __future__ import annotations

import datetime as dt
from typing import Any

from builders import describe, errors, run, write_xlsx

FOODS = [("大米", "袋", 142.0, 20, 20), ("食用油", "桶", 98.0, 6, 6), ("鸡蛋", "斤", 5.2, 40, 40)]


def _form(top: int, day: str, foods: list[tuple] = FOODS, blanks: int = 2
          ) -> tuple[list[list[Any]], list[str]]:
    """One week's form starting at Excel row `top`: its rows and merges."""
    rows: list[list[Any]] = [
        ["阳光实验小学食堂食材盘存表", *([None] * 8)],
        ["单位名称：阳光实验小学", None, None, None, None, None, day, None, None],
        ["品名", "单位", "单价", "账面栏", None, "盘点栏", None, "差额", "原因"],
        [None, None, None, "数量", "金额", "数量", "金额", "数量", None],
    ]
    book = counted = 0.0
    for name, unit, price, on_book, found in foods:
        book += on_book * price
        counted += found * price
        rows.append([name, unit, price, on_book, round(on_book * price, 2), found,
                     round(found * price, 2), (found - on_book) or None, None])
    rows += [[None] * 9 for _ in range(blanks)]
    rows += [["合计", None, None, None, round(book, 2), None, round(counted, 2), None, None],
             ["注：每周盘存一次", *([None] * 8)],
             ["审核：", None, None, "保管员：吴强", None, None, "司磅：", None, None]]
    merges = [f"A{top}:I{top}", f"A{top + 2}:A{top + 3}", f"B{top + 2}:B{top + 3}",
              f"C{top + 2}:C{top + 3}", f"D{top + 2}:E{top + 2}", f"F{top + 2}:G{top + 2}",
              f"I{top + 2}:I{top + 3}"]
    return rows, merges


def _sheet(*forms: tuple[str, list[tuple]]) -> tuple[list[list[Any]], list[str]]:
    rows: list[list[Any]] = []
    merges: list[str] = []
    for day, foods in forms:
        form, form_merges = _form(len(rows) + 1, day, foods)
        rows += form + [[None] * 9]
        merges += form_merges
    return rows, merges


def _checked(tmp_path, rows, merges):
    path = write_xlsx(tmp_path / "食堂盘存.xlsx", {"盘存表": rows}, {"盘存表": merges})
    return run(path)


def test_weekly_forms_down_one_sheet_are_each_read_with_their_own_header(tmp_path):
    rows, merges = _sheet(("2026.11.15", FOODS), ("2026.11.22", FOODS))
    checked = _checked(tmp_path, rows, merges)
    assert errors(checked) == [], describe(errors(checked))
    forms = [t for t in checked.ledgers if t.name == "stock_count"]
    assert [f.ledger.header_rows for f in forms] == [[3, 4], [16, 17]]
    assert [f.frame["_row"].tolist() for f in forms] == [[5, 6, 7], [18, 19, 20]]
    assert [f.frame["count_date"].iloc[0].date() for f in forms] == [
        dt.date(2026, 11, 15), dt.date(2026, 11, 22)]
    assert forms[1].ledger.cell_of("count_date", 0) == (15, 7)  # the form's date cell
    assert [len(f.ledger.sums) for f in forms] == [2, 2]  # each 合计's 账面 and 盘点 金额


def test_an_item_counted_short_is_count_diff_on_its_盘点_cell(tmp_path):
    short = [("大米", "袋", 142.0, 20, 20), ("食用油", "桶", 98.0, 6, 5), ("鸡蛋", "斤", 5.2, 40, 40)]
    rows, merges = _sheet(("2026.11.15", FOODS), ("2026.11.22", short))
    checked = _checked(tmp_path, rows, merges)
    found = [(f.row, f.column, f.kind) for f in errors(checked)]
    assert found == [(19, "F", "count_diff")], describe(errors(checked))
    assert "账面数量 6" in errors(checked)[0].message


def test_a_盘点金额_not_quantity_times_price_and_a_wrong_合计_are_arithmetic(tmp_path):
    rows, merges = _sheet(("2026.11.22", FOODS))
    rows[5][6] = 600          # 食用油 盘点金额: 6 × 98 is 588
    rows[9][4] = 3700         # 合计 账面金额: 2840 + 588 + 208 is 3636
    checked = _checked(tmp_path, rows, merges)
    found = sorted((f.row, f.column, f.kind) for f in errors(checked))
    assert found == [(6, "G", "arithmetic"), (10, "E", "arithmetic")], describe(errors(checked))


def test_an_asset_count_with_账面_and_实盘_locations_is_not_a_stores_count(tmp_path):
    rows = [["资产清查盘点表"],
            ["资产编号", "资产名称", "账面", None, "实盘", None, "盘点结果"],
            [None, None, "数量", "存放地点", "数量", "存放地点", None],
            ["LX0001", "台式机", 1, "行政楼301", 1, "行政楼301", "相符"]]
    path = write_xlsx(tmp_path / "盘点表.xlsx", {"盘点表": rows}, {"盘点表": ["C2:D2", "E2:F2"]})
    checked = run(path)
    assert "stock_count" not in {t.name for t in checked.ledgers}
