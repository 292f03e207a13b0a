"""One timed process of the benchmark: run.py and district.py start this file fresh for every
timing, so each one pays its interpreter start and its own imports, as a real run does.

    python bench/bare.py calamine  BOOK.xlsx   # (a) python-calamine, every sheet to_python()
    python bench/bare.py fastexcel BOOK.xlsx   # (f) fastexcel, every sheet into Arrow
    python bench/bare.py openpyxl  BOOK.xlsx   # (b) pd.read_excel(..., engine="openpyxl")
    python bench/bare.py houqin-xl check BOOK.xlsx --period 2026-11 --json OUT --quiet   # (c)
    python bench/bare.py python                # the interpreter alone
    python bench/bare.py import MODULE …       # the interpreter and these imports
    python bench/bare.py floor PARTS BOOK.xlsx # a floor: only the named parts of a check (floor.py)

Nothing is imported at the top but sys and os: a bare read must not pay for what the check
imports, nor the check for what the benchmark imports. The parent measures the wall time and
reads the peak memory and CPU time of this process with os.wait4.

HOUQIN_BENCH_HIDE (comma-separated module names) makes those modules unimportable here, as if
not installed: run.py hides what only the dev extras install (hypothesis, pytest, pyarrow,
fastexcel, …) from the check, because a bursar's install of houqin-xl does not have them and
pandas and pandera import some of them when they are present (pandera imports hypothesis at
the first validation, ≈ 0.15 s; pandas imports pyarrow, ≈ 0.07 s).
"""

import os
import sys

# Run as a script, this folder is sys.path[0]; its modules (run, generate, …) are not the
# tool's and must not shadow anything.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]
for _name in filter(None, os.environ.get("HOUQIN_BENCH_HIDE", "").split(",")):
    sys.modules[_name] = None  # `import _name` now raises ImportError, as when not installed


def calamine(path: str) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(path)
    cells = 0
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        cells += sum(len(r) for r in rows)
    book.close()
    return cells


def fastexcel(path: str) -> int:
    # The floor of issue #15: calamine (inside fastexcel) straight into Arrow columns, every
    # cell as a string, no header row; to_arrow() so the data is in Arrow when the clock stops.
    import fastexcel as fe

    reader = fe.read_excel(path)
    cells = 0
    for name in reader.sheet_names:
        batch = reader.load_sheet(name, header_row=None, dtypes="string").to_arrow()
        cells += batch.num_rows * batch.num_columns
    return cells


def openpyxl(path: str) -> int:
    import pandas as pd

    frames = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    return sum(f.size for f in frames.values())


# The parts a floor process may be made of (bench/floor.py): each is something every check must
# do or that a columnar read path would do, and nothing else — no recognising, typing,
# validating or rules. What they cost together is below anything a check can take.
FLOOR_PARTS = ("imports", "inflate", "scan", "arrow", "read")


def floor(parts: str, path: str) -> int:
    """imports: the stack every check imports (pandas, pandera, python-calamine);
    scan: the hostile-input scan of issue #16 (houqin_xl.read.zip_scan), which must measure a
    sheet before calamine may parse it — the arrow read waits for each sheet's gate, as the
    tool's reader does; inflate: the least any such scan must do, each sheet's XML decompressed
    and its checksum verified (zip_parts.Package.read) in a thread, the arrow read of a sheet
    waiting only for that; arrow: fastexcel reading every sheet into Arrow (the columnar path's
    read); read: today's reader, houqin_xl.read.workbook.iter_workbook (the scan, calamine's
    to_python, the scan's extras), every grid taken and dropped."""
    chosen = set(parts.split("+"))
    unknown = chosen - set(FLOOR_PARTS)
    if unknown:
        raise SystemExit(f"unknown floor part(s): {sorted(unknown)}")
    cells = 0
    if "read" in chosen:
        _import_stack(chosen)
        from houqin_xl.read.workbook import iter_workbook

        for grid in iter_workbook(path):
            cells += sum(map(len, grid.rows))
        return cells
    reader = names = scan = None
    if "arrow" in chosen:
        import fastexcel as fe

        reader = fe.read_excel(path)
        names = list(reader.sheet_names)
    if "inflate" in chosen:
        scan = _Inflated(path, names)
    if "scan" in chosen:
        from concurrent.futures import ThreadPoolExecutor
        from pathlib import Path

        from houqin_xl.read.limits import active, run_budget
        from houqin_xl.read.zip_scan import Scan, open_package

        opened = open_package(Path(path), active(), run_budget())
        scan = Scan(opened, names if names is not None else list(opened.sheets), ThreadPoolExecutor(1))
    # The scan's thread works while the main one imports, the arrangement kindest to the floor.
    _import_stack(chosen)
    if reader is not None:
        for name in names:
            if scan is not None:
                scan.gate(name)
            batch = reader.load_sheet(name, header_row=None, dtypes="string").to_arrow()
            cells += batch.num_rows * batch.num_columns
    if scan is not None:
        scan.finished.result()
        cells = cells or 1
    return cells if chosen - {"imports"} else 1


def _import_stack(chosen: set[str]) -> None:
    if "imports" in chosen:
        import pandas  # noqa: F401
        import pandera.pandas  # noqa: F401 - as houqin_xl.checks.validate imports it
        import python_calamine  # noqa: F401


class _Inflated:
    """The floor of any scan that must read a sheet before calamine parses it: every sheet part
    decompressed and verified in turn, in a thread (zlib lets Python's lock go), `gate(name)`
    done once that sheet's part is — the same interface as zip_scan.Scan."""

    def __init__(self, path: str, names: list[str] | None) -> None:
        from concurrent.futures import ThreadPoolExecutor
        from pathlib import Path

        from houqin_xl.read.limits import active
        from houqin_xl.read.zip_parts import Package
        from houqin_xl.read.zip_scan import _sheet_parts

        package = Package(Path(path), active())
        with open(path, "rb") as fh:
            parts = _sheet_parts(package, fh)
        pool = ThreadPoolExecutor(1)
        self._gates = {}
        for name in names if names is not None else list(parts):
            if name in parts:
                self._gates[name] = pool.submit(self._inflate, package, parts[name])
        self.finished = pool.submit(lambda: None)  # after every sheet: the pool runs in order

    @staticmethod
    def _inflate(package, part: str) -> int:
        with package.path.open("rb") as fh:
            return len(package.read(fh, part))

    def gate(self, name: str) -> None:
        if name in self._gates:
            self._gates[name].result()


def main(argv: list[str]) -> int:
    kind, rest = argv[0], argv[1:]
    if kind == "houqin-xl":
        from houqin_xl.cli import main as cli_main  # exactly what the console script runs

        return cli_main(rest)
    if kind == "python":
        return 0
    if kind == "import":
        for module in rest:
            __import__(module)
        return 0
    if kind == "floor":
        return 0 if floor(rest[0], rest[1]) else 4
    reader = {"calamine": calamine, "fastexcel": fastexcel, "openpyxl": openpyxl}[kind]
    cells = reader(rest[0])
    print(cells)
    return 0 if cells else 4


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
