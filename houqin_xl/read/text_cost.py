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
        pointers = xml.count(b't="s"') + xml.count(b"t='s'") + len(re.findall(rb"\bt\s+=|\bt=\s", xml))
        bound = pointers * self.longest // TEXT_BYTES_PER_CELL
        if bound <= CHEAP_BOUND:
            return bound
        indices = np.fromiter((int(m.group(1)) for m in _SHARED_CELL.finditer(xml)), dtype=np.int64)
        indices = indices[indices < len(self.extra)]  # calamine refuses the others
        return int(self.extra[indices].sum()) // TEXT_BYTES_PER_CELL


def inline_cells(xml: bytes | bytearray) -> int:
    """A big sheet part's inline text beyond the short, in cells of the budget."""
    if len(xml) <= INLINE_FLOOR or b"inlineStr" not in xml:
        return 0
    extra = 0
    for match in _INLINE_TEXT.finditer(xml):
        extra += max(0, match.end(1) - match.start(1) + 15 - SHORT_TEXT)  # + its tags, as in an <si>
    return extra // TEXT_BYTES_PER_CELL
