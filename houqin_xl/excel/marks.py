"""Marks: offending cells filled and noted in the bursar's own sheets, reversibly.

Before a cell is first marked, its own fill and note are recorded in the hidden sheet
_houqin_marks; 清除标记 puts exactly those back. Running 校验台账 twice gives the same workbook as
running it once: the old marks are undone (from the record) before the new ones are made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..check import Checked
from ..findings import Finding
from ..outputs.report import (
    SEVERITY_TEXT,
)
from ..outputs.write import SEVERITY_COLOURS
from ..read.grid import Grid, cell_ref, column_index
from .sheets import MARKS_SHEET, OWN_SHEETS, file_extras, find_sheet, rgb, same_path

NOTE_HEAD = "【台账核对】"
MARKS_HEADER = ["sheet", "cell", "original_fill", "had_note", "original_note", "mark_fill",
                "mark_note"]


class MarksUnavailable(Exception):
    """The Excel client cannot tell a cell's own fill or note, so a mark could not be undone."""


# ---- marks ------------------------------------------------------------------------------------


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
        return [self.sheet, self.cell, self.original_fill or "", "1" if self.had_note else "",
                self.original_note or "", self.mark_fill, self.mark_note]

    @classmethod
    def from_row(cls, row: list[Any]) -> Mark:
        def text(v: Any) -> str:
            return "" if v is None else str(v)

        return cls(text(row[0]), text(row[1]), text(row[2]) or None, text(row[3]) in ("1", "1.0"),
                   text(row[4]) or None, text(row[5]), text(row[6]))


def recorded_marks(book: Any) -> list[Mark]:
    sheet = find_sheet(book, MARKS_SHEET)
    if sheet is None:
        return []
    values = sheet.used_range.options(ndim=2).value or []
    return [Mark.from_row(list(row) + [None] * 7) for row in values[1:] if row and row[0]]


def _note_text(findings: list[Finding]) -> str:
    lines = [f"{SEVERITY_TEXT[f.severity]}：{f.message}" for f in findings]
    return NOTE_HEAD + "\n" + "\n".join(dict.fromkeys(lines))


def _cells_to_mark(checked: Checked, book: Any) -> dict[tuple[str, str], list[Finding]]:
    """(sheet, A1 cell) → the findings standing on it, for the sheets of this book. A cell in
    a merged range is marked on the range's top-left cell, the one Excel shows."""
    sheets = {s.name for s in book.sheets} - set(OWN_SHEETS)
    merged = {g.sheet: g.merged for g in grids_for_merges(book)}
    out: dict[tuple[str, str], list[Finding]] = {}
    for f in checked.result.findings:
        if f.sheet not in sheets or f.row is None or not f.column:
            continue
        if f.path is not None and not same_path(f.path, str(book.fullname)):
            continue
        row, col = f.row, column_index(f.column)
        for top, left, bottom, right in merged.get(f.sheet, []):
            if top <= row <= bottom and left <= col <= right:
                row, col = top, left
                break
        out.setdefault((f.sheet, cell_ref(row, col)), []).append(f)
    return out


def grids_for_merges(book: Any) -> list[Grid]:
    extras = file_extras(str(book.fullname))
    return [Grid(str(book.fullname), name, [], merged=m) for name, (m, _h) in extras.items()]


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
    lets the marks be undone exactly; without them no mark is made."""
    api = getattr(sheet, "impl", sheet)
    api = getattr(api, "api", {})
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
    remote engine cannot tell us synchronously, the saved ledger can (the bursar saves
    before clicking; docs/excel.md says so). No saved file: no mark is made."""
    path = Path(str(sheet.book.fullname))
    if not path.is_file() or path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise MarksUnavailable(sheet.name)
    book = _saved_book(str(path), path.stat().st_mtime_ns)
    if sheet.name not in book.sheetnames:
        raise MarksUnavailable(sheet.name)
    cell = book[sheet.name][address.replace("$", "")]
    fill = None
    if cell.fill is not None and cell.fill.fill_type == "solid":
        rgb = cell.fill.fgColor.rgb if cell.fill.fgColor.type == "rgb" else None
        if isinstance(rgb, str) and len(rgb) >= 6:
            fill = "#" + rgb[-6:].upper()
    comment = cell.comment
    return fill, comment is not None, comment.text if comment is not None else None


@lru_cache(maxsize=2)
def _saved_book(path: str, mtime_ns: int) -> Any:
    from openpyxl import load_workbook

    return load_workbook(path, keep_vba=path.lower().endswith(".xlsm"))


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


def _split(address: str) -> tuple[int, int]:
    letters = "".join(ch for ch in address if ch.isalpha())
    return int(address[len(letters):]), column_index(letters)


def undo_marks(book: Any, marks: list[Mark]) -> int:
    """Put back each marked cell's own fill and note; return how many cells were restored."""
    by_sheet: dict[str, list[Mark]] = {}
    for mark in marks:
        by_sheet.setdefault(mark.sheet, []).append(mark)
    restored = 0
    for name, sheet_marks in by_sheet.items():
        sheet = find_sheet(book, name)
        if sheet is None:
            continue
        _paint(sheet, {_split(m.cell): m.original_fill for m in sheet_marks})
        for mark in sheet_marks:
            rng = sheet.range(mark.cell)
            if mark.had_note:
                rng.note.text = mark.original_note or ""
            elif rng.note is not None:
                rng.note.delete()
            restored += 1
    return restored


def write_marks_record(book: Any, marks: list[Mark]) -> None:
    old = find_sheet(book, MARKS_SHEET)
    if old is not None:
        old.delete()
    if not marks:
        return
    sheets = list(book.sheets)
    record = book.sheets.add(name=MARKS_SHEET, after=sheets[-1])
    record.range((1, 1)).value = [MARKS_HEADER] + [m.row() for m in marks]
    record.visible = False


def mark_findings(book: Any, checked: Checked) -> tuple[int, bool]:
    """Undo the previous marks, then fill and note every cell with a finding. Returns the
    number of cells marked and whether marking was possible on this client."""
    previous = {(m.sheet, m.cell): m for m in recorded_marks(book)}
    wanted = _cells_to_mark(checked, book)
    try:
        states = {}
        for sheet_name, cell in wanted:
            if (sheet_name, cell) in previous:
                before = previous[(sheet_name, cell)]
                states[(sheet_name, cell)] = (before.original_fill, before.had_note,
                                              before.original_note)
            else:
                states[(sheet_name, cell)] = _cell_state(find_sheet(book, sheet_name), cell)
    except MarksUnavailable:
        return 0, False
    # Cells marked last time and clean now go back to what they were.
    undo_marks(book, [m for key, m in previous.items() if key not in wanted])
    marks = []
    for (sheet_name, cell), found in sorted(wanted.items(), key=lambda kv: (kv[0][0], _split(kv[0][1]))):
        worst = "error" if any(f.severity == "error" for f in found) else "warning"
        fill, had_note, note = states[(sheet_name, cell)]
        text = _note_text(found)
        marks.append(Mark(sheet_name, cell, fill, had_note, note, rgb(SEVERITY_COLOURS[worst][0]),
                          text))
    by_sheet: dict[str, list[Mark]] = {}
    for mark in marks:
        by_sheet.setdefault(mark.sheet, []).append(mark)
    for name, sheet_marks in by_sheet.items():
        sheet = find_sheet(book, name)
        _paint(sheet, {_split(m.cell): m.mark_fill for m in sheet_marks})
        for mark in sheet_marks:
            # The bursar's own note stays first; ours follows it.
            text = (mark.original_note.rstrip() + "\n\n" + mark.mark_note) if mark.original_note \
                else mark.mark_note
            rng = sheet.range(mark.cell)
            if mark.had_note or (mark.sheet, mark.cell) in previous:
                rng.note.text = text
            else:
                rng.add_note(text)
    write_marks_record(book, marks)
    return len(marks), True


