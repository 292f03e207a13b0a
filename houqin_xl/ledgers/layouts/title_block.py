"""What a page of an account book says above its header: the item it is kept for.

A printed 数量金额式明细账 names its item once, in a block above the table — `品名：A4复印纸`,
`规格：70g 500张/包`, `计量单位：包`, `类别：`, `编号：` — with full-width or half-width colons,
spaces, merged cells, and the value either after the colon in the same cell or in the next
cell to the right. The accounting software writes `科目：1403000_0001 原材料—A4复印纸` instead.
When the block names no item, the sheet's name does (`粉笔`, `数量核算明细账1405 库存商品_202106`).

Each value keeps the cell it was read from, so a finding about the item points at the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..parse import is_blank, normalise_text
from .cells import MergeMap

Cell = tuple[int, int]

# Label (as written, spaces removed) → what it names. Longer labels first, so 计量单位 is not
# read as 单位 and 物品名称 not as 名称.
_LABELS: dict[str, str] = {
    "物品名称": "item", "物资名称": "item", "材料名称": "item", "商品名称": "item",
    "存货名称": "item", "货物名称": "item", "品名": "item", "名称": "item", "物品": "item",
    "规格型号": "spec", "规格": "spec", "型号": "spec",
    "计量单位": "unit", "单位": "unit",
    "物品编码": "item_code", "物品编号": "item_code", "存货编码": "item_code",
    "商品编码": "item_code", "编号": "item_code", "编码": "item_code", "货号": "item_code",
    "科目编码": "item_code", "科目": "account", "会计科目": "account",
    "类别": "category", "类别名称": "category", "分类": "category",
    "存放地点": "location", "期间": "period", "会计期间": "period", "年度": "period",
    "月份": "period",
}
# A label starts the cell or follows a space or a separator: 单位名称： and 编制单位： hold
# other labels' words but name the school, not the item.
_LABEL_RE = re.compile(
    r"(?:^|(?<=[\s,，;；。]))("
    + "|".join(sorted((re.escape(k) for k in _LABELS), key=len, reverse=True)) + r")\s*[:：]")
# A money unit line (单位：元) is the sheet's currency, not the item's unit of measure.
_MONEY_UNITS = {"元", "万元", "人民币元", "元/万元"}
# The account in a software title: its code, then its name (`1403000_0001 原材料—A4复印纸`).
_CODE_THEN_NAME = re.compile(r"^([0-9A-Za-z]+(?:[_.\-][0-9A-Za-z]+)*)\s*(.*)$")
_ACCOUNT_CODE = re.compile(r"^\d{4,}(?:[_.\-]\d+)*$")
# Words a sheet or file name carries around the item's name.
_BOOK_WORDS = re.compile(
    r"(数量金额式|数量金额|数量核算|库存物资|库存商品|物资|材料|存货)?(明细分类账|明细账|账页|台账)")
# A period after the name (`_202106`, `(2026)`, `2026年11月`) and whatever follows it.
_PERIOD_TAIL = re.compile(r"[_\-\s(（]*(?:19|20)\d{2}(?:[.\-年]?\d{1,2}月?)?(?:[)）]|[_\-\s].*)?$")
_GENERIC_SHEET = re.compile(r"^(sheet|工作表|表)\s*\d*$", re.IGNORECASE)
YEAR = re.compile(r"((?:19|20)\d{2})\s*(?:年|[.\-/]\d{1,2}|$)")


@dataclass
class TitleBlock:
    """The item's particulars and the cells they stand in (None when from a sheet name)."""

    values: dict[str, str] = field(default_factory=dict)
    cells: dict[str, Cell | None] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # field → the label as written
    year: int | None = None
    source: str = "标题栏"

    def put(self, name: str, value: str, cell: Cell | None, label: str) -> None:
        if name not in self.values and value:
            self.values[name] = value
            self.cells[name] = cell
            self.labels[name] = label


def _pairs(text: str) -> list[tuple[str, str]]:
    """(label, value) pairs in one cell: `品名：A4复印纸　规格：70g` gives two."""
    found = list(_LABEL_RE.finditer(text))
    out = []
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(text)
        out.append((m.group(1), text[m.end():end].strip(" \u3000,，;；")))
    return out


def _next_value(merges: MergeMap, row: int, col: int) -> tuple[str, Cell] | None:
    """The first non-empty cell right of (row, col), past the label's own merged range."""
    grid = merges.grid
    for c in range(col + 1, grid.last_col + 1):
        if merges.cover.get((row, c)) == merges.cover.get((row, col), (row, col)):
            continue  # still inside the label's merged cell
        value = merges.value(row, c)
        if is_blank(value):
            continue
        text = normalise_text(str(value))
        if _LABEL_RE.match(text) or text.rstrip(":：") in _LABELS:
            return None  # the next label: this one was left blank
        origin = merges.cover.get((row, c), (row, c))
        return text, origin
    return None


def read_title_block(merges: MergeMap, first_row: int, last_row: int) -> TitleBlock:
    """The label:value pairs in rows first_row..last_row (the rows above a page's header)."""
    block = TitleBlock()
    grid = merges.grid
    for row in range(first_row, last_row + 1):
        for col in range(grid.first_col, grid.last_col + 1):
            if merges.cover.get((row, col)) is not None:
                continue  # a merged range is read once, at its top-left cell
            value = grid.cell(row, col)
            if not isinstance(value, str) or is_blank(value):
                continue
            text = normalise_text(value)
            if block.year is None:
                m = YEAR.search(text)
                if m:
                    block.year = int(m.group(1))
            pairs = _pairs(text)
            bare = text.replace(" ", "").rstrip(":：")
            if not pairs and bare in _LABELS and not _MONEY_UNITS & {bare}:
                pairs = [(bare, "")]  # `品名` in one cell, `A4复印纸` in the next
            for label, shown in pairs:
                cell: Cell = (row, col)
                if not shown:
                    nxt = _next_value(merges, row, col)
                    if nxt is None:
                        continue
                    shown, cell = nxt
                _take(block, _LABELS[label], label, shown, cell)
    return block


def _take(block: TitleBlock, name: str, label: str, value: str, cell: Cell) -> None:
    if name == "unit" and value.replace(" ", "") in _MONEY_UNITS:
        return  # 单位：元 is the money unit line
    if name == "account":
        m = _CODE_THEN_NAME.match(value)
        if m and _ACCOUNT_CODE.match(m.group(1)):
            block.put("item_code", m.group(1), cell, label)
            block.put("item", m.group(2).strip() or m.group(1), cell, label)
        else:
            block.put("item", value, cell, label)
        return
    if name == "period":
        m = YEAR.search(value)
        if m and block.year is None:
            block.year = int(m.group(1))
        block.put("period", value, cell, label)
        return
    block.put(name, value, cell, label)


def item_from_name(sheet: str, path: str) -> tuple[str | None, str | None, str]:
    """(code, item, where) from the sheet's name, or from the file's when the sheet's is
    generic (Sheet1): `数量核算明细账1405 库存商品_202106` → ('1405', '库存商品')."""
    for name, where in ((sheet, "工作表名"), (Path(path).stem, "文件名")):
        text = normalise_text(name)
        if where == "工作表名" and _GENERIC_SHEET.match(text):
            continue
        text = _BOOK_WORDS.sub(" ", text).strip(" _-—")
        if _ACCOUNT_CODE.match(text):
            return text, text, where  # a sheet named by its account code alone
        text = _PERIOD_TAIL.sub("", text).strip(" _-—")
        if not text:
            continue
        m = _CODE_THEN_NAME.match(text)
        if m and _ACCOUNT_CODE.match(m.group(1)):
            return m.group(1), (m.group(2).strip(" _-—") or m.group(1)), where
        return None, text, where
    return None, normalise_text(sheet) or sheet, "工作表名"
