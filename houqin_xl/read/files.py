"""Paths → the files they name or hold → one stream of grids, one sheet at a time — and, beside
the stream, what became of every file (`Inventory`): never a file skipped without a word.

A file named on the command line must be usable: if it is not, the run stops with its one
line (exit 2). A file found in a folder that cannot be read is listed with the reason and the
others are still checked; the run stops only when nothing at all could be read. The tool's own
sheets and outputs are never read as ledgers, and the same workbook is never read twice.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..findings import FileOutcome, UnreadSheet
from .grid import Grid
from .readers import read_file
from .sniff import OTHER, ZIP_ERRORS, looks_like, sniff

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
# Sheets the tool writes itself (report, summaries, pivot sources, the record of marks): never a
# ledger, so never read as one, whichever workbook they sit in.
TOOL_SHEETS = ("校验报告", "对账结果", "汇总-资产", "汇总-资产状况", "汇总-折旧", "汇总-出入库",
               "汇总-领用物品", "汇总-收费", "汇总数据", "_houqin_marks")
# The custom document property an annotated copy carries: found in a folder beside its
# original, reading it too would count every ledger twice.
COPY_MARKER = "houqin_xl_annotated_copy"
# The one every other output of the tool carries (the report workbook, the district roll-up).
OUTPUT_MARKER = "houqin_xl_output"
SETTINGS_NAMES = ("houqin.toml", "houqin_xl.toml", "后勤台账.toml")
# The backups safe_write keeps of an output it replaces: 核对报告.bak.xlsx, 核对报告.bak2.xlsx …
_BACKUP = re.compile(r"\.bak\d*$", re.IGNORECASE)

NOT_A_SPREADSHEET = "不是表格文件 / not a spreadsheet"


@dataclass
class Inventory:
    """What became of every input file and every sheet that was not read as a ledger."""

    files: list[FileOutcome] = field(default_factory=list)
    unread: list[UnreadSheet] = field(default_factory=list)
    # Why a file could not be read, by path: a file that failed after some of its sheets were
    # handed over (a checksum found bad at the end) has its ledgers dropped by check().
    errors: dict[str, InputError] = field(default_factory=dict)

    def record(self, path: Path | str, outcome: str, reason: str | None = None) -> None:
        self.files.append(FileOutcome(str(path), outcome, reason))

    def outcome_of(self, path: Path | str) -> FileOutcome | None:
        for item in self.files:
            if item.path == str(path):
                return item
        return None

    def unread_sheet(self, grid: Grid, reason: str) -> None:
        self.unread.append(UnreadSheet(grid.path, grid.sheet, reason))


def _is_our_json(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(200)
    except OSError:
        return False
    return b'"tool": "houqin-xl"' in head


def _is_backup(path: Path) -> bool:
    return bool(_BACKUP.search(path.stem))


_MARKER_PART_MAX = 1 << 20


def _marker_of(path: Path) -> str | None:
    """The tool's marker in a workbook's custom properties: an annotated copy or an output."""
    if looks_like(path) != "zip":
        return None
    try:
        with zipfile.ZipFile(path) as zf:
            if "docProps/custom.xml" not in zf.namelist():
                return None
            if zf.getinfo("docProps/custom.xml").file_size > _MARKER_PART_MAX:
                return None  # ours is a few hundred bytes; a huge one is no marker of ours
            custom = zf.read("docProps/custom.xml")
    except ZIP_ERRORS:
        return None  # a damaged package: the reader names it when it is read
    for marker in (COPY_MARKER, OUTPUT_MARKER):
        if marker.encode() in custom:
            return marker
    return None


def is_annotated_copy(path: Path) -> bool:
    """True for a copy written by `houqin-xl annotate` (its docProps/custom.xml names it)."""
    return _marker_of(path) == COPY_MARKER


# What Windows, macOS and WeChat add to the name of a copy: `台账 - 副本.xlsx`, `台账(1).xlsx`.
_COPY_NAME = re.compile(r"(副本|复制|拷贝|copy|\(\d+\)|（\d+）)", re.IGNORECASE)


def _copies_last(path: Path) -> tuple:
    """Name order, but a copy after its original, so that the copy is the one named a
    duplicate."""
    return (path.parent.as_posix(), bool(_COPY_NAME.search(path.stem)), path.name)


@dataclass
class _Candidate:
    path: Path
    explicit: bool  # named on the command line, not found in a folder


def _candidates(paths: Iterable[str | Path]) -> list[_Candidate]:
    """Files named, and every file in the folders named (recursively, in name order). Hidden
    files (.DS_Store and the like) are the file system's, not the bursar's."""
    out: list[_Candidate] = []
    at: dict[Path, int] = {}

    def add(path: Path, explicit: bool) -> None:
        # The same file reached twice (`check DIR DIR/台账.xlsx`) is one file.
        key = path.resolve()
        if key in at:
            out[at[key]].explicit |= explicit
            return
        at[key] = len(out)
        out.append(_Candidate(path, explicit))

    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = sorted((f for f in p.rglob("*") if f.is_file()
                            and not any(part.startswith(".") for part in f.relative_to(p).parts)),
                           key=_copies_last)
            if not found:
                raise InputError(f"文件夹中没有Excel工作簿 / no Excel workbook in folder: {p}")
            for f in found:
                add(f, False)
        else:
            if not p.exists():
                raise InputError(f"找不到文件 / file not found: {p}")
            add(p, True)
    return out


def list_workbooks(paths: Iterable[str | Path]) -> list[Path]:
    """The Excel files named or found in folders (by their names; the stream itself reads any
    file by its content)."""
    return [c.path for c in _candidates(paths)
            if c.explicit or (c.path.suffix.lower() in EXCEL_SUFFIXES and not c.path.name.startswith("~$"))]


def _digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class _Seen:
    """Files already read, to find a second copy (`台账 - 副本.xlsx`, or a file named twice).
    Contents are hashed only when two files have the same size: most never are."""

    def __init__(self) -> None:
        self._by_size: dict[int, list[tuple[Path, str | None]]] = {}

    def earlier_copy(self, path: Path) -> Path | None:
        size = path.stat().st_size
        same_size = self._by_size.setdefault(size, [])
        if not same_size:
            same_size.append((path, None))
            return None
        mine = _digest(path)
        for k, (other, digest) in enumerate(same_size):
            if digest is None:
                digest = _digest(other)
                same_size[k] = (other, digest)
            if digest == mine:
                return other
        same_size.append((path, mine))
        return None


def _skip_reason(candidate: _Candidate) -> tuple[str, str] | None:
    """Why a file found in a folder is not read at all: (outcome, reason), or None to read it."""
    path = candidate.path
    if path.name.startswith("~$"):
        return "not_a_ledger", "Excel打开工作簿时的临时锁定文件 / Excel's lock file of an open workbook"
    if path.name.lower() in SETTINGS_NAMES:
        return "not_a_ledger", "学校设置文件 / the school's settings"
    if path.suffix.lower() == ".json" and _is_our_json(path):
        return "not_a_ledger", "houqin-xl 生成的JSON报告 / an output of houqin-xl"
    if _is_backup(path):
        return "not_a_ledger", "备份文件，不作为台账读取 / a backup, never read as a ledger"
    marker = _marker_of(path)
    if marker == COPY_MARKER:
        return "not_a_ledger", "houqin-xl 生成的标记副本（原台账已读取）/ an annotated copy"
    if marker == OUTPUT_MARKER:
        return "not_a_ledger", "houqin-xl 生成的报告 / an output of houqin-xl"
    return None


class GridStream:
    """Every sheet of every usable file as a grid, one at a time (so the caller can work on one
    sheet while the next is read and need not hold them all), with `inventory` saying what
    became of each file. The tool's own sheets are listed as not read.

    `on_file(path, done, total)` is called after each file, for progress display.
    """

    def __init__(self, paths: Iterable[str | Path],
                 on_file: Callable[[Path, int, int], None] | None = None) -> None:
        self.candidates = _candidates(list(paths))
        self.on_file = on_file
        self.inventory = Inventory()

    def input_paths(self) -> list[Path]:
        """Every file this stream would read as a possible ledger (before reading any): the
        files named, and those of the folders that are not the tool's own outputs."""
        return [c.path for c in self.candidates if c.explicit or _skip_reason(c) is None]

    def __iter__(self) -> Iterator[Grid]:
        seen = _Seen()
        total = len(self.candidates)
        for done, candidate in enumerate(self.candidates, start=1):
            yield from self._one(candidate, seen)
            if self.on_file:
                self.on_file(candidate.path, done, total)

    def _one(self, candidate: _Candidate, seen: _Seen) -> Iterator[Grid]:
        path, inventory = candidate.path, self.inventory
        skip = None if candidate.explicit else _skip_reason(candidate)
        if skip is not None:
            inventory.record(path, *skip)
            return
        try:
            earlier = seen.earlier_copy(path)
        except OSError as exc:
            self._failed(candidate, InputError(f"无法读取文件 / cannot read file: {path}: {exc}"))
            return
        if earlier is not None:
            inventory.record(path, "duplicate",
                             f"与 {earlier} 内容完全相同，只读取一次 / same content as {earlier}")
            return
        try:
            for grid in read_file(path):
                if grid.sheet in TOOL_SHEETS:
                    inventory.unread_sheet(grid, "houqin-xl 写入的工作表 / a sheet the tool wrote")
                    continue
                yield grid
        except InputError as exc:
            self._failed(candidate, exc)
            return
        inventory.record(path, "read")  # check() turns it into not_a_ledger if nothing was found

    def _failed(self, candidate: _Candidate, exc: InputError) -> None:
        if candidate.explicit:
            raise exc  # a file the bursar named must be usable: the run stops with its line
        path = candidate.path
        self.inventory.errors[str(path)] = exc
        is_spreadsheet = path.suffix.lower() in (*EXCEL_SUFFIXES, ".et", ".ett") or _sniffed(path) != OTHER
        self.inventory.record(path, "unreadable", str(exc) if is_spreadsheet else NOT_A_SPREADSHEET)


def _sniffed(path: Path) -> str:
    try:
        return sniff(path)
    except (InputError, OSError):
        return OTHER


def iter_grids(paths: Iterable[str | Path],
               on_file: Callable[[Path, int, int], None] | None = None) -> GridStream:
    """All grids of all files named or found in folders, as a stream with an inventory."""
    return GridStream(paths, on_file)


def read_paths(paths: Iterable[str | Path],
               on_file: Callable[[Path, int, int], None] | None = None) -> list[Grid]:
    """`iter_grids` as a list."""
    return list(iter_grids(paths, on_file))
