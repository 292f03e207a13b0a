"""What a reader takes from a file at most, and the one place where a parser's exception becomes
the bursar's line.

Files come from outside (web systems, WeChat, a USB stick): a hostile or broken one must end in
one clear line naming it (exit 2), never a traceback, a hang or the machine's memory used up.
The bounds are Excel's own where Excel has one — a sheet has at most 1,048,576 rows and 16,384
columns — and otherwise far above any ledger: a school's largest export (tens of thousands of
asset cards) is a few tens of megabytes, its biggest sheet a few million cells.

The bounds a school may raise (`houqin.toml`: max_cells, max_part_mb, max_ratio, max_parts,
max_text_mb) are one `Limits`; the run in progress applies its own with `applied(limits)`, and
every reader asks `active()`. A workbook's package is measured before any parser sees it: its
number of parts from the zip's end record (`check_part_count`), each part's declared size and
compression ratio from the central directory (`refuse_part`, called by zip_parts.Package).
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

from ..config import Config
from ..errors import InputError
from .grid import Grid

MAX_ROWS = 1_048_576  # Excel's own limits of one sheet
MAX_COLS = 16_384
MB = 1024 * 1024
# A part smaller than this is never refused for its ratio: whatever it expands to is small.
RATIO_FLOOR = 16 * MB


@dataclass(frozen=True)
class Limits:
    """How much one file may make the tool allocate; the defaults (config.Config's) are ten
    times the largest ledger export seen, and well inside 2 GiB of memory for a check.

    - max_cells: cells one run may read — the used rectangles (rows × columns, blanks inside
      included: calamine and the grid hold every one) of all sheets of all its files together.
      A ledger costs the check ≈ 150 bytes a cell (the benchmark: 6.8 million cells, 1.15
      GiB), so 10 million keep a check within 2 GiB; the benchmark's 1× set is 3.4 million;
    - max_part_mb: the uncompressed size of any one part of an .xlsx (a sheet's XML, the
      shared strings); a 100,000-row register is about 60 MB of XML;
    - max_ratio: uncompressed : compressed, for parts above RATIO_FLOOR; sheet XML compresses
      5–20×, a sheet of one value repeated about 100×, a zip bomb 1,000×;
    - max_parts: parts in one package (a workbook has a few per sheet);
    - max_text_mb: an HTML, XML or CSV file larger than this is refused.
    """

    max_cells: int = Config.max_cells
    max_part_mb: int = Config.max_part_mb
    max_ratio: int = Config.max_ratio
    max_parts: int = Config.max_parts
    max_text_mb: int = Config.max_text_mb



class Budget:
    """The cells a run has read so far, against max_cells: every sheet's used rectangle is
    taken from it before the sheet is laid out (by calamine, xlrd or a text reader), so
    neither one huge sheet nor many big ones take the check past its memory."""

    def __init__(self, max_cells: int) -> None:
        self.max_cells = max_cells
        self.spent = 0
        self._lock = threading.Lock()

    def take(self, path: Path | str, cells: int, where: str = "") -> None:
        with self._lock:
            if self.spent + cells > self.max_cells:
                raise too_many_cells(path, self.spent + cells, self.max_cells, where)
            self.spent += cells


def limits_of(config: Config) -> Limits:
    """The school's limits (houqin.toml), or the defaults."""
    return Limits(max_cells=config.max_cells, max_part_mb=config.max_part_mb,
                  max_ratio=config.max_ratio, max_parts=config.max_parts,
                  max_text_mb=config.max_text_mb)


_active = Limits()
_budget: Budget | None = None


def active() -> Limits:
    """The limits of the run in progress (the defaults outside one)."""
    return _active


def run_budget() -> Budget:
    """The cells the run in progress may still read (outside a run: a budget of one read)."""
    return _budget or Budget(_active.max_cells)


@contextmanager
def applied(limits: Limits | None) -> Iterator[Limits]:
    """Apply the school's limits for the length of a run (None: keep the current ones), with a
    fresh budget of cells. The readers' helper threads are handed the limits and the budget
    when they start, so only the calling thread reads these."""
    global _active, _budget
    previous = _active, _budget
    _active = limits or previous[0]
    _budget = Budget(_active.max_cells)
    try:
        yield _active
    finally:
        _active, _budget = previous


_SETTING_HINT = "（可在 houqin.toml 中调高 {key}）"


def too_many_cells(path: Path | str, cells: int, limit: int, where: str = "") -> InputError:
    place = f"{where}：" if where else ""
    return InputError(f"表格过大（{place}读到 {cells:,} 个单元格（长文字折算在内），一次核对上限 {limit:,}）"
                      f"{_SETTING_HINT.format(key='max_cells')} / too many cells: {path}")


def check_text_size(path: Path) -> None:
    size = path.stat().st_size
    limit = active().max_text_mb * MB
    if size > limit:
        raise InputError(f"文件过大（{size // MB} MB，上限 {limit // MB} MB）"
                         f"{_SETTING_HINT.format(key='max_text_mb')} / file too large: {path}")


def too_big(path: Path, what: str) -> InputError:
    return InputError(f"表格超出Excel的范围（{what}）/ table too large for Excel: {path}")


class Extent:
    """Counts what a text reader lays out and refuses a position or a size past the bounds, as
    soon as it is asked for (before any list of that size is made)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cells = 0
        self.budget = run_budget()

    def place(self, row: int, col: int) -> None:
        """A cell at an Excel (row, col), 1-based."""
        if row > MAX_ROWS:
            raise too_big(self.path, f"第{row}行，最多 {MAX_ROWS:,} 行")
        if col > MAX_COLS:
            raise too_big(self.path, f"第{col}列，最多 {MAX_COLS:,} 列")

    def add_cells(self, count: int) -> None:
        self.cells += count
        self.budget.take(self.path, count)


# ---- an .xlsx package, measured before anything parses it ---------------------------------

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"


def declared_part_count(path: Path) -> int | None:
    """How many parts the zip's end record says the package holds, read from the file's last
    bytes without parsing its central directory (zipfile would build one object per entry
    first). None when no end record is found: the zip reader then says it is damaged."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        tail_size = min(size, 22 + 65535 + 20)  # the end record, its comment, the ZIP64 locator
        fh.seek(size - tail_size)
        tail = fh.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or at + 22 > len(tail):
        return None
    count = struct.unpack_from("<H", tail, at + 10)[0]
    locator = at - 20
    if count == 0xFFFF and locator >= 0 and tail[locator:locator + 4] == _EOCD64_LOCATOR:
        offset = struct.unpack_from("<Q", tail, locator + 8)[0]
        if offset + 56 <= size:
            with path.open("rb") as fh:
                fh.seek(offset)
                record = fh.read(56)
            if record[:4] == b"PK\x06\x06":
                count = struct.unpack_from("<Q", record, 32)[0]
    return count


def check_part_count(path: Path, limits: Limits | None = None) -> None:
    """Refuse a package of too many parts before anything builds its list of parts."""
    limits = limits or active()
    count = declared_part_count(path)
    if count is not None and count > limits.max_parts:
        raise too_many_parts(path, count, limits.max_parts)


def too_many_parts(path: Path, count: int, limit: int) -> InputError:
    return InputError(f"工作簿包含的部件过多（{count:,} 个，上限 {limit:,}）"
                      f"{_SETTING_HINT.format(key='max_parts')} / too many parts in the package: {path}")


def refuse_part(path: Path, name: str, size: int, compressed: int, limits: Limits) -> None:
    """One part's declared sizes against the limits (a zip bomb is a few MB that expand to
    many GB: refused here, before any parser expands it)."""
    if size > limits.max_part_mb * MB:
        raise InputError(f"工作簿中的部件过大（{name}：解压后 {size // MB:,} MB，上限 {limits.max_part_mb:,} MB）"
                         f"{_SETTING_HINT.format(key='max_part_mb')} / a part is too large: {path}")
    if size > RATIO_FLOOR and size > limits.max_ratio * max(compressed, 1):
        ratio = size // max(compressed, 1)
        raise InputError(f"工作簿中的部件压缩比异常（{name}：{ratio:,} 倍，上限 {limits.max_ratio:,} 倍，"
                         f"疑似“压缩炸弹”）{_SETTING_HINT.format(key='max_ratio')} / "
                         f"a part expands beyond reason (zip bomb?): {path}")


# ---- one line per failure -------------------------------------------------------------------


def unreadable(path: Path, exc: BaseException) -> InputError:
    return InputError(f"无法读取文件（{type(exc).__name__}）/ cannot read file: {path}")


# What a reader library raises that is not an Exception: pyo3's PanicException (a Rust panic in
# calamine) derives from BaseException. Those that are the process's own business pass.
_NOT_THE_FILE = (KeyboardInterrupt, SystemExit, GeneratorExit)


def is_reader_failure(exc: BaseException) -> bool:
    """True for anything a parser raises on a broken file — Python exceptions and Rust panics —
    and False for an interrupt, an exit or a generator being closed."""
    return not isinstance(exc, _NOT_THE_FILE)


def guarded(read: Callable[[Path], Iterator[Grid]]) -> Callable[[Path], Iterator[Grid]]:
    """A reader whose every failure is one InputError naming the file: whatever a parser raises
    on broken input (a MemoryError or RecursionError on hostile input, a panic in a Rust
    library) is not a bug of ours but a file that cannot be used."""

    @wraps(read)
    def run(path: Path) -> Iterator[Grid]:
        try:
            yield from read(path)
        except InputError:
            raise
        except BaseException as exc:
            if not is_reader_failure(exc):
                raise
            raise unreadable(path, exc) from exc

    return run

