"""Files → grids: every format, error values, hidden rows, merges, cached formulas, folders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import python_calamine
from builders import Formula, write_workbook, write_xls, write_xlsm, write_xlsx

from houqin_xl.errors import InputError
from houqin_xl.ledgers.parse import is_blank
from houqin_xl.read import list_workbooks, read_paths, read_workbook
from houqin_xl.read.grid import ExcelError, Grid, cell_ref, column_index, column_letter, parse_range

ROWS = [
    [None],
    [None, None, "资产编号", "原值", "取得日期"],
    [None, None, "A001", 4800, dt.date(2026, 9, 1)],
    [None, None, "A002", "#REF!", "2026.9.1"],
    [None, None, "A003", "#DIV/0!", None],
]


def _only(path: Path) -> Grid:
    grids = read_workbook(path)
    assert len(grids) == 1
    return grids[0]


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".xls"])
def test_cells_keep_their_excel_coordinates(tmp_path: Path, suffix: str) -> None:
    grid = _only(write_workbook(tmp_path / f"a{suffix}", {"台账": ROWS}))
    assert grid.sheet == "台账"
    assert grid.cell(2, 3) == "资产编号"
    assert grid.cell(3, 3) == "A001"
    assert grid.cell(3, 4) == 4800
    assert grid.cell(4, 5) == "2026.9.1"
    assert is_blank(grid.cell(1, 1)) and is_blank(grid.cell(99, 99))


def test_calamine_alone_loses_error_values(tmp_path: Path) -> None:
    """Why read.py scans the sheet XML: the fast reader hands #REF! back as an empty cell."""
    path = write_xlsx(tmp_path / "e.xlsx", {"S": ROWS})
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    sheet = book.get_sheet_by_index(0)
    rows = sheet.to_python(skip_empty_area=True)
    start = sheet.start
    assert rows[4 - 1 - start[0]][4 - 1 - start[1]] == ""


@pytest.mark.parametrize(("suffix", "engine"), [
    (".xlsx", "openpyxl"), (".xlsx", "xlsxwriter"), (".xlsm", None), (".xls", None),
])
def test_excel_error_values_are_restored(tmp_path: Path, suffix: str, engine: str | None) -> None:
    path = tmp_path / f"e{suffix}"
    if engine:
        write_xlsx(path, {"S": ROWS}, engine=engine)
    else:
        write_workbook(path, {"S": ROWS})
    grid = _only(path)
    assert grid.cell(4, 4) == ExcelError("#REF!")
    assert grid.cell(5, 4) == ExcelError("#DIV/0!")
    assert str(grid.cell(5, 4)) == "#DIV/0!"


def test_an_error_alone_at_the_edge_of_the_sheet_is_kept(tmp_path: Path) -> None:
    rows = [[None, None, "资产编号", "原值"], [None, None, "A1", 5], ["#REF!"],
            [None, None, None, None, None, "#N/A"]]
    grid = _only(write_xlsx(tmp_path / "edge.xlsx", {"S": rows}))
    assert grid.cell(3, 1) == ExcelError("#REF!")
    assert grid.cell(4, 6) == ExcelError("#N/A")


@pytest.mark.parametrize(("suffix", "engine"), [
    (".xlsx", "openpyxl"), (".xlsx", "xlsxwriter"), (".xlsm", None), (".xls", None),
])
def test_hidden_rows_are_known_and_still_read(tmp_path: Path, suffix: str, engine: str | None) -> None:
    path = tmp_path / f"h{suffix}"
    hidden = {"S": [4]}
    if engine:
        write_xlsx(path, {"S": ROWS}, hidden_rows=hidden, engine=engine)
    else:
        write_workbook(path, {"S": ROWS}, hidden_rows=hidden)
    grid = _only(path)
    assert grid.hidden_rows == {4}
    assert grid.cell(4, 3) == "A002"


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".xls"])
def test_merged_ranges_in_excel_coordinates(tmp_path: Path, suffix: str) -> None:
    rows = [["XX小学固定资产台账", None, None], ["编号", "部门", "原值"], ["A1", "教务处", 1],
            ["A2", None, 2], ["A3", None, 3]]
    grid = _only(write_workbook(tmp_path / f"m{suffix}", {"S": rows}, merges={"S": ["A1:C1", "B3:B5"]}))
    assert sorted(grid.merged) == [(1, 1, 1, 3), (3, 2, 5, 2)]
    assert grid.cell(3, 2) == "教务处"


def test_formulas_give_their_cached_values(tmp_path: Path) -> None:
    rows = [["数量", "单价", "原值"], [2, 3500, Formula("=A2*B2", 7000)],
            [None, "合计", Formula("=SUM(C2:C2)", 7000)], [None, "文字", Formula('="在"&"用"', "在用")]]
    grid = _only(write_xlsx(tmp_path / "f.xlsx", {"S": rows}))
    assert grid.cell(2, 3) == 7000
    assert grid.cell(3, 3) == 7000
    assert grid.cell(4, 3) == "在用"


def test_dates_come_back_as_dates(tmp_path: Path) -> None:
    for suffix in (".xlsx", ".xls"):
        grid = _only(write_workbook(tmp_path / f"d{suffix}", {"S": ROWS}))
        value = grid.cell(3, 5)
        assert isinstance(value, dt.date | dt.datetime)
        assert (value.date() if isinstance(value, dt.datetime) else value) == dt.date(2026, 9, 1)


def test_hidden_sheets_are_data_too(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "hs.xlsx", {"显示": ROWS, "隐藏": ROWS}, hidden_sheets=["隐藏"])
    assert [g.sheet for g in read_workbook(path)] == ["显示", "隐藏"]


def test_xlsm_is_a_macro_workbook_read_like_xlsx(tmp_path: Path) -> None:
    import zipfile

    path = write_xlsm(tmp_path / "宏.xlsm", {"S": ROWS})
    with zipfile.ZipFile(path) as zf:
        assert b"macroEnabled" in zf.read("[Content_Types].xml")
    assert _only(path).cell(3, 3) == "A001"


def test_a_folder_gives_its_workbooks_in_order_and_skips_lock_files(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "b.xlsx", {"S": ROWS})
    (tmp_path / "sub").mkdir()
    write_xls(tmp_path / "sub" / "a.xls", {"S": ROWS})
    write_xlsm(tmp_path / "c.xlsm", {"S": ROWS})
    (tmp_path / "~$b.xlsx").write_bytes(b"lock")
    (tmp_path / "readme.txt").write_text("not a workbook")
    found = [p.relative_to(tmp_path).as_posix() for p in list_workbooks([tmp_path])]
    assert found == ["b.xlsx", "c.xlsm", "sub/a.xls"]
    assert len(read_paths([tmp_path])) == 3


def test_the_tools_own_sheets_are_never_read_as_ledgers(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "ledger.xlsx", {"S": ROWS})
    write_xlsx(tmp_path / "report.xlsx", {"校验报告": [["台账", "单元格"]], "汇总-资产": ROWS})
    assert [Path(g.path).name for g in read_paths([tmp_path])] == ["ledger.xlsx"]
    # A ledger the Excel buttons wrote their report into is still the bursar's ledger.
    write_xlsx(tmp_path / "ledger.xlsx", {"S": ROWS, "校验报告": [["台账", "单元格"]]})
    assert [(Path(g.path).name, g.sheet) for g in read_paths([tmp_path])] == [("ledger.xlsx", "S")]


def test_an_empty_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        list_workbooks([tmp_path])


def test_excel_addressing_helpers() -> None:
    assert column_letter(1) == "A" and column_letter(26) == "Z" and column_letter(27) == "AA"
    assert column_index("AA") == 27 and column_index("h") == 8
    assert all(column_index(column_letter(n)) == n for n in range(1, 1000))
    assert cell_ref(17, 8) == "H17"
    assert parse_range("$B$3:D5") == (3, 2, 5, 4)
    assert parse_range("D5:B3") == (3, 2, 5, 4)
    with pytest.raises(ValueError):
        parse_range("not a cell")


@pytest.mark.parametrize(("written", "named"), [(".xlsx", ".xls"), (".xls", ".xlsx")])
def test_a_workbook_renamed_to_the_other_format_is_read_by_its_content(
        tmp_path: Path, written: str, named: str) -> None:
    source = write_workbook(tmp_path / f"a{written}", {"S": ROWS}, hidden_rows={"S": [5]})
    renamed = source.rename(tmp_path / f"改名{named}")
    grid = _only(renamed)
    assert grid.cell(3, 3) == "A001"
    assert grid.cell(4, 4) == ExcelError("#REF!")
    assert grid.hidden_rows == {5}
