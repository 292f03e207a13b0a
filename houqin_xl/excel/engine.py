"""What the Excel behind an xlwings Book can tell and do, engine by engine.

xlwings speaks the same API on its engines, but not everything the buttons need is in it:
whether a sheet or the workbook structure is protected, which cells carry a threaded (365)
comment, the merged cells as they are now, a frozen header row and an autofilter. Those go
through each engine's native object (`.api`: pywin32 on Windows, appscript on the Mac); the
remote engine (Office.js, used by the tests) cannot ask Excel synchronously, so a client may
send these facts in its payload beside the values (`protected`, `threaded_comments` per sheet,
`structure_protected` for the book, as `cell_fills` and note texts are sent for the marks).

Every function here is one question or one action, and none raises for an engine that cannot
answer: it says "unknown" (None) or "not done" (False) and the caller decides.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

WINDOWS, MAC, REMOTE, OTHER = "windows", "mac", "remote", "other"


def kind(obj: Any) -> str:
    """The engine behind an xlwings Book, Sheet or Range."""
    impl = getattr(obj, "impl", None)
    module = type(impl).__module__ if impl is not None else ""
    if module.endswith("_xlwindows"):
        return WINDOWS
    if module.endswith("_xlmac"):
        return MAC
    if module.endswith("_xlremote"):
        return REMOTE
    return OTHER


def desktop(obj: Any) -> bool:
    return kind(obj) in (WINDOWS, MAC)


def _payload(obj: Any) -> dict[str, Any]:
    api = getattr(getattr(obj, "impl", None), "api", None)
    return api if isinstance(api, dict) else {}


# ---- protection -------------------------------------------------------------------------------


def sheet_protected(sheet: Any) -> bool:
    """True when Excel would refuse to fill or note a cell of this sheet."""
    engine = kind(sheet)
    try:
        if engine == WINDOWS:
            return bool(sheet.api.ProtectContents)
        if engine == MAC:
            return bool(sheet.api.protect_contents.get())
    except Exception:  # an engine that cannot say: try, and let the painting report it
        return False
    return bool(_payload(sheet).get("protected"))


def structure_protected(book: Any) -> bool:
    """True when sheets cannot be added, deleted, renamed or hidden (审阅 → 保护工作簿)."""
    engine = kind(book)
    try:
        if engine == WINDOWS:
            return bool(book.api.ProtectStructure)
        if engine == MAC:
            return bool(book.api.protect_structure.get())
    except Exception:
        return False
    return bool(_payload(book).get("structure_protected"))


def threaded_comment_cells(sheet: Any, cells: Iterable[str]) -> set[str]:
    """Those of `cells` (A1 addresses) that hold a threaded comment (Microsoft 365's 批注), on
    which Excel refuses a note. The Mac's AppleScript cannot see them: there the note is
    tried and a refusal reported."""
    cells = list(cells)
    engine = kind(sheet)
    if engine == WINDOWS:
        found = set()
        for cell in cells:
            try:
                if sheet.api.Range(cell).CommentThreaded is not None:
                    found.add(cell)
            except Exception:  # Excel 2016 and older have no threaded comments
                return set()
        return found
    listed = {_key(a) for a in _payload(sheet).get("threaded_comments") or []}
    return {cell for cell in cells if _key(cell) in listed}


def _key(address: str) -> str:
    return address.replace("$", "").upper()


# ---- merged cells -----------------------------------------------------------------------------


def live_merges(sheet: Any) -> list[tuple[int, int, int, int]] | None:
    """The sheet's merged ranges as they are now, or None where the engine cannot read them
    (the remote engine: Office.js has no synchronous MergeArea)."""
    if not desktop(sheet):
        return None
    from .merges import sheet_merges

    try:
        return sheet_merges(sheet)
    except Exception:
        return None


# ---- how the report sheets look ---------------------------------------------------------------


def freeze_header(sheet: Any, row: int) -> bool:
    """Freeze the rows above `row`. xlwings' Sheet.freeze_panes exists only on the remote
    engine; on the desktop engines it is the window's FreezePanes, on the sheet made active."""
    engine = kind(sheet)
    try:
        if engine == WINDOWS:
            sheet.activate()
            window = sheet.book.app.api.ActiveWindow
            window.FreezePanes = False
            window.ScrollRow = 1
            window.ScrollColumn = 1
            window.SplitColumn = 0
            window.SplitRow = row - 1
            window.FreezePanes = True
            return True
        if engine == MAC:
            sheet.activate()
            window = sheet.book.app.api.active_window
            window.freeze_panes.set(False)
            window.scroll_row.set(1)
            window.split_column.set(0)
            window.split_row.set(row - 1)
            window.freeze_panes.set(True)
            return True
        sheet.freeze_panes.freeze_at(sheet.range((row, 1)))
        return True
    except Exception:  # a header that does not freeze is no reason to lose the report
        return False


def add_autofilter(sheet: Any, top: int, left: int, bottom: int, right: int) -> bool:
    """Filter buttons on the header row of top:bottom. Range.AutoFilter with no criteria only
    shows the buttons; the remote engine has no sheet autofilter."""
    engine = kind(sheet)
    try:
        target = sheet.range((top, left), (bottom, right))
        if engine == WINDOWS:
            target.api.AutoFilter()
            return True
        if engine == MAC:
            target.api.autofilter_range()
            return True
    except Exception:
        return False
    return False


# ---- the application --------------------------------------------------------------------------


@contextlib.contextmanager
def screen_still(book: Any) -> Iterator[None]:
    """Screen updating off while the handler writes, back on after, whatever happens: on the
    desktop every write otherwise repaints the sheet."""
    app = getattr(book, "app", None)
    switched = False
    with contextlib.suppress(Exception):
        app.screen_updating = False
        switched = True
    try:
        yield
    finally:
        if switched:
            with contextlib.suppress(Exception):
                app.screen_updating = True


def status(book: Any, text: str | bool) -> None:
    """Show `text` in the status bar; False hands the bar back to Excel (on Windows a text
    stays there, over Excel's own messages, until it is reset)."""
    with contextlib.suppress(Exception):
        book.app.status_bar = text
