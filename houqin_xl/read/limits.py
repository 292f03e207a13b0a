"""What a reader takes from a file at most, and the one place where a parser's exception becomes
the bursar's line.

Files come from outside (web systems, WeChat, a USB stick): a hostile or broken one must end in
one clear line naming it (exit 2), never a traceback, a hang or the machine's memory used up.
The bounds are Excel's own where Excel has one — a sheet has at most 1,048,576 rows and 16,384
columns — and otherwise far above any ledger: a school's largest export (tens of thousands of
asset cards) is a few tens of megabytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path

from ..errors import InputError
from .grid import Grid

MAX_TEXT_BYTES = 200 * 1024 * 1024  # an HTML, XML or CSV file larger than this is refused
MAX_ROWS = 1_048_576  # Excel's own limits of one sheet
MAX_COLS = 16_384
# Cells one text file may lay out (the sum of its rows' lengths, blanks inside a row included):
# 20 million is ten times the largest ledger export seen, and a grid of them already takes
# about a gigabyte once the check has typed it.
MAX_CELLS = 20_000_000


def check_text_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise InputError(f"文件过大（{size // (1024 * 1024)} MB，上限 {MAX_TEXT_BYTES // (1024 * 1024)} MB）"
                         f"/ file too large: {path}")


def too_big(path: Path, what: str) -> InputError:
    return InputError(f"表格超出Excel的范围（{what}）/ table too large for Excel: {path}")


class Extent:
    """Counts what a text reader lays out and refuses a position or a size past the bounds, as
    soon as it is asked for (before any list of that size is made)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cells = 0

    def place(self, row: int, col: int) -> None:
        """A cell at an Excel (row, col), 1-based."""
        if row > MAX_ROWS:
            raise too_big(self.path, f"第{row}行，最多 {MAX_ROWS:,} 行")
        if col > MAX_COLS:
            raise too_big(self.path, f"第{col}列，最多 {MAX_COLS:,} 列")

    def add_cells(self, count: int) -> None:
        self.cells += count
        if self.cells > MAX_CELLS:
            raise too_big(self.path, f"超过 {MAX_CELLS:,} 个单元格")


def unreadable(path: Path, exc: BaseException) -> InputError:
    return InputError(f"无法读取文件（{type(exc).__name__}）/ cannot read file: {path}")


def guarded(read: Callable[[Path], Iterator[Grid]]) -> Callable[[Path], Iterator[Grid]]:
    """A reader whose every failure is one InputError naming the file: whatever a parser raises
    on broken input (and a MemoryError or RecursionError on hostile input) is not a bug of ours
    but a file that cannot be used."""

    @wraps(read)
    def run(path: Path) -> Iterator[Grid]:
        try:
            yield from read(path)
        except InputError:
            raise
        except Exception as exc:  # MemoryError and RecursionError included
            raise unreadable(path, exc) from exc

    return run
