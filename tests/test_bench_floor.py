"""bench/floor.py's floors are only a bound if each part really does its work: the scan floor
must refuse what the tool's scan refuses, the read floor must read every cell the tool reads,
and an unknown part must not pass as an empty (instant) floor. The Arrow parts need the bench
extra (fastexcel), which this venv does not have; they are run by `make bench-floor`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from builders import FA_HEADER, fixed_asset_rows, write_xlsx
from hostile_files import package, sheet_xml

from houqin_xl.read import read_workbook

REPO = Path(__file__).resolve().parents[1]
BARE = REPO / "bench" / "bare.py"


def _floor(parts: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BARE), "floor", parts, str(path)], capture_output=True,
                          text=True, timeout=120, cwd=REPO, check=False)


def _register(tmp: Path) -> Path:
    return write_xlsx(tmp / "台账.xlsx", {"台账": [FA_HEADER, *fixed_asset_rows()]}, engine="xlsxwriter")


def test_each_floor_without_arrow_runs_on_a_register(tmp_path: Path) -> None:
    path = _register(tmp_path)
    for parts in ("imports", "inflate", "scan", "imports+read"):
        proc = _floor(parts, path)
        assert proc.returncode == 0, (parts, proc.stderr)


def test_the_scan_floor_refuses_what_the_tools_scan_refuses(tmp_path: Path) -> None:
    path = package(tmp_path / "角.xlsx", [("台账", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'
                                                             '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'))])
    assert _floor("inflate", path).returncode == 0  # decompressing alone measures nothing
    proc = _floor("scan", path)
    assert proc.returncode != 0 and "max_cells" in proc.stderr


def test_the_read_floor_reads_every_cell_the_reader_does(tmp_path: Path) -> None:
    path = _register(tmp_path)
    code = "import sys; sys.path.insert(0, 'bench'); import bare; print(bare.floor('imports+read', sys.argv[1]))"
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                          timeout=120, cwd=REPO, check=True)
    assert int(proc.stdout) == sum(len(row) for grid in read_workbook(path) for row in grid.rows)


def test_an_unknown_part_is_refused_not_timed_as_nothing(tmp_path: Path) -> None:
    proc = _floor("imports+parse", _register(tmp_path))
    assert proc.returncode != 0 and "unknown floor part" in proc.stderr
