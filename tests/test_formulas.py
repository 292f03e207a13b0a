"""Formulas a workbook holds no result for (openpyxl writes none, XlsxWriter a 0, and both ask
Excel to compute everything on opening) are computed as Excel would show them; what is not
computed here is reported as such on its cell — never read as blank, nor as the placeholder 0.
A file that holds its results (saved by Excel or WPS) is read as it is."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from builders import FA_HEADER, describe, errors, fixed_asset_rows, ledger, run
from hypothesis import given, settings
from hypothesis import strategies as st

from houqin_xl.read import read_workbook
from houqin_xl.read.formulas import Formula, settle
from houqin_xl.read.grid import UNCALCULATED, ExcelError

# FA_HEADER: 资产编号 资产名称 资产分类 规格型号 计量单位 数量 单价 原值 …; 原值 is column H.


def _register_with_formulas(path: Path, engine: str, total: bool = True) -> Path:
    rows = [FA_HEADER, *[list(r) for r in fixed_asset_rows()]]
    n = len(rows)
    for i in range(2, n + 1):
        rows[i - 1][7] = f"=F{i}*G{i}"
    if total:
        rows.append(["合计", None, None, None, None, f"=SUM(F2:F{n})", None, f"=SUM(H2:H{n})"])
    if engine == "openpyxl":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "台账"
        for row in rows:
            ws.append(row)
        wb.save(path)
    else:
        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet("台账")
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str) and value.startswith("="):
                    ws.write_formula(r, c, value)  # cached 0, as XlsxWriter writes by default
                elif value is not None:
                    ws.write(r, c, value)
        wb.close()
    return path


@pytest.mark.parametrize("engine", ["openpyxl", "xlsxwriter"])
def test_a_register_whose_原值_and_合计_are_formulas_written_by_a_program_is_read_as_excel_shows_it(
        tmp_path: Path, engine: str) -> None:
    checked = run(_register_with_formulas(tmp_path / "台账.xlsx", engine))
    assert errors(checked) == [], describe(errors(checked))
    frame = ledger(checked, "fixed_assets").frame
    expected = [r[5] * r[6] for r in fixed_asset_rows()]
    assert list(frame["original_value"]) == pytest.approx(expected)


def test_a_wrong_合计_formula_is_still_caught_on_its_cell(tmp_path: Path) -> None:
    path = _register_with_formulas(tmp_path / "台账.xlsx", "openpyxl", total=False)
    wb = openpyxl.load_workbook(path)
    n = wb["台账"].max_row
    wb["台账"].append(["合计", None, None, None, None, None, None, f"=SUM(H2:H{n - 1})"])  # misses a row
    wb.save(path)
    found = [(f.kind, f.row, f.column) for f in errors(run(path))]
    assert found == [("arithmetic", n + 1, "H")]


def test_a_formula_not_computed_here_is_said_on_its_cell_never_read_as_blank(tmp_path: Path) -> None:
    path = _register_with_formulas(tmp_path / "台账.xlsx", "openpyxl", total=False)
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    ws["H3"] = '=VLOOKUP(A3,价格表!A:B,2,FALSE)'  # another sheet, a lookup: not computed here
    wb.save(path)
    found = [f for f in errors(run(path)) if f.row == 3]
    assert [(f.kind, f.column) for f in found] == [("bad_type", "H")]
    assert "公式没有计算结果" in found[0].message and "不是有效" not in found[0].message


def test_a_file_holding_its_results_is_read_as_it_is(tmp_path: Path) -> None:
    # As Excel saves it: the result in <v>, no request to recompute on opening. The result is
    # what the bursar sees, even where the formula would now give another figure.
    path = _register_with_formulas(tmp_path / "台账.xlsx", "openpyxl", total=False)
    saved = tmp_path / "已保存.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b' fullCalcOnLoad="1"', b"")
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"<f>(F(\d+)\*G\d+)</f><v></v>", lambda m: b"<f>" + m.group(1) + b"</f><v>777</v>",
                              data)
            zout.writestr(info, data)
    grid = next(g for g in read_workbook(saved) if g.sheet == "台账")
    assert grid.cell(2, 8) == 777


def _rows(values: dict[tuple[int, int], object], height: int = 5, width: int = 5) -> list[list[object]]:
    return [[values.get((r, c)) for c in range(1, width + 1)] for r in range(1, height + 1)]


@pytest.mark.parametrize(("formula", "expected"), [
    ("=A1*B1", 6), ("=A1+B1*2", 8), ("=(A1+B1)*2", 10), ("=-A1+B1", 1), ("=A1^2", 4),
    ("=SUM(A1:B2)", 15), ("=SUM(A1:A3,B1)", 14), ("=ROUND(A2/B1,2)", 1.33), ("=ROUND(2.5,0)", 3),
    ("=ROUND(-2.5,0)", -3), ("=ABS(A1-B1*3)", 7), ("=MAX(A1:B2)", 6), ("=MIN(A1:B2)", 2),
    ("=AVERAGE(A1:B2)", 3.75), ("=$A$1*$B$1", 6), ("=C1*2", 12), ("=A1*10%", 0.2),
    ("=SUM(A1:A5)", 11),  # text and blanks in a range are skipped
])
def test_the_formulas_computed_here(formula: str, expected: float) -> None:
    # A1 2, B1 3, C1 =A1*B1 (itself computed first); A2 4, B2 6; A3 5; A4 text.
    rows = _rows({(1, 1): 2, (1, 2): 3, (2, 1): 4, (2, 2): 6, (3, 1): 5, (4, 1): "备注"})
    settle(rows, 1, 1, {(1, 3): Formula("A1*B1", False), (5, 5): Formula(formula.lstrip("="), False)}, False)
    assert rows[4][4] == pytest.approx(expected)


@pytest.mark.parametrize("formula", ["=IF(A1>1,1,0)", "=Sheet2!A1", "=A1&B1", "=A4*2", "=E5+1",
                                     "=A1/0", "=FOO(A1)", "=A1:A3", "=SUM(", "=价格"])
def test_a_formula_not_computed_is_marked_where_the_file_has_no_result(formula: str) -> None:
    rows = _rows({(1, 1): 2, (1, 2): 3, (4, 1): "备注"})
    settle(rows, 1, 1, {(5, 5): Formula(formula.lstrip("="), False)}, False)
    assert rows[4][4] == ExcelError(UNCALCULATED)


def test_a_cached_result_is_kept_unless_it_is_a_placeholder_0_in_a_file_excel_recomputes() -> None:
    rows = _rows({(1, 1): 2, (1, 2): 3, (1, 3): 0})
    settle(rows, 1, 1, {(1, 3): Formula("A1*B1", True, zero=True)}, False)
    assert rows[0][2] == 0  # saved by Excel: what it shows
    settle(rows, 1, 1, {(1, 3): Formula("A1*B1", True, zero=True)}, True)
    assert rows[0][2] == 6  # XlsxWriter's placeholder, Excel recomputes on opening
    rows = _rows({(1, 1): 2, (1, 2): 3, (1, 3): 7})
    settle(rows, 1, 1, {(1, 3): Formula("A1*B1", True)}, True)
    assert rows[0][2] == 7  # a result the writer gave stays


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["A1", "B1", "(A1+B1)", "SUM(A1:B1)", "2", "0.5", "-A1"]), min_size=1,
                max_size=6),
       st.lists(st.sampled_from(["+", "-", "*"]), min_size=5, max_size=5))
def test_arithmetic_agrees_with_python(atoms: list[str], ops: list[str]) -> None:
    text = atoms[0]
    for atom, op in zip(atoms[1:], ops, strict=False):
        text += op + atom
    rows = _rows({(1, 1): 7, (1, 2): 3})
    settle(rows, 1, 1, {(5, 5): Formula(text, False)}, False)
    python = text.replace("SUM(A1:B1)", "(A1+B1)").replace("A1", "7").replace("B1", "3")
    assert rows[4][4] == pytest.approx(eval(python))  # noqa: S307 - our own generated arithmetic
