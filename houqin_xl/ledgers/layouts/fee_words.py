"""The words of fee books kept wide, shared by the wide fee layouts (wide.py,
wide_standards.py, fee_lists.py): which header is a fee item, which an amount's role (应收,
实收, 减免 …), which a 合计; where a sheet names its class and its item (the sheet name or the
title block above the header)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...read.grid import Grid, cell_ref
from ..grades import class_in, grade_in, grade_of
from ..parse import normalise_text
from ..schemas import LedgerSchema, normalise_header
from .cells import MergeMap

# Item headers that need not end in 费 (the usual ones do: 伙食费, 课后服务费, 校服费 … are
# recognised by that ending alone). A header that neither ends in 费 nor stands here is not taken
# for an item: the sheet is then read without that column, or not at all.
FEE_ITEM_WORDS = frozenset({
    "学费", "住宿费", "伙食费", "餐费", "午餐", "午餐费", "早餐", "晚餐", "校服", "校服费", "保险",
    "保险费", "学平险", "意外险", "学生意外险", "作业本", "作业本费", "课本", "教材", "教辅", "教辅资料",
    "练习册", "课后服务", "课后服务费", "午托", "午托费", "托管", "托管费", "校车", "校车费", "研学",
    "研学旅行", "春游", "秋游", "体检", "体检费", "饮用水", "牛奶", "床上用品", "被褥", "军训",
    "军训服", "服装", "资料", "资料费", "代办费", "书本费", "杂费", "保育教育费", "保教费",
})
# Headers ending in 费 that are not an item: what was paid, owed, refunded, or the book itself.
_NOT_ITEM = re.compile(
    r"(欠费|欠缴|缴费|交费|收费|退费|免费|减免费|应收费|实收费|代收费|应缴费|实缴费|已缴费|未缴费)$"
    r"|^(是否|已|未|应|实)|(合计|小计|总计|共计|金额|费用|费用合计|日期|时间|方式|类型|代码|编号|号)$"
)
_NOT_AN_ITEM_AT_ALL = re.compile(r"工资|薪|应发|实发|个税|所得税|社保|公积金|养老|医保|扣款|津贴")

# 合计 columns (a row's Σ items) and the role some of them name.
_TOTAL = re.compile(r"^(?:(应收|应缴|应交|实收|实缴|实交|已缴|减免|退费)?(?:金额)?"
                    r"(?:合计|小计|总计|共计|总额)(?:金额)?|(?:缴费|收费|费用|金额|缴款)(?:合计|总计|总额)"
                    r"|合计(应收|应缴|实收|实缴|减免)(?:金额)?)$")
_TOTAL_ROLE = {"应收": "due", "应缴": "due", "应交": "due", "实收": "paid", "实缴": "paid",
               "实交": "paid", "已缴": "paid", "减免": "waived", "退费": "refunded"}
# What a student still owes: stated, so checked (= 应收 − 减免 − 实收).
OUTSTANDING = frozenset({"欠费", "欠缴", "欠费金额", "欠缴金额", "未缴", "未缴金额", "尚欠", "尚欠金额",
                         "欠款", "欠交"})
SEQUENCE = frozenset({"序号", "序", "编号", "行号", "No", "NO", "No."})
ROLES = ("due", "waived", "paid", "refunded")
# Words that say a sheet is about fees: in its name, its title or its headers.
FEE_CONTEXT = re.compile(r"收费|缴费|交费|代收|代办|学费|费用|收据|票据|缴款")
STANDARD_CONTEXT = re.compile(r"标准")


def is_fee_item(key: str) -> bool:
    """Whether a normalised header names a fee item: a shipped item word, or a word ending in
    费 that is not a payment column (应缴费用, 欠费, 缴费日期 …)."""
    if not key or len(key) > 12 or _NOT_AN_ITEM_AT_ALL.search(key):
        return False
    if key in FEE_ITEM_WORDS:
        return True
    return key.endswith("费") and len(key) >= 2 and not _NOT_ITEM.search(key)


def total_role(key: str) -> tuple[bool, str | None]:
    """(whether the header is a 合计 column, the role it adds up when it names one)."""
    m = _TOTAL.match(key)
    if not m:
        return False, None
    word = m.group(1) or m.group(2)
    return True, _TOTAL_ROLE.get(word) if word else None


def field_keys(schema: LedgerSchema) -> dict[str, str]:
    """Normalised header → field, canonical headers before aliases (so a school's own aliases
    in its settings apply to the wide layouts too)."""
    out: dict[str, str] = {}
    for name, keys in schema.alias_keys.items():
        for key in keys:
            out.setdefault(key, name)
    return out


def role_of(key: str, fields: dict[str, str]) -> str | None:
    """The role of an amount under (or over) an item: due, waived, paid, refunded, outstanding,
    or 'amount' for a plain 金额."""
    if key in OUTSTANDING:
        return "outstanding"
    field = fields.get(key)
    if field in ROLES:
        return field
    if key in ("金额", "收费金额", "缴费金额", "收费", "缴费", "交费", "标准"):
        return "amount"
    return None


def header_words(grid: Grid, rows: int) -> set[str]:
    """The normalised text of every cell in the sheet's first rows: a cheap first look that
    lets a layout pass over a sheet that has none of its words."""
    words: set[str] = set()
    for row in grid.rows[:rows]:
        for value in row:
            if isinstance(value, str) and value.strip():
                words.add(normalise_header(value)[0])
    return words


@dataclass
class TitleText:
    """A text above the header (or the sheet name, with cell None)."""

    text: str
    cell: tuple[int, int] | None


def title_texts(grid: Grid, merges: MergeMap, header_row: int) -> list[TitleText]:
    """The texts of the title block (the cells above the header), then the sheet name."""
    out = []
    for row in range(grid.first_row, header_row):
        for col in range(grid.first_col, grid.last_col + 1):
            value = grid.cell(row, col)
            if isinstance(value, str) and value.strip():
                out.append(TitleText(normalise_text(value), (row, col)))
    out.append(TitleText(normalise_text(grid.sheet), None))
    return out


@dataclass
class SheetClass:
    """The class a sheet names, where it was found, and the grade it gives."""

    name: str | None
    cell: tuple[int, int] | None
    source: str
    grade: str | None


def sheet_class(grid: Grid, merges: MergeMap, header_row: int) -> SheetClass:
    """The class a sheet is for: a `班级：三(2)班` line of the title block first, then the
    sheet name, then a class named in the title (三年级（2）班收费登记表); failing a class, a
    grade named in either (三年级收费登记表)."""
    texts = title_texts(grid, merges, header_row)
    block = [t for t in texts if t.cell is not None]
    for k, title in enumerate(block):
        squeezed = title.text.replace(" ", "")
        if re.match(r"班(?:级|别)[:：]", squeezed):
            name = class_in(squeezed)
            if name is None and squeezed.rstrip(":：") in ("班级", "班别") and k + 1 < len(block):
                following = block[k + 1]  # 班级： in one cell, 三(2)班 in the next
                if following.cell and title.cell and following.cell[0] == title.cell[0]:
                    name, title = class_in(following.text) or following.text, following
            if name:
                return SheetClass(name, title.cell, cell_ref(*title.cell) if title.cell else "", _grade(name))
    sheet_name = texts[-1]
    name = class_in(sheet_name.text)
    if name:
        return SheetClass(name, None, "工作表名", _grade(name))
    for title in block:
        name = class_in(title.text)
        if name:
            return SheetClass(name, title.cell, cell_ref(*title.cell) if title.cell else "", _grade(name))
    for title in [sheet_name, *block]:
        grade = grade_in(title.text)
        if grade:
            where = cell_ref(*title.cell) if title.cell else "工作表名"
            return SheetClass(None, title.cell, where, grade)
    return SheetClass(None, None, "", None)


def _grade(class_name: str) -> str | None:
    return grade_of(class_name) or grade_in(class_name)


def context_text(grid: Grid, merges: MergeMap, header_row: int) -> str:
    """The sheet name and its title block as one text: where a sheet says what it is."""
    return " ".join(t.text for t in title_texts(grid, merges, header_row))
