"""Paths → the workbooks they name or hold → a stream of grids, one sheet at a time.

The tool's own sheets (report, summaries, the record of marks) are never read as ledgers, and an
annotated copy found in a folder beside its original is not read twice.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from .grid import Grid
from .sniff import looks_like
from .workbook import iter_workbook

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
# Sheets the tool writes itself (report, summaries, pivot sources, the record of marks): never a
# ledger, so never read as one, whichever workbook they sit in.
TOOL_SHEETS = ("校验报告", "对账结果", "汇总-资产", "汇总-资产状况", "汇总-出入库", "汇总-领用物品",
               "汇总-收费", "汇总数据", "_houqin_marks")
# The custom document property an annotated copy carries: found in a folder beside its
# original, reading it too would count every ledger twice.
COPY_MARKER = "houqin_xl_annotated_copy"

def list_workbooks(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into the Excel files they hold; keep files as given."""
    out: list[Path] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in EXCEL_SUFFIXES and not f.name.startswith("~$")
            )
            if not found:
                raise InputError(f"文件夹中没有Excel工作簿 / no Excel workbook in folder: {p}")
            out.extend(found)
        else:
            if not p.exists():
                raise InputError(f"找不到文件 / file not found: {p}")
            out.append(p)
    return out

def is_annotated_copy(path: Path) -> bool:
    """True for a copy written by `houqin-xl annotate` (its docProps/custom.xml names it)."""
    if looks_like(path) != "zip":
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            if "docProps/custom.xml" not in zf.namelist():
                return False
            return COPY_MARKER.encode() in zf.read("docProps/custom.xml")
    except (zipfile.BadZipFile, OSError):
        return False


def iter_grids(paths: Iterable[str | Path],
               on_file: Callable[[Path, int, int], None] | None = None) -> Iterator[Grid]:
    """All ledger-bearing grids of all workbooks named or found in folders, one at a time, so
    the caller can work on one sheet while the next is read and need not hold them all.

    The tool's own sheets are left out everywhere. An annotated copy found in a folder is
    skipped (its original is there too); named explicitly, it is read like any other.
    `on_file(path, done, total)` is called after each workbook, for progress display.
    """
    paths = list(paths)
    explicit = {Path(p) for p in paths if not Path(p).is_dir()}
    files = list_workbooks(paths)
    for done, path in enumerate(files, start=1):
        if path in explicit or not is_annotated_copy(path):
            yield from (g for g in iter_workbook(path) if g.sheet not in TOOL_SHEETS)
        if on_file:
            on_file(path, done, len(files))


def read_paths(paths: Iterable[str | Path],
               on_file: Callable[[Path, int, int], None] | None = None) -> list[Grid]:
    """`iter_grids` as a list."""
    return list(iter_grids(paths, on_file))
