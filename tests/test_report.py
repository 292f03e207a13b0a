"""The report workbook: what the bursar opens after `houqin-xl check … --report 报告.xlsx`."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from builders import run, tidy_sheets, write_xlsx
from openpyxl import load_workbook
from report_tables import table

from houqin_xl.check import Checked
from houqin_xl.findings import CheckResult, Finding, LedgerInfo, Reconciliation
from houqin_xl.outputs.placing import (
    column_widths,
)
from houqin_xl.outputs.report import (
    REPORT_SHEETS,
    build_report,
    cell_link,
    split_link,
    text_width,
)
from houqin_xl.outputs.write import report_bytes

FINDINGS_HEADER = ["单元格", "说明", "类型", "级别", "字段", "值", "工作表", "台账", "文件"]


def ledger_book(tmp_path: Path) -> Path:
    """All ledgers but deposits, with three planted mistakes."""
    sheets = tidy_sheets()
    del sheets["缴款"]
    sheets["固定资产台账"][2][7] = 7100      # H3: 原值 ≠ 数量 × 单价
    sheets["固定资产台账"][3][12] = "坏了"   # M4: not a status
    sheets["收费台账"][2][8] = 80            # I3: paid more than due
    sheets["收费台账"].append(["2026秋", "三年级", "三(2)班", "S101", "钱七", "作业本费", 60, 0, 60, 0,
                              "B0004", dt.date(2026, 11, 4), "陈", None])
    return write_xlsx(tmp_path / "台账.xlsx", sheets)


@pytest.fixture
def checked(tmp_path: Path) -> Checked:
    return run(ledger_book(tmp_path))


@pytest.fixture
def report(tmp_path: Path, checked: Checked) -> Path:
    path = tmp_path / "核对报告.xlsx"
    path.write_bytes(report_bytes(checked))
    return path


def synthetic(findings: list[Finding], reconciliations: list[Reconciliation] | None = None) -> Checked:
    result = CheckResult(period="2026-11",
                         ledgers=[LedgerInfo("fixed_assets", "/x/a.xlsx", "固定资产台账", [2], 9)],
                         findings=findings, reconciliations=reconciliations or [])
    return Checked(result, [])


# ---- the report model ---------------------------------------------------------------------


def test_the_five_sheets_in_the_order_the_bursar_reads_them(checked):
    sheets = build_report(checked)
    assert [s.name for s in sheets] == list(REPORT_SHEETS)
    for sheet in sheets:
        for block in sheet.blocks:
            assert all(len(row) == len(block.header) for row in block.rows), block.title
            if block.links is not None:
                assert len(block.links) == len(block.rows)
            if block.severity is not None:
                assert len(block.severity) == len(block.rows)


def test_findings_sorted_by_file_sheet_and_row_with_chinese_kind_and_severity():
    findings = [
        Finding("missing", "第9行 资产名称：必填项为空", "fixed_assets", "/x/b.xlsx", "台账", 9, "B"),
        Finding("arithmetic", "第17行 原值 …", "fixed_assets", "/x/a.xlsx", "台账", 17, "H",
                header="原值", value="7100"),
        Finding("bad_value", "第3行 单价 …", "fixed_assets", "/x/a.xlsx", "台账", 3, "G",
                severity="warning"),
        Finding("ledger_mismatch", "通用设备 …", "fixed_assets", "/x/a.xlsx", "台账",
                key={"category": "通用设备"}),
        Finding("bad_type", "第17行 数量 …", "fixed_assets", "/x/a.xlsx", "台账", 17, "F"),
    ]
    sheet = build_report(synthetic(findings))[0]
    block = sheet.blocks[sheet.filter_block]
    assert block.header == FINDINGS_HEADER
    at = {name: block.header.index(name) for name in FINDINGS_HEADER}
    cells = [row[at["单元格"]] for row in block.rows]
    assert cells == ["G3", "F17", "H17", "资产分类：通用设备", "B9"]
    first = block.rows[0]
    assert (first[at["文件"]], first[at["类型"]], first[at["级别"]]) == ("a.xlsx", "数值不合规", "警告")
    assert [block.rows[2][at["字段"]], block.rows[2][at["值"]]] == ["原值", "7100"]
    assert block.severity == ["warning", "error", "error", "error", "error"]
    assert block.links[2] == "file:///x/a.xlsx#'台账'!H17"
    assert block.links[3] == "file:///x/a.xlsx#'台账'!A1"  # an aggregate opens the sheet


def test_counts_compact_on_top_and_by_ledger_and_kind_below_the_list():
    findings = [Finding("missing", "m", "fixed_assets", "/x/a.xlsx", "台账", 3, "B"),
                Finding("missing", "m", "fixed_assets", "/x/a.xlsx", "台账", 4, "B"),
                Finding("bad_value", "w", "fixed_assets", "/x/a.xlsx", "台账", 5, "G",
                        severity="warning")]
    sheet = build_report(synthetic(findings))[0]
    compact = sheet.blocks[0]
    assert compact.header == ["错误", "警告", "必填项为空", "数值不合规"]
    assert compact.rows == [[2, 1, 2, 1]]
    assert sheet.freeze_block == sheet.filter_block == 1  # only the list's header is frozen
    counts = sheet.blocks[-1]
    assert counts.header == ["类型", "固定资产台账", "合计"]
    assert counts.rows == [["必填项为空", 2, 2], ["数值不合规", 1, 1], ["其中错误", 2, 2],
                           ["其中警告", 1, 1], ["合计", 3, 3]]
    assert counts.total_row and counts.severity[:2] == ["error", "warning"]


def test_a_clean_check_says_so():
    sheet = build_report(synthetic([]))[0]
    assert sheet.blocks[sheet.filter_block].rows[0][1] == "未发现问题"


def test_every_reconciliation_listed_matched_ones_included_with_its_own_kind_of_value():
    reconciliations = [
        Reconciliation("assets_vs_gl", {"category": "通用设备"}, "11800.00", "11800.00", "0.00",
                       "ok", "资产台账原值", "总账余额"),
        Reconciliation("assets_vs_gl_quantity", {"category": "通用设备"}, "3", "2", "1",
                       "mismatch", "资产台账数量", "总账数量"),
        Reconciliation("assets_vs_count_location", {"asset_id": "A001"}, "二楼", "三楼", "地点不同",
                       "mismatch", "账面存放地点", "实际存放地点"),
    ]
    sheet = build_report(synthetic([], reconciliations))[1]
    block = sheet.blocks[sheet.filter_block]
    assert block.header == ["规则", "对象", "左方", "左方数", "右方", "右方数", "差额", "结果", "原因"]
    # The mismatches first, each saying why; the matches after them.
    assert block.rows[2][1:] == ["资产分类：通用设备", "资产台账原值", 11800.0, "总账余额", 11800.0,
                                 0.0, "相符", ""]
    assert block.rows[0][3] == 3 and isinstance(block.rows[0][3], int)  # a quantity, not money
    assert block.rows[0][-1] == "资产台账数量 3 与 总账数量 2 相差 1"
    assert block.rows[1][3] == "二楼" and block.rows[1][-2] == "不符" and block.rows[1][-1]
    assert block.severity == ["error", "error", "ok"]


def test_cell_links_round_trip_and_quote_the_sheet(tmp_path):
    link = cell_link(str(tmp_path / "台 账.xlsx"), "老师's 表", "H17")
    assert link.startswith("file:///") and link.endswith("#'老师''s 表'!H17")
    path, location = split_link(link)
    assert Path(path) == (tmp_path / "台 账.xlsx").resolve()
    assert location == "'老师''s 表'!H17"
    assert split_link("file:///C:/账/a.xlsx#'S'!A1") == ("C:/账/a.xlsx", "'S'!A1")


def test_widths_count_chinese_characters_double():
    assert text_width("原值") == 4 and text_width("A4") == 2 and text_width("（元）") == 6
    sheet = build_report(synthetic([Finding("missing", "第9行 资产名称：必填项为空，请补填",
                                            "fixed_assets", "/x/a.xlsx", "固定资产台账", 9, "B")]))[0]
    widths = column_widths(sheet)
    assert widths[FINDINGS_HEADER.index("说明")] >= text_width("第9行 资产名称：必填项为空，请补填")


# ---- the workbook -------------------------------------------------------------------------


def test_report_workbook_sheets_findings_and_working_links(report, tmp_path):
    wb = load_workbook(report)
    assert wb.sheetnames == list(REPORT_SHEETS)
    ws = wb["校验报告"]
    start, rows = table(ws, FINDINGS_HEADER)
    at = {name: FINDINGS_HEADER.index(name) for name in FINDINGS_HEADER}
    by_cell = {row[at["单元格"]]: row for row in rows}
    h3 = by_cell["H3"]
    assert [h3[at["台账"]], h3[at["文件"]], h3[at["工作表"]]] == ["固定资产台账", "台账.xlsx", "固定资产台账"]
    assert [h3[at["类型"]], h3[at["级别"]]] == ["计算不符", "错误"]
    assert "原值" in h3[at["说明"]]
    assert by_cell["I3"][at["工作表"]] == "收费台账"
    source = (tmp_path / "台账.xlsx").resolve()
    for offset, row in enumerate(rows, start=start + 1):
        link = ws.cell(row=offset, column=at["单元格"] + 1).hyperlink
        assert link is not None, row
        assert Path(split_link(link.target + "#")[0]) == source  # absolute, to the ledger file
        if row[at["单元格"]] == "H3":
            assert link.location == "'固定资产台账'!H3"
    # the freeze sits under the findings header; the filter covers the findings table
    assert ws.freeze_panes == f"A{start + 1}"
    assert ws.auto_filter.ref == f"A{start}:I{start + len(rows)}"
    # errors are coloured
    h3 = next(i for i, row in enumerate(rows, start=start + 1) if row[at["单元格"]] == "H3")
    assert ws.cell(row=h3, column=9).fill.fgColor.rgb.endswith("FFC7CE")


def test_links_are_relative_to_the_report_so_they_survive_moving_both(tmp_path, checked):
    """Saved beside the ledger, the report links to `台账.xlsx#…`: copy both to a USB stick or
    send both to the auditor, and every link still opens its cell."""
    folder = tmp_path / "审计"
    folder.mkdir()
    target = folder / "核对报告.xlsx"
    target.write_bytes(report_bytes(checked, target))
    ws = load_workbook(target)["校验报告"]
    start, rows = table(ws, FINDINGS_HEADER)
    column = FINDINGS_HEADER.index("单元格") + 1
    link = ws.cell(row=start + 1, column=column).hyperlink
    assert not link.target.startswith(("file:", "/")) and link.target.endswith("台账.xlsx")
    assert (folder / link.target.replace("\\", "/")).resolve() == (tmp_path / "台账.xlsx").resolve()


def test_report_numbers_formatted_totals_bold_and_widths_fit(report):
    wb = load_workbook(report)
    ws = wb["汇总-资产"]
    start, rows = table(ws, ["资产分类", "资产数", "数量", "原值合计", "净值合计"])
    assert rows[-1][0] == "合计"
    total_row = start + len(rows)
    money = ws.cell(row=total_row, column=4)
    assert money.number_format == "#,##0.00" and money.font.b
    assert ws.cell(row=start + 1, column=2).number_format == "#,##0"
    assert ws.column_dimensions["A"].width >= text_width("家具用具装具及动植物")
    fees = wb["汇总-收费"]
    start, rows = table(fees, ["年级", "班级", "笔数", "应收", "减免", "实收", "退费", "欠费", "收缴率"])
    assert fees.cell(row=start + 1, column=9).number_format == "0.0%"
    recon = wb["对账结果"]
    start, rows = table(recon, ["规则", "对象", "左方", "左方数", "右方", "右方数", "差额", "结果"])
    assert {row[-1] for row in rows} <= {"相符", "不符"}
    assert any(row[-1] == "相符" for row in rows)


def test_report_has_charts_where_they_help(report):
    with zipfile.ZipFile(report) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
        kinds = b"".join(zf.read(n) for n in charts)
    # category values; the month's depreciation by class; the top items consumed; rate by class
    assert len(charts) == 4
    assert b'<c:barDir val="col"/>' in kinds and b'<c:barDir val="bar"/>' in kinds


def test_report_without_some_ledgers_says_what_is_missing(tmp_path):
    sheets = tidy_sheets()
    path = write_xlsx(tmp_path / "a.xlsx", {"收费台账": sheets["收费台账"]})
    out = tmp_path / "r.xlsx"
    out.write_bytes(report_bytes(run(path)))
    wb = load_workbook(out)
    assert wb["汇总-资产"]["A4"].value == "说明"
    assert "固定资产台账" in wb["汇总-资产"]["A5"].value
    _start, rows = table(wb["对账结果"], ["规则", "原因"])
    assert any("缺少台账" in (row[1] or "") for row in rows)


def test_libreoffice_opens_the_report_without_complaint(report, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI to check the report opens")
        pytest.skip("LibreOffice (soffice) not installed: cannot check the report opens")
    out = tmp_path / "pdf"
    profile = tmp_path / "lo-profile"
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(report)],
        capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    pdf = out / "核对报告.pdf"
    assert pdf.exists() and pdf.stat().st_size > 5000, proc.stdout + proc.stderr
    assert "Error" not in proc.stderr, proc.stderr
