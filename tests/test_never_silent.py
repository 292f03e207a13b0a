"""Never silent: every file of a folder and every sheet not read as a ledger is named with its
reason — in the JSON, the terminal and the report — and one bad file never stops the others."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from ledger_set import consistent_sheets, write_book

from houqin_xl.check import check
from houqin_xl.cli import main
from houqin_xl.read import iter_grids


def _outcomes(payload: dict) -> dict[str, str]:
    return {Path(f["path"]).name: f["outcome"] for f in payload["files"]}


def _run_json(tmp_path: Path, *paths: Path | str) -> tuple[int, dict]:
    out = tmp_path / "out.json"
    status = main(["check", *map(str, paths), "--period", "2026-11", "--json", str(out), "--quiet"])
    return status, json.loads(out.read_text(encoding="utf-8"))


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "台账"
    folder.mkdir()
    write_book(folder / "台账.xlsx", consistent_sheets())
    return folder


def test_a_broken_file_and_a_word_document_in_the_folder_are_named_and_the_rest_is_checked(
        tmp_path, capsys):
    folder = _folder(tmp_path)
    (folder / "坏.xlsx").write_bytes((folder / "台账.xlsx").read_bytes()[:3000])
    (folder / "说明.docx").write_bytes(b"PK\x03\x04 not really a document")
    (folder / "备忘.txt").write_text("下周盘点", encoding="utf-8")
    status, payload = _run_json(tmp_path, folder)
    assert status == 0
    # The --quiet line says the files not read: "0 条发现" never stands alone beside them.
    assert "0 条发现（错误 0，警告 0），3 个文件未读" in capsys.readouterr().out
    outcomes = _outcomes(payload)
    assert outcomes == {"台账.xlsx": "read", "坏.xlsx": "unreadable", "说明.docx": "unreadable",
                        "备忘.txt": "unreadable"}
    reasons = {Path(f["path"]).name: f.get("reason", "") for f in payload["files"]}
    assert "损坏" in reasons["坏.xlsx"]
    assert reasons["备忘.txt"].startswith("不是表格文件")
    assert {info["sheet"] for info in payload["ledgers"]} >= {"固定资产台账", "收费台账"}


def test_a_folder_where_nothing_can_be_read_exits_2_naming_every_file(tmp_path, capsys):
    folder = tmp_path / "空"
    folder.mkdir()
    (folder / "坏.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (folder / "说明.txt").write_text("说明", encoding="utf-8")
    assert main(["check", str(folder), "--period", "2026-11"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "坏.xlsx" in err and "说明.txt" in err


def test_a_copy_made_by_windows_is_read_once_and_named_as_a_duplicate(tmp_path):
    folder = _folder(tmp_path)
    shutil.copy(folder / "台账.xlsx", folder / "台账 - 副本.xlsx")
    status, payload = _run_json(tmp_path, folder)
    assert _outcomes(payload)["台账 - 副本.xlsx"] == "duplicate"
    assert sum(1 for info in payload["ledgers"] if info["ledger"] == "fixed_assets") == 1
    totals = [r for r in payload["reconciliations"]
              if r["rule"] == "assets_vs_gl" and r["key"]["category"] == "合计"]
    assert totals[0]["status"] == "ok"


def test_a_folder_and_a_file_inside_it_are_one_file(tmp_path):
    folder = _folder(tmp_path)
    status, payload = _run_json(tmp_path, folder, folder / "台账.xlsx")
    assert [f["path"] for f in payload["files"]] == [str(folder / "台账.xlsx")]
    assert sum(1 for info in payload["ledgers"] if info["ledger"] == "fixed_assets") == 1


def test_sheets_that_hold_no_ledger_are_listed_with_their_reason(tmp_path):
    sheets = consistent_sheets()
    sheets["目录"] = [["台账目录"], ["固定资产台账"], ["收费台账"]]
    sheets["空白"] = []
    sheets["笔记"] = [["姓名", "电话"], ["王老师", "123"]]
    sheets["收费"] = [["学号", "姓名", "金额"], ["S1", "张三", 50]]
    path = write_book(tmp_path / "台账.xlsx", sheets)
    result = check(iter_grids([path]), period="2026-11").result
    reasons = {u.sheet: u.reason for u in result.unread_sheets}
    assert reasons["目录"].startswith("不是台账")
    assert reasons["笔记"].startswith("未识别")
    assert "收费台账" in reasons["收费"] and "收费项目" in reasons["收费"]
    assert "空白" not in {info.sheet for info in result.ledgers}


def test_a_date_and_an_amount_alone_are_not_a_list_of_bank_deposits(tmp_path):
    sheets = consistent_sheets()
    del sheets["缴款登记"]
    sheets["食堂流水"] = [["日期", "金额"], ["2026-11-02", 35.5], ["2026-11-03", 12]]
    path = write_book(tmp_path / "台账.xlsx", sheets)
    result = check(iter_grids([path]), period="2026-11").result
    assert "deposits" not in {info.ledger for info in result.ledgers}
    reason = {u.sheet: u.reason for u in result.unread_sheets}["食堂流水"]
    assert "证据不足" in reason
    assert any(s["rule"] == "deposits" for s in result.skipped_rules)


def test_an_empty_form_beside_the_ledger_is_named_not_checked_instead_of_it(tmp_path):
    sheets = consistent_sheets()
    sheets["入库单"] = [sheets["物资出入库"][0]]  # the header of the stock ledger, no rows
    path = write_book(tmp_path / "台账.xlsx", sheets)
    result = check(iter_grids([path]), period="2026-11").result
    assert [info.sheet for info in result.ledgers if info.ledger == "stock_moves"] == ["物资出入库"]
    assert "空表单" in {u.sheet: u.reason for u in result.unread_sheets}["入库单"]


def test_the_tools_own_outputs_and_backups_in_the_folder_are_never_ledgers(tmp_path):
    folder = _folder(tmp_path)
    report = folder / "核对报告.xlsx"
    assert main(["check", str(folder), "--period", "2026-11", "--report", str(report), "--quiet"]) == 0
    assert main(["check", str(folder), "--period", "2026-11", "--report", str(report), "--quiet"]) == 0
    assert (folder / "核对报告.bak.xlsx").exists()
    shutil.copy(folder / "台账.xlsx", folder / "旧台账.bak.xlsx")
    status, payload = _run_json(tmp_path, folder)
    outcomes = _outcomes(payload)
    assert outcomes["核对报告.xlsx"] == "not_a_ledger"
    assert outcomes["核对报告.bak.xlsx"] == "not_a_ledger"
    assert outcomes["旧台账.bak.xlsx"] == "not_a_ledger"
    assert sum(1 for info in payload["ledgers"] if info["ledger"] == "fixed_assets") == 1


def _damage_a_checksum(path: Path) -> None:
    """The same workbook stored uncompressed with one byte of docProps changed: only the
    checksum, checked after the sheets were read, can tell."""
    stored = path.with_suffix(".stored")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
    data = bytearray(stored.read_bytes())
    at = data.index(b"creator")
    data[at:at + 7] = b"CREATOR"
    path.write_bytes(bytes(data))
    stored.unlink()


def test_a_file_found_damaged_after_its_sheets_were_read_counts_for_nothing(tmp_path):
    folder = _folder(tmp_path)
    other = write_book(folder / "另一份.xlsx", {"固定资产台账": consistent_sheets()["固定资产台账"]})
    _damage_a_checksum(other)
    status, payload = _run_json(tmp_path, folder)
    assert _outcomes(payload)["另一份.xlsx"] == "unreadable"
    assert all(Path(info["path"]).name == "台账.xlsx" for info in payload["ledgers"])
    assert all(Path(f["path"]).name == "台账.xlsx" for f in payload["findings"] if f["path"])


def test_the_terminal_summary_names_what_was_not_read(tmp_path, capsys):
    folder = _folder(tmp_path)
    (folder / "说明.txt").write_text("说明", encoding="utf-8")
    assert main(["check", str(folder), "--period", "2026-11"]) == 0
    out = capsys.readouterr().out
    assert "说明.txt" in out and "不是表格文件" in out


@pytest.mark.parametrize("name", ["说明.txt"])
def test_the_report_lists_files_and_sheets_not_read(tmp_path, name):
    from openpyxl import load_workbook

    folder = _folder(tmp_path)
    (folder / name).write_text("说明", encoding="utf-8")
    report = tmp_path / "报告.xlsx"
    assert main(["check", str(folder), "--period", "2026-11", "--report", str(report), "--quiet"]) == 0
    values = [c for row in load_workbook(report)["校验报告"].iter_rows(values_only=True) for c in row]
    assert "未读取的文件和工作表" in values and name in values


def test_a_register_saved_again_under_another_name_is_read_once(tmp_path):
    """Not the same bytes (saved again, another creation time), the same sheets: read once."""
    folder = _folder(tmp_path)
    sheets = consistent_sheets()
    write_book(folder / "台账（另存）.xlsx", {"固定资产台账": sheets["固定资产台账"]})
    status, payload = _run_json(tmp_path, folder)
    assert sum(1 for info in payload["ledgers"] if info["ledger"] == "fixed_assets") == 1
    copies = [u for u in payload["unread_sheets"] if "完全相同" in u["reason"]]
    assert [Path(u["path"]).name for u in copies] == ["台账（另存）.xlsx"]
    assert status == 0


def test_an_asset_on_two_registers_is_a_duplicate_naming_the_first(tmp_path):
    folder = _folder(tmp_path)
    header, *rows = consistent_sheets()["固定资产台账"]
    moved = [*rows[0][:1], "交互式一体机（调拨）", *rows[0][2:]]
    write_book(folder / "教务处资产.xlsx", {"教务处": [header, moved]})
    status, payload = _run_json(tmp_path, folder)
    repeats = [f for f in payload["findings"] if f["kind"] == "duplicate"]
    assert len(repeats) == 1
    assert Path(repeats[0]["path"]).name == "教务处资产.xlsx" and repeats[0]["row"] == 2
    assert "台账.xlsx / 固定资产台账 第2行" in repeats[0]["message"]
