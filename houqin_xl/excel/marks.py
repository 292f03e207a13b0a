"""Marks: offending cells filled and noted in the bursar's own sheets, reversibly.

The record comes first. Before a cell is painted, its own fill and note are in the hidden sheet
_houqin_marks; 清除标记 puts exactly those back. The order of one 校验台账 is:

1. cells marked last time and clean now are restored (the old record still lists them, so a
   failure here leaves nothing unrecorded);
2. the new record is written: every cell about to be marked, and any old mark that could not be
   restored;
3. the cells are painted and noted.

A cell that cannot be marked is skipped and named in the message: on a protected sheet, or
holding a threaded (365) comment, on which Excel refuses a note. Her own edits never stop a
button: a note she deleted is added again rather than edited, and 清除标记 restores what the
record says whatever she did to the cell since.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..outputs.report_text import note_text
from ..outputs.write import SEVERITY_COLOURS
from ..read.grid import cell_ref, column_index
from . import engine
from .sheets import MARKS_SHEET, LiveCheck, Workspace, cell_value, find_sheet, rgb, same_path

MARKS_HEADER = ["sheet", "cell", "original_fill", "had_note", "original_note", "mark_fill",
                "mark_note"]
PROTECTED = "工作表受保护"
THREADED = "单元格有新式批注（Excel 不允许再加批注）"
REFUSED = "Excel 拒绝修改"


class MarksUnavailable(Exception):
    """The Excel client cannot tell a cell's own fill or note, so a mark could not be undone."""


# ---- the record -------------------------------------------------------------------------------


@dataclass
class Mark:
    """One marked cell: what it had before the tool touched it, and what the tool put there."""

    sheet: str
    cell: str
    original_fill: str | None
    had_note: bool
    original_note: str | None
    mark_fill: str
    mark_note: str

    def row(self) -> list[Any]:
        return [cell_value(v) for v in (
            self.sheet, self.cell, self.original_fill or "", "1" if self.had_note else "",
            self.original_note or "", self.mark_fill, self.mark_note)]

    @classmethod
    def from_row(cls, row: list[Any]) -> Mark:
        def text(v: Any) -> str:
            if v is None:
                return ""
            if isinstance(v, float) and v.is_integer():
                return str(int(v))  # a record written before text was kept as text
            return str(v)

        return cls(text(row[0]), text(row[1]).replace("$", "").upper(), text(row[2]) or None,
                   text(row[3]) in ("1", "1.0", "True"), text(row[4]) or None, text(row[5]),
                   text(row[6]))

    @property
    def note_text(self) -> str:
        """The note while marked: her own note first, ours after it."""
        if self.original_note:
            return self.original_note.rstrip() + "\n\n" + self.mark_note
        return self.mark_note


def recorded_marks(book: Any) -> list[Mark]:
    sheet = find_sheet(book, MARKS_SHEET)
    if sheet is None:
        return []
    values = sheet.used_range.options(ndim=2).value or []
    return [Mark.from_row(list(row) + [None] * 7) for row in values[1:] if row and row[0]]


def write_marks_record(space: Workspace, marks: list[Mark]) -> None:
    """The record, replaced whole; no marks, no record sheet."""
    if not marks:
        space.delete(MARKS_SHEET)
        return
    record = space.fresh_sheet(MARKS_SHEET)
    record.range((1, 1)).value = [[cell_value(h) for h in MARKS_HEADER]] + [m.row() for m in marks]
    record.visible = False


# ---- what to mark -----------------------------------------------------------------------------


@dataclass
class MarkOutcome:
    marked: int = 0
    possible: bool = True
    skipped: dict[tuple[str, str], str] = field(default_factory=dict)  # (sheet, cell) → why

    def skipped_text(self, limit: int = 8) -> str:
        if not self.skipped:
            return ""
        by_reason: dict[str, list[str]] = {}
        for (sheet, cell), why in sorted(self.skipped.items()):
            by_reason.setdefault(why, []).append(f"{sheet}!{cell}")
        parts = []
        for why, cells in by_reason.items():
            shown = "、".join(cells[:limit]) + ("等" if len(cells) > limit else "")
            parts.append(f"{why}：{shown}")
        return f"有 {len(self.skipped)} 个单元格未能标记（" + "；".join(parts) + "）。"



def cells_to_mark(live: LiveCheck, book: Any) -> dict[tuple[str, str], list[Finding]]:
    """(sheet, A1 cell) → the findings standing on it, for the sheets of this book. A cell in
    a merged range is marked on the range's top-left cell, the one Excel shows."""
    sheets = set(live.merges)
    out: dict[tuple[str, str], list[Finding]] = {}
    for f in live.checked.result.findings:
        if f.sheet not in sheets or f.row is None or not f.column:
            continue
        if f.path is not None and not same_path(f.path, str(book.fullname)):
            continue
        row, col = f.row, column_index(f.column)
        for top, left, bottom, right in live.merges.get(f.sheet, []):
            if top <= row <= bottom and left <= col <= right:
                row, col = top, left
                break
        out.setdefault((f.sheet, cell_ref(row, col)), []).append(f)
    return out


# ---- a cell's own state -----------------------------------------------------------------------


def _cell_state(sheet: Any, address: str) -> tuple[str | None, bool, str | None]:
    """The cell's own fill (#RRGGBB or None) and note, as the engine can tell them."""
    rng = sheet.range(address)
    try:
        colour = rng.color
        note = rng.note
        text = note.text if note is not None else None
    except NotImplementedError:
        return _payload_cell_state(sheet, address)
    if isinstance(colour, tuple):
        colour = "#{:02X}{:02X}{:02X}".format(*colour)
    return colour, note is not None, text


def _payload_cell_state(sheet: Any, address: str) -> tuple[str | None, bool, str | None]:
    """xlwings' remote engine reads neither fills nor note texts synchronously. A client that
    sends them (`cell_fills`: {address: '#RRGGBB'} on the sheet, `text` on each note entry)
    lets the marks be undone exactly; without them the saved file is asked."""
    api = getattr(getattr(sheet, "impl", sheet), "api", {})
    fills = api.get("cell_fills") if isinstance(api, dict) else None
    if fills is None:
        return _file_cell_state(sheet, address)
    key = address.replace("$", "").upper()
    for note in api.get("notes") or []:
        if note.get("address", "").replace("$", "").upper() == key:
            if "text" not in note:
                return _file_cell_state(sheet, address)
            return fills.get(key), True, note["text"]
    return fills.get(key), False, None


def _file_cell_state(sheet: Any, address: str) -> tuple[str | None, bool, str | None]:
    """A cell's fill and note as last saved, read from the workbook file itself: what the
    remote engine cannot tell us synchronously, the saved ledger can. No saved file: no mark
    is made."""
    path = Path(str(sheet.book.fullname))
    if not path.is_file() or path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise MarksUnavailable(sheet.name)
    book = _saved_book(str(path), path.stat().st_mtime_ns)
    if sheet.name not in book.sheetnames:
        raise MarksUnavailable(sheet.name)
    cell = book[sheet.name][address.replace("$", "")]
    fill = None
    if cell.fill is not None and cell.fill.fill_type == "solid":
        colour = cell.fill.fgColor.rgb if cell.fill.fgColor.type == "rgb" else None
        if isinstance(colour, str) and len(colour) >= 6:
            fill = "#" + colour[-6:].upper()
    comment = cell.comment
    return fill, comment is not None, comment.text if comment is not None else None


@lru_cache(maxsize=2)
def _saved_book(path: str, mtime_ns: int) -> Any:
    from openpyxl import load_workbook

    return load_workbook(path, keep_vba=path.lower().endswith(".xlsm"))


# ---- painting and restoring -------------------------------------------------------------------


def _runs(cells: Iterable[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Cells (row, col) → horizontal runs (row, first col, last col)."""
    runs: list[tuple[int, int, int]] = []
    for row, col in sorted(cells):
        if runs and runs[-1][0] == row and runs[-1][2] == col - 1:
            runs[-1] = (row, runs[-1][1], col)
        else:
            runs.append((row, col, col))
    return runs


def _paint(sheet: Any, fills: dict[tuple[int, int], str | None]) -> None:
    """Fill cells in batches: one call per horizontal run of cells sharing a colour."""
    by_colour: dict[str | None, list[tuple[int, int]]] = {}
    for cell, colour in fills.items():
        by_colour.setdefault(colour, []).append(cell)
    for colour, cells in sorted(by_colour.items(), key=lambda kv: kv[0] or ""):
        for row, first, last in _runs(cells):
            sheet.range((row, first), (row, last)).color = colour


def _set_note(rng: Any, text: str | None) -> None:
    """The cell's note becomes `text` (None: no note), whatever note it has now — a note she
    deleted is added again, never edited."""
    note = rng.note
    if text is None:
        if note is not None:
            note.delete()
    elif note is None:
        rng.add_note(text)
    else:
        note.text = text


def _split(address: str) -> tuple[int, int]:
    letters = "".join(ch for ch in address if ch.isalpha())
    return int(address[len(letters):]), column_index(letters)


def _by_sheet(marks: Iterable[Mark]) -> dict[str, list[Mark]]:
    out: dict[str, list[Mark]] = {}
    for mark in marks:
        out.setdefault(mark.sheet, []).append(mark)
    return out


def undo_marks(book: Any, marks: list[Mark]) -> tuple[int, list[Mark]]:
    """Put back each marked cell's own fill and note. Returns the number restored and the
    marks that could not be (a sheet protected since): those stay in the record. A mark whose
    sheet is gone has nothing left to restore."""
    restored, kept = 0, []
    for name, sheet_marks in _by_sheet(marks).items():
        sheet = find_sheet(book, name)
        if sheet is None:
            continue
        if engine.sheet_protected(sheet):
            kept += sheet_marks
            continue
        try:
            _paint(sheet, {_split(m.cell): m.original_fill for m in sheet_marks})
        except Exception:  # Excel refused the whole sheet: keep every mark for the next try
            kept += sheet_marks
            continue
        for mark in sheet_marks:
            try:
                _set_note(sheet.range(mark.cell), mark.original_note if mark.had_note else None)
                restored += 1
            except Exception:
                kept.append(mark)
    return restored, kept


def mark_findings(space: Workspace, live: LiveCheck) -> MarkOutcome:
    """Restore the previous marks that are no longer wanted, record, then fill and note every
    cell with a finding that can be marked."""
    book = space.book
    outcome = MarkOutcome()
    previous = {(m.sheet, m.cell): m for m in recorded_marks(book)}
    wanted = cells_to_mark(live, book)
    markable: dict[tuple[str, str], list[Finding]] = {}
    for name in sorted({sheet for sheet, _cell in wanted}):
        sheet = find_sheet(book, name)
        cells = [cell for sheet_name, cell in wanted if sheet_name == name]
        if engine.sheet_protected(sheet):
            outcome.skipped.update({(name, cell): PROTECTED for cell in cells})
            continue
        threaded = engine.threaded_comment_cells(sheet, cells)
        outcome.skipped.update({(name, cell): THREADED for cell in threaded})
        markable.update({(name, cell): wanted[(name, cell)] for cell in cells
                         if cell not in threaded})
    try:
        states = {}
        for key in markable:
            if key in previous:
                before = previous[key]
                states[key] = (before.original_fill, before.had_note, before.original_note)
            else:
                states[key] = _cell_state(find_sheet(book, key[0]), key[1])
    except MarksUnavailable:
        outcome.possible = False
        return outcome
    # 1. Cells marked last time and not marked now go back to what they were.
    _restored, kept = undo_marks(book, [m for key, m in previous.items() if key not in markable])
    # 2. The record, before any paint.
    marks = []
    for (sheet_name, cell), found in sorted(markable.items(),
                                            key=lambda kv: (kv[0][0], _split(kv[0][1]))):
        worst = "error" if any(f.severity == "error" for f in found) else "warning"
        fill, had_note, note = states[(sheet_name, cell)]
        marks.append(Mark(sheet_name, cell, fill, had_note, note,
                          rgb(SEVERITY_COLOURS[worst][0]), note_text(found)))
    write_marks_record(space, marks + kept)
    # 3. Paint and note.
    for name, sheet_marks in _by_sheet(marks).items():
        sheet = find_sheet(book, name)
        try:
            _paint(sheet, {_split(m.cell): m.mark_fill for m in sheet_marks})
        except Exception:  # refused after all (a desktop Excel): recorded, so clear is harmless
            outcome.skipped.update({(name, m.cell): REFUSED for m in sheet_marks})
            continue
        for mark in sheet_marks:
            try:
                _set_note(sheet.range(mark.cell), mark.note_text)
                outcome.marked += 1
            except Exception:
                outcome.skipped[(name, mark.cell)] = REFUSED
    return outcome
