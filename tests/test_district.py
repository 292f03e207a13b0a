"""check-many: a county's schools at month end, one broken workbook among them."""

from __future__ import annotations

import json

import openpyxl
from ledger_set import consistent_sheets, write_book

from houqin_xl.cli import main
from houqin_xl.district import check_many


def make_district(root, schools=4, broken="第三小学", with_error="第二小学"):
    names = ["第一小学", "第二小学", "第三小学", "第四小学", "第五小学"][:schools]
    for name in names:
        folder = root / name
        folder.mkdir(parents=True)
        if name == broken:
            (folder / "台账.xlsx").write_bytes(b"PK\x03\x04 truncated in the post")
            continue
        sheets = consistent_sheets()
        if name == with_error:
            sheets["总账"][1][2] = 20800
        write_book(folder / "台账.xlsx", sheets)
    return names


def test_check_many_reports_each_school_and_survives_a_broken_one(tmp_path):
    names = make_district(tmp_path / "县")
    results = check_many(tmp_path / "县", tmp_path / "out", "2026-11", jobs=2)
    assert [r.school for r in results] == sorted(names)  # folder order
    broken = next(r for r in results if r.school == "第三小学")
    assert not broken.ok and "损坏" in broken.error
    good = [r for r in results if r.ok]
    assert len(good) == 3
    for res in good:
        report = json.loads((tmp_path / "out" / res.school / "核对结果.json").read_text())
        assert report["period"] == "2026-11"
        assert (tmp_path / "out" / res.school / "核对报告.xlsx").exists()
    second = next(r for r in results if r.school == "第二小学")
    assert second.kinds == {"ledger_mismatch": 2}
    assert second.assets["通用设备"] == 21800.0
    assert second.fees["实收"] == 1200.0


def test_check_many_command_writes_a_rollup_workbook(tmp_path, capsys):
    make_district(tmp_path / "县")
    out = tmp_path / "out"
    assert main(["check-many", str(tmp_path / "县"), "--out", str(out), "--period", "2026-11",
                 "--jobs", "2", "--quiet"]) == 1
    text = capsys.readouterr().out
    assert "无法核对 1" in text and "有错误 1" in text
    book = openpyxl.load_workbook(out / "区县汇总.xlsx")
    assert book.sheetnames == ["学校×发现", "资产分类", "收费收缴率", "无法核对的学校"]
    grid = book["学校×发现"]
    rows = {grid.cell(r, 1).value: [grid.cell(r, c).value for c in range(2, 5)]
            for r in range(4, 8)}
    assert rows["第一小学"] == ["通过", 0, 0]
    assert rows["第二小学"] == ["有错误", 2, 0]
    assert rows["第三小学"][0] == "无法核对"
    rates = book["收费收缴率"]
    first = [rates.cell(2, c).value for c in range(1, 8)]
    # 1800 + 100 due, 100 waived, 1200 paid: 1200 / 1800 collected.
    assert first[0] == "第一小学" and first[1:4] == [1900, 100, 1200]
    assert abs(first[6] - 1200 / 1800) < 1e-9
    assert book["无法核对的学校"].cell(2, 1).value == "第三小学"


def test_parallel_and_serial_runs_agree(tmp_path):
    make_district(tmp_path / "县", schools=3)
    serial = check_many(tmp_path / "县", tmp_path / "a", "2026-11", jobs=1, write_report=False)
    parallel = check_many(tmp_path / "县", tmp_path / "b", "2026-11", jobs=2, write_report=False)
    strip = [(r.school, r.ok, r.errors, r.kinds, r.assets, r.fees) for r in serial]
    assert strip == [(r.school, r.ok, r.errors, r.kinds, r.assets, r.fees) for r in parallel]


def test_a_folder_without_schools_is_exit_2(tmp_path, capsys):
    (tmp_path / "空").mkdir()
    assert main(["check-many", str(tmp_path / "空")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
