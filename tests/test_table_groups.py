"""Headers merged over several columns are groups: a value is read from the right child of the
right parent (期末余额 · 贷方, 原值 · 年末), never from a parent's first column, never from the
first 金额 of the row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from builders import cells, describe, errors, ledger, run, write_xlsx

# A register the summaries below agree with: 通用设备 12,000 (2), 专用设备 0, 图书档案 3,000.
REGISTER_HEADER = ["资产编号", "资产名称", "资产分类", "数量", "单价", "原值", "使用部门", "存放地点",
                   "使用状况"]
REGISTER = [
    REGISTER_HEADER,
    ["A001", "台式电脑", "通用设备", 1, 5000, 5000, "教务处", "201", "在用"],
    ["A002", "复印机", "通用设备", 1, 7000, 7000, "教务处", "202", "在用"],
    ["A003", "图书", "图书档案", 100, 30, 3000, "图书室", "图书室", "在用"],
]


def _book(tmp_path: Path, summary: list[list[Any]], merges: list[str], name: str = "账.xlsx") -> Path:
    return write_xlsx(tmp_path / name, {"固定资产台账": REGISTER, "资产分类汇总": summary},
                      merges={"资产分类汇总": merges})


def test_期末余额_over_借方_贷方_is_read_from_both_columns(tmp_path: Path) -> None:
    # The credit balance and the zero balance printed blank are what the first column alone
    # got wrong: "必填项不能为空" on every credit or zero row.
    summary = [
        ["固定资产分类汇总表"],
        ["资产分类", "期初余额", None, "期末余额", None],
        [None, "借方", "贷方", "借方", "贷方"],
        ["通用设备", 11000, None, 12500, 500],   # 12,500 − 500
        ["专用设备", None, None, None, None],     # a zero balance, printed blank
        ["图书档案", 3000, None, 3000, None],
        ["合计", 14000, None, 15500, 500],
    ]
    checked = run(_book(tmp_path, summary, ["A1:E1", "A2:A3", "B2:C2", "D2:E2"]))
    assert errors(checked) == [], describe(checked.result.findings)
    gl = ledger(checked, "gl_balances")
    assert gl.ledger.header_rows == [2, 3]
    assert gl.ledger.rows == [4, 5, 6]
    assert list(gl.frame["balance"]) == [12000.0, 0.0, 3000.0]
    matched = {r.key["category"]: r.status for r in checked.result.reconciliations
               if r.rule == "assets_vs_gl"}
    assert matched == {"通用设备": "ok", "专用设备": "ok", "图书档案": "ok", "合计": "ok"}


def test_a_credit_balance_is_reported_at_the_贷方_cell(tmp_path: Path) -> None:
    summary = [
        ["资产分类", "期末余额", None],
        [None, "借方", "贷方"],
        ["通用设备", 12000, None],
        ["图书档案", None, "3,000.00"],  # on the wrong side: −3,000
    ]
    checked = run(_book(tmp_path, summary, ["A1:A2", "B1:C1"]))
    gl = ledger(checked, "gl_balances")
    assert gl.ledger.cell_of("balance", 1) == (4, 3)
    assert gl.ledger.header_of("balance", 1) == "期末余额贷方"
    mismatch = [r for r in checked.result.reconciliations
                if r.rule == "assets_vs_gl" and r.key == {"category": "图书档案"}][0]
    assert (mismatch.left, mismatch.right) == ("3000.00", "-3000.00")


def test_余额_over_方向_金额_takes_the_期末余额s_金额_signed_by_its_方向(tmp_path: Path) -> None:
    # Two 金额 children: the 期初余额's comes first in the row and must not win.
    summary = [
        ["资产分类", "期初余额", None, "本期借方", "本期贷方", "期末余额", None],
        [None, "方向", "金额", None, None, "方向", "金额"],
        ["通用设备", "借", 9000, 3000, None, "借", 12000],
        ["专用设备", "平", None, None, None, "平", None],
        ["图书档案", "借", 3000, None, None, "借", "3,000.00 "],
    ]
    merges = ["A1:A2", "B1:C1", "D1:D2", "E1:E2", "F1:G1"]
    checked = run(_book(tmp_path, summary, merges))
    assert errors(checked) == [], describe(checked.result.findings)
    gl = ledger(checked, "gl_balances")
    assert gl.ledger.columns["balance"] == 7
    assert list(gl.frame["balance"]) == [12000.0, 0.0, 3000.0]


def test_a_贷_balance_is_negative(tmp_path: Path) -> None:
    summary = [
        ["资产分类", "余额", None],
        [None, "方向", "金额"],
        ["通用设备", "借", 12000],
        ["图书档案", "贷", 3000],
    ]
    checked = run(_book(tmp_path, summary, ["A1:A2", "B1:C1"]))
    assert list(ledger(checked, "gl_balances").frame["balance"]) == [12000.0, -3000.0]


def test_quantity_and_amount_of_two_periods_come_from_the_期末_group(tmp_path: Path) -> None:
    summary = [
        ["资产分类", "期初", None, "期末余额", None],
        [None, "数量", "金额", "数量", "金额"],
        ["通用设备", 1, 5000, 2, 12000],
        ["图书档案", 100, 3000, 100, 3000],
    ]
    checked = run(_book(tmp_path, summary, ["A1:A2", "B1:C1", "D1:E1"]))
    assert errors(checked) == [], describe(checked.result.findings)
    gl = ledger(checked, "gl_balances")
    assert (gl.ledger.columns["quantity"], gl.ledger.columns["balance"]) == (4, 5)


def test_a_group_centred_across_without_a_merge_is_a_group_too(tmp_path: Path) -> None:
    # 期末余额 typed in D1 and centred across D:E, 借方 | 贷方 below: no merged range at all.
    summary = [
        ["资产分类", "期初余额", None, "期末余额", None],
        [None, "借方", "贷方", "借方", "贷方"],
        ["通用设备", 5000, None, 12000, None],
        ["图书档案", 3000, None, 3000, None],
    ]
    checked = run(_book(tmp_path, summary, []))
    assert errors(checked) == [], describe(checked.result.findings)
    assert ledger(checked, "gl_balances").ledger.columns["balance"] == 4


YEAR_END_HEADER = ["序号", "资产编号", "资产名称", "资产分类", "数量/面积", "原值", None, None, None,
                   "累计折旧", None, None, None, "净值", "使用部门", "存放地点", "使用状况"]
YEAR_END_SUB = [None, None, None, None, None, "年初", "本年增加", "本年减少", "年末",
                "年初", "本年增加", "本年减少", "年末", None, None, None, None]
YEAR_END_MERGES = ["A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:I2", "J2:M2", "N2:N3", "O2:O3",
                   "P2:P3", "Q2:Q3"]


def _year_end_rows() -> list[list[Any]]:
    return [
        [1, "440105200600000001", "教学楼", "土地房屋及构筑物", 3811.51, 7279984.1, 0, 0, 7279984.1,
         2887727.03, 133466.37, 0, 3021193.4, 4258790.7, "总务处", "教学楼", "在用"],
        # Bought this year: 年初 0.
        [2, "440105202600000002", "交互式一体机", "通用设备", 2, 0, 25600, 0, 25600,
         0, 355.56, 0, 355.56, 25244.44, "教务处", "301", "在用"],
        # Disposed in June: 年末 0.
        [3, "440105201500000003", "旧电脑", "通用设备", 1, 4800, 0, 4800, 0,
         4800, 0, 4800, 0, 0, "总务处", "仓库", "已报废"],
    ]


def test_原值_over_年初_to_年末_takes_年末(tmp_path: Path) -> None:
    rows = [["2026年度资产决算卡片数据"], YEAR_END_HEADER, YEAR_END_SUB, *_year_end_rows(),
            ["合计", None, None, None, 3814.51, 7284784.1, 25600, 4800, 7305584.1,
             2892527.03, 133821.93, 4800, 3021548.96, 4284035.14]]
    path = write_xlsx(tmp_path / "决算.xlsx", {"卡片数据": rows},
                      merges={"卡片数据": ["A1:Q1", *YEAR_END_MERGES, "A7:D7"]})
    checked = run(path)
    assert errors(checked) == [], describe(checked.result.findings)
    assets = ledger(checked, "fixed_assets")
    assert assets.ledger.columns["original_value"] == 9            # 年末, not 年初 (F)
    assert assets.ledger.columns["accumulated_depreciation"] == 13
    assert list(assets.frame["original_value"]) == [7279984.1, 25600.0, 0.0]
    assert assets.ledger.rows == [4, 5, 6]
    # The bottom 合计 is checked as the column sums, its 数量 adding an area and counts.
    assert [t.row for t in assets.ledger.totals] == [7]


def test_a_wrong_年末_sum_row_and_net_value_are_reported_at_their_cells(tmp_path: Path) -> None:
    data = _year_end_rows()
    data[1][13] = 25600  # 净值 written as if nothing were depreciated
    rows = [YEAR_END_HEADER, YEAR_END_SUB, *data,
            ["合计", None, None, None, 3814.51, 7284784.1, 25600, 4800, 7305584.1,
             2892527.03, 133821.93, 4800, 3021548.96, 4284035.14]]
    merges = [m.replace("2", "§").replace("3", "2").replace("§", "1") for m in YEAR_END_MERGES]
    checked = run(write_xlsx(tmp_path / "决算.xlsx", {"卡片数据": rows}, merges={"卡片数据": merges}))
    # 净值 ≠ 年末 − 年末 on its own row, and the 合计 of 净值 no longer adds up; nothing else
    # (read from 年初, every row's 净值 would be "wrong").
    assert cells(checked, ["arithmetic"]) == {("卡片数据", 4, "N", "arithmetic"),
                                              ("卡片数据", 6, "N", "arithmetic")}


def test_a_school_may_name_a_child_of_its_own_parent_as_an_alias(tmp_path: Path) -> None:
    (tmp_path / "houqin.toml").write_text('[aliases.fixed_assets]\noriginal_value = ["资产价值期末"]\n',
                                          encoding="utf-8")
    rows = [["资产编号", "资产名称", "资产分类", "数量", "资产价值", None, "使用部门", "存放地点"],
            [None, None, None, None, "期初", "期末", None, None],
            ["A001", "台式电脑", "通用设备", 1, 0, 5000, "教务处", "201"]]
    merges = ["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:F1", "G1:G2", "H1:H2"]
    checked = run(write_xlsx(tmp_path / "台账.xlsx", {"台账": rows}, merges={"台账": merges}))
    assert ledger(checked, "fixed_assets").ledger.columns["original_value"] == 6


def test_a_group_over_header_words_is_never_read_as_a_one_row_header(tmp_path: Path) -> None:
    # Read alone, the top row would give 期末余额 its first column and the 借方|贷方 row
    # would be data ("第3行 资产分类：必填项不能为空").
    summary = [["资产分类", "期末余额", None], [None, "借方", "贷方"], ["通用设备", 12000, None],
               ["图书档案", 3000, None]]
    checked = run(_book(tmp_path, summary, ["A1:A2", "B1:C1"]))
    assert errors(checked) == [], describe(checked.result.findings)
    assert ledger(checked, "gl_balances").ledger.rows == [3, 4]


def test_a_year_end_group_that_does_not_roll_forward_is_reported_on_its_年末_cell(tmp_path: Path) -> None:
    data = _year_end_rows()
    data[0][6] = 1000            # 教学楼: 本年增加 1,000 written, 年末 not moved
    data[1][10] = "355.56"       # a text amount that does add up: nothing to say
    data[1][9] = None            # 年初 blank for an asset bought this year: zero
    rows = [["2026年度资产决算卡片数据"], YEAR_END_HEADER, YEAR_END_SUB, *data]
    checked = run(write_xlsx(tmp_path / "决算.xlsx", {"卡片数据": rows},
                             merges={"卡片数据": ["A1:Q1", *YEAR_END_MERGES]}))
    found = [f for f in errors(checked) if f.kind == "arithmetic"]
    assert [(f.row, f.column, f.field) for f in found] == [(4, "I", "original_value")]
    assert "应为 7280984.10（年初+本年增加−本年减少）" in found[0].message
    assert "440105200600000001" in found[0].message
