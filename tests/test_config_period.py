"""A school's settings file and the period being closed."""

from __future__ import annotations

import datetime as dt
import json

from ledger_set import consistent_sheets, write_book

from houqin_xl.check import check, infer_period
from houqin_xl.cli import main
from houqin_xl.config import Config, load_config
from houqin_xl.period import Period
from houqin_xl.read import read_paths


def test_defaults_work_without_a_settings_file(tmp_path):
    config = load_config(None, beside=[tmp_path])
    assert config == Config()
    assert config.tolerance_fen == 1 and config.category_set == "auto"


def test_settings_file_beside_the_workbooks_is_used(tmp_path, capsys):
    sheets = consistent_sheets()
    sheets["收费台账"][5][10] = "A0000006"  # A0000004 and 5 missing
    write_book(tmp_path / "台账.xlsx", sheets)
    out = tmp_path / "r.json"
    assert main(["check", str(tmp_path), "--period", "2026-11", "--json", str(out)]) == 1
    gaps = [f for f in json.loads(out.read_text())["findings"] if f["kind"] == "receipt_gap"]
    assert len(gaps) == 2
    (tmp_path / "houqin.toml").write_text(
        'school = "阳光小学"\nvoided_receipts = ["A0000004", "A0000005"]\n', encoding="utf-8")
    assert main(["check", str(tmp_path), "--period", "2026-11", "--json", str(out)]) == 0


def test_bad_settings_file_is_exit_2_with_one_line(tmp_path, capsys):
    write_book(tmp_path / "台账.xlsx", consistent_sheets())
    bad = tmp_path / "bad.toml"
    bad.write_text("tolerance = [\n", encoding="utf-8")
    assert main(["check", str(tmp_path / "台账.xlsx"), "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "TOML" in err
    bad.write_text('colour = "red"\n', encoding="utf-8")
    assert main(["check", str(tmp_path / "台账.xlsx"), "--config", str(bad)]) == 2
    assert "colour" in capsys.readouterr().err


def test_gb2022_categories_are_selectable(tmp_path):
    sheets = consistent_sheets()
    renames = {"通用设备": "设备", "专用设备": "设备", "家具用具装具及动植物": "家具和用具",
               "图书档案": "图书和档案"}
    for sheet in ("固定资产台账", "总账"):
        for row in sheets[sheet][1:]:
            column = 2 if sheet == "固定资产台账" else 0
            row[column] = renames[row[column]]
    sheets["总账"][1:] = [["设备", 4, 39800], ["家具和用具", 40, 14000], ["图书和档案", 500, 15000]]
    path = write_book(tmp_path / "台账.xlsx", sheets)
    # 设备 is no class of the 2010 edition (it is 通用设备 or 专用设备 there): a run forced into
    # 2010 reports it; by default the edition is recognised from the data.
    old = check(read_paths([path]), Config(category_set="gb2010"), "2026-11").result
    assert any(f.kind == "bad_value" and f.field == "category" for f in old.findings)
    new = check(read_paths([path]), Config(category_set="gb2022"), "2026-11").result
    assert [f.message for f in new.findings] == []
    auto = check(read_paths([path]), Config(), "2026-11").result
    assert [f.message for f in auto.findings] == []


def test_legacy_threshold_for_special_equipment(tmp_path):
    sheets = consistent_sheets()
    sheets["固定资产台账"].append(["A008", "显微镜", "专用设备", 1, 1200, 1200, dt.date(2026, 9, 1),
                                  "科学组", "实验室", "在用"])
    sheets["总账"][2][1:] = [2, 19200]
    sheets["盘点表"].append(["A008", "显微镜", "实验室", 1, "王老师", dt.date(2026, 11, 28)])
    path = write_book(tmp_path / "台账.xlsx", sheets)
    assert check(read_paths([path]), Config(), "2026-11").result.findings == []
    legacy = check(read_paths([path]), Config(legacy_special_equipment=True), "2026-11").result
    assert [(f.kind, f.severity, f.row) for f in legacy.findings] == [("bad_value", "warning", 8)]


def test_period_defaults_to_the_latest_month_not_a_typo_in_the_future(tmp_path):
    sheets = consistent_sheets()
    sheets["固定资产台账"][6][6] = dt.date(2062, 10, 10)  # 2026 typed as 2062
    path = write_book(tmp_path / "台账.xlsx", sheets)
    checked = check(read_paths([path]))
    assert str(checked.period) == "2026-11"
    late = [f for f in checked.result.findings if f.field == "acquired_on"]
    assert len(late) == 1 and late[0].kind == "bad_value"


def test_infer_period_ignores_dates_after_today(tmp_path):
    path = write_book(tmp_path / "台账.xlsx", consistent_sheets())
    ledgers = check(read_paths([path]), period="2026-11").ledgers
    assert str(infer_period(ledgers, today=dt.date(2026, 11, 24))) == "2026-11"
    assert str(infer_period(ledgers, today=dt.date(2026, 10, 15))) == "2026-10"


def test_period_bounds():
    november = Period.parse("2026-11")
    assert (november.start, november.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert Period.parse("202602").end == dt.date(2026, 2, 28)


def test_bad_period_is_exit_2(tmp_path, capsys):
    path = write_book(tmp_path / "台账.xlsx", consistent_sheets())
    assert main(["check", str(path), "--period", "2026-13"]) == 2
    assert "月份应在1到12之间" in capsys.readouterr().err  # the month is what is wrong
    assert main(["check", str(path), "--period", "November"]) == 2
    assert "YYYY-MM" in capsys.readouterr().err


def test_terminal_summary_shows_the_reconciliation_table(tmp_path, capsys):
    sheets = consistent_sheets()
    sheets["总账"][1][2] = 20800
    path = write_book(tmp_path / "台账.xlsx", sheets)
    assert main(["check", str(path), "--period", "2026-11"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(x.startswith("对账：") and "不符 2 项" in x for x in out)
    at = next(i for i, x in enumerate(out) if "账账相符" in x and "资产分类：通用设备" in x)
    figures, reason = out[at + 1], out[at + 2]
    assert "21800.00" in figures and "20800.00" in figures and "1000.00" in figures
    assert reason.strip().startswith("原因：") and "不符" in reason
