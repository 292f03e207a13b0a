"""How many cells calamine will lay out for a sheet, told from the sheet's XML before calamine
parses it.

Calamine keeps a sheet as one dense rectangle from its first to its last used cell: two cells,
at A1 and at XFD1048576, make 17 billion cells (hundreds of GB: the process aborts). The
rectangle is set by the cells' references (`<c r="XFD1048576">`), or — for writers that leave
the reference out — by counting cells along their row and rows down the sheet. `extent` bounds
that rectangle from above, finding every tag and reference with numpy rather than one regex
match at a time (a 4-million-cell sheet: about a second, beside calamine's five). A sheet
written unlike any spreadsheet program writes (prefixed tags, spaces around an attribute's
`=`) is walked tag by tag as calamine walks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .limits import MAX_COLS, MAX_ROWS

# Worked through in slices, each ending just after a '>', so no tag is cut in two.
CHUNK = 1 << 24
_EQ, _QUOTE, _APOS, _LT, _GT, _SLASH, _COLON = 61, 34, 39, 60, 62, 47, 58
_R, _O, _W, _C = 114, 111, 119, 99


@dataclass
class Extent:
    """An upper bound of the rectangle calamine allocates: rows × columns."""

    rows: int = 0
    cols: int = 0
    beyond_excel: bool = False  # a reference past XFD1048576, or one calamine cannot read

    @property
    def cells(self) -> int:
        return self.rows * self.cols


def _space(b: np.ndarray) -> np.ndarray:
    return (b == 32) | (b == 9) | (b == 10) | (b == 13)


def _name_end(b: np.ndarray) -> np.ndarray:
    return _space(b) | (b == _GT) | (b == _SLASH)


class _Bounds:
    def __init__(self) -> None:
        self.min_row = self.min_col = 1 << 62
        self.max_row = self.max_col = 0
        self.cells = 0
        self.refless_cells = 0
        self.refless_rows = 0
        self.max_row_ref = 0
        self.max_cells_in_row = 0
        self.row_cells = 0  # cells so far in the row a slice ended inside
        self.odd = False  # a reference calamine cannot read as one
        self.unusual = False  # prefixed tags, spaces around '=': walk it as calamine does
        self.needs_owners = False  # a cell tag that does not open with its reference


def extent(xml: bytes) -> Extent:
    """The bound of the sheet XML's used rectangle (see the module's doc)."""
    bounds = _walk(xml, owned=False)
    if bounds.needs_owners:  # some cell without its reference first: count tags everywhere
        bounds = _walk(xml, owned=True)
    if bounds.unusual:
        return exact(xml)
    if bounds.odd:
        return Extent(MAX_ROWS + 1, MAX_COLS + 1, beyond_excel=True)
    if bounds.cells == 0:
        return Extent()
    if bounds.refless_cells or bounds.refless_rows:
        # A cell without a reference follows the cell before it along the row, a row without
        # one follows the row before: bound both by what the sheet holds.
        rows = max(bounds.max_row, bounds.max_row_ref) + bounds.refless_rows + 1
        cols = bounds.max_col + bounds.max_cells_in_row
        return Extent(rows, cols, beyond_excel=rows > MAX_ROWS or cols > MAX_COLS)
    return Extent(bounds.max_row - bounds.min_row + 1, bounds.max_col - bounds.min_col + 1,
                  beyond_excel=bounds.max_row > MAX_ROWS or bounds.max_col > MAX_COLS)


def _walk(xml: bytes, owned: bool) -> _Bounds:
    data = np.frombuffer(xml, dtype=np.uint8)
    bounds = _Bounds()
    start, size = 0, len(data)
    while start < size and not (bounds.unusual or bounds.odd or bounds.needs_owners):
        stop = size
        if start + CHUNK < size:
            stop = xml.rfind(b">", start, start + CHUNK) + 1
            if stop <= start:  # one tag longer than a slice
                bounds.unusual = True
                break
        _slice(data[start:stop], bounds, owned)
        start = stop
    return bounds


def _slice(seg: np.ndarray, bounds: _Bounds, owned: bool) -> None:
    padded = np.concatenate([np.zeros(8, dtype=np.uint8), seg, np.zeros(24, dtype=np.uint8)])

    def at(positions: np.ndarray, offset: int) -> np.ndarray:
        return padded[offset + 8:][positions]  # a view, not a new array of positions

    colons = np.flatnonzero(seg == _COLON)
    if len(colons):  # `<x:c>`, `<x:row>`: prefixed cells and rows
        c, o, w = at(colons, 1), at(colons, 2), at(colons, 3)
        if np.any(((c == _C) & _name_end(o)) | ((c == _R) & (o == _O) & (w == _W) & _name_end(at(colons, 4)))):
            bounds.unusual = True
            return
    eq = np.flatnonzero(seg == _EQ)
    before, before2, after = at(eq, -1), at(eq, -2), at(eq, 1)
    if np.any((before == _R) & _space(before2) & _space(after)) or np.any(
            _space(before) & (before2 == _R) & _space(at(eq, -3))):
        bounds.unusual = True  # `r = "A1"`
        return
    refs = eq[(before == _R) & _space(before2) & ((after == _QUOTE) | (after == _APOS))]
    # Spreadsheet programs write the reference first: `<c r="A1" …`, `<row r="1" …`.
    first_in_cell = (at(refs, -3) == _C) & (at(refs, -4) == _LT)
    cell_tags = np.flatnonzero((seg[:-1] == _LT) & (seg[1:] == _C))
    cell_tags = cell_tags[_name_end(at(cell_tags, 2))]
    if owned:
        _owned(seg, padded, refs, cell_tags, bounds)
        return
    if len(cell_tags) != int(np.count_nonzero(first_in_cell)):
        bounds.needs_owners = True
        return
    bounds.cells += len(cell_tags)
    _bound_cells(padded, refs, bounds)


def _owned(seg: np.ndarray, padded: np.ndarray, refs: np.ndarray, cell_tags: np.ndarray,
           bounds: _Bounds) -> None:
    """A slice written otherwise (attributes in another order, cells without references):
    each reference assigned to the tag it stands in, each tag without one counted."""
    n = len(seg)
    lt = np.flatnonzero(seg == _LT)
    next_lt = np.append(lt[1:], n)
    nxt = [padded[lt + 8 + k] for k in (1, 2, 3, 4)]
    is_cell = (nxt[0] == _C) & _name_end(nxt[1])
    is_row = (nxt[0] == _R) & (nxt[1] == _O) & (nxt[2] == _W) & _name_end(nxt[3])
    owner = np.maximum(np.searchsorted(lt, refs) - 1, 0)
    inside = refs < next_lt[owner]
    in_cell, in_row = inside & is_cell[owner], inside & is_row[owner]
    row_refs = refs[in_row]
    cell_refs = refs[~in_row]  # an r="…" outside any row tag counts as a cell's, to be safe
    row_starts = lt[is_row]
    bounds.refless_cells += len(cell_tags) - _with_ref(cell_tags, next_lt[is_cell], refs[in_cell])
    bounds.refless_rows += len(row_starts) - _with_ref(row_starts, next_lt[is_row], row_refs)
    bounds.cells += len(cell_tags) + int(np.count_nonzero(~in_row & ~in_cell))
    _cells_per_row(cell_tags, row_starts, bounds)
    found = _references(padded, row_refs, bounds)
    if found.max_row_ref is not None:
        bounds.max_row_ref = max(bounds.max_row_ref, found.max_row_ref)
    _bound_cells(padded, cell_refs, bounds)


def _bound_cells(padded: np.ndarray, refs: np.ndarray, bounds: _Bounds) -> None:
    """The cell references among refs (rows' have no letters) into the running bounds."""
    found = _references(padded, refs, bounds)
    if found.cells is None or bounds.odd:
        return
    min_col, max_col, min_row, max_row = found.cells
    bounds.min_row = min(bounds.min_row, min_row)
    bounds.max_row = max(bounds.max_row, max_row)
    bounds.min_col = min(bounds.min_col, min_col)
    bounds.max_col = max(bounds.max_col, max_col)


def _with_ref(starts: np.ndarray, ends: np.ndarray, refs: np.ndarray) -> int:
    """How many of the tags [start, end) hold one of the references."""
    if len(starts) == 0 or len(refs) == 0:
        return 0
    refs = np.sort(refs)
    first = np.searchsorted(refs, starts)
    found = first < len(refs)
    found[found] = refs[first[found]] < ends[found]
    return int(np.count_nonzero(found))


def _cells_per_row(cells: np.ndarray, rows: np.ndarray, bounds: _Bounds) -> None:
    """The most cells any row holds, a row cut by a slice's end counted across it."""
    if len(cells) == 0:
        if len(rows):
            bounds.row_cells = 0
        return
    counts = np.bincount(np.searchsorted(rows, cells), minlength=len(rows) + 1)
    counts[0] += bounds.row_cells
    bounds.max_cells_in_row = max(bounds.max_cells_in_row, int(counts.max()))
    bounds.row_cells = int(counts[-1])


def _words(padded: np.ndarray) -> np.ndarray:
    """Every byte offset of the slice as the big-endian 8-byte word starting there (a strided
    view, nothing copied): one gather reads a whole reference, and comparing words compares
    their bytes in order."""
    return np.ndarray((len(padded) - 16,), dtype=">u8", buffer=padded, offset=8, strides=(1,))


@dataclass
class _Found:
    """The extremes of a set of references: over cells (column and row), over rows (row)."""

    cells: tuple[int, int, int, int] | None = None  # min col, max col, min row, max row
    max_row_ref: int | None = None


def _references(padded: np.ndarray, eq: np.ndarray, bounds: _Bounds) -> _Found:
    """The extremes of the references whose '=' stands at eq (positions in the slice; padded
    has 8 bytes before it and 24 after). A cell's reference has letters, a row's only digits."""
    found = _Found()
    if len(eq) == 0:
        return found
    words = _words(padded)
    first = eq + 2
    head = words[first]
    quote = padded[9:][eq]
    n_letters = np.zeros(len(eq), dtype=np.int64)
    run = np.ones(len(eq), dtype=bool)
    for k in range(4):
        folded = ((head >> np.uint64(56 - 8 * k)) & np.uint64(0xFF)) | np.uint64(32)
        run &= (folded >= 97) & (folded <= 122)
        n_letters += run
    if np.any(n_letters > 3):
        bounds.odd = True
        return found
    n_digits = _digits_to_quote(padded, first, n_letters, quote)
    if np.any(n_digits > 7):
        bounds.odd = True  # past row 9,999,999
        return found
    cell = n_letters > 0
    if np.any(cell):
        cols = _extremes(words, first[cell], n_letters[cell], letters=True)
        rows = _extremes(words, first[cell] + n_letters[cell], n_digits[cell], letters=False)
        found.cells = (*cols, *rows)
    if not np.all(cell):
        found.max_row_ref = _extremes(words, first[~cell], n_digits[~cell], letters=False)[1]
    return found


def _digits_to_quote(padded: np.ndarray, first: np.ndarray, n_letters: np.ndarray,
                     quote: np.ndarray) -> np.ndarray:
    """How many bytes stand between each reference's letters and its closing quote (the first
    of its kind after the opening one). Written as every program writes it — digits up to the
    quote — that is the run of digits, read in eight gathers; only references written
    otherwise have their quote looked for among all of the slice's quotes (a search over
    millions of them, which was most of the bound's time)."""
    at = first + n_letters + 8  # in padded
    n_digits = np.zeros(len(first), dtype=np.int64)
    run = np.ones(len(first), dtype=bool)
    for k in range(8):
        byte = padded[at + k]
        run &= (byte >= 48) & (byte <= 57)
        n_digits += run
    odd = np.flatnonzero(padded[at + n_digits] != quote)
    if len(odd):
        n_digits[odd] = _closing_quotes(padded, first[odd], quote[odd]) - first[odd] - n_letters[odd]
    return n_digits


def _closing_quotes(padded: np.ndarray, first: np.ndarray, quote: np.ndarray) -> np.ndarray:
    """The position of the first quote of each kind at or after each first (in the slice)."""
    closing = np.empty(len(first), dtype=np.int64)
    seg = padded[8:len(padded) - 24]
    for mark in (_QUOTE, _APOS):
        mine = np.flatnonzero(quote == mark)
        if len(mine):
            marks = np.append(np.flatnonzero(seg == mark), len(seg) + 1)
            closing[mine] = marks[np.searchsorted(marks, first[mine])]
    return closing


def _extremes(words: np.ndarray, starts: np.ndarray, lengths: np.ndarray, letters: bool
              ) -> tuple[int, int]:
    """The smallest and largest column (letters) or row number (digits) of equal-length
    groups: among the shortest, the smallest; among the longest, the largest — compared as
    whole words, their bytes in order."""
    low, high = int(lengths.min()), int(lengths.max())
    out = []
    for length, pick in ((low, np.min), (high, np.max)):
        if length <= 0:
            out.append(0)
            continue
        value = words[starts[lengths == length]] >> np.uint64(8 * (8 - length))
        if letters:
            value |= np.uint64(int.from_bytes(b"\x20" * length, "big"))  # a and A alike
        text = (int(pick(value)) << (8 * (8 - length))).to_bytes(8, "big")[:length]
        out.append(_column(text) if letters else int(text) if text.isdigit() else 10**7)
    return out[0], out[1]


def _column(letters: bytes) -> int:
    value = 0
    for ch in letters.upper():
        value = value * 26 + ch - 64 if 65 <= ch <= 90 else 10**6
    return value


# ---- the rare sheet written otherwise: one tag at a time, as calamine reads it ---------------

_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(row|c|sheetData)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"""(?:^|\s)r\s*=\s*(["'])(.*?)\1""", re.DOTALL)
_A1 = re.compile(rb"([A-Za-z]*)([0-9]*)")


def exact(xml: bytes) -> Extent:
    """Calamine's walk: a row's reference sets the row, a row's end steps to the next; a cell's
    reference sets its row and column, a cell without one follows the cell before it."""
    row = col = 0
    lo_r = lo_c = 1 << 62
    hi_r = hi_c = -1
    for tag in _TAG.finditer(xml):
        closing, name, attrs = tag.groups()
        if name == b"sheetData":
            if closing:
                break
            continue
        if name == b"row":
            if closing:
                row, col = row + 1, 0
            elif not attrs.endswith(b"/"):
                ref = _REF.search(attrs)
                if ref:
                    number = _split(ref.group(2))[1]
                    if number is None:
                        return Extent(MAX_ROWS + 1, MAX_COLS + 1, beyond_excel=True)
                    row = number - 1
            continue
        if closing:
            continue
        ref = _REF.search(attrs)
        if ref:
            letters, number = _split(ref.group(2))
            if not letters or number is None:
                return Extent(MAX_ROWS + 1, MAX_COLS + 1, beyond_excel=True)
            row, col = number - 1, letters - 1
        lo_r, hi_r, lo_c, hi_c = min(lo_r, row), max(hi_r, row), min(lo_c, col), max(hi_c, col)
        col += 1
    if hi_r < 0:
        return Extent()
    return Extent(hi_r - lo_r + 1, hi_c - lo_c + 1,
                  beyond_excel=hi_r >= MAX_ROWS or hi_c >= MAX_COLS)


def _split(ref: bytes) -> tuple[int | None, int | None]:
    """`XFD12` → (16384, 12); (None, None) for what calamine cannot read as a reference."""
    m = _A1.fullmatch(ref)
    if not m or len(m.group(1)) > 3 or not m.group(2) or len(m.group(2)) > 7:
        return None, None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ch - 64
    return col, int(m.group(2))
