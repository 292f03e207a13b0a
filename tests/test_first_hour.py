"""The bursar's first hour: settings as Windows writes them, a mistyped period or output, a
second run of the district check, and a page she can read."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from ledger_set import consistent_sheets, write_book

from houqin_xl.cli import main
from houqin_xl.config import load_config


def _ledger(tmp_path: Path) -> Path:
    return write_book(tmp_path / "台账.xlsx", consistent_sheets())


# ---- settings written on a Windows PC ---------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "utf-16"])
def test_settings_saved_by_notepad_load_whatever_the_encoding(tmp_path, encoding):
    (tmp_path / "houqin.toml").write_bytes('school = "阳光小学"\ntolerance = "0.05"\n'.encode(encoding))
    config = load_config(None, beside=[tmp_path])
    assert config.school == "阳光小学" and config.tolerance_fen == 5


@pytest.mark.parametrize(("line", "named"), [
    ('tolerance = "abc"', "tolerance"),
    ("tolerance = -1", "tolerance"),
    ("capitalization_threshold = -1000", "capitalization_threshold"),
    ("legacy_special_equipment = \"yes\"", "legacy_special_equipment"),
    ("[aliases.fixed_asset]\nasset_id = [\"财产编号\"]", "fixed_asset"),
])
def test_a_wrong_setting_is_exit_2_naming_it(tmp_path, capsys, line, named):
    path = _ledger(tmp_path)
    (tmp_path / "houqin.toml").write_text(line + "\n", encoding="utf-8")
    assert main(["check", str(path), "--period", "2026-11"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and named in err and "Traceback" not in err


def test_one_voided_receipt_written_as_a_text_is_a_list_of_one(tmp_path):
    (tmp_path / "houqin.toml").write_text('voided_receipts = "A0000123"\n', encoding="utf-8")
    assert load_config(None, beside=[tmp_path]).voided_receipts == ["A0000123"]


def test_the_school_named_in_the_settings_is_shown(tmp_path, capsys):
    path = _ledger(tmp_path)
    (tmp_path / "houqin.toml").write_text('school = "阳光实验小学"\n', encoding="utf-8")
    out = tmp_path / "r.json"
    assert main(["check", str(path), "--period", "2026-11", "--json", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["school"] == "阳光实验小学"
    capsys.readouterr()
    assert main(["check", str(path), "--period", "2026-11"]) == 0
    assert "阳光实验小学" in capsys.readouterr().out.splitlines()[0]


# ---- the period --------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["2026年11月", "2026.11", "2026/11", "２０２６－１１"])
def test_the_period_may_be_written_as_bursars_write_it(tmp_path, written):
    out = tmp_path / "r.json"
    assert main(["check", str(_ledger(tmp_path)), "--period", written, "--json", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["period"] == "2026-11"


def test_a_period_before_most_of_the_data_is_said_to_look_wrong(tmp_path, capsys):
    out = tmp_path / "r.json"
    main(["check", str(_ledger(tmp_path)), "--period", "2026-1", "--json", str(out)])
    notices = json.loads(out.read_text(encoding="utf-8"))["notices"]
    assert notices and "看起来不对" in notices[0]
    assert "看起来不对" in capsys.readouterr().err


# ---- no output may be an input ------------------------------------------------------------


def test_the_report_cannot_replace_the_ledger(tmp_path, capsys):
    path = _ledger(tmp_path)
    before = path.read_bytes()
    assert main(["check", str(path), "--report", str(path)]) == 2
    assert main(["check", str(tmp_path), "--json", str(path)]) == 2
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak*"))
    assert "不能是要核对的台账本身" in capsys.readouterr().err


def test_the_report_must_be_an_xlsx(tmp_path, capsys):
    assert main(["check", str(_ledger(tmp_path)), "--report", str(tmp_path / "out.csv")]) == 2
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("name", ["模板.xlsx", "模板.xls", "模板.et"])
def test_a_template_named_like_a_workbook_without_macros_is_refused_not_made_a_folder(
        tmp_path, capsys, name):
    assert main(["template", "--out", str(tmp_path / name)]) == 2
    assert not (tmp_path / name).exists()
    err = capsys.readouterr().err
    assert ".xlsm" in err and len(err.strip().splitlines()) == 1


def test_one_backup_is_kept_not_a_pile(tmp_path):
    path = _ledger(tmp_path)
    report = tmp_path / "out" / "报告.xlsx"
    for _ in range(3):
        main(["check", str(path), "--period", "2026-11", "--report", str(report), "--quiet"])
    assert sorted(p.name for p in report.parent.iterdir()) == ["报告.bak.xlsx", "报告.xlsx"]


# ---- the district ---------------------------------------------------------------------------


def _district(tmp_path: Path) -> Path:
    root = tmp_path / "县"
    for name in ("第一小学", "第二小学"):
        (root / name).mkdir(parents=True)
        write_book(root / name / "台账.xlsx", consistent_sheets())
    return root


def test_check_many_twice_does_not_check_its_own_results_as_a_school(tmp_path):
    root = _district(tmp_path)
    assert main(["check-many", str(root), "--period", "2026-11", "--quiet", "--jobs", "1"]) == 0
    assert main(["check-many", str(root), "--period", "2026-11", "--quiet", "--jobs", "1"]) == 0
    rollup = json.loads((root / "核对结果" / "区县汇总.json").read_text(encoding="utf-8"))
    assert [s["school"] for s in rollup["schools"]] == ["第一小学", "第二小学"]


def test_check_many_with_a_bad_period_stops_before_writing_anything(tmp_path, capsys):
    root = _district(tmp_path)
    assert main(["check-many", str(root), "--period", "2026-13"]) == 2
    assert not (root / "核对结果").exists()
    assert capsys.readouterr().err.count("\n") == 1


def test_files_beside_the_school_folders_are_named_in_the_rollup(tmp_path, capsys):
    root = _district(tmp_path)
    shutil.copy(root / "第一小学" / "台账.xlsx", root / "散落的台账.xlsx")
    assert main(["check-many", str(root), "--period", "2026-11", "--jobs", "1"]) == 0
    assert "散落的台账.xlsx" in capsys.readouterr().out
    rollup = json.loads((root / "核对结果" / "区县汇总.json").read_text(encoding="utf-8"))
    assert rollup["stray_files"] == ["散落的台账.xlsx"]


# ---- what she reads --------------------------------------------------------------------------


def _display_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def test_the_page_is_chinese_fits_100_columns_and_says_what_was_cut(tmp_path, capsys):
    sheets = consistent_sheets()
    template = sheets["固定资产台账"][1]
    for n in range(30):  # thirty more assets, each 原值 ≠ 数量 × 单价: more than the page shows
        sheets["固定资产台账"].append([f"B{n:03d}", *template[1:5], 1, *template[6:]])
    path = write_book(tmp_path / "台账.xlsx", sheets)
    assert main(["check", str(path), "--period", "2026-11"]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(_display_width(line) for line in lines) <= 100
    for english in ("fixed_assets", "count_extra", "assets_vs_gl", "mismatch", "[error"):
        assert english not in out
    assert any(line.strip().startswith("还有") and "--report" in line for line in lines)
    # mismatches first, each with its reason; matches only counted
    assert "不符的项目：" in out and "原因：" in out


def test_a_closed_pipe_is_not_a_crash(tmp_path):
    path = _ledger(tmp_path)
    proc = subprocess.run(
        f'"{sys.executable}" -m houqin_xl.cli check "{path}" --period 2026-11 | head -n 1',
        shell=True, capture_output=True, text=True, timeout=300, check=False)
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr
    assert proc.stdout.startswith("houqin-xl")


def test_usage_errors_are_one_chinese_and_english_line(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["chek"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "无效的选项" in err


# ---- 按章收费: nothing charged goes uncompared ------------------------------------------------


def _fee_sheets(rows: list[list]) -> dict:
    sheets = consistent_sheets()
    header = sheets["收费台账"][0]
    sheets["收费台账"] = [header, *rows]
    sheets["收费标准"] = [sheets["收费标准"][0], ["作业本费", "全部", 50], ["伙食费", "三年级", 600]]
    del sheets["缴款登记"]
    return sheets


def _fee_row(grade, klass, item, due, receipt):
    import datetime as dt

    return ["2026秋", grade, klass, "S9", "张三", item, due, 0, due, 0, receipt,
            dt.date(2026, 11, 2), "陈会计", None]


def test_an_item_without_an_approved_standard_is_a_finding_not_a_silence(tmp_path):
    from ledger_set import check_sheets

    result = check_sheets(tmp_path, _fee_sheets([_fee_row("三年级", "三(2)班", "资料费", 260, "A1")]))
    found = [f for f in result.findings if f.kind == "bad_value"]
    assert len(found) == 1 and found[0].field == "item" and "资料费" in found[0].message
    assert "没有经批准的收费标准" in found[0].message
    lines = [r for r in result.reconciliations if r.rule == "fee_standards"]
    assert lines and lines[0].key["item"] == "资料费" and lines[0].status == "mismatch"


@pytest.mark.parametrize(("grade", "klass"), [("3年级", "三(2)班"), ("三 年级", None), (None, "三(2)班")])
def test_grades_are_compared_as_grades(tmp_path, grade, klass):
    from ledger_set import check_sheets

    right = check_sheets(tmp_path, _fee_sheets([_fee_row(grade, klass, "伙食费", 600, "A1")]))
    assert [f for f in right.findings if f.kind == "bad_value"] == []
    assert [r.status for r in right.reconciliations if r.rule == "fee_standards"] == ["ok"]
    wrong = check_sheets(tmp_path, _fee_sheets([_fee_row(grade, klass, "伙食费", 650, "A1")]))
    assert [f.field for f in wrong.findings if f.kind == "bad_value"] == ["due"]


def test_a_grade_the_standards_do_not_list_is_a_finding(tmp_path):
    from ledger_set import check_sheets

    result = check_sheets(tmp_path, _fee_sheets([_fee_row("四年级", "四(1)班", "伙食费", 600, "A1")]))
    found = [f for f in result.findings if f.kind == "bad_value"]
    assert len(found) == 1 and found[0].field == "due" and "四年级没有“伙食费”的收费标准" in found[0].message


def test_the_readme_links_the_contract_inside_the_repository():
    """Issue 14: the JSON contract was linked outside the repository; a clone must carry it."""
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "docs/CONTRACT.md" in readme and "../shared/CONTRACT.md" not in readme
    assert (root / "docs" / "CONTRACT.md").is_file()


def test_every_library_a_command_imports_is_a_declared_dependency():
    """Issue 14: after a plain `pip install .`, `houqin-xl demo` ended in exit 3 (No module
    named 'xlwt'). Every third-party module the package imports, at the top or inside a
    function, must be installed with it."""
    import ast
    import tomllib

    root = Path(__file__).resolve().parent.parent
    declared = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    names = {d.split(";")[0].split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower()
             for d in declared}
    distribution = {"yaml": "pyyaml", "python_calamine": "python-calamine"}
    imported: set[str] = set()
    for path in (root / "houqin_xl").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m != "houqin_xl"}
    # Only where a command may run them: the bench and fuzz tools live outside the package.
    missing = sorted(m for m in third_party if distribution.get(m, m).lower() not in names)
    assert missing == [], f"imported but not declared in pyproject.toml: {missing}"
