"""Text from a ledger stays text in every output: the report workbook, the annotated copy with
its notes, the live sheets the buttons write — whatever it starts with (= + - @, a DDE form),
whatever characters it holds, however long it is; and links built from sheet and file names
open the cell they name, nothing else."""

from __future__ import annotations

import shutil
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from builders import FA_HEADER, fixed_asset_rows, run
from excel_client import ExcelClient, desktop_excel  # noqa: F401
from fuzz import _external_links, _link_path, formula_cells
from hostile_files import FORMULA_TEXTS
from openpyxl import Workbook, load_workbook

from houqin_xl.cli import main
from houqin_xl.outputs.annotate import annotate
from houqin_xl.outputs.cell_text import EXCEL_LINKS, EXCEL_TEXT_LIMIT, cell_text
from houqin_xl.outputs.report import ReportBlock, ReportSheet
from houqin_xl.outputs.report_text import cell_link, split_link
from houqin_xl.outputs.write import report_bytes, write_report

# Every form Excel takes for a formula when typed or pasted, and DDE.
INJECTIONS = [t for t in FORMULA_TEXTS if t.lstrip()[:1] in "=+-@"] + ["@cmd", "+1+1", "-1-1"]
NAME, ORIGINAL, REMARK = FA_HEADER.index("资产名称"), FA_HEADER.index("原值"), FA_HEADER.index("备注")


def _ledger(path: Path, sheet: str = "台账", texts: list[str] = INJECTIONS) -> Path:
    """The register with a text in each row's 原值 (a bad amount: the text is quoted in the
    finding, the report and the note) and in its 资产名称 (shown in the summaries)."""
    rows = []
    base = fixed_asset_rows()
    for k, text in enumerate(texts):
        row = list(base[k % len(base)])
        row[0] = f"X{k:03d}"
        row[ORIGINAL] = text
        row[NAME] = text
        row[REMARK] = text
        rows.append(row)
    book = Workbook()
    book.active.title = sheet
    for row in [FA_HEADER, *rows]:
        book.active.append(row)
        for cell in book.active[book.active.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # the ledger holds them as text
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    assert formula_cells(path) == set()
    return path


def _strings(path: Path, sheet: str) -> list[Any]:
    return [c.value for row in load_workbook(path)[sheet].iter_rows() for c in row]


def test_the_report_workbook_holds_every_injection_as_text(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path / "台账.xlsx")
    report = tmp_path / "out" / "核对报告.xlsx"
    assert main(["check", str(ledger), "--period", "2026-11", "--report", str(report), "--quiet"]) == 1
    assert formula_cells(report) == set()
    shown = _strings(report, "校验报告")
    for text in INJECTIONS:
        assert text.strip() in shown, text  # the value as the finding shows it (trimmed)


def test_the_annotated_copy_adds_no_formula_and_quotes_each_text_in_its_notes(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path / "台账.xlsx")
    copy = tmp_path / "副本.xlsx"
    annotate(ledger, copy, run(ledger))
    assert formula_cells(copy) == set()
    book = load_workbook(copy)
    report = [c.value for row in book["校验报告"].iter_rows() for c in row]
    for text in INJECTIONS:
        assert text.strip() in report, text
    notes = [c.comment.text for row in book["台账"].iter_rows() for c in row if c.comment]
    assert any("=cmd|' /C calc'!A0" in note for note in notes)
    assert all(isinstance(c.value, str) for c in book["台账"]["H"][1:])  # her cells: still text


def test_the_copy_keeps_the_bursars_own_formulas_and_adds_none(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "公式.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, FA_HEADER)
    for r, row in enumerate(fixed_asset_rows(), start=1):
        for c, value in enumerate(row):
            if value is not None and not hasattr(value, "year"):
                sheet.write(r, c, value)
    sheet.write_formula(1, ORIGINAL, "=F2*G2", None, 4800)
    sheet.write_formula(2, REMARK, '=HYPERLINK("http://example.com","click")', None, "click")
    book.close()
    copy = tmp_path / "副本.xlsx"
    annotate(path, copy, run(path))
    assert formula_cells(copy) == formula_cells(path) == {("台账", "H2"), ("台账", "P3")}


def test_the_buttons_write_every_injection_as_text(tmp_path: Path, desktop_excel) -> None:  # noqa: F811
    """Excel parses a string written through Range.Value as if typed: = + - @ and DDE become
    formulas. Every text the buttons write carries the apostrophe that keeps it text; the
    only formulas are the tool's own links."""
    from houqin_xl.excel import sheets
    from houqin_xl.outputs.report import build_report

    ledger = _ledger(tmp_path / "台账.xlsx")
    client = ExcelClient(load_workbook(ledger), name=str(ledger))
    client.click("validate")
    values = [c.value for row in client.book["校验报告"].iter_rows() for c in row]
    # (the emulated Excel reads her '=…' text cells as formulas, #NAME?; the others arrive)
    for text in (t for t in INJECTIONS if not t.lstrip().startswith("=")):
        assert text.strip() in values, text
    live = sheets.run_check(ExcelClient(load_workbook(ledger), name=str(ledger)).remote_book())
    live.checked.result.findings[0].value = "=cmd|' /C calc'!A0"  # as if read so
    for report in build_report(live.checked):
        for block in report.blocks:
            for row in sheets._block_values(block, str(ledger)):
                for value in row:
                    if isinstance(value, str):
                        assert value.startswith("'") or value.startswith('=HYPERLINK("'), value


# ---- characters and lengths no format or Excel holds ---------------------------------------------

ODD = ["a\x00b", "\x1b[31m红\x1b[0m", "\x07\x0b\x0c", "长" * 40_000, "\u202e反", "x\ud800y"]


@pytest.mark.parametrize("text", ODD)
def test_cell_text_keeps_what_excel_can_hold(text: str) -> None:
    shown = cell_text(text)
    assert len(shown) <= EXCEL_TEXT_LIMIT
    assert not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in shown)
    shown.encode("utf-8")  # no lone surrogate
    if len(text) <= EXCEL_TEXT_LIMIT and "\ud800" not in text:
        assert len(shown) == len(text)  # one visible mark per odd character, nothing lost


def test_odd_characters_and_long_texts_reach_every_output(tmp_path: Path) -> None:
    """openpyxl refused control characters (IllegalCharacterError: exit 3); XlsxWriter warned
    on stderr about strings past 32,767 characters."""
    texts = [t.replace("\ud800", "?").replace("\x00", "") for t in ODD]
    ledger = _ledger(tmp_path / "台账.xlsx", texts=[_no_control(t) for t in texts])
    checked = run(ledger)
    # The values as a ledger read by calamine could hold them: put the odd ones into findings.
    for finding, text in zip(checked.result.findings, ODD, strict=False):
        finding.value = text
        finding.message = f"{finding.message}{text}"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a library's warning would reach the bursar's stderr
        data = report_bytes(checked, tmp_path / "r.xlsx")
        (tmp_path / "r.xlsx").write_bytes(data)
        annotate(ledger, tmp_path / "副本.xlsx", checked)
    for path in (tmp_path / "r.xlsx", tmp_path / "副本.xlsx"):
        values = [v for v in _strings(path, "校验报告") if isinstance(v, str)]
        assert max(len(v) for v in values) <= EXCEL_TEXT_LIMIT
        assert any("␛[31m" in v for v in values)


def _no_control(text: str) -> str:
    return "".join(ch for ch in text if ord(ch) >= 32 or ch in "\t\n\r")


def test_links_and_rows_past_excels_limits_are_said_not_dropped(tmp_path: Path) -> None:
    rows = [[f"X{k}", f"'台账'!H{k}"] for k in range(EXCEL_LINKS + 50)]
    block = ReportBlock(title="发现", header=["编号", "单元格"], rows=rows,
                        links=[cell_link(str(tmp_path / "台账.xlsx"), "台账", f"H{k + 2}") for k in range(len(rows))],
                        link_column="单元格")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_report(tmp_path / "r.xlsx", [ReportSheet(name="校验报告", blocks=[block])])
    with zipfile.ZipFile(tmp_path / "r.xlsx") as zf:
        rels = zf.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert rels.count("hyperlink") == EXCEL_LINKS


# ---- links from hostile sheet and file names ----------------------------------------------------


@pytest.mark.parametrize(("file_name", "sheet"), [("一#班.xlsx", "'!A1"), ("100%.xlsx", "a#b"),
                                                   ("a b#c.xlsx", "x'y"), ("=cmd|calc.xlsx", "=cmd")])
def test_a_link_opens_the_cell_it_names_whatever_the_names(tmp_path: Path, file_name: str, sheet: str) -> None:
    ledger = _ledger(tmp_path / "账" / file_name, sheet=sheet, texts=["=1+1"])
    report = tmp_path / "报告" / "核对报告.xlsx"
    assert main(["check", str(ledger), "--period", "2026-11", "--report", str(report), "--quiet"]) == 1
    targets = _external_links(report)
    assert targets and all(_link_path(t, report.parent) == ledger.resolve() for t in targets)
    with zipfile.ZipFile(report) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode()
    quoted = "'" + sheet.replace("'", "''") + "'!"
    import html

    assert html.escape(quoted, quote=True).replace("&#x27;", "&apos;") in sheet_xml or quoted in html.unescape(sheet_xml)
    # the absolute form (annotate, the buttons) goes back to the same file and sheet
    path, location = split_link(cell_link(str(ledger), sheet, "H2"))
    assert Path(path) == ledger.resolve() and location == quoted + "H2"
    copy = tmp_path / "副本.xlsx"
    annotate(ledger, copy, run(ledger))
    links = [c.hyperlink for row in load_workbook(copy)["校验报告"].iter_rows() for c in row if c.hyperlink]
    assert links and all(link.location.startswith(quoted) and not link.target for link in links)


def test_the_folder_of_a_killed_run_holds_nothing_the_next_run_reads(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path / "台账.xlsx", texts=["12800"])
    shutil.copy(ledger, tmp_path / ".houqin-k3j2.xlsx")  # a temporary a killed write left
    out = tmp_path / "out" / "r.json"
    assert main(["check", str(tmp_path), "--period", "2026-11", "--json", str(out), "--quiet"]) in (0, 1)
    import json

    files = [f["path"] for f in json.loads(out.read_text(encoding="utf-8"))["files"]]
    assert not any(".houqin-" in f for f in files)


def test_the_district_rollup_holds_school_names_that_look_like_formulas_as_text(tmp_path: Path) -> None:
    """check-many's 区县汇总.xlsx names each school by its folder: a folder called `=1+1` or
    `@SUM(A1)` (or a DDE form) is a school's name, never a formula in the county's workbook —
    for a school that was checked and for one whose workbook could not be read."""
    from ledger_set import consistent_sheets, write_book

    names = ["=1+1", "+1+1", "-1-1", "@SUM(A1)", "=cmd|' -C calc'!A0"]
    root = tmp_path / "县"
    for k, name in enumerate(names):
        folder = root / name
        folder.mkdir(parents=True)
        if k == 1:  # unreadable: its name and reason go to 无法核对的学校 too
            (folder / "台账.xlsx").write_bytes(b"PK\x03\x04 truncated in the post")
        else:
            write_book(folder / "台账.xlsx", consistent_sheets())
    out = tmp_path / "out"
    assert main(["check-many", str(root), "--out", str(out), "--period", "2026-11", "--quiet"]) in (0, 1)
    rollup = out / "区县汇总.xlsx"
    assert formula_cells(rollup) == set()
    book = load_workbook(rollup)
    shown = {c.value for sheet in book for row in sheet.iter_rows() for c in row}
    for name in names:
        assert name in shown, name
    assert formula_cells(next(out.glob("*/核对报告.xlsx"))) == set()
