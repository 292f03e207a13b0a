"""Text from a ledger as an output cell, a note or a link may hold it: text, never a formula,
never a character the file format refuses, never longer than Excel keeps.

What a ledger cell says is the bursar's (or a hostile file's): `=HYPERLINK("http://…")`,
`=cmd|' /C calc'!A0`, `@SUM(…)`, a control character, 40,000 characters. Each writer keeps it
as text its own way — XlsxWriter with write_string, openpyxl by marking the cell a string
(openpyxl makes any str starting with "=" a formula), the buttons with a leading apostrophe
(excel/sheets.as_text) — and every writer first passes it through `cell_text`.
"""

from __future__ import annotations

import re

# Excel keeps at most 32,767 characters in a cell (and a note); more makes it repair the file.
EXCEL_TEXT_LIMIT = 32_767
CUT_MARK = "…（已截断）"
# C0 controls other than tab and line breaks: XML 1.0 cannot hold them (openpyxl refuses them,
# XlsxWriter writes them as _x0001_ escapes that Excel shows as nothing). Shown instead as
# their visible pictures (U+2400…), so the bursar sees that something odd stands there.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Lone surrogates cannot be written as UTF-8 at all.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# A sheet holds 1,048,576 rows and 65,530 links at most: past them Excel (and the writers)
# drop what is written, so a report that long says where its list stops.
EXCEL_ROWS = 1_048_576
EXCEL_LINKS = 65_530
# Excel's page header and footer hold 255 characters.
MARGIN_LIMIT = 255


def cell_text(text: str, limit: int = EXCEL_TEXT_LIMIT) -> str:
    """The text as any output cell or note may hold it."""
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group())), text)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    if len(text) > limit:
        text = text[: limit - len(CUT_MARK)] + CUT_MARK
    return text


def rows_that_fit(first_row: int, count: int) -> int:
    """How many of `count` rows starting at 0-based `first_row` a sheet can hold (one row is
    kept for the line saying the list stops)."""
    room = EXCEL_ROWS - 1 - first_row
    return count if count <= room else max(room - 1, 0)


def cut_note(shown: int, total: int) -> str:
    return (f"（此处只列出前 {shown:,} 行，共 {total:,} 行：超出Excel工作表的行数上限，"
            "完整列表见 JSON 报告）")
