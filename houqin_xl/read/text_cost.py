"""What a sheet's text will cost in memory, in cells, before calamine parses it.

The run's budget counts cells (limits.Budget), and a cell costs the check ≈ 170 bytes with a
short text in it. A long text costs more, and shared strings multiply it: a 7 MB file whose
two million cells all point at one 300-character shared string took 3.4 GiB — calamine copies
the string into every cell, and so does Python. So each sheet is also charged its text beyond
a short one's, TEXT_BYTES_PER_CELL bytes of XML text for one cell of the budget:

- shared strings: every `t="s"` cell is charged the length of the string it points at (the
  lengths of all the shared strings are measured once, in C, when the package is opened);
- inline strings: charged only in a sheet part over INLINE_FLOOR bytes (below it, the part's
  own size bounds them well within memory).

A real register's texts are short: 100,000 rows with an asset name, a department and a
remark of 40 characters add well under 1 % to its cells.
"""

from __future__ import annotations

import re

import numpy as np

# Bytes of a text's XML (UTF-8, with its tags) that stand for one cell of the budget: Rust
# keeps one copy, Python another (≈ 2 bytes a byte), and a cell is ≈ 170 bytes.
TEXT_BYTES_PER_CELL = 85
# What a short text costs is already in its cell's ≈ 170 bytes (<si><t>…</t></si> and a few
# characters); only what is beyond this is charged.
SHORT_TEXT = 32
INLINE_FLOOR = 16 * 1024 * 1024
# Below this many cells' worth as an upper bound (every t="s" cell at the longest string),
# the bound itself is charged; above it, each cell's own string is looked up.
CHEAP_BOUND = 10_000

_SI = re.compile(rb"<(?:\w+:)?si[\s>/]")
# `t = …` or `t= …`: the rough pattern (a literal first, fast) says whether to look closer.
_SPACED_T_ROUGH = re.compile(rb"t(?:\s+=|=\s)")
_SPACED_T = re.compile(rb"\bt\s+=|\bt=\s")
_SHARED_CELL = re.compile(rb"""<(?:\w+:)?c\b[^>]*?\bt\s*=\s*["']s["'][^>]*>\s*<(?:\w+:)?v>\s*(\d{1,10})\s*<""")
_INLINE_TEXT = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)<")


class SharedText:
    """The extra length (beyond SHORT_TEXT) of each shared string, by index."""

    def __init__(self, sst: bytes | bytearray | None) -> None:
        if not sst:
            self.extra = np.zeros(0, dtype=np.int64)
        else:
            starts = np.fromiter((m.start() for m in _SI.finditer(sst)), dtype=np.int64)
            ends = np.append(starts[1:], len(sst))
            self.extra = np.maximum(ends - starts - SHORT_TEXT, 0)
        self.longest = int(self.extra.max()) if len(self.extra) else 0

    def cells(self, xml: bytes | bytearray) -> int:
        """The sheet's shared-string text beyond the short, in cells of the budget."""
        if not self.longest:
            return 0
        pointers = xml.count(b't="s"') + xml.count(b"t='s'")
        if _SPACED_T_ROUGH.search(xml):  # rare: a writer that spaces its attributes
            pointers += len(_SPACED_T.findall(xml))
        bound = pointers * self.longest // TEXT_BYTES_PER_CELL
        if bound <= CHEAP_BOUND:
            return bound
        indices = _shared_indices(xml, pointers)
        indices = indices[indices < len(self.extra)]  # calamine refuses the others
        return int(self.extra[indices].sum()) // TEXT_BYTES_PER_CELL


# How Excel, WPS, XlsxWriter and the systems write a shared-string cell: `t="s"` and then, in the
# same tag, nothing but other attributes, and the index right after it. The general pattern
# below (prefixes, spaces, either quote) reads anything else, three times slower.
_SHARED_CELL_USUAL = re.compile(rb"""t="s"[^>]*><v>(\d{1,10})</v>""")


def _shared_indices(xml: bytes | bytearray, pointers: int) -> np.ndarray:
    """The shared-string index of every `t="s"` cell. The usual writing is read with the fast
    pattern; only when it does not account for every pointer is the general one used."""
    usual = _SHARED_CELL_USUAL.findall(xml)
    if len(usual) != pointers:
        usual = _SHARED_CELL.findall(xml)
    # int() of each matched bytes object: twice as fast as numpy's cast of a bytes array
    # (reading the indices with numpy instead of the regex was slower still: tried, 5×).
    return np.fromiter(map(int, usual), dtype=np.int64, count=len(usual))


def inline_cells(xml: bytes | bytearray) -> int:
    """A big sheet part's inline text beyond the short, in cells of the budget."""
    if len(xml) <= INLINE_FLOOR or b"inlineStr" not in xml:
        return 0
    extra = 0
    for match in _INLINE_TEXT.finditer(xml):
        extra += max(0, match.end(1) - match.start(1) + 15 - SHORT_TEXT)  # + its tags, as in an <si>
    return extra // TEXT_BYTES_PER_CELL
