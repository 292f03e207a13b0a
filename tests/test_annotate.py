"""The annotated copy: the bursar's own workbook, marked where it is wrong, never changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from builders import (
    FA_HEADER,
    fixed_asset_rows,
    run,
    tidy_sheets,
    write_xls,
    write_xlsm,
    write_xlsx,
)
from openpyxl import load_workbook

from houqin_xl.cli import run_annotate
from houqin_xl.errors import InputError
from houqin_xl.findings import Finding
from houqin_xl.outputs.annotate import (
    annotate,
    annotated_bytes,
    cell_messages,
    default_out_path,
    mark_cells,
)
from houqin_xl.outputs.report import REPORT_SHEETS
from houqin_xl.outputs.report_text import NOTE_HEAD
from houqin_xl.read import read_paths

SHEET = "固定资产台账"


def rich_ledger(path: Path) -> Path:
    """A register as Excel keeps it: merged title, formulas with cached values, a hidden row,
    data validation, conditional formatting, a defined name, widths, a bursar's own note —
    plus, on a second sheet, a chart, a text box and a button."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(SHEET)
    ws.merge_range("A1:P1", "XX小学固定资产台账", wb.add_format({"bold": True, "align": "center"}))
    ws.write_row(1, 0, FA_HEADER)
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    money = wb.add_format({"num_format": "#,##0.00"})
    for i, row in enumerate(fixed_asset_rows()):
        r = i + 2
        for j, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                ws.write_datetime(r, j, dt.datetime(value.year, value.month, value.day), date_format)
            elif j == 7:  # 原值 = 数量 × 单价, as a formula with the value Excel computed
                ws.write_formula(r, j, f"=F{r + 1}*G{r + 1}", money, value)
            else:
                ws.write(r, j, value)
    ws.write_number(3, 7, 7100, money)      # H4: typed over the formula, and wrong
    ws.write_string(4, 12, "坏了")          # M5: not a status
    ws.set_row(5, None, None, {"hidden": True})
    ws.set_column("B:B", 18)
    ws.set_column("J:K", 14)
    ws.data_validation("M3:M100", {"validate": "list",
                                   "source": ["在用", "闲置", "出借", "待报废", "已报废"]})
    ws.conditional_format("H3:H100", {"type": "cell", "criteria": ">", "value": 10000,
                                      "format": wb.add_format({"bold": True})})
    wb.define_name("资产原值", f"='{SHEET}'!$H$3:$H$8")
    ws.write_comment("H4", "原有批注：发票待补")
    other = wb.add_worksheet("说明")
    other.write("A1", "填表说明")
    other.insert_textbox("B2", "请按月填写")
    other.insert_button("B8", {"macro": "check", "caption": "核对"})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": f"='{SHEET}'!$H$3:$H$8"})
    other.insert_chart("E2", chart)
    wb.close()
    return path


def cell_digest(path: Path, sheets: list[str]) -> dict[str, str]:
    """Per sheet, a hash of every cell's coordinate, value (formulas as text) and data type."""
    wb = load_workbook(path)
    out = {}
    for name in sheets:
        h = hashlib.sha256()
        for row in wb[name].iter_rows():
            for cell in row:
                if cell.value is not None:
                    h.update(f"{cell.coordinate}|{cell.data_type}|{cell.value!r}\n".encode())
        out[name] = h.hexdigest()
    return out


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return rich_ledger(tmp_path / "资产台账.xlsx")


@pytest.fixture
def copy(ledger: Path, tmp_path: Path) -> tuple[Path, int, str]:
    out = tmp_path / "资产台账-核对.xlsx"
    before = hashlib.sha256(ledger.read_bytes()).hexdigest()
    status = run_annotate(str(ledger), str(out), None, "2026-11")
    assert hashlib.sha256(ledger.read_bytes()).hexdigest() == before, "the original was written"
    return out, status, before


def test_every_data_cell_of_the_copy_is_identical_to_the_original(ledger, copy):
    out, _status, _ = copy
    original = load_workbook(ledger).sheetnames
    assert cell_digest(ledger, original) == cell_digest(out, original)
    assert load_workbook(out).sheetnames == [*original, *REPORT_SHEETS]


def test_offending_cells_are_filled_and_noted_with_every_message(copy):
    out, status, _ = copy
    assert status == 1
    ws = load_workbook(out)[SHEET]
    status_cell = ws["M5"]
    assert status_cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert NOTE_HEAD in status_cell.comment.text and "坏了" in status_cell.comment.text
    value_cell = ws["H4"]
    assert value_cell.comment.text.startswith("原有批注：发票待补")  # the bursar's note stays
    assert "原值应等于数量×单价" in value_cell.comment.text
    assert ws["A3"].comment is None and ws["A3"].fill.fill_type is None


def test_formats_formulas_merges_validation_names_hidden_rows_and_widths_survive(ledger, copy):
    out, _status, _ = copy
    wb = load_workbook(out)
    ws = wb[SHEET]
    assert ws["H3"].value == "=F3*G3"
    assert ws["H3"].number_format == "#,##0.00"
    assert ws["I3"].number_format == "yyyy-mm-dd"
    assert "A1:P1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.row_dimensions[6].hidden
    assert ws.column_dimensions["B"].width == pytest.approx(load_workbook(ledger)[SHEET]
                                                           .column_dimensions["B"].width)
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1 and "M3:M100" in str(validations[0].sqref)
    assert "H3:H100" in {str(rng.sqref) for rng in ws.conditional_formatting}
    assert "资产原值" in wb.defined_names
    assert wb.defined_names["资产原值"].attr_text == f"'{SHEET}'!$H$3:$H$8"


def test_what_openpyxl_cannot_keep_is_said_one_line_each(ledger, tmp_path):
    notices = annotate(ledger, tmp_path / "out.xlsx", run(ledger))
    joined = "\n".join(notices)
    assert "shapes" in joined and "VML controls" in joined
    assert "公式" in joined  # cached results of formulas are recalculated on open
    assert all("\n" not in line for line in notices)
    assert not any("charts" in line for line in notices)  # the chart was kept


def test_report_sheets_in_the_copy_link_to_its_own_cells(copy):
    out, _status, _ = copy
    ws = load_workbook(out)["校验报告"]
    links = {c.value: c.hyperlink for row in ws.iter_rows() for c in row if c.hyperlink}
    assert links["M5"].location == f"'{SHEET}'!M5"
    assert not links["M5"].target  # internal: it works wherever the copy is moved
    assert load_workbook(out).active.title == "校验报告"


def test_reading_the_copy_again_finds_the_same_ledgers(ledger, copy):
    out, _status, _ = copy
    assert run(out).result.ledgers[0].sheet == SHEET
    assert [i.ledger for i in run(out).result.ledgers] == [i.ledger for i in run(ledger).result.ledgers]


def test_annotating_the_copy_again_replaces_the_report(copy, tmp_path):
    out, _status, _ = copy
    again = tmp_path / "again.xlsx"
    assert run_annotate(str(out), str(again), None, "2026-11") == 1
    assert load_workbook(again).sheetnames.count("校验报告") == 1
    assert load_workbook(again).sheetnames.count("汇总-资产") == 1
    assert "汇总-资产" not in [g.sheet for g in read_paths([again])]  # never read as a ledger


def test_a_finding_inside_a_merged_cell_marks_the_merged_cell(tmp_path):
    rows = fixed_asset_rows()
    path = write_xlsx(tmp_path / "m.xlsx", {SHEET: [FA_HEADER, *rows]}, merges={SHEET: ["J2:J3"]})
    wb = load_workbook(path)
    finding = Finding("missing", "第3行 使用部门：必填项为空", "fixed_assets", str(path), SHEET, 3, "J")
    assert mark_cells(wb, cell_messages([finding], path)) == 1
    assert NOTE_HEAD in wb[SHEET]["J2"].comment.text


def test_an_xls_ledger_must_be_saved_as_xlsx_first(tmp_path):
    path = write_xls(tmp_path / "old.xls", {SHEET: [FA_HEADER, *fixed_asset_rows()]})
    with pytest.raises(InputError, match="xlsx"):
        run_annotate(str(path), str(tmp_path / "old-核对.xlsx"), None, None)
    assert not (tmp_path / "old-核对.xlsx").exists()


def test_the_copy_never_overwrites_the_ledger(ledger):
    with pytest.raises(InputError):
        run_annotate(str(ledger), str(ledger), None, None)


def test_an_xlsm_stays_macro_enabled(tmp_path):
    path = write_xlsm(tmp_path / "宏.xlsm", {SHEET: [FA_HEADER, *fixed_asset_rows()]})
    with pytest.raises(InputError, match="xlsm"):
        run_annotate(str(path), str(tmp_path / "宏-核对.xlsx"), None, "2026-11")
    out = default_out_path(path)
    assert out.name == "宏-核对.xlsm"
    run_annotate(str(path), None, None, "2026-11")
    with zipfile.ZipFile(out) as zf:
        assert b"macroEnabled" in zf.read("[Content_Types].xml")


def test_a_clean_tidy_set_gets_its_report_sheets_and_no_marks(tmp_path):
    sheets = tidy_sheets()
    del sheets["缴款"]
    path = write_xlsx(tmp_path / "tidy.xlsx", sheets)
    data, _notices = annotated_bytes(path, run(path))
    wb = load_workbook(io.BytesIO(data))
    marked = [c.coordinate for name in sheets for row in wb[name].iter_rows() for c in row
              if c.comment is not None]
    assert marked == []
    assert wb["汇总-收费"]["A4"].value == "年级"
