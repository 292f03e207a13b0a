"""The commands beside `check`: annotate, addin build/install, template — as the bursar types them."""

from __future__ import annotations

import hashlib
import zipfile

import openpyxl
from ledger_set import consistent_sheets, write_book

from houqin_xl.cli import main


def test_annotate_writes_a_marked_copy_and_leaves_the_ledger_alone(tmp_path, capsys):
    sheets = consistent_sheets()
    sheets["固定资产台账"][2][5] = 9900  # 2 × 4500 is 9000
    ledger = write_book(tmp_path / "台账.xlsx", sheets)
    before = hashlib.sha256(ledger.read_bytes()).hexdigest()
    out = tmp_path / "台账-核对.xlsx"
    assert main(["annotate", str(ledger), "--out", str(out), "--period", "2026-11"]) == 1
    assert hashlib.sha256(ledger.read_bytes()).hexdigest() == before
    copy = openpyxl.load_workbook(out)
    cell = copy["固定资产台账"]["F3"]
    assert cell.value == 9900 and cell.comment is not None and "数量×单价" in cell.comment.text
    assert "校验报告" in copy.sheetnames


def test_annotate_refuses_an_xls_with_one_line(tmp_path, capsys):
    fake = tmp_path / "旧台账.xls"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert main(["annotate", str(fake), "--out", str(tmp_path / "x.xlsx")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert not (tmp_path / "x.xlsx").exists()


def test_addin_build_and_install_into_a_given_folder(tmp_path, capsys):
    assert main(["addin", "build", "--out", str(tmp_path / "build")]) == 0
    built = tmp_path / "build" / "houqin.xlam"
    with zipfile.ZipFile(built) as package:
        assert "customUI/customUI14.xml" in package.namelist()
        assert "xl/vbaProject.bin" in package.namelist()
    assert main(["addin", "install", "--from", str(built), "--to", str(tmp_path / "XLSTART")]) == 0
    assert (tmp_path / "XLSTART" / "houqin.xlam").read_bytes() == built.read_bytes()


def test_template_command_writes_the_button_workbook(tmp_path, capsys):
    assert main(["template", "--out", str(tmp_path)]) == 0
    book = openpyxl.load_workbook(tmp_path / "后勤台账模板.xlsm", keep_vba=True)
    assert "操作" in book.sheetnames


def test_the_tools_own_sheets_are_known_to_the_reader():
    from houqin_xl import read
    from houqin_xl.excel import sheets
    from houqin_xl.outputs import report

    assert set(report.REPORT_SHEETS) | set(sheets.OWN_SHEETS) <= set(read.TOOL_SHEETS)


def test_folder_run_reads_a_ledger_the_buttons_wrote_into_but_not_an_annotated_copy(tmp_path):
    from houqin_xl.read import read_paths

    sheets = consistent_sheets()
    sheets["校验报告"] = [["台账", "文件", "工作表", "单元格", "资产编号", "原值"], ["x", "y", "z", "A1", "Q1", 1]]
    ledger = write_book(tmp_path / "台账.xlsx", sheets)
    assert main(["annotate", str(ledger), "--period", "2026-11"]) == 0
    assert (tmp_path / "台账-核对.xlsx").exists()
    grids = read_paths([tmp_path])
    assert {g.path for g in grids} == {str(ledger)}
    assert "校验报告" not in {g.sheet for g in grids}
    named = read_paths([tmp_path / "台账-核对.xlsx"])
    assert "固定资产台账" in {g.sheet for g in named}
