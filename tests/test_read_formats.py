"""Every file kind of REAL-FORMATS §7, written to disk the way other systems write it and read
back: the cells where Excel shows them when it opens the file, merges, hidden rows, ids kept as
text, the text as Excel shows it — never mojibake, never a traceback."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import python_calamine
from builders import FA_HEADER, fixed_asset_rows, write_xls, write_xlsx
from formats import (
    write_csv,
    write_html_fragment,
    write_html_xls,
    write_spreadsheet_xml,
    write_xls_declaring_codepage,
)

from houqin_xl.cli import main
from houqin_xl.errors import InputError
from houqin_xl.read import read_workbook
from houqin_xl.read.biff import calamine_garbles, read_with_xlrd
from houqin_xl.read.grid import ExcelError, Grid
from houqin_xl.read.sniff import sniff
from houqin_xl.read.text import decode
from houqin_xl.read.workbook import iter_workbook

CARD_TITLE = "资产卡片信息列表"
CARD_HEADER = ["序号", "资产编号", "资产名称", "资产分类代码", "数量/面积", "价值(元)", "取得日期", "使用部门"]
CARDS = [
    ["1", "440103200700000001", "教学楼", "1020601", "2713.17", "5998818.87", "2007-02-13", "总务处"],
    ["2", "00123", "台式计算机", "2010104", "1", "4800.00", "2019-03-06", None],
    ["3", "201010420190003", "合计报表打印机", "2010105", "1", "3200.00", "2019-03-06", None],
]


def _card_rows() -> list[list]:
    return [[CARD_TITLE], ["单位名称：江州市第一实验小学", None, None, None, None, "导出时间：2026-12-01"],
            CARD_HEADER, *CARDS]


def _only(path: Path) -> Grid:
    grids = read_workbook(path)
    assert len(grids) == 1, [g.sheet for g in grids]
    return grids[0]


# ---- HTML tables saved as .xls ------------------------------------------------------------


def test_gbk_asset_export_keeps_title_rows_merges_and_long_ids_as_text(tmp_path: Path) -> None:
    rows = _card_rows()
    # 使用部门 merged down over the last two cards, as the export groups them
    merges = ["A1:H1", "A2:E2", "F2:H2", "H5:H6"]
    rows[4][7] = "教务处"
    path = write_html_xls(tmp_path / "资产卡片信息列表.xls", rows, merges, encoding="gbk",
                          charset_meta="gb2312")
    assert b"\xd7\xca\xb2\xfa" in path.read_bytes()  # 资产 in GBK: the file is really GBK
    grid = _only(path)
    assert grid.sheet == "资产卡片信息列表"
    assert grid.cell(1, 1) == CARD_TITLE
    assert grid.cell(2, 6) == "导出时间：2026-12-01"
    assert grid.cell(3, 2) == "资产编号"
    assert grid.cell(4, 2) == "440103200700000001"  # never 4.40103E+17
    assert grid.cell(5, 2) == "00123"  # never 123
    assert grid.cell(6, 2) == "201010420190003"
    assert grid.cell(5, 8) == "教务处" and grid.cell(6, 8) is None
    assert sorted(grid.merged) == [(1, 1, 1, 8), (2, 1, 2, 5), (2, 6, 2, 8), (5, 8, 6, 8)]


def test_web_fragment_with_a_bom_a_style_block_two_tables_and_a_hidden_column(tmp_path: Path) -> None:
    header = ["序号", "*学生学号", "姓名", "应缴费用（格式：0.00）", "缴费日期(yyyy-M-d)", "流水号"]
    rows = [header, ["1", "20261001", "薛琪杰", "45.00", "2026-11-4", "LS9000007"],
            ["2", "00261002", "吕瑶宇", "300.00", "2026-11-3", "LS9000014"]]
    path = write_html_fragment(tmp_path / "学生缴费明细.xls", rows, header_rows=1, hidden_cols=[2])
    text = path.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf<style>") and b"<html" not in text and text.count(b"<table") == 2
    grid = _only(path)
    assert grid.sheet == "学生缴费明细"
    # the body table follows the header table directly: one sheet, the columns lined up
    assert [grid.cell(1, c) for c in range(1, 7)] == header
    assert [grid.cell(2, c) for c in range(1, 7)] == rows[1]
    assert grid.cell(3, 2) == "00261002"  # the hidden column's cells are still in place
    assert grid.hidden_rows == set()


def test_a_charset_meta_of_gb2312_over_gbk_bytes(tmp_path: Path) -> None:
    rows = [["收费项目", "适用年级", "收费标准"], ["作业本费", "七年级", "45.00"], ["住宿费", "全部", "300"]]
    path = write_html_xls(tmp_path / "收费标准.xls", rows, encoding="gb2312", charset_meta="GB2312")
    grid = _only(path)
    assert grid.rows == rows


def test_a_meta_that_lies_about_utf8_bytes_does_not_garble_them(tmp_path: Path) -> None:
    rows = [["收费项目", "收费标准"], ["作业本费", "45.00"]]
    path = write_html_xls(tmp_path / "标准.xls", rows, encoding="utf-8", charset_meta="gb2312")
    assert _only(path).rows == rows


def test_html_cells_decode_entities_breaks_and_excel_errors(tmp_path: Path) -> None:
    doc = ("<table><tr><td>A&amp;B&nbsp;公司</td><td>第一行<br>第二行</td><td>#REF!</td>"
           "<td>  多个   空格  </td><td x:num=\"1234.5678\">1,234.57</td><td>&#20320;&lt;</td></tr>"
           "<tr style='display:none'><td>隐藏行</td></tr><tr><td>3</td></tr></table>")
    path = tmp_path / "杂项.xls"
    path.write_text(doc, encoding="utf-8")
    grid = _only(path)
    assert grid.rows[0] == ["A&B 公司", "第一行\n第二行", ExcelError("#REF!"), "多个 空格", 1234.5678, "你<"]
    assert grid.hidden_rows == {2} and grid.cell(2, 1) == "隐藏行" and grid.cell(3, 1) == "3"


def test_text_and_tables_stack_down_the_sheet_from_a1(tmp_path: Path) -> None:
    doc = ("<html><body><h3>固定资产明细</h3><table><tr><td>编号</td><td>名称</td></tr></table>"
           "<table><tr><td>A1</td><td>钢琴</td></tr></table>说明：以上为在用资产<br>"
           "<table><tr><td rowspan=\"9\">跨行</td><td>x</td></tr><tr><td>y</td></tr></table>"
           "</body></html>")
    path = tmp_path / "明细.xls"
    path.write_text(doc, encoding="utf-8")
    grid = _only(path)
    assert [grid.cell(r, 1) for r in range(1, 7)] == ["固定资产明细", "编号", "A1", "说明：以上为在用资产",
                                                        "跨行", None]
    assert grid.cell(6, 2) == "y"
    assert grid.merged == [(5, 1, 6, 1)]  # a rowspan past the table's end stops with the table


def test_a_caption_and_a_table_inside_a_cell(tmp_path: Path) -> None:
    doc = ("<table><caption>2026年11月 资产盘点表</caption><tr><td>编号</td><td>备注</td></tr>"
           "<tr><td>A1</td><td><table><tr><td>原</td><td>101室</td></tr><tr><td>现</td><td>102室</td></tr>"
           "</table></td></tr><tr><td>A2</td><td>无</td></tr></table>")
    path = tmp_path / "盘点.xls"
    path.write_text(doc, encoding="utf-8")
    grid = _only(path)
    assert grid.rows == [["2026年11月 资产盘点表"], ["编号", "备注"], ["A1", "原 101室\n现 102室"], ["A2", "无"]]


def test_a_rowspan_stops_at_the_end_of_its_row_group(tmp_path: Path) -> None:
    doc = ("<table><thead><tr><th rowspan=3>编号</th><th>名称</th></tr><tr><th>规格</th></tr></thead>"
           "<tbody><tr><td>A1</td><td>钢琴</td></tr></tbody></table>")
    path = tmp_path / "组.xls"
    path.write_text(doc, encoding="utf-8")
    grid = _only(path)
    assert grid.rows == [["编号", "名称"], [None, "规格"], ["A1", "钢琴"]]
    assert grid.merged == [(1, 1, 2, 1)]


def test_css_classes_say_which_rows_are_hidden(tmp_path: Path) -> None:
    doc = ("<style>.xl65{mso-number-format:\"\\@\";} tr.gone{display:none}</style>"
           "<table><tr><td class=xl65>001</td></tr><tr class=gone><td>x</td></tr></table>")
    path = tmp_path / "c.xls"
    path.write_text(doc, encoding="utf-8")
    grid = _only(path)
    assert grid.cell(1, 1) == "001" and grid.hidden_rows == {2}


EXCEL_WEB_PAGE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Excel.Sheet><meta name=Generator content="Microsoft Excel 11">
<style>
<!--table {mso-displayed-decimal-separator:"\\.";}
.xl24 {mso-style-parent:style0; mso-number-format:"\\@";}
.xl25 {mso-style-parent:style0; mso-number-format:"yyyy\\/m\\/d";}
-->
</style>
<!--[if gte mso 9]><xml>
 <x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet>
    <x:Name>固定资产</x:Name><x:WorksheetOptions><x:Selected/></x:WorksheetOptions>
 </x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook>
</xml><![endif]-->
</head>
<body link=blue vlink=purple>
<table x:str border=0 cellpadding=0 cellspacing=0 width=216 style='border-collapse:collapse'>
 <col width=72 span=3 style='width:54pt'>
 <tr height=19 style='height:14.25pt'>
  <td height=19 width=72>资产编号</td><td width=72>取得日期</td><td width=72>原值</td>
 </tr>
 <tr height=19 style='height:14.25pt'>
  <td class=xl24 x:num>00123</td><td class=xl25 align=right x:num="46329">2026/11/3</td>
  <td align=right x:num="1234.5678">1,234.57</td>
 </tr>
 <tr height=0 style='display:none'>
  <td class=xl24>00124</td><td class=xl25 x:num="46330">2026/11/4</td><td x:err="#DIV/0!" x:fmla="=1/0">#DIV/0!</td>
 </tr>
 <![if supportMisalignedColumns]>
 <tr height=0 style='display:none'><td width=72 style='width:54pt'></td></tr>
 <![endif]>
</table>
</body>
</html>
"""


def test_excels_own_web_page_export_reads_as_excel_reopens_it(tmp_path: Path) -> None:
    path = tmp_path / "Book1.xls"
    path.write_bytes(EXCEL_WEB_PAGE.encode("gbk"))
    grid = _only(path)
    assert grid.sheet == "固定资产"
    assert grid.rows == [["资产编号", "取得日期", "原值"], ["00123", "2026/11/3", 1234.5678],
                         ["00124", "2026/11/4", ExcelError("#DIV/0!")]]
    assert grid.hidden_rows == {3}  # the spacer row only browsers show is not a row


def test_the_sheet_is_named_as_excel_names_it(tmp_path: Path) -> None:
    rows = [["资产编号"], ["A1"]]
    named = write_html_xls(tmp_path / "export.xls", rows, sheet_name="资产卡片")
    assert _only(named).sheet == "资产卡片"
    long_name = "2026年度江州市第一实验小学固定资产卡片信息列表导出结果明细"
    unnamed = write_html_xls(tmp_path / f"{long_name}.xls", rows)
    assert _only(unnamed).sheet == long_name[:31]


# ---- SpreadsheetML 2003 -------------------------------------------------------------------


def test_spreadsheetml_with_index_gaps_merges_typed_data_a_hidden_row_and_two_sheets(tmp_path: Path) -> None:
    gl = [["科目余额表"], ["编制单位：江州市第一实验小学", None, None, "单位：元"], [],
          ["科目编码", "科目名称", "期末余额", None], [None, None, "借方", "贷方"],
          [1601, "固定资产", 125300.5, None], ["160101", "  房屋及构筑物", "#N/A", None],
          [None, "合计", 125300.5, 0], [True, dt.date(2026, 11, 30), dt.datetime(2026, 11, 30, 8, 15)]]
    merges = {"科目余额表": ["A1:D1", "A4:A5", "B4:B5", "C4:D4"]}
    path = write_spreadsheet_xml(tmp_path / "科目余额表.xls", {"科目余额表": gl, "说明": [[None, "第二页"]]},
                                 merges, hidden_rows={"科目余额表": [7]})
    assert b'ss:Index="4"' in path.read_bytes()  # the blank row 3 is left out
    first, second = read_workbook(path)
    assert (first.sheet, second.sheet) == ("科目余额表", "说明")
    assert sorted(first.merged) == [(1, 1, 1, 4), (4, 1, 5, 1), (4, 2, 5, 2), (4, 3, 4, 4)]
    assert first.cell(3, 1) is None and first.cell(4, 3) == "期末余额"
    assert first.cell(5, 3) == "借方" and first.cell(5, 4) == "贷方"  # after the merged-down cells
    assert first.cell(6, 1) == 1601 and first.cell(6, 3) == 125300.5
    assert first.cell(7, 1) == "160101" and first.cell(7, 2) == "  房屋及构筑物"
    assert first.cell(7, 3) == ExcelError("#N/A")
    assert first.cell(9, 1) is True
    assert first.cell(9, 2) == dt.date(2026, 11, 30) and first.cell(9, 3) == dt.datetime(2026, 11, 30, 8, 15)
    assert first.hidden_rows == {7}
    assert second.cell(1, 2) == "第二页"


def test_spreadsheetml_rich_text_is_its_text_and_a_comment_is_not_the_value(tmp_path: Path) -> None:
    doc = ('<?xml version="1.0" encoding="GB2312"?>\n'
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
           '<Worksheet ss:Name="台账"><Table><Row ss:Span="1"><Cell><ss:Data ss:Type="String" '
           'xmlns="http://www.w3.org/TR/REC-html40"><B>固定</B><Font>资产</Font></ss:Data>'
           '<Comment><ss:Data>批注</ss:Data></Comment></Cell></Row>'
           '<Row><Cell ss:Index="3"><Data ss:Type="Number">12</Data></Cell></Row></Table></Worksheet></Workbook>')
    path = tmp_path / "富文本.xls"
    path.write_bytes(doc.encode("gb18030"))
    grid = _only(path)
    assert grid.cell(1, 1) == "固定资产"
    assert grid.cell(3, 3) == 12  # after a row that spans two


def test_xml_with_entities_is_refused_before_they_expand(tmp_path: Path) -> None:
    laughs = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">' for i in range(1, 12))
    doc = ('<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
           f'<!DOCTYPE Workbook [<!ENTITY l0 "哈">{laughs}]>'
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row>'
           '<Cell><Data>&l11;</Data></Cell></Row></Table></Worksheet></Workbook>')
    path = tmp_path / "炸弹.xls"
    path.write_text(doc, encoding="utf-8")
    with pytest.raises(InputError, match="实体"):
        read_workbook(path)


# ---- CSV ----------------------------------------------------------------------------------

COUNT_ROWS = [["资产盘点结果"], ["资产编号", "资产名称", "实盘数量", "盘点状态", "备注"],
              ["440103200700000001", "教学楼", "1", "已盘", "南侧\n二楼"],
              ["00123", "台式计算机", "1", "盘亏", "备注含,逗号;分号|竖线"], [],
              ["PY20261125001", "投影仪", "1", "盘盈", None]]


@pytest.mark.parametrize(("encoding", "bom"), [("gbk", False), ("gb18030", False), ("utf-8", False),
                                               ("utf-8", True)])
@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_csv_in_every_encoding_and_delimiter_reads_the_same(tmp_path: Path, encoding: str, bom: bool,
                                                             delimiter: str) -> None:
    path = write_csv(tmp_path / "资产盘点结果.csv", COUNT_ROWS, encoding, bom, delimiter)
    grid = _only(path)
    assert grid.sheet == "资产盘点结果"
    assert grid.rows[:4] == COUNT_ROWS[:4]
    assert grid.rows[5] == ["PY20261125001", "投影仪", "1", "盘盈"]  # a CSV keeps no trailing blanks
    assert grid.cell(3, 5) == "南侧\n二楼"  # a quoted line break stays in its cell
    assert grid.cell(4, 1) == "00123" and grid.cell(3, 1) == "440103200700000001"
    assert grid.cell(5, 1) is None and grid.cell(6, 1) == "PY20261125001"  # the blank line kept


def test_csv_named_xls_and_an_id_written_as_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "导出.xls"
    path.write_bytes('资产编号,资产名称,原值\r\n="00123",钢琴,#N/A\r\n'.encode("gbk"))
    grid = _only(path)
    assert grid.sheet == "导出"
    assert grid.rows == [["资产编号", "资产名称", "原值"], ["00123", "钢琴", ExcelError("#N/A")]]


def test_excels_sep_line_and_unicode_text(tmp_path: Path) -> None:
    with_sep = tmp_path / "导出.csv"
    with_sep.write_bytes("sep=;\r\n资产编号;原值\r\n00123;1,200.50\r\n".encode("gbk"))
    assert _only(with_sep).rows == [["资产编号", "原值"], ["00123", "1,200.50"]]  # the sep line is no row
    unicode_text = tmp_path / "资产.txt"  # Excel's "Unicode text": UTF-16 with a BOM, tabs
    unicode_text.write_bytes("资产编号\t资产名称\r\nA001\t钢琴\r\n".encode("utf-16"))
    assert sniff(unicode_text) == "csv"
    assert _only(unicode_text).rows == [["资产编号", "资产名称"], ["A001", "钢琴"]]


# ---- BIFF, WPS, names that lie ------------------------------------------------------------


def test_an_xls_declaring_code_page_1252_reads_as_excel_shows_it(tmp_path: Path) -> None:
    rows = [["2026-2027学年第一学期收费标准"], ["收费项目", "适用年级", "收费标准"],
            ["作业本费", "七年级", 45], ["住宿费", "全部", 300.5], ["保险费", "#REF!", dt.date(2026, 9, 1)]]
    path = write_xls_declaring_codepage(tmp_path / "收费标准.xls", {"收费标准": rows},
                                        merges={"收费标准": ["A1:C1"]}, hidden_rows={"收费标准": [4]})
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    assert book.sheet_names != ["收费标准"]  # why: the fast reader garbles this file
    assert calamine_garbles(path)
    grid = _only(path)
    assert grid.sheet == "收费标准"
    assert grid.cell(1, 1) == rows[0][0] and grid.cell(3, 1) == "作业本费"
    assert grid.cell(3, 3) == 45 and grid.cell(4, 3) == 300.5
    assert grid.cell(5, 2) == ExcelError("#REF!") and grid.cell(5, 3) == dt.date(2026, 9, 1)
    assert grid.merged == [(1, 1, 1, 3)] and grid.hidden_rows == {4}


def test_the_second_reader_gives_what_the_first_gives_on_an_honest_xls(tmp_path: Path) -> None:
    rows = [None, [None, "资产编号", "原值", "取得日期", "在用"], [None, "A001", 4800, dt.date(2026, 9, 1), True],
            [None, "A002", 2.5, dt.datetime(2026, 9, 1, 10, 30), None], [None, "合计", "#DIV/0!"]]
    path = write_xls(tmp_path / "诚实.xls", {"S": [r or [] for r in rows]}, merges={"S": ["B5:B6"]},
                     hidden_rows={"S": [3]})
    assert not calamine_garbles(path)
    # calamine no longer reads .xls (a damaged one aborted the process); what xlrd gives is
    # what calamine gives on an honest file (bar the error value calamine hides), so nothing
    # downstream changed with the switch.
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    slow = next(read_with_xlrd(path))
    assert (slow.sheet, slow.first_row - 1, slow.first_col - 1) == ("S", *sheet.start)
    assert [["" if isinstance(v, ExcelError) else v for v in line] for line in slow.rows] == \
        sheet.to_python(skip_empty_area=True)
    assert slow.cell(5, 3) == ExcelError("#DIV/0!")
    assert slow.merged == [(5, 2, 6, 2)] and slow.hidden_rows == {3}
    assert next(iter_workbook(path)).rows == slow.rows  # an .xls handed to the .xlsx reader


def test_an_xls_whose_workbook_stream_is_damaged_is_one_line(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = write_xls(tmp_path / "坏流.xls", {"台账": [FA_HEADER, *fixed_asset_rows()]})
    data = bytearray(path.read_bytes())
    bof = data.find(b"\x09\x08\x10\x00\x00\x06")  # the workbook globals' BOF record
    data[bof:bof + 4] = b"\xff\xfe\xfd\xfc"
    path.write_bytes(bytes(data))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "损坏" in err[0] and "坏流.xls" in err[0]


def test_a_wps_file_is_one_clear_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "资产台账（WPS）.et"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    assert main(["check", str(path), "--period", "2026-11"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "另存为 .xlsx" in err[0] and "Traceback" not in err[0]


@pytest.mark.parametrize(("name", "kind"), [("真.xlsx", "xlsx"), ("伪装.xls", "xlsx"), ("旧.xlsx", "xls")])
def test_names_that_lie_are_read_by_content(tmp_path: Path, name: str, kind: str) -> None:
    rows = {"台账": [FA_HEADER, *fixed_asset_rows()]}
    written = (write_xls if kind == "xls" else write_xlsx)(tmp_path / f"w.{kind}", rows)
    path = written.rename(tmp_path / name)
    assert sniff(path) == kind
    assert _only(path).cell(2, 1) == "A001"


def test_what_a_file_really_is(tmp_path: Path) -> None:
    def kind(name: str, data: bytes) -> str:
        (tmp_path / name).write_bytes(data)
        return sniff(tmp_path / name)

    assert kind("a.xls", b"\xef\xbb\xbf  <!-- export -->\n<TABLE><tr><td>1</td></tr></TABLE>") == "html"
    assert kind("b.xls", b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?><Workbook/>') == "xml2003"
    assert kind("c.xml", b'<ss:Workbook xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"/>') == "xml2003"
    assert kind("d.xml", b"<config><row/></config>") == "other"
    assert kind("e.txt", "资产编号\t名称\nA1\t钢琴\nA2\t桌子\n".encode("gbk")) == "csv"
    assert kind("f.txt", "下周盘点，记得带标签。".encode()) == "other"
    assert kind("g.csv", "只有一列\n第二行\n".encode()) == "csv"
    assert kind("h.xlsx", "资产编号,名称\nA1,钢琴\n".encode()) == "other"  # Excel refuses it too
    assert kind("i.json", b'{"a": 1, "b": 2}\n{"c": 3, "d": 4}\n') == "other"
    assert kind("j.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600) == "wps"
    assert kind("k.xls", b"\x00\x01\x02binary\x03" * 50) == "other"


def test_encodings_are_told_apart_without_guessing() -> None:
    words = "固定资产台账，资产编号"
    assert decode(words.encode("gbk")) == (words, "gb18030")
    assert decode(words.encode("utf-8")) == (words, "utf-8")
    assert decode(b"\xef\xbb\xbf" + words.encode("utf-8"))[0] == words
    assert decode(words.encode("utf-16"))[0] == words  # Excel's "Unicode text", with its BOM
    assert decode(b'<meta charset="utf-8">' + words.encode("gbk"))[0].endswith(words)  # the meta lies
    # a byte broken in a copy: the rest still reads, the broken character shows as �
    assert decode(words.encode("gbk")[:-1] + b"\xff" + words.encode("gbk")) == (
        "固定资产台账，资产编\ufffd\ufffd" + words, "gb18030")
    with pytest.raises(InputError):
        decode(b"\x80\xff" * 200)


# ---- hostile and broken files -------------------------------------------------------------


def test_absurd_dimensions_are_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    far_row = tmp_path / "远.xls"
    far_row.write_text('<?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:'
                       'office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet>'
                       '<Table><Row ss:Index="2000000"><Cell><Data ss:Type="String">x</Data></Cell></Row>'
                       '</Table></Worksheet></Workbook>', encoding="utf-8")
    spanned = tmp_path / "跨.xls"
    spanned.write_text(far_row.read_text(encoding="utf-8").replace('ss:Index="2000000"', 'ss:Span="2000000"'),
                       encoding="utf-8")
    wide = tmp_path / "宽.xls"
    wide.write_text("<table><tr>" + '<td colspan="1000">x</td>' * 20 + "</tr></table>", encoding="utf-8")
    for path in (far_row, spanned, wide):
        assert main(["check", str(path)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "超出Excel的范围" in err[0] and path.name in err[0]


def test_a_text_file_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    from houqin_xl.read.limits import Limits, applied

    path = write_csv(tmp_path / "大.csv", [["资产编号", "名称"]] + [["A1", "钢琴" * 100]] * 4000)
    assert path.stat().st_size > 1024 * 1024
    with applied(Limits(max_text_mb=1)), pytest.raises(InputError, match="文件过大.*max_text_mb"):
        read_workbook(path)
    assert read_workbook(path)  # under the default limit it reads


@pytest.mark.parametrize(("name", "data"), [
    ("截断.xls", b'<?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:'
                b'office:spreadsheet"><Worksheet><Table><Row><Cell><Data ss:Type='),
    ("乱码.csv", b"\x80\x81\xfd,\xff\x83\x84\n" * 3),
    ("嵌套.xls", b"<table>" * 5000 + b"<tr><td>x"),
    ("超长.csv", b"a,b\n1," + b"x" * 200_000 + b"\n"),
    ("坏的.xls", bytes.fromhex("d0cf11e0a1b11ae1") + bytes(range(256)) * 3),
])
def test_a_broken_text_file_is_one_line_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    status = main(["check", str(path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2, err
    assert len(err) == 1 and name in err[0] and "内部错误" not in err[0]


def test_a_reader_librarys_warning_never_reaches_the_output(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """xlrd prints "file size not 512 + multiple of sector size" on stdout unless told not to."""
    plain = write_xls(tmp_path / "台账.xls", {"台账": [FA_HEADER, *fixed_asset_rows()]})
    plain.write_bytes(plain.read_bytes() + b"\x00" * 100)
    odd = write_xls_declaring_codepage(tmp_path / "标准.xls", {"收费标准": [["收费项目", "年级", "收费标准"],
                                                                       ["作业本费", "全部", 45]]})
    odd.write_bytes(odd.read_bytes() + b"\x00" * 100)
    out_json = tmp_path / "out.json"
    assert main(["check", str(plain), str(odd), "--period", "2026-11", "--json", str(out_json), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out.count("\n") == 1 and "WARNING" not in captured.out


# ---- a folder of everything ---------------------------------------------------------------


def test_a_folder_mixing_every_kind_names_every_file(tmp_path: Path) -> None:
    folder = tmp_path / "混合"
    folder.mkdir()
    write_xlsx(folder / "固定资产台账.xlsx", {"固定资产台账": [FA_HEADER, *fixed_asset_rows()]})
    write_html_xls(folder / "资产卡片.xls", [CARD_HEADER, *CARDS])
    write_spreadsheet_xml(folder / "总账.xls", {"总账": [["资产分类", "数量", "期末余额"], ["通用设备", 3, 11800]]})
    write_csv(folder / "盘点.csv", [["资产编号", "资产名称", "实际存放地点", "实盘数量"], ["A001", "台式电脑", "二楼办公室", "1"]],
              "gbk")
    write_xls_declaring_codepage(folder / "收费标准.xls", {"收费标准": [["收费项目", "年级", "收费标准"],
                                                                      ["作业本费", "全部", 45]]})
    write_xlsx(tmp_path / "x.xlsx", {"S": [["资产编号", "原值"], ["A9", 1]]}).rename(folder / "伪装.xls")
    (folder / "资产台账（WPS）.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 700)
    (folder / "说明.txt").write_text("请于月底前上交。", encoding="utf-8")
    out = tmp_path / "out.json"
    status = main(["check", str(folder), "--period", "2026-11", "--json", str(out), "--quiet"])
    payload = json.loads(out.read_text(encoding="utf-8"))
    outcomes = {Path(f["path"]).name: (f["outcome"], f.get("reason", "")) for f in payload["files"]}
    assert status in (0, 1)
    assert set(outcomes) == {"固定资产台账.xlsx", "资产卡片.xls", "总账.xls", "盘点.csv", "收费标准.xls",
                             "伪装.xls", "资产台账（WPS）.et", "说明.txt"}
    for name in ("固定资产台账.xlsx", "资产卡片.xls", "总账.xls", "盘点.csv", "收费标准.xls"):
        assert outcomes[name][0] == "read", (name, outcomes[name])
    assert outcomes["资产台账（WPS）.et"][0] == "unreadable" and "另存为 .xlsx" in outcomes["资产台账（WPS）.et"][1]
    assert outcomes["说明.txt"] == ("unreadable", "不是表格文件 / not a spreadsheet")
    assert outcomes["伪装.xls"][0] in ("read", "not_a_ledger")
    sheets = {(Path(i["path"]).name, i["sheet"]) for i in payload["ledgers"]}
    assert ("收费标准.xls", "收费标准") in sheets and ("总账.xls", "总账") in sheets
