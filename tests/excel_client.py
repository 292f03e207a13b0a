"""A workbook on disk, opened through xlwings' remote engine, with desktop Excel's behaviour.

`ExcelClient` plays the Office.js side with openpyxl: it sends a real workbook's values (plus the
fills, note texts and protection a richer client can send) to `xw.Book(json=...)`, runs a
button's handler, and replays the actions xlwings returns on the same openpyxl workbook, so
tests assert on the sheets, fills and notes the bursar would see.

Open a ledger whose cells hold formulas with `load_workbook(path, data_only=True)`: Excel sends
what a formula shows, and the client sends what openpyxl holds.

The Excel-behaviour layer (on unless `excel=False`) does what desktop Excel does and the remote
engine does not:
- a string written as a value is parsed as if typed: `00123`, `11`, `-50` become numbers,
  `2026-09` and `7-1` dates, `=…`, `+…` and `-…` formulas; a leading `'` keeps it text;
- a second PivotTable on a sheet is refused (as xlwings on macOS refuses it);
- `Sheet.freeze_panes` raises NotImplementedError (as on both desktop engines);
- a note the bursar deleted is simply gone (`Range.note` is None);
- painting or noting a protected sheet, a note on a cell with a threaded comment and any
  change of sheets in a workbook whose structure is protected are refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from houqin_xl.read.grid import EXCEL_ERROR_CODES, parse_range


class ExcelRefused(Exception):
    """Desktop Excel would have raised here (a COM error, an AppleScript error)."""


# ---- Excel's reading of a typed string --------------------------------------------------------

_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?(?:[eE]([+-]?\d+))?(%?)$")


def typed(text: str, today: dt.date | None = None) -> Any:
    """What Excel keeps when `text` is written through Range.Value (or typed in a cell)."""
    today = today or dt.date(2026, 11, 30)
    if text.startswith("'"):
        return text[1:]
    stripped = text.strip()
    m = _NUMBER.match(stripped)
    if stripped and m and (m.group(2) or m.group(3)):
        number = float(stripped.rstrip("%").replace(",", ""))
        return number / 100 if m.group(5) else (int(number) if number.is_integer() else number)
    if stripped in EXCEL_ERROR_CODES:
        return "=" + stripped  # an error value, as Excel makes of a typed #REF!
    if stripped.upper() in ("TRUE", "FALSE"):
        return stripped.upper() == "TRUE"
    for pattern, build in (
        (r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$", lambda y, mo, d: (int(y), int(mo), int(d))),
        (r"^(\d{4})[-/](\d{1,2})$", lambda y, mo: (int(y), int(mo), 1)),
        (r"^(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?$", lambda y, mo, d: (int(y), int(mo), int(d or 1))),
        (r"^(\d{1,2})[-/](\d{1,2})$", lambda mo, d: (today.year, int(mo), int(d))),
    ):
        m = re.match(pattern, stripped)
        if m:
            try:
                return dt.datetime(*build(*m.groups()))
            except ValueError:
                break
    if stripped[:1] in ("=", "+", "-", "@") and len(stripped) > 1:
        return "=" + stripped.lstrip("=")  # a formula (in Excel: #NAME? when it is not one)
    return text


# ---- the client -------------------------------------------------------------------------------


def fill_of(cell) -> str | None:
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return None
    colour = fill.fgColor.rgb if isinstance(fill.fgColor.rgb, str) else None
    return ("#" + colour[-6:].upper()) if colour else None


def solid(colour: str | None) -> PatternFill:
    if colour is None:
        return PatternFill(fill_type=None)
    argb = "FF" + colour.lstrip("#").upper()
    return PatternFill(fill_type="solid", start_color=argb, end_color=argb)


def _payload_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith("=") and not value.startswith("=HYPERLINK("):
        # What Excel shows for text that became a formula (an error typed in is that error).
        return value[1:] if value[1:] in EXCEL_ERROR_CODES else "#NAME?"
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return value


@dataclass
class ExcelClient:
    """One open workbook: `book` is the openpyxl workbook the actions are replayed on."""

    book: Any
    name: str = "台账.xlsx"
    pivots: bool = True
    fills: bool = True  # send cell fills and note texts (a richer client than xlwings' own)
    excel: bool = True  # the Excel-behaviour layer
    threaded: dict[str, set[str]] = field(default_factory=dict)  # sheet → cells (365 comments)
    alerts: list[str] = field(default_factory=list)
    pivot_tables: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    screen_updating: list[bool] = field(default_factory=list)

    # -- what the client sends
    def payload(self) -> dict[str, Any]:
        import xlwings as xw

        sheets, names = [], []
        for index, ws in enumerate(self.book.worksheets):
            rows, cols = max(ws.max_row, 1), max(ws.max_column, 1)
            values = [[_payload_value(c.value) for c in row]
                      for row in ws.iter_rows(min_row=1, min_col=1, max_row=rows, max_col=cols)]
            notes, fills = [], {}
            for row in ws.iter_rows():
                for c in row:
                    if c.comment is not None:
                        note = {"address": c.coordinate}
                        if self.fills:
                            note["text"] = c.comment.text
                        notes.append(note)
                    if fill_of(c):
                        fills[c.coordinate] = fill_of(c)
            entry = {
                "name": ws.title, "values": values, "pictures": [], "shapes": [], "charts": [],
                "tables": [], "notes": notes, "notes_supported": True,
                "pivot_tables": [] if self.pivots else None,
                "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden",
                "show_gridlines": True, "print_area": None,
                "used_range_address": f"A1:{get_column_letter(cols)}{rows}",
                "protected": bool(ws.protection.sheet),
                "threaded_comments": sorted(self.threaded.get(ws.title, ())),
            }
            if self.fills:
                entry["cell_fills"] = fills
            sheets.append(entry)
            for defined in ws.defined_names.values():
                names.append({"name": defined.name, "refers_to": "=" + defined.attr_text,
                              "book_scope": False, "scope_sheet_name": ws.title,
                              "scope_sheet_index": index, "sheet_index": None, "address": None})
        security = getattr(self.book, "security", None)
        return {"client": "Office.js", "version": xw.__version__,
                "book": {"name": self.name, "active_sheet_index": 0, "selection": "A1"},
                "names": names, "sheets": sheets,
                "structure_protected": bool(security and security.lockStructure)}

    def remote_book(self):
        import xlwings as xw

        return xw.Book(json=self.payload())

    # -- a click
    def click(self, handler: str) -> str:
        from houqin_xl.excel import handlers

        remote = self.remote_book()
        message = handlers.run_handler(remote, handler)
        self.apply(remote.json()["actions"])
        return message

    # -- replaying the actions
    def _cells(self, ws, a):
        for r in range(a["row_count"]):
            for c in range(a["column_count"]):
                yield ws.cell(row=a["start_row"] + r + 1, column=a["start_column"] + c + 1)

    def _at(self, ws, address: str):
        row, col, _, _ = parse_range(address)
        return ws.cell(row=row, column=col)

    def _refuse_structure(self, func: str) -> None:
        security = getattr(self.book, "security", None)
        if self.excel and security is not None and security.lockStructure:
            raise ExcelRefused(f"{func}: the workbook structure is protected")

    def _refuse_protected(self, ws, func: str) -> None:
        if self.excel and ws.protection.sheet:
            raise ExcelRefused(f"{func} on protected sheet {ws.title!r}")

    def apply(self, actions: list[dict[str, Any]]) -> None:
        for a in actions:
            self.actions.append(a)
            func, args = a["func"], a["args"]
            ws = (self.book.worksheets[a["sheet_position"]]
                  if a["sheet_position"] is not None else None)
            if func == "addSheet":
                self._refuse_structure(func)
                self.book.create_sheet(args[1], args[0])
            elif func == "sheetDelete":
                self._refuse_structure(func)
                self.pivot_tables = [p for p in self.pivot_tables if p["sheet"] != ws.title]
                self.book.remove(ws)
            elif func == "setSheetName":
                self._refuse_structure(func)
                new = args if isinstance(args, str) else args[0]
                for pivot in self.pivot_tables:
                    if pivot["sheet"] == ws.title:
                        pivot["sheet"] = new
                ws.title = new
            elif func == "setSheetVisibility":
                self._refuse_structure(func)
                visibility = args if isinstance(args, str) else args[0]
                ws.sheet_state = "hidden" if visibility == "Hidden" else "visible"
            elif func == "namesAdd":
                name, refers_to = args
                ws.defined_names[name] = DefinedName(name, attr_text=refers_to.lstrip("="))
            elif func == "setValues":
                for i, row in enumerate(a["values"]):
                    for j, value in enumerate(row):
                        cell = ws.cell(row=a["start_row"] + i + 1, column=a["start_column"] + j + 1)
                        if isinstance(value, str) and self.excel:
                            value = typed(value) if value else None
                        cell.value = None if value == "" else value
            elif func == "setRangeColor":
                self._refuse_protected(ws, func)
                for cell in self._cells(ws, a):
                    cell.fill = solid(args[0])
            elif func == "setRangeColors":
                self._refuse_protected(ws, func)
                for i, row in enumerate(args[0]):
                    for j, colour in enumerate(row):
                        if colour != "keep":
                            ws.cell(row=a["start_row"] + i + 1,
                                    column=a["start_column"] + j + 1).fill = solid(colour)
            elif func in ("addNote", "setNoteText", "deleteNote"):
                self._refuse_protected(ws, func)
                cell = self._at(ws, args[0])
                if func == "addNote":
                    assert cell.comment is None, f"Office.js refuses a second note on {args[0]}"
                    if self.excel and cell.coordinate in self.threaded.get(ws.title, ()):
                        raise ExcelRefused(f"a note on {args[0]}, which has a threaded comment")
                    cell.comment = Comment(args[1], "houqin-xl")
                elif func == "setNoteText":
                    assert cell.comment is not None, f"no note to set on {args[0]}"
                    cell.comment = Comment(args[1], "houqin-xl")
                else:
                    assert cell.comment is not None, f"no note to delete on {args[0]}"
                    cell.comment = None
            elif func == "setNumberFormat":
                for cell in self._cells(ws, a):
                    cell.number_format = args[0]
            elif func == "setFontProperty" and args[0] == "bold":
                for cell in self._cells(ws, a):
                    cell.font = Font(bold=args[1])
            elif func == "setColumnWidth":
                ws.column_dimensions[get_column_letter(a["start_column"] + 1)].width = args[0]
            elif func == "freezePaneAtRange":
                ws.freeze_panes = ws.cell(row=parse_range(args[0])[0] + 1, column=1)
            elif func == "setScreenUpdating":
                self.screen_updating.append(args[0])
            elif func == "addPivotTable":
                self.pivot_tables.append({"sheet": ws.title, "name": args[0], "source": args[2],
                                          "destination": args[3], "rows": [], "columns": [],
                                          "filters": [], "values": []})
            elif func == "addPivotField":
                self._pivot(a)[args[1]].append(args[2])
            elif func == "addPivotValueField":
                self._pivot(a)["values"].append((args[1], args[2], args[3]))
            elif func == "setPivotLayout":
                self._pivot(a)["layout"] = args[2]
            elif func == "alert":
                self.alerts.append(args[0])
            else:
                raise AssertionError(f"the test client does not know action {func}")

    def _pivot(self, action):
        return next(p for p in self.pivot_tables if p["name"] == action["pivot_name"])


# ---- the remote engine made to behave like the desktop ones ----------------------------------


@pytest.fixture
def desktop_excel(monkeypatch):
    """xlwings' remote engine with the desktop engines' refusals: no Sheet.freeze_panes, and
    (as on macOS) no second PivotTable on a sheet."""
    # xlwings' remote engine is xlwings PRO code: free for noncommercial use such as tests.
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings
    from xlwings.pro import _xlremote

    # xlwings registers the remote engine when it is first imported, and only with a license
    # key: imported earlier without one (by another test), it is registered here.
    try:
        xlwings.engines["remote"]
    except (KeyError, xlwings.LicenseError):
        xlwings.engines.add(xlwings.main.Engine(impl=_xlremote.engine))

    def no_freeze_panes(self):
        raise NotImplementedError()

    original_add = _xlremote.PivotTables.add

    def one_pivot_per_sheet(self, source, destination, name=None):
        if len(self.api):
            raise NotImplementedError(
                "On macOS, only the first pivot table on a sheet can be created")
        return original_add(self, source, destination, name)

    monkeypatch.setattr(_xlremote.Sheet, "freeze_panes", property(no_freeze_panes))
    monkeypatch.setattr(_xlremote.PivotTables, "add", one_pivot_per_sheet)
    yield


def merges_as_excel_answers(ws) -> tuple[Any, Any]:
    """What desktop Excel answers for this openpyxl sheet: Range.MergeCells of a box (True,
    False, None when mixed) and Range.MergeArea of a cell — the questions merges.py asks."""
    areas = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]

    def area(row: int, col: int) -> tuple[int, int, int, int]:
        for box in areas:
            if box[0] <= row <= box[2] and box[1] <= col <= box[3]:
                return box
        return (row, col, row, col)

    def state(box: tuple[int, int, int, int]) -> Any:
        cells = (box[2] - box[0] + 1) * (box[3] - box[1] + 1)
        inside = 0
        for top, left, bottom, right in areas:
            height = min(bottom, box[2]) - max(top, box[0]) + 1
            width = min(right, box[3]) - max(left, box[1]) + 1
            if height > 0 and width > 0:
                inside += height * width
        return True if inside == cells else False if inside == 0 else None

    return state, area


def read_merges_live(monkeypatch, client: ExcelClient) -> list[int]:
    """Let the remote engine read merged cells live, as the desktop engines do (through the
    same merges.find_merges questions, answered from the client's workbook). Returns a list
    that counts the questions asked."""
    from houqin_xl.excel import engine, merges

    asked = [0]

    def live(sheet):
        ws = client.book[sheet.name]
        state, area = merges_as_excel_answers(ws)

        def counted(box):
            asked[0] += 1
            return state(box)

        return merges.find_merges(1, 1, max(ws.max_row, 1), max(ws.max_column, 1), counted, area)

    monkeypatch.setattr(engine, "live_merges", live)
    return asked
