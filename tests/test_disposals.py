"""资产处置 (报废审批): disposal by approval, small items in school, large ones up to the education
and finance bureaus — and the books that must follow a disposal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from builders import describe, ledger, run, write_xlsx
from depreciation_books import write_gl
from formats import write_csv, write_html_xls

from houqin_xl.cli import main

D = dt.date
HEADER = ["处置单号", "资产编号", "资产名称", "规格型号", "数量", "原值", "累计折旧", "净值", "处置方式", "处置日期",
          "审批级别", "批准文号", "审批日期", "备注"]
APPROVAL, NUMBER, DATE = "K", "L", "J"
REGISTER_HEADER = ["资产编号", "资产名称", "资产分类", "数量", "原值", "取得日期", "使用部门", "存放地点", "使用状况"]


def disposal(number: str, asset_id: str, name: str, value: float, method: str, on: dt.date,
             level: str | None, approval_no: str | None, approved: dt.date | None) -> list[Any]:
    return [number, asset_id, name, None, 1, value, value, 0, method, on, level, approval_no, approved,
            None]


def disposals() -> list[list[Any]]:
    """Three disposals of 2026, each approved at the tier its 原值 requires (the illustrative
    defaults: the school below 100,000 yuan, the education bureau from it, finance from 500,000)."""
    return [
        disposal("CZ2026-01", "A101", "跳高架", 1260, "报废", D(2026, 9, 20), "学校", "校务会〔2026〕5号",
                 D(2026, 9, 15)),
        # One disposal of 30 computers: 119,400 together, though each is 3,980.
        *[disposal("CZ2026-02", f"A2{k:02d}", "台式电脑", 3980, "报废", D(2026, 11, 10), "教育局",
                   "阳教装〔2026〕17号", D(2026, 11, 2)) for k in range(30)],
        disposal("CZ2026-03", "A301", "校车", 520000, "出售", D(2026, 11, 20), "县财政局", "阳财资〔2026〕8号",
                 D(2026, 11, 18)),
    ]


def register(rows_disposed: list[list[Any]], status: str = "已报废") -> list[list[Any]]:
    """The register: two assets in use, and every disposed one still listed as `status`."""
    out = [REGISTER_HEADER,
           ["A001", "钢琴", "专用设备", 1, 18000, D(2018, 9, 5), "音乐组", "音乐室", "在用"],
           ["A002", "课桌椅", "家具用具装具及动植物", 40, 14000, D(2024, 8, 20), "五年级组", "301", "在用"]]
    for row in rows_disposed:
        out.append([row[1], row[2], "通用设备", 1, row[5], D(2015, 9, 1), "总务处", "仓库", status])
    return out


def write_set(tmp_path: Path, listed: list[list[Any]], register_rows: list[list[Any]] | None = None,
              **kwargs: Any) -> Path:
    sheets = {"资产处置登记": [["2026年资产处置登记"], HEADER, *listed]}
    if register_rows is not None:
        sheets["固定资产台账"] = register_rows
    return write_xlsx(tmp_path / "台账.xlsx", sheets, **kwargs)


def _rules(checked, *names: str) -> list:
    return [f for f in checked.result.findings if f.kind != "depreciation"
            and (not names or any(n in f.message for n in names))]


def test_a_disposal_list_is_read_as_its_own_ledger_beside_the_register(tmp_path: Path) -> None:
    listed = disposals()
    checked = run(write_set(tmp_path, listed, register(listed)))
    assert {(t.name, t.ledger.sheet) for t in checked.ledgers} == {
        ("disposals", "资产处置登记"), ("fixed_assets", "固定资产台账")}
    assert checked.result.findings == [], describe(checked.result.findings)
    assert len(ledger(checked, "disposals").frame) == 32


@pytest.mark.parametrize("kind", ["html", "csv", "two-level"])
def test_the_disposal_list_is_read_in_every_shape_the_readers_know(tmp_path: Path, kind: str) -> None:
    listed = [disposal("CZ1", "A101", "跳高架", 1260, "报废", D(2026, 9, 20), None, None, None)]
    if kind == "two-level":
        # 审批 merged over 级别 | 文号 | 日期, as hand-made 报废审批表 have it.
        top = [*HEADER[:10], "审批", None, None, "备注"]
        sub = [None] * 10 + ["级别", "文号", "日期", None]
        merges = ["A1:N1", *[f"{c}2:{c}3" for c in "ABCDEFGHIJN"], "K2:M2"]
        path = write_xlsx(tmp_path / "处置.xlsx", {"处置": [["资产处置登记"], top, sub, *listed]},
                          merges={"处置": merges})
        first = 4
    else:
        rows = [["资产处置登记"], HEADER, *[[v.isoformat() if isinstance(v, dt.date) else v for v in r]
                                          for r in listed]]
        path = (write_html_xls(tmp_path / "处置.xls", rows, merges=["A1:N1"]) if kind == "html"
                else write_csv(tmp_path / "处置.csv", rows, encoding="gbk"))
        first = 3
    checked = run(path)
    [found] = [f for f in checked.result.findings if f.ledger == "disposals"]
    # No approval at all: `missing` on the approval cell, wherever the header put it.
    assert (found.kind, found.row, found.column) == ("missing", first, APPROVAL)
    assert "处置未见审批" in found.message


def test_a_batch_above_the_school_limit_approved_by_the_school_is_reported(tmp_path: Path) -> None:
    listed = disposals()
    for row in listed[1:31]:
        row[10], row[11] = "校长办公会", "校办〔2026〕9号"  # 119,400 together: the bureau's
    checked = run(write_set(tmp_path, listed, register(listed)))
    found = _rules(checked)
    assert {(f.kind, f.row, f.column) for f in found} == {("bad_value", r, APPROVAL)
                                                         for r in range(4, 34)}
    message = found[0].message
    assert "原值 119400.00 元（处置单 CZ2026-02 合计）" in message
    assert "应由主管部门（教育局）审批" in message and "学校（单位自行审批）" in message
    assert "仅为示例" in message


def test_the_tier_is_read_from_the_approval_number_when_no_body_is_written(tmp_path: Path) -> None:
    listed = disposals()
    for row in listed:
        row[10] = None  # 阳教装 → the education bureau; 阳财资 → finance; 校务会 → the school
    checked = run(write_set(tmp_path, listed, register(listed)))
    assert checked.result.findings == [], describe(checked.result.findings)
    listed[-1][11] = "阳教装〔2026〕21号"  # the school bus (520,000) approved by the bureau only
    checked = run(write_set(tmp_path, listed, register(listed)))
    [found] = _rules(checked)
    assert (found.row, found.column) == (34, NUMBER)
    assert "应由财政部门审批" in found.message and "批准文号“阳教装〔2026〕21号”的发文单位" in found.message


def test_judged_per_item_each_asset_needs_only_its_own_tier(tmp_path: Path) -> None:
    listed = disposals()
    for row in listed[1:31]:
        row[10], row[11] = "学校", None
    path = write_set(tmp_path, listed, register(listed))
    assert len(_rules(run(path))) == 30
    (tmp_path / "houqin.toml").write_text('[disposal_tiers]\nbasis = "item"\n', encoding="utf-8")
    assert _rules(run(path)) == []
    # The limits are the school's (its province's) too.
    (tmp_path / "houqin.toml").write_text('[disposal_tiers]\n"主管部门" = 1000\n', encoding="utf-8")
    found = _rules(run(path))
    assert {f.row for f in found} == set(range(3, 34))  # the 跳高架 (1,260) too now


def test_an_unreadable_approval_is_a_warning_naming_what_is_written(tmp_path: Path) -> None:
    listed = disposals()
    listed[0][10], listed[0][11] = "已批", None
    checked = run(write_set(tmp_path, listed, register(listed)))
    [found] = checked.result.findings
    assert (found.kind, found.severity, found.row, found.column) == ("bad_value", "warning", 3, APPROVAL)
    assert "“已批”" in found.message


def test_a_disposal_before_its_approval_is_reported_on_its_date(tmp_path: Path) -> None:
    listed = disposals()
    listed[0][9] = D(2026, 9, 10)  # approved on the 15th
    checked = run(write_set(tmp_path, listed, register(listed)))
    [found] = checked.result.findings
    assert (found.kind, found.row, found.column) == ("bad_value", 3, DATE)
    assert "处置早于审批（审批日期 2026-09-15）" in found.message


def test_an_asset_disposed_but_still_in_use_on_the_register_is_reported_on_its_status(
        tmp_path: Path) -> None:
    listed = disposals()
    rows = register(listed)
    rows[-1][-1] = "在用"  # the school bus, sold on 2026-11-20, still counted in use
    checked = run(write_set(tmp_path, listed, rows))
    [found] = checked.result.findings
    assert (found.kind, found.sheet, found.row, found.column) == (
        "ledger_mismatch", "固定资产台账", len(rows), "I")
    assert found.key == {"asset_id": "A301"}
    assert "已于 2026-11-20 出售" in found.message and "处置单 CZ2026-03" in found.message
    assert "仍计入在用资产合计" in found.message
    compared = next(r for r in checked.result.reconciliations if r.rule == "disposals_vs_register")
    assert (compared.left, compared.right, compared.status) == ("32", "31", "mismatch")


def test_a_disposed_asset_taken_off_the_register_is_fine(tmp_path: Path) -> None:
    listed = disposals()
    checked = run(write_set(tmp_path, listed, register(listed[:1])))  # the rest removed
    assert checked.result.findings == [], describe(checked.result.findings)


def test_a_disposal_after_the_period_is_not_expected_on_the_register_yet(tmp_path: Path) -> None:
    listed = disposals()
    rows = register(listed)
    listed[-1][9], listed[-1][12] = D(2026, 12, 3), D(2026, 12, 1)
    rows[-1][-1] = "在用"
    checked = run(write_set(tmp_path, listed, rows))
    assert [(f.kind, f.row, f.column) for f in checked.result.findings] == [("bad_value", 34, DATE)]


def test_a_register_row_marked_已报废_without_a_disposal_record_is_reported(tmp_path: Path) -> None:
    listed = disposals()
    rows = register(listed)
    rows.append(["A999", "旧投影仪", "通用设备", 1, 3000, D(2015, 5, 1), "总务处", "仓库", "报废"])
    checked = run(write_set(tmp_path, listed, rows))
    [found] = checked.result.findings
    assert (found.kind, found.row, found.column, found.key) == (
        "ledger_mismatch", len(rows), "I", {"asset_id": "A999"})
    assert "资产处置登记中没有它的处置记录" in found.message


def test_without_a_disposal_list_the_disposal_rules_are_listed_as_skipped(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "台账.xlsx", {"台账": register([])})
    skipped = {s["rule"] for s in run(path).result.skipped_rules}
    assert {"disposal_approval", "disposals_vs_register", "disposals_vs_gl"} <= skipped


def _gl(credit: float) -> list[tuple]:
    """The 余额表 of the register's assets on the books (钢琴 18,000, 课桌椅 14,000), the month's
    disposals taken out of 通用设备 by `credit`."""
    return [("1001", "库存现金", 5000, 0, 0), ("1601", "固定资产", 32_000 + credit, 0, credit),
            ("160102", "通用设备", credit, 0, credit), ("160103", "专用设备", 18_000, 0, 0),
            ("160106", "家具用具装具及动植物", 14_000, 0, 0), ("3001", "累计盈余", -37_000, 0, 0)]


def test_the_periods_disposed_原值_is_1601s_credit_for_the_period(tmp_path: Path) -> None:
    listed = disposals()
    # November: 30 computers (119,400) and the school bus (520,000); September's not this period.
    books = [write_set(tmp_path, listed, register(listed)),
             write_gl(tmp_path / "科目余额表.xlsx", _gl(639_400))]
    checked = run(*books)
    compared = next(r for r in checked.result.reconciliations if r.rule == "disposals_vs_gl")
    assert (compared.key, compared.left, compared.right, compared.status) == (
        {"period": "2026-11"}, "639400.00", "639400.00", "ok")
    assert checked.result.findings == [], describe(checked.result.findings)
    books[1] = write_gl(tmp_path / "科目余额表.xlsx", _gl(520_000))
    checked = run(*books)
    [found] = [f for f in checked.result.findings if f.kind == "ledger_mismatch"]
    assert found.key == {"period": "2026-11"} and found.ledger == "disposals"
    assert "本期处置资产原值 639400.00" in found.message and "1601" in found.message
    assert "差额 119400.00" in found.message


def test_a_general_ledger_without_the_periods_credits_says_so(tmp_path: Path) -> None:
    listed = disposals()
    summary = [["资产分类", "数量", "期末余额"], ["专用设备", 1, 18000], ["家具用具装具及动植物", 40, 14000]]
    checked = run(write_set(tmp_path, listed, register(listed)),
                  write_xlsx(tmp_path / "总账.xlsx", {"总账": summary}))
    reason = {s["rule"]: s["reason"] for s in checked.result.skipped_rules}["disposals_vs_gl"]
    assert "1601" in reason and "贷方" in reason


@pytest.mark.parametrize("setting", ['basis = "每批"', '"主管部门" = -1', '"省财政" = 100',
                                     '"主管部门" = 600000\n"财政部门" = 500000'])
def test_a_wrong_tier_setting_is_one_clear_line(tmp_path: Path, capsys, setting: str) -> None:
    path = write_set(tmp_path, disposals())
    (tmp_path / "houqin.toml").write_text(f"[disposal_tiers]\n{setting}\n", encoding="utf-8")
    assert main(["check", str(path), "--period", "2026-11", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "disposal_tiers" in err and "Traceback" not in err


def test_a_method_outside_the_list_is_bad_value(tmp_path: Path) -> None:
    listed = disposals()
    listed[0][8] = "扔了"
    checked = run(write_set(tmp_path, listed, register(listed)))
    [found] = checked.result.findings
    assert (found.kind, found.row, found.column) == ("bad_value", 3, "I")
