"""One timed process of the benchmark: run.py and district.py start this file fresh for every
timing, so each one pays its interpreter start and its own imports, as a real run does.

    python bench/bare.py calamine  BOOK.xlsx   # (a) python-calamine, every sheet to_python()
    python bench/bare.py fastexcel BOOK.xlsx   # (f) fastexcel, every sheet into Arrow
    python bench/bare.py openpyxl  BOOK.xlsx   # (b) pd.read_excel(..., engine="openpyxl")
    python bench/bare.py houqin-xl check BOOK.xlsx --period 2026-11 --json OUT --quiet   # (c)
    python bench/bare.py python                # the interpreter alone
    python bench/bare.py import MODULE …       # the interpreter and these imports

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
    reader = {"calamine": calamine, "fastexcel": fastexcel, "openpyxl": openpyxl}[kind]
    cells = reader(rest[0])
    print(cells)
    return 0 if cells else 4


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
