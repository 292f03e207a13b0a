"""Hostile workbooks at the reader: a cell calamine panics on, a sheet whose used rectangle is
billions of cells, a zip bomb, a part that lies about its size, a package of ten thousand
parts, a damaged .xls that made calamine abort. Each ends in a finding on the bad cell or one
line naming the file (exit 2) — never a traceback, a panic on stderr, or memory used up.

The cases that could take the process down if the tool regressed run as their own process.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from builders import FA_HEADER, fixed_asset_rows, run, write_xlsx
from hostile_files import _bomb, _replace_part, package, rewrite_zip, sheet_xml
from hypothesis import given, settings
from hypothesis import strategies as st

from houqin_xl.cli import main
from houqin_xl.errors import InputError
from houqin_xl.read import read_workbook
from houqin_xl.read.limits import Limits, applied
from houqin_xl.read.sheet_extent import exact, extent

REPO = Path(__file__).resolve().parent.parent
DEMO_XLS = REPO / "workbooks" / "示例2-杂乱台账" / "总账资产分类余额（财务室导出）.xls"


def _cli(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "houqin_xl.cli", *argv], capture_output=True,
                          text=True, timeout=timeout, cwd=REPO, check=False)


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "panicked" not in err
    return lines[0]


def _register(tmp: Path, name: str = "台账.xlsx") -> Path:
    """The asset register written by XlsxWriter, its dates date-formatted cells."""
    return write_xlsx(tmp / name, {"台账": [FA_HEADER, *fixed_asset_rows()]}, engine="xlsxwriter")


def _set_raw(path: Path, cell: str, new: str) -> None:
    """Replace one cell's raw <v> in the sheet XML (what no writer would write)."""
    def patch(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        changed, count = re.subn(rb'(<c r="' + cell.encode() + rb'"[^>]*><v>)[^<]*(</v>)',
                                 rb"\g<1>" + new.encode() + rb"\g<2>", data)
        assert count == 1
        return changed
    rewrite_zip(path, path, patch)


# ---- a cell calamine cannot convert -----------------------------------------------------------


@pytest.mark.parametrize("raw", ["-1e308", "-1e12", "1e308", "2958466", "NaN", "-1"])
def test_a_date_cell_outside_excels_calendar_is_a_bad_date_on_its_cell_and_the_rest_is_read(
        tmp_path: Path, capfd: pytest.CaptureFixture[str], raw: str) -> None:
    """-1e308 under a date format made calamine panic (TimeDelta::milliseconds out of bounds):
    a BaseException, a traceback, exit 1. Now the sheet is read and the cell is reported."""
    path = _register(tmp_path)
    _set_raw(path, "I3", raw)  # 取得日期 of the second asset, a date-formatted cell
    checked = run(path)
    bad = [f for f in checked.result.findings if f.kind == "bad_type" and f.field == "acquired_on"]
    assert [(f.row, f.column) for f in bad] == [(3, "I")]
    assert bad[0].value == raw or float(bad[0].value) == float(raw)
    assert len(checked.ledgers[0].frame) == len(fixed_asset_rows())
    err = capfd.readouterr().err
    assert "panicked" not in err and "RUST_BACKTRACE" not in err


def test_the_panic_case_through_the_command_is_exit_1_with_the_finding(tmp_path: Path) -> None:
    path = _register(tmp_path)
    _set_raw(path, "I3", "-1e308")
    out = tmp_path / "r.json"
    proc = _cli("check", str(path), "--period", "2026-11", "--json", str(out), "--quiet")
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == "" and "bad_type" in out.read_text(encoding="utf-8")


def test_an_amount_of_1e308_is_a_bad_amount_not_an_internal_error(tmp_path: Path) -> None:
    path = _register(tmp_path)
    _set_raw(path, "H2", "1e308")  # the first asset's 原值
    out = tmp_path / "r.json"
    proc = _cli("check", str(path), "--period", "2026-11", "--json", str(out), "--quiet")
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    assert '"value": "1e+308"' in out.read_text(encoding="utf-8")


# ---- what a workbook may make us allocate ------------------------------------------------------


def test_two_cells_at_opposite_corners_are_refused_before_calamine_lays_out_17_billion(
        tmp_path: Path) -> None:
    path = package(tmp_path / "角.xlsx", [("台账", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'
                                                             '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'))])
    proc = _cli("check", str(path), timeout=60)
    assert proc.returncode == 2
    line = _one_line(proc.stderr)
    assert "表格过大" in line and "max_cells" in line and "角.xlsx" in line


def test_cells_without_references_are_counted_along_their_rows(tmp_path: Path) -> None:
    """Writers that leave out `r` (calamine places such a cell after the one before): a row of
    16,000 of them is 16,000 columns, measured without any reference to go by."""
    cells = "<c><v>1</v></c>" * 16_000
    rows = "".join(f"<row>{cells if r in (1, 1300) else '<c><v>1</v></c>'}</row>" for r in range(1, 1301))
    path = package(tmp_path / "无引用.xlsx", [("台账", sheet_xml(rows))])
    assert extent(sheet_xml(rows)).cells >= exact(sheet_xml(rows)).cells == 1300 * 16_000
    with pytest.raises(InputError, match="max_cells"):
        read_workbook(path)


@pytest.mark.parametrize("xml", [
    '<row r="3"><c r="B3"><v>1</v></c><c r="D9"><v>1</v></c></row>',
    "<row r='2'><c r='b2'><v>1</v></c><c r='AB40'><v>1</v></c></row>",
    '<row><c><v>1</v></c><c r="C5"><v>1</v></c><c><v>1</v></c></row><row><c><v>1</v></c></row>',
    '<row r="1"><c s="1" r="C1"><v>1</v></c><c t="s" r="E7"><v>0</v></c></row>',
    '<row r="1"><c r = "A1"><v>1</v></c><c r= "H9"><v>1</v></c></row>',
])
def test_the_fast_bound_is_never_below_calamines_own_walk(xml: str) -> None:
    fast, walk = extent(sheet_xml(xml)), exact(sheet_xml(xml))
    assert fast.rows >= walk.rows and fast.cols >= walk.cols


def test_a_school_sets_its_own_limit_in_its_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _register(tmp_path)
    (tmp_path / "houqin.toml").write_text("max_cells = 50\n", encoding="utf-8")
    assert main(["check", str(path), "--period", "2026-11"]) == 2
    assert "max_cells" in _one_line(capsys.readouterr().err)
    (tmp_path / "houqin.toml").write_text("max_cells = 100000\n", encoding="utf-8")
    assert main(["check", str(path), "--period", "2026-11"]) in (0, 1)
    (tmp_path / "houqin.toml").write_text("max_cells = -3\n", encoding="utf-8")
    assert main(["check", str(path)]) == 2
    assert "max_cells" in _one_line(capsys.readouterr().err)


def test_a_zip_bomb_is_refused_by_what_its_part_declares(tmp_path: Path) -> None:
    path = tmp_path / "炸弹.xlsx"
    _bomb(path, 40 * 1024 * 1024, honest=True)  # 40 MB of spaces in ≈ 40 KB
    proc = _cli("check", str(path), timeout=60)
    assert proc.returncode == 2
    line = _one_line(proc.stderr)
    assert "压缩比" in line and "max_ratio" in line and "炸弹.xlsx" in line
    with applied(Limits(max_part_mb=10, max_ratio=10**6)), pytest.raises(InputError, match="max_part_mb"):
        read_workbook(path)


def test_a_part_that_expands_past_the_size_it_declares_is_refused(tmp_path: Path) -> None:
    """Python's zipfile stops at the declared size; the Rust zip reader under calamine does
    not. A part that says 1 KB and inflates to 20 MB is refused before calamine sees it."""
    path = tmp_path / "说谎.xlsx"
    _bomb(path, 20 * 1024 * 1024, honest=False)
    with pytest.raises(InputError, match="超过声明的大小"):
        read_workbook(path)


def test_a_part_whose_stream_ends_early_is_refused(tmp_path: Path) -> None:
    path = _register(tmp_path)
    with zipfile.ZipFile(path) as zf:
        data = zf.read("xl/worksheets/sheet1.xml")
    import zlib

    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    stream = compressor.compress(data[: len(data) // 2]) + compressor.flush()
    _replace_part(path, "xl/worksheets/sheet1.xml", stream, len(data), zlib.crc32(data))
    with pytest.raises(InputError, match="损坏"):
        read_workbook(path)


def test_a_package_of_ten_thousand_parts_is_refused_before_its_list_is_built(tmp_path: Path) -> None:
    path = package(tmp_path / "碎片.xlsx", [("台账", sheet_xml(""))],
                   extra=[(f"xl/media/x{i}.bin", b"") for i in range(10_001)])
    with pytest.raises(InputError, match="部件过多.*max_parts"):
        read_workbook(path)


def test_doubled_parts_and_entity_expansion_are_one_line(tmp_path: Path) -> None:
    good = _register(tmp_path, "好.xlsx")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>')
    bad = rewrite_zip(good, tmp_path / "实体.xlsx", lambda name, data: (
        laughs + data.split(b"?>", 1)[1] if name == "xl/workbook.xml" else data))
    with pytest.raises(InputError):
        read_workbook(bad)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        twice = rewrite_zip(good, tmp_path / "重名.xlsx", lambda name, data: data,
                            [("xl/worksheets/sheet1.xml", b"<worksheet/>")])
    with pytest.raises(InputError, match="重名"):
        read_workbook(twice)


# ---- old .xls: xlrd only ------------------------------------------------------------------


def test_a_damaged_xls_that_made_calamine_allocate_11_gb_is_read_or_refused(tmp_path: Path) -> None:
    """A text cell moved to column 28,958 by four changed bytes: calamine allocated 11 GB (or
    aborted the process). xlrd reads what is there, in a moment."""
    data = bytearray(DEMO_XLS.read_bytes())
    at = data.index(b"\xfd\x00\x0a\x00", data.index(b"\x09\x08\x10\x00\x00\x06\x10\x00"))  # first LABELSST of a sheet
    data[at + 6:at + 8] = (0x711E).to_bytes(2, "little")  # its column
    path = tmp_path / "坏列.xls"
    path.write_bytes(bytes(data))
    proc = _cli("check", str(path), "--period", "2026-11", timeout=60)
    assert proc.returncode in (0, 1, 2), proc.stderr
    assert "Traceback" not in proc.stderr and "memory allocation" not in proc.stderr


def test_an_xls_is_never_handed_to_calamine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    def refuse(*_args, **_kwargs):
        raise AssertionError("calamine opened an .xls")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", refuse)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", refuse)
    grids = read_workbook(DEMO_XLS)
    assert grids and grids[0].rows


# ---- whatever a reader raises, and a bug of ours --------------------------------------------


class PanicException(BaseException):
    """What pyo3 raises for a Rust panic: a BaseException, past any `except Exception`."""


def test_a_panic_in_calamine_is_one_line_naming_the_file_exit_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from houqin_xl.read import workbook

    path = _register(tmp_path)

    def panic(_path: Path) -> None:
        raise PanicException("TimeDelta::milliseconds out of bounds")

    monkeypatch.setattr(workbook, "_open", panic)
    assert main(["check", str(path), "--period", "2026-11"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "台账.xlsx" in line and "内部错误" not in line


def test_a_bug_of_ours_is_one_line_and_exit_3_never_1(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from houqin_xl import check as check_module

    path = _register(tmp_path)
    for error in (KeyError("original_value"), PanicException("a panic outside any reader")):
        def broken(*_args: object, error: BaseException = error) -> None:
            raise error

        monkeypatch.setattr(check_module, "run_rules", broken)
        assert main(["check", str(path), "--period", "2026-11", "--quiet"]) == 3
        line = _one_line(capsys.readouterr().err)
        assert line.startswith("houqin-xl: 内部错误 / internal error:") and type(error).__name__ in line


@settings(max_examples=200, deadline=None)
@given(refs=st.lists(st.tuples(st.sampled_from(['"', "'"]),
                               st.text(alphabet="AZaz019'\" x<", min_size=0, max_size=12)),
                     min_size=1, max_size=30))
def test_the_digits_of_a_reference_end_where_its_quote_does(refs: list[tuple[str, str]]) -> None:
    """The bound reads a reference's digits up to its closing quote; the run of digits (how
    programs write it) and the search among all the quotes (anything else) agree."""
    import numpy as np

    from houqin_xl.read import sheet_extent

    xml = "".join(f"<c r={q}{body}{q}/>" for q, body in refs).encode()
    seg = np.frombuffer(xml, dtype=np.uint8)
    padded = np.concatenate([np.zeros(8, dtype=np.uint8), seg, np.zeros(24, dtype=np.uint8)])
    eq = np.flatnonzero(seg == ord("="))
    first, quote = eq + 2, seg[eq + 1]
    n_letters = np.zeros(len(eq), dtype=np.int64)
    for i, f in enumerate(first.tolist()):
        while n_letters[i] < 4 and chr(xml[f + n_letters[i]]).isascii() and chr(xml[f + n_letters[i]]).isalpha():
            n_letters[i] += 1
    n_letters = np.minimum(n_letters, 3)
    searched = sheet_extent._closing_quotes(padded, first, quote) - first - n_letters
    assert sheet_extent._digits_to_quote(padded, first, n_letters, quote).tolist() == searched.tolist()
