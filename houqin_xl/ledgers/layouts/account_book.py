"""The stores book kept as an account book — 数量金额式明细账 — read into stock_moves.

A page per item (a sheet of its own, or a block of its own on a long sheet, each with its own
title block and header), exactly like the printed book or the accounting software's export:

- a title (库存物资明细账), the item's block (品名：/规格：/计量单位：/编号：, or `科目：1403000_0001
  原材料—A4复印纸`), else the item from the sheet's name (title_block.py);
- a two-level header: `2026年` over 月 | 日 (or one 日期 column), 凭证号数, 摘要, then 收入 /
  发出 / 结存 (the software's 借方 / 贷方 / 余额) each over 数量 | 单价 | 金额 — matched with the
  stock_moves aliases of schemas/stock_moves.yaml (收入数量, 借方金额, 结存单价 …);
- rows: 上年结转 / 期初余额 (the opening), movements (a month written only on its first row
  carries down), 本月合计 after each month and 本年累计 after it, 过次页 / 承前页 at a page
  break, a signature footer; a block of hand calculations under the footer is not data.

A sheet is an account book only when its header has no item column: a table with 物品名称 is
the table layout's. Records are the opening and the movements; every other row the bursar
added up is a StatedSum (book_sums.py), checked against the cells it must equal.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ...read.grid import Grid
from ..ledger import Ledger
from ..parse import is_blank, normalise_text, parse_date
from ..schemas import LedgerSchema, normalise_header
from .book_sums import BookRow, stated_sums
from .cells import HEADER_SEARCH_ROWS, MergeMap, label_kind, squeeze, unit_multiplier
from .joined_header import alias_fields
from .title_block import YEAR, TitleBlock, item_from_name, read_title_block

LEDGER = "stock_moves"
FIGURES = ("in_qty", "in_price", "in_amount", "out_qty", "out_price", "out_amount",
           "balance_qty", "balance_price", "balance_amount")
_ROW_FIELDS = ("date", "doc_no", "summary")
_TITLE_FIELDS = ("item_code", "item", "spec", "unit")

# What a row's label makes of it (matched on the label with spaces removed).
_KINDS = [
    ("carry_in", re.compile(r"^(承前页|承上页|接上页|上页结转|承前)")),
    ("carry_out", re.compile(r"^(过次页|转次页|过下页|转下页|转后页|过页)")),
    ("opening", re.compile(r"^(上年结转|上年结存|上年余额|年初余额|年初结存|结转上年|上年转入|期初余额|"
                           r"期初结存|期初数|上月结转|上月结存|上期结转|上期结存)")),
    ("month_total", re.compile(r"(本月合计|本月小计|本月发生额|本期合计|本期发生额|本期小计|月计|"
                               r"^\d{1,2}月份?合计$)")),
    ("year_total", re.compile(r"(本年累计|本年合计|年度累计|本年发生额|年计|^累计$)")),
    ("subtotal", re.compile(r"小计")),
    ("total", re.compile(r"^(合计|总计)$")),
]
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*[日号]?")
# A title row of the next page on the same sheet: an item label, or the book's name.
_TITLE_ROW = re.compile(r"(^|\s)(品名|物品名称|名称|规格|计量单位|编号|科目|类别)\s*[:：]|明细账|账页")


@dataclass
class _Header:
    row: int
    depth: int
    columns: dict[str, int]
    headers: dict[str, str]
    month_col: int | None = None
    day_col: int | None = None
    year: int | None = None

    @property
    def last_row(self) -> int:
        return self.row + self.depth - 1

    @property
    def label_cols(self) -> list[int]:
        """Where a row's label (本月合计, 过次页) may stand: the date, voucher and 摘要 columns."""
        cols = [self.month_col, self.day_col,
                *(self.columns.get(f) for f in _ROW_FIELDS)]
        return sorted({c for c in cols if c is not None})


@dataclass
class _Block:
    header: _Header
    title: TitleBlock
    rows: list[BookRow] = field(default_factory=list)
    end: int = 0  # the row where the body stopped (a footer, the next page's title, the end)


def _int_of(value: Any) -> int | None:
    """A month or day as written: 11, 11.0, '11', '１１', '11月', '05日'."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else None
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{1,2})[月日号]?", normalise_text(value).replace(" ", ""))
        return int(m.group(1)) if m else None
    return None


# ---- the header --------------------------------------------------------------------------


def _header_at(merges: MergeMap, row: int, depth: int, aliases: dict[str, str]) -> _Header | None:
    grid = merges.grid
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    head = _Header(row, depth, columns, headers)
    for col in range(grid.first_col, grid.last_col + 1):
        top = merges.value(row, col)
        top_key = normalise_header(top)[0] if not is_blank(top) else ""
        key = top_key
        child_key = ""
        if depth == 2:
            child = merges.value(row + 1, col)
            child_key = normalise_header(child)[0] if not is_blank(child) else ""
            if child_key and child_key != top_key:
                key = top_key + child_key
        lead = child_key if depth == 2 and child_key else top_key
        if lead in ("月", "日"):
            if lead == "月":
                head.month_col = head.month_col or col
            else:
                head.day_col = head.day_col or col
            m = YEAR.search(normalise_text(str(top))) if isinstance(top, str) else None
            if m and head.year is None:
                head.year = int(m.group(1))
            continue
        name = aliases.get(key)
        if name is None and depth == 2 and not child_key:
            name = aliases.get(top_key)
        if name is None or name in columns:
            continue
        columns[name] = col
        headers[name] = key
    if "item" in columns:
        return None  # a table with an item column: the table layout's, not a book's page
    if "balance_qty" not in columns or not ({"in_qty", "out_qty"} & set(columns)):
        return None
    if "date" not in columns and head.day_col is None:
        return None
    if "date" not in columns:
        columns["date"] = head.day_col  # a date's cell is its 日 cell; its month may carry down
        headers["date"] = "日期"
    return head


def find_header(merges: MergeMap, aliases: dict[str, str], first: int, last: int) -> _Header | None:
    """The first account-book header in rows first..last. Where rows r and r + 1 both read as
    one (a title block above a one-row header reads as a group row over it), the reading with
    more fields wins, and on a tie the one-row header below: a title is not a header."""
    grid = merges.grid
    for row in range(first, min(last, grid.last_row) + 1):
        found = _readings(merges, row, aliases)
        if found:
            below = _readings(merges, row + 1, aliases) if row < grid.last_row else []
            return max([*found, *below], key=lambda h: (len(h.columns), h.row, -h.depth))
    return None


def _readings(merges: MergeMap, row: int, aliases: dict[str, str]) -> list[_Header]:
    grid = merges.grid
    texts = [v for v in merges.row_values(row) if isinstance(v, str) and not is_blank(v)]
    if len(texts) < 2:
        return []
    readings = [_header_at(merges, row, 1, aliases)]
    if row < grid.last_row:
        readings.append(_header_at(merges, row, 2, aliases))
    return [h for h in readings if h is not None]


# ---- the body ----------------------------------------------------------------------------


def _label_of(merges: MergeMap, row: int, head: _Header) -> str:
    """The row's label: its 摘要, else the first text in its date or voucher cells (a 本月合计
    merged across them)."""
    summary = head.columns.get("summary")
    for col in ([summary] if summary else []) + head.label_cols:
        value = merges.value(row, col)
        if isinstance(value, str) and not is_blank(value):
            return squeeze(value)
    return ""


def _kind_of(label: str) -> str:
    for kind, pattern in _KINDS:
        if label and pattern.search(label):
            return kind
    return "movement"


def _is_footer(grid: Grid, row: int, has_figure: bool) -> bool:
    """会计主管：王建国 … in the first cells of the row."""
    seen = 0
    for col in range(grid.first_col, grid.last_col + 1):
        value = grid.cell(row, col)
        if is_blank(value):
            continue
        if isinstance(value, str):
            kind = label_kind(value)
            if kind == "footer" or (kind == "footer?" and not has_figure):
                return True
        seen += 1
        if seen == 3:
            break
    return False


def _is_title_row(grid: Grid, row: int) -> bool:
    texts = [normalise_text(v) for v in grid.rows[row - grid.first_row] if isinstance(v, str)]
    return any(_TITLE_ROW.search(t) for t in texts if t)


def _read_body(grid: Grid, merges: MergeMap, block: _Block, aliases: dict[str, str]) -> None:
    head = block.header
    cols = head.columns
    figure_cols = {f: cols[f] for f in FIGURES if f in cols}
    year = head.year or block.title.year
    month: int | None = None
    after_blank = False
    row = head.last_row + 1
    while row <= grid.last_row:
        figures = {f: grid.cell(row, c) for f, c in figure_cols.items()}
        has_figure = any(not is_blank(v) for v in figures.values())
        label = _label_of(merges, row, head)
        day_value = grid.cell(row, head.day_col) if head.day_col else None
        date_value = grid.cell(row, cols["date"]) if "date" in cols else None
        doc = grid.cell(row, cols["doc_no"]) if "doc_no" in cols else None
        if (not has_figure and not label and is_blank(date_value) and is_blank(doc)
                and all(is_blank(v) for v in grid.rows[row - grid.first_row])):
            after_blank = True
            row += 1
            continue
        if _is_footer(grid, row, has_figure):
            break
        if not has_figure and (_is_title_row(grid, row) or find_header(merges, aliases, row, row)):
            break  # the next page's title or header
        kind = _kind_of(label)
        month_cell = merges.value(row, head.month_col) if head.month_col else None
        written_month = _int_of(month_cell)
        if head.day_col is None:  # one 日期 column: the month and year are the date's
            written = parse_date(date_value)
            if isinstance(written, dt.date):
                written_month, year = written.month, written.year
            elif isinstance(date_value, str) and _MONTH_DAY.fullmatch(normalise_text(date_value)):
                written_month = int(_MONTH_DAY.fullmatch(normalise_text(date_value)).group(1))
        if kind == "movement":
            dated = not is_blank(date_value) or not is_blank(day_value)
            if not has_figure and not dated and is_blank(doc):
                row += 1
                continue  # a note in the 摘要 column (以下空白): nothing moved
            if after_blank and not dated and is_blank(doc):
                break  # hand calculations under the table (材料合计, 毛利 …) end it
            month = written_month or month
        elif written_month:
            month = written_month
        after_blank = False
        record = BookRow(row=row, kind=kind, label=label, month=month, year=year,
                         values={f: grid.cell(row, c) for f, c in cols.items()})
        if kind in ("movement", "opening") or (kind == "carry_in" and not _has_record(block)):
            record.values["date"] = _date_of(head, record, date_value, day_value, month_cell)
            record.is_record = True
        block.rows.append(record)
        row += 1
    block.end = row
    _date_carry_in(block)


def _date_carry_in(block: _Block) -> None:
    """A 承前页 opening a page, its month not written, stands at the page's first movement's
    date (the row order puts it before that movement): dated at the year's start, it would come
    before the previous page's rows when the two pages are read as one item's book."""
    records = [r for r in block.rows if r.is_record]
    if not records or records[0].kind != "carry_in" or records[0].month is not None:
        return
    following = next((r.values.get("date") for r in records[1:] if r.kind == "movement"), None)
    if isinstance(following, dt.date):
        records[0].values["date"] = following


def _has_record(block: _Block) -> bool:
    return any(r.is_record for r in block.rows)


def _date_of(head: _Header, record: BookRow, date_value: Any, day_value: Any,
             month_cell: Any) -> Any:
    """The record's date: the 日期 cell as written, or year + month (carried down) + day."""
    if "date" in head.columns and head.day_col is None:
        m = _MONTH_DAY.fullmatch(normalise_text(date_value)) if isinstance(date_value, str) else None
        if m and record.year is not None:  # `11月5日` or `11.05` under a year written above
            try:
                return dt.date(record.year, int(m.group(1)), int(m.group(2)))
            except ValueError:
                return f"{record.year}年{m.group(1)}月{m.group(2)}日"
        return date_value
    day = _int_of(day_value)
    month = record.month
    year = record.year
    if record.kind != "movement" and day is None:
        # An opening without a date stands at the start of the year (上年结转) or of its month.
        if year is None:
            return None
        start_of_year = record.label.startswith(("上年", "年初", "结转上年"))
        month_of = 1 if start_of_year or month is None else month
        return dt.date(year, month_of, 1)
    if day is None:
        return None if is_blank(day_value) else str(day_value)
    if month is None or year is None:
        return f"{month_cell or ''}月{day}日" if year is None else f"{year}年?月{day}日"
    try:
        return dt.date(year, month, day)
    except ValueError:
        return f"{year}年{month}月{day}日"  # 2月30日: unreadable, reported as bad_type


# ---- the ledger --------------------------------------------------------------------------


def _item_particulars(grid: Grid, block: _Block) -> tuple[dict[str, str], dict[str, Any], str]:
    """The item's fields and their cells, from the title block or else the sheet's name."""
    title = block.title
    values = {f: title.values[f] for f in _TITLE_FIELDS if f in title.values}
    cells: dict[str, Any] = {f: title.cells[f] for f in values}
    where = "标题栏"
    if "item" not in values:
        code, item, where = item_from_name(grid.sheet, grid.path)
        values["item"] = item or grid.sheet
        cells["item"] = None
        if code and "item_code" not in values:
            values["item_code"] = code
            cells["item_code"] = None
    return values, cells, where


def _ledger(grid: Grid, merges: MergeMap, schema: LedgerSchema, block: _Block) -> Ledger:
    head = block.header
    records = [r for r in block.rows if r.is_record]
    fields = [s.name for s in schema.fields if s.name in head.columns]
    raw: dict[str, list[Any]] = {f: [r.values.get(f) for r in records] for f in fields}
    particulars, title_cells, where = _item_particulars(grid, block)
    cells: dict[str, list[Any]] = {}
    headers = dict(head.headers)
    for name, value in particulars.items():
        raw[name] = [value] * len(records)
        cells[name] = [title_cells[name]] * len(records)
        label = block.title.labels.get(name)
        headers[name] = label or ("工作表名" if where == "工作表名" else "文件名")
    sheet_unit = unit_multiplier(grid, merges, head.row)
    units = {f: sheet_unit if schema.field(f).type == "money" else 1 for f in head.columns}
    sums, notes = stated_sums(block.rows, head.columns, headers, units)
    context = {"格式": "数量金额式明细账", "物品来自": where}
    for name, label in (("item", "物品"), ("spec", "规格"), ("unit", "计量单位"),
                        ("item_code", "编号")):
        if name in particulars:
            context[label] = particulars[name]
    for name, label in (("category", "类别"), ("location", "存放地点"), ("period", "期间")):
        if name in block.title.values:
            context[label] = block.title.values[name]
    context.update(notes)
    missing = [s.name for s in schema.fields if s.required and s.name not in raw]
    return Ledger(
        schema=schema, path=grid.path, sheet=grid.sheet,
        header_rows=list(range(head.row, head.last_row + 1)), columns=dict(head.columns),
        headers=headers, units=units, rows=[r.row for r in records], raw=raw,
        hidden_rows=set(grid.hidden_rows), missing_fields=missing, cells=cells, sums=sums,
        layout="account_book", context=context,
    )


def recognise_account_book(grid: Grid, schemas: list[LedgerSchema]) -> list[Ledger] | None:
    """Every page (block) of the stores book on this sheet, one stock_moves ledger each; None
    when the sheet is not kept as an account book."""
    schema = next((s for s in schemas if s.ledger == LEDGER), None)
    if schema is None or not grid.rows:
        return None
    aliases = alias_fields(schema)
    near = MergeMap(grid, grid.first_row + HEADER_SEARCH_ROWS + 1)
    head = find_header(near, aliases, grid.first_row, grid.first_row + HEADER_SEARCH_ROWS)
    if head is None:
        return None
    merges = MergeMap(grid, grid.last_row)
    ledgers = []
    title_from = grid.first_row
    while head is not None:
        block = _Block(head, read_title_block(merges, title_from, head.row - 1))
        _read_body(grid, merges, block, aliases)
        ledgers.append(_ledger(grid, merges, schema, block))
        title_from = block.end
        head = find_header(merges, aliases, block.end, grid.last_row)
    return ledgers
