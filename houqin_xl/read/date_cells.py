"""Cells calamine cannot turn into Python: a number in a date- or time-formatted cell outside
the calendar Excel knows (1900–9999).

Calamine converts such a cell through chrono, and a value such as -1e308 makes it panic
(`TimeDelta::milliseconds out of bounds`: a Rust panic, raised in Python as a BaseException,
after Rust has printed its own lines on stderr); a duration past Python's timedelta raises.
Either way the whole sheet would be lost for one cell. So the scan finds these cells before
calamine converts the sheet (`risky_cells`), and the reader hands calamine a copy of that one
sheet in which they are plain text (`as_text`): the ledger is read, and the cell comes back
as what was typed — a bad date or amount reported on its own cell.
"""

from __future__ import annotations

import math
import re

from defusedxml import ElementTree as SafeTree

# Excel's built-in number formats that show a date, a time or a duration.
BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59),
                                  *range(71, 82)])
# The last day Excel shows (9999-12-31) is serial 2958465.
LAST_SERIAL = 2958465
_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\*.')
_BRACKET = re.compile(r"\[(?![hms]+\])[^\]]*\]", re.IGNORECASE)
_DATE_LETTERS = re.compile(r"[dmyhse]|\[[hms]+\]", re.IGNORECASE)


def is_date_format(code: str) -> bool:
    """A number format that makes calamine read a number as a date, time or duration (a
    superset: a format that shows letters of a date counts, colours and locales do not)."""
    shown = _BRACKET.sub("", _QUOTED.sub("", code))
    if shown.lower().strip() in ("general", "@", ""):
        return False
    return bool(_DATE_LETTERS.search(shown.replace("General", "").replace("general", "")))


def date_styles(styles_xml: bytes | bytearray | None) -> frozenset[int]:
    """The cell style indexes (the `s` of `<c s="3">`) whose number format is a date, a time
    or a duration, from xl/styles.xml."""
    if not styles_xml:
        return frozenset()
    custom: dict[int, str] = {}
    styles: list[int] = []
    in_cell_xfs = False
    try:
        for event, element in SafeTree.iterparse(_Source(bytes(styles_xml)), events=("start", "end"),
                                                 forbid_dtd=True):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "cellXfs":
                in_cell_xfs = event == "start"
            elif event == "start" and tag == "numFmt":
                number = _int(element.get("numFmtId"))
                if number is not None:
                    custom[number] = element.get("formatCode") or ""
            elif event == "start" and tag == "xf" and in_cell_xfs:
                styles.append(_int(element.get("numFmtId")) or 0)
            if event == "end" and tag not in ("cellXfs", "styleSheet", "numFmts"):
                element.clear()
    except Exception:  # noqa: BLE001 - unreadable styles: every style counts as a date
        return frozenset(range(65536))
    return frozenset(i for i, fmt in enumerate(styles)
                     if fmt in BUILTIN_DATE_FORMATS or (fmt in custom and is_date_format(custom[fmt])))


class _Source:
    """A bytes object as the file iterparse wants."""

    def __init__(self, data: bytes) -> None:
        import io

        self._io = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._io.read(size)


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


# A value that is not a plain serial day: negative, seven digits or more, an exponent, or not
# a number at all (inf, nan, text in a numeric cell).
_ODD_VALUE = re.compile(rb"<(?:\w+:)?v>(\s*(?:-|[0-9]{7}|[^<]*?[^0-9.\s<])[^<]*)</(?:\w+:)?v>")
_ODD_VALUE_PLAIN = re.compile(rb"<v>(-[^<]*|[0-9]{7}[^<]*|[^<]*[^0-9.<][^<]*)</v>")
_CELL_OPEN = re.compile(rb"<(?:[\w.-]+:)?c[\s>]")
_ATTR = re.compile(rb"""(?:^|\s)([st])\s*=\s*(["'])(.*?)\2""", re.DOTALL)


def risky_cells(xml: bytes | bytearray, styles: frozenset[int]) -> list[tuple[int, int]]:
    """(start, end) of every `<c …>` opening tag whose cell calamine would convert as a date
    from a value outside Excel's calendar."""
    if not styles:
        return []
    found = []
    # Without namespace prefixes (how Excel and nearly every writer save), a simpler pattern
    # finds a superset of the same values twice as fast; _in_range below drops the extra ones.
    odd = _ODD_VALUE if b":v>" in xml else _ODD_VALUE_PLAIN
    for value in odd.finditer(xml):
        if _in_range(value.group(1)):
            continue
        start = _last_cell_open(xml, value.start())
        if start < 0:
            continue
        end = xml.find(b">", start)
        attrs = dict((m.group(1), m.group(3)) for m in _ATTR.finditer(xml, start, end))
        if attrs.get(b"t", b"n") not in (b"n", b""):
            continue  # text, a boolean, an error or an ISO date: never a serial number
        style = _int(attrs[b"s"].decode("ascii", "replace")) if b"s" in attrs else 0
        if style in styles:
            found.append((start, end))
    return found


def _last_cell_open(xml: bytes | bytearray, before: int) -> int:
    """Where the `<c` that holds the value at `before` opens."""
    at = before
    while at > 0:
        at = xml.rfind(b"<", 0, at)
        if at < 0:
            return -1
        if _CELL_OPEN.match(xml, at):
            return at
    return -1


def _in_range(text: bytes) -> bool:
    try:
        value = float(text.strip())
    except ValueError:
        return False
    return math.isfinite(value) and 0 <= value <= LAST_SERIAL


_STYLE_OR_TYPE = re.compile(rb"""\s[st]\s*=\s*(["']).*?\1""", re.DOTALL)


def as_text(xml: bytes | bytearray, cells: list[tuple[int, int]]) -> bytes:
    """The sheet XML with each of those cells made a text cell (`t="str"`, no style): calamine
    then hands back the value as it was written."""
    out, last = [], 0
    for start, end in cells:
        tag = bytes(xml[start:end])
        closing = b"/" if tag.endswith(b"/") else b""
        body = _STYLE_OR_TYPE.sub(b"", tag[:-1] if closing else tag)
        out += [bytes(xml[last:start]), body, b' t="str"', closing]
        last = end
    out.append(bytes(xml[last:]))
    return b"".join(out)


def all_cells(xml: bytes | bytearray) -> list[tuple[int, int]]:
    """Every numeric cell's opening tag: the last resort, when calamine fails on a sheet for a
    reason the scan did not foresee — every number then comes back as the text it was."""
    found = []
    for m in _CELL_OPEN.finditer(xml):
        end = xml.find(b">", m.start())
        attrs = dict((a.group(1), a.group(3)) for a in _ATTR.finditer(xml, m.start(), end))
        if attrs.get(b"t", b"n") in (b"n", b""):
            found.append((m.start(), end))
    return found
