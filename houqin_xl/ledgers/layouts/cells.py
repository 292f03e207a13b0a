"""What every layout needs to look at a sheet's cells: merged ranges read as the bursar sees
them, header texts normalised, the unit line (单位：万元), and what a label cell makes of its row
(a total such as 合计 / 本月合计, a footer such as 制表人：…, or data)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ...read.grid import Grid
from ..parse import is_blank, normalise_text
from ..schemas import normalise_header

HEADER_SEARCH_ROWS = 30  # a header further down than this is not looked for
_TOTAL_LABEL = re.compile(r"(小计|合计|总计|累计|承前页|过次页)")
_FOOTER_LABEL = re.compile(
    r"^[(\[【]?(制表|审核|审批|复核|负责人|单位负责人|填表|填报|经办|会计|出纳|主管|校长|记账|保管员|"
    r"盘点负责人|盘点人|清查人|监盘|验收|保管人|财务负责人|分管领导|说明|备注[:：]|注[:：]|注\d|"
    r"打印|日期[:：]|以下空白|以下无|此[页行]?以下空白|本页以下空白|收款人|收费人|经手人)"
)
# First characters of the footer words above: text starting otherwise needs no regex.
_FOOTER_FIRST = frozenset("制审复负单填经会出主校记保盘清监验财分说备注打日以此本收")
_LEAD = " \u3000([【（"  # what may stand before a footer word
_UNIT_LINE = re.compile(r"单位[:：]\s*(万元|元)")



class MergeMap:
    """Value lookup that gives every cell of a merged range its top-left value, in the rows
    down to `until_row` (the header search looks no further; merged data cells below are
    `_data_merges`' business)."""

    def __init__(self, grid: Grid, until_row: int) -> None:
        self.grid = grid
        self.cover: dict[tuple[int, int], tuple[int, int]] = {}
        for top, left, bottom, right in grid.merged:
            if top > until_row or (bottom - top + 1) * (right - left + 1) > 200_000:
                continue  # a whole-column merge is a formatting accident, not data
            for r in range(top, min(bottom, until_row) + 1):
                for c in range(left, right + 1):
                    if (r, c) != (top, left):
                        self.cover[(r, c)] = (top, left)

    def value(self, row: int, col: int) -> Any:
        origin = self.cover.get((row, col))
        if origin is not None:
            return self.grid.cell(*origin)
        return self.grid.cell(row, col)

    def row_values(self, row: int) -> list[Any]:
        g = self.grid
        return [self.value(row, c) for c in range(g.first_col, g.last_col + 1)]


def header_names(merges: MergeMap, row: int, depth: int) -> list[tuple[int, str, str, str | None]]:
    """(column, key, shown text, unit) for each non-empty header cell of a 1- or 2-row header."""
    grid = merges.grid
    out = []
    for col in range(grid.first_col, grid.last_col + 1):
        top = merges.value(row, col)
        top_text = "" if is_blank(top) else str(top)
        key, unit = normalise_header(top_text)
        shown = normalise_text(top_text).replace("\n", "")
        if depth == 2:
            below = merges.value(row + 1, col)
            below_text = "" if is_blank(below) else str(below)
            child, child_unit = normalise_header(below_text)
            if child and child != key:
                key = key + child
                shown = (shown + " " + normalise_text(below_text).replace("\n", "")).strip()
                unit = child_unit or unit
        if key:
            out.append((col, key, shown, unit))
    return out


def unit_multiplier(grid: Grid, merges: MergeMap, header_row: int) -> int:
    for row in range(grid.first_row, header_row + 1):
        for value in merges.row_values(row):
            if isinstance(value, str):
                m = _UNIT_LINE.search(normalise_text(value).replace(" ", ""))
                if m:
                    return 10_000 if m.group(1) == "万元" else 1
    return 1


@lru_cache(maxsize=65536)
def squeeze(value: Any) -> str:
    return re.sub(r"\s+", "", normalise_text(str(value)))


def label_kind(text: str) -> str:
    """What a leading cell's text makes of its row: 'total' (合计, 小计, 本月合计 …),
    'footer' (制表人：…), 'footer?' (a footer word without a colon: a footer only when the
    row holds little else, so an item called 说明书 stays data), or '' for data."""
    if not is_label_candidate(text):
        return ""  # most data text: no total word, no footer word at its start
    squeezed = squeeze(text)
    # A class or a month may stand in the label (301班小计, 2026年11月合计); a long run of
    # digits is an asset or receipt number, and that row is data.
    if len(squeezed) <= 20 and _TOTAL_LABEL.search(squeezed) and not re.search(r"\d{6,}", squeezed):
        return "total"
    if _FOOTER_LABEL.match(squeezed):
        return "footer" if (":" in squeezed or "：" in squeezed) else "footer?"
    return ""


def is_label_candidate(text: str) -> bool:
    """Whether text may be a label at all: a total word anywhere, or a footer word's first
    character at its start. Most data text is not, and needs no regex."""
    return ("计" in text or "承前" in text or "过次" in text
            or text.lstrip(_LEAD)[:1] in _FOOTER_FIRST)


