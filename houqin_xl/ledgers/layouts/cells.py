"""What every layout needs to look at a sheet's cells: merged ranges read as the bursar sees
them, header texts normalised, the unit line (单位：万元), and what a label cell makes of its row
(a total such as 合计 / 本月合计, a footer such as 制表人：…, or data)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ...read.grid import Grid
from ..parse import BAD, is_blank, normalise_text, parse_date, parse_number
from ..schemas import normalise_header

HEADER_SEARCH_ROWS = 30  # a header further down than this is not looked for
# A total label IS a total word, optionally after what it totals (a class, a month, a
# category: 301班小计, 2026年11月合计, 通用设备 小计) and before a colon or a bracket — never
# a word inside a longer name (合计报表打印机, 电能综合计量仪, 1602 累计折旧, 累计盈余).
_TOTAL_WORDS = ("本月合计|本期合计|本年合计|本季合计|本页合计|本页小计|本年累计|本期累计|本月累计|"
                "累计合计|总合计|合计|小计|总计|共计|累计|承前页|过次页|转次页|接上页|转下页")
_TOTAL_LABEL = re.compile(
    rf"^(?P<prefix>.{{0,16}}?)(?P<word>{_TOTAL_WORDS})(?:数|金额|数量)?"
    r"(?:[:：]|[(（][^()（）]{0,12}[)）])?$")
_FOOTER_LABEL = re.compile(
    r"^[(\[【]?(制表|审核|审批|复核|负责人|单位负责人|填表|填报|经办|会计|出纳|主管|校长|记账|保管员|"
    r"盘点负责人|盘点人|清查人|监盘|验收|保管人|财务负责人|分管领导|说明|备注[:：]|注[:：]|注\d|"
    r"打印|日期[:：]|以下空白|以下无|此[页行]?以下空白|本页以下空白|收款人|收费人|经手人)"
)
# A count of the records above (共10条记录, 合计：10条, 记录数：10): a total row — its amounts,
# where it states any, are the sums of the rows above. A page number (第1页 共3页) is a footer.
_COUNT_LINE = re.compile(
    r"^(?:共|合计|总计|共计|记录数|记录条数|条数|总条数|总记录数)[:：]?\d+(?:条|行|项|笔|张|人|户|个)?"
    r"(?:记录|数据)?[。.]?$")
_PAGE_LINE = re.compile(r"^(?:第\d+页[,，]?(?:共\d+页)?|共\d+页)$")
# First characters of the footer words above: text starting otherwise needs no regex.
_FOOTER_FIRST = frozenset("制审复负单填经会出主校记保盘清监验财分说备注打日以此本收共第条总")
_LEAD = " \u3000([【（"  # what may stand before a footer word
_UNIT_LINE = re.compile(r"单位[:：]\s*(万元|元)")
# A group header's own word is short and no title or unit line (单位：元, XX小学固定资产台账).
_GROUP_LABEL_MAX = 10


class MergeMap:
    """Value lookup that gives every cell of a merged range its top-left value, in the rows
    down to `until_row` (the header search looks no further; merged data cells below are
    `_data_merges`' business)."""

    def __init__(self, grid: Grid, until_row: int) -> None:
        self.grid = grid
        self.cover: dict[tuple[int, int], tuple[int, int]] = {}
        # The merged ranges starting in each searched row: a header's groups and cells
        # merged down are looked up per row, and the data below may hold thousands of merges.
        self.starting: dict[int, list[tuple[int, int, int, int]]] = {}
        # Per row, what the header search asks again and again: whether it holds header words
        # only, and its group spans.
        self.words_only: dict[int, bool] = {}
        self.spans: dict[int, list[tuple[int, int]]] = {}
        for top, left, bottom, right in grid.merged:
            if top > until_row or (bottom - top + 1) * (right - left + 1) > 200_000:
                continue  # a whole-column merge is a formatting accident, not data
            self.starting.setdefault(top, []).append((top, left, bottom, right))
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


@dataclass(frozen=True)
class HeaderCell:
    """One column's header as the bursar reads it.

    Under a group header (`期末余额` merged over 借方 | 贷方, `实盘` over 数量 | 存放地点) the
    column is named by `parent` and `child` together: `key` is then the qualified name
    (期末余额借方) that aliases such as 入库数量 are compared with, and the parent alone never
    names a column. `parent_col` tells two groups of the same name apart."""

    col: int
    key: str
    shown: str
    unit: str | None
    parent: str = ""
    child: str = ""
    parent_col: int = 0


def _text(value: Any) -> str:
    return "" if is_blank(value) else str(value)


def _shown(text: str) -> str:
    return normalise_text(text).replace("\n", "")


def group_spans(merges: MergeMap, row: int) -> list[tuple[int, int]]:
    """(left, right) of every header cell of `row` that stands over several cells of the row
    below: merged across columns, or standing alone with blank cells to its right whose lower
    cells are filled (a group centred across a selection, or an HTML table without colspan).
    Whether it really is a group (and not a title) is `is_group`'s business."""
    if row in merges.spans:
        return merges.spans[row]
    grid = merges.grid
    spans = []
    covered: set[int] = set()
    for _top, left, bottom, right in merges.starting.get(row, ()):
        if bottom == row and right > left:
            spans.append((left, right))
            covered.update(range(left, right + 1))
    col = grid.first_col
    while col <= grid.last_col:
        if col in covered or (row, col) in merges.cover or is_blank(grid.cell(row, col)):
            col += 1
            continue
        below = merges.value(row + 1, col)
        end = col
        if not is_blank(below) and merges.value(row + 1, col) != merges.value(row, col):
            while (end + 1 <= grid.last_col and end + 1 not in covered
                   and (row, end + 1) not in merges.cover and is_blank(grid.cell(row, end + 1))
                   and not is_blank(merges.value(row + 1, end + 1))
                   and (row + 1, end + 1) not in merges.cover):
                end += 1
        if end > col:
            spans.append((col, end))
        col = end + 1
    merges.spans[row] = sorted(spans)
    return merges.spans[row]


def _header_like(value: Any) -> bool:
    """A cell that may be a header word: text, and no number or date typed as text."""
    if not isinstance(value, str):
        return False
    return parse_number(value) is BAD and parse_date(value) is BAD


def _words_only(merges: MergeMap, row: int) -> bool:
    """Whether every filled cell of the row is a header word (a `当前日期 | 2024-06-04` line,
    or a data row, is not a header row)."""
    if row not in merges.words_only:
        merges.words_only[row] = row <= merges.grid.last_row and all(
            _header_like(v) for v in merges.row_values(row) if not is_blank(v))
    return merges.words_only[row]


def is_group(merges: MergeMap, row: int, span: tuple[int, int]) -> bool:
    """Whether the header cell over `span` is a group over the row below: a short word (no
    title, no 单位：元 line) over at least two different header words, and not over every
    header cell of that row (a title merged across the table is no group); both rows hold
    header words only."""
    grid = merges.grid
    left, right = span
    label = squeeze(merges.value(row, left))
    if not label or len(label) > _GROUP_LABEL_MAX or ":" in label or "：" in label:
        return False
    below = [merges.value(row + 1, c) for c in range(left, right + 1)]
    words = {squeeze(v) for v in below if not is_blank(v)}
    if len(words) < 2 or not _words_only(merges, row) or not _words_only(merges, row + 1):
        return False
    outside = [c for c in range(grid.first_col, grid.last_col + 1)
               if (c < left or c > right) and not is_blank(merges.value(row + 1, c))]
    return bool(outside) or any(
        not is_blank(merges.value(row, c)) for c in range(grid.first_col, grid.last_col + 1)
        if c < left or c > right)


def two_level(merges: MergeMap, row: int) -> bool:
    """Whether `row` and the row below are one header: cells merged down from `row` into the
    next (科目编码 and 科目名称 over both rows), or a group header over header words below
    (期末余额 over 借方 | 贷方). Then neither row is a header on its own — read alone, the top
    row binds a group's parent to its first column and the lower row binds the first 金额 of
    the row, whatever its parent."""
    grid = merges.grid
    if row + 1 > grid.last_row:
        return False
    # A title (资产清查盘点表), merged across the table or standing alone, is one text: no
    # header row holds fewer than two different words.
    if len({cell.key for cell in header_cells(merges, row, 1)}) < 2:
        return False
    down = sum(1 for _top, _left, bottom, _right in merges.starting.get(row, ())
               if row < bottom <= row + 2)
    if down >= 2 and _words_only(merges, row) and _words_only(merges, row + 1):
        return True
    return any(is_group(merges, row, span) for span in group_spans(merges, row))


def header_cells(merges: MergeMap, row: int, depth: int) -> list[HeaderCell]:
    """The named columns of a 1- or 2-row header starting at `row`."""
    grid = merges.grid
    out: list[HeaderCell] = []
    if depth == 1:
        for col in range(grid.first_col, grid.last_col + 1):
            text = _text(merges.value(row, col))
            key, unit = normalise_header(text)
            if key:
                out.append(HeaderCell(col, key, _shown(text), unit))
        return out
    parent_of: dict[int, int] = {}
    for left, right in group_spans(merges, row):
        if is_group(merges, row, (left, right)):
            for col in range(left, right + 1):
                parent_of[col] = left
    for col in range(grid.first_col, grid.last_col + 1):
        top_text = _text(merges.value(row, col))
        below_text = _text(merges.value(row + 1, col))
        top_key, top_unit = normalise_header(top_text)
        child, child_unit = normalise_header(below_text)
        if col in parent_of:
            parent_text = _text(merges.value(row, parent_of[col]))
            parent, parent_unit = normalise_header(parent_text)
            if child and child != parent:
                out.append(HeaderCell(
                    col, parent + child, (_shown(parent_text) + " " + _shown(below_text)).strip(),
                    child_unit or parent_unit, parent, child, parent_of[col]))
            continue  # a group's column without a word of its own names nothing
        if top_key and child and child != top_key:
            # One word over one other (结存 over 数量, not merged): a group of one column.
            out.append(HeaderCell(
                col, top_key + child, (_shown(top_text) + " " + _shown(below_text)).strip(),
                child_unit or top_unit, top_key, child, col))
        elif top_key:
            out.append(HeaderCell(col, top_key, _shown(top_text), top_unit))
        elif child:
            out.append(HeaderCell(col, child, _shown(below_text), child_unit))
    return out


def header_names(merges: MergeMap, row: int, depth: int) -> list[tuple[int, str, str, str | None]]:
    """(column, key, shown text, unit) for each non-empty header cell of a 1- or 2-row header;
    under a group the key is the qualified name (期末余额借方)."""
    return [(c.col, c.key, c.shown, c.unit) for c in header_cells(merges, row, depth)]


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
    """What a leading cell's text makes of its row: 'total' (合计, 小计, 本月合计, 301班小计 …),
    'footer' (制表人：…), 'footer?' (a footer word without a colon: a footer only when the
    row holds little else, so an item called 说明书 stays data), or '' for data.

    A total label is a total word standing at the end of the label, after at most what it
    totals; a word inside a name (合计报表打印机, 电能综合计量仪, 1602 累计折旧) is data."""
    if not is_label_candidate(text):
        return ""  # most data text: no total word, no footer word at its start
    squeezed = squeeze(text)
    match = _TOTAL_LABEL.match(squeezed)
    # A long run of digits is an asset or receipt number, and that row is data.
    if match and not re.search(r"\d{6,}", match.group("prefix")):
        return "total"
    if _FOOTER_LABEL.match(squeezed):
        return "footer" if (":" in squeezed or "：" in squeezed) else "footer?"
    if _COUNT_LINE.match(squeezed):
        return "total"
    if _PAGE_LINE.match(squeezed):
        return "footer"
    return ""


def total_prefix(text: str) -> str | None:
    """What stands before the total word of a total label (材料 of 材料合计, '' for 合计 or
    本月合计), or None when the text is no total label."""
    if label_kind(text) != "total":
        return None
    match = _TOTAL_LABEL.match(squeeze(text))
    return match.group("prefix") if match else ""  # a count line (共10条记录) totals all above


def is_label_candidate(text: str) -> bool:
    """Whether text may be a label at all: a total word anywhere, or a footer word's first
    character at its start. Most data text is not, and needs no regex."""
    return ("计" in text or "页" in text
            or text.lstrip(_LEAD)[:1] in _FOOTER_FIRST)
