"""A check's result as report sheets: plain rows, independent of whatever writes them.

The .xlsx writer (write.py), the annotated copy (annotate.py) and the Excel buttons (excel.py)
all render the same `build_report(checked)`, so the three never drift apart.

The model, kept small on purpose:

- `ReportSheet`: `name` (校验报告, 对账结果, 汇总-资产, 汇总-出入库, 汇总-收费), a `title` line
  for the top of the sheet, its `blocks` stacked top to bottom, and `freeze_block` /
  `filter_block`: the index of the block whose header row is frozen / gets the autofilter.
- `ReportBlock`: one table. `title` above it; `header` (column names); `rows` of plain Python
  values (str, int, float, datetime.date, None); `formats` maps a header to 'money' |
  'percent' | 'int' | 'text' | 'date' (unlisted columns are shown as they come; an int in a
  money column is a quantity and is shown without decimals); `total_row` says the last row is
  a 合计 row (shown bold); `links` gives per row the hyperlink target for the cell in column
  `link_column` (see `cell_link`); `severity` per row 'error' | 'warning' | 'ok' | None
  (the row's colour); `chart` is None or
  `{"kind": "column" | "bar", "title": str, "category": header, "values": [header, ...]}`
  drawn from the data rows (never the totals row); `max_widths` caps a column's width (header
  → width in Excel's character units): longer text there is cut at the cell's edge (or runs
  on into an empty neighbour), while text beyond the general MAX_WIDTH wraps onto more lines.

`layout()` and `column_widths()` place the blocks on a grid, so every writer puts each block
on the same rows and every column gets the same width.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..findings import KINDS, Finding, Reconciliation
from ..read.grid import column_index
from . import summaries

if TYPE_CHECKING:
    from ..check import Checked

REPORT_SHEETS = ("校验报告", "对账结果", "汇总-资产", "汇总-出入库", "汇总-收费")
SEVERITY_TEXT = {"error": "错误", "warning": "警告"}
STATUS_TEXT = {"ok": "相符", "mismatch": "不符"}
KEY_TEXT = {"category": "资产分类", "date": "日期", "period": "期间", "item": "物品",
            "asset_id": "资产编号", "receipt_no": "票据号", "class": "班级", "spec": "规格",
            "department": "部门", "student_id": "学号", "slip_no": "缴款单号",
            "location": "存放地点", "grade": "年级", "receipt_book": "票据本",
            "student_name": "姓名", "doc_no": "单据号"}
LEDGER_TITLES = {"fixed_assets": "固定资产台账", "gl_balances": "总账资产分类余额",
                 "asset_count": "资产盘点表", "stock_moves": "物资出入库登记", "fees": "收费台账",
                 "fee_standards": "收费标准", "deposits": "银行缴款登记"}

# A chart stands beside its table; the next block starts below the chart (Excel's default
# row is 20 px), never under it.
CHART_WIDTH = 520
CHART_HEIGHT = 300
ROW_PIXELS = 20
MAX_WIDTH = 60
MIN_WIDTH = 6


@dataclass
class ReportBlock:
    title: str
    header: list[str]
    rows: list[list[Any]]
    formats: dict[str, str] = field(default_factory=dict)
    total_row: bool = False
    links: list[str | None] | None = None
    link_column: str | None = None
    severity: list[str | None] | None = None
    chart: dict[str, Any] | None = None
    max_widths: dict[str, int] = field(default_factory=dict)

    def format_of(self, column: int) -> str:
        return self.formats.get(self.header[column], "text")

    @property
    def data_rows(self) -> int:
        """Rows that are data, not the totals row."""
        return len(self.rows) - (1 if self.total_row and self.rows else 0)


@dataclass
class ReportSheet:
    name: str
    blocks: list[ReportBlock]
    title: str = ""
    freeze_block: int | None = None
    filter_block: int | None = None


# ---- links --------------------------------------------------------------------------------


def sheet_location(sheet: str, cell: str = "A1") -> str:
    """`'固定资产台账'!H17`: always quoted, a quote inside the name doubled (Excel's rule)."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


def cell_link(path: str, sheet: str, cell: str = "A1") -> str:
    """`file:///C:/账/a.xlsx#'固定资产台账'!H17` — an absolute file URL (forward slashes, not
    percent-encoded, as Excel writes it) and the cell as the fragment."""
    absolute = Path(path).resolve().as_posix()
    return "file:///" + absolute.lstrip("/") + "#" + sheet_location(sheet, cell)


def split_link(link: str) -> tuple[str, str]:
    """A `cell_link` back into (file path, location)."""
    target, _, location = link.partition("#")
    path = target.removeprefix("file:///")
    # A POSIX path lost its leading slash to the URL; a Windows one starts with its drive.
    if not (len(path) > 1 and path[1] == ":") and not path.startswith("//"):
        path = "/" + path
    return path, location


# ---- text ---------------------------------------------------------------------------------


def text_width(text: str) -> int:
    """Display width: CJK and full-width characters count 2, as Excel's column units see them."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def shown(value: Any, fmt: str) -> str:
    """The value as the writer will show it (for widths)."""
    if value is None:
        return ""
    if fmt == "money" and isinstance(value, float):
        return f"{value:,.2f}"
    if fmt == "percent" and isinstance(value, int | float):
        return f"{value:.1%}"
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:,.2f}" if not value.is_integer() else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _plain(value: Any) -> Any:
    """numpy / pandas scalars → Python; NaN and NaT → None."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _key_text(key: dict[str, Any] | None) -> str:
    if not key:
        return ""
    return "；".join(f"{KEY_TEXT.get(k, k)}：{v}" for k, v in key.items())


def _number(text: str) -> Any:
    """A reconciliation side as a number when it is one: money keeps its fen as float, a
    quantity without decimals becomes an int; anything else (a location) stays text."""
    value = text.strip()
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        return value
    if "." in value and len(value.rsplit(".", 1)[1]) == 2:
        return number
    return int(number) if number.is_integer() else number


# ---- 校验报告 ------------------------------------------------------------------------------


def _ledger_titles(checked: Checked) -> dict[str, str]:
    titles = dict(LEDGER_TITLES)
    for typed in checked.ledgers:
        titles[typed.name] = typed.ledger.schema.title or typed.name
    return titles


def _finding_order(f: Finding) -> tuple:
    # Aggregate findings (no row) come after the rows of their sheet.
    return (f.path or "", f.sheet or "", f.row is None, f.row or 0,
            column_index(f.column) if f.column else 0, f.kind)


def _finding_cell(f: Finding) -> str:
    if f.row is not None and f.column:
        return f"{f.column}{f.row}"
    if f.row is not None:
        return f"第{f.row}行"
    return _key_text(f.key)


def _finding_link(f: Finding) -> str | None:
    if not f.path or not f.sheet:
        return None
    if f.row is not None:
        return cell_link(f.path, f.sheet, f"{f.column or 'A'}{f.row}")
    return cell_link(f.path, f.sheet)


FINDING_HEADER = ["台账", "文件", "工作表", "单元格", "字段", "值", "类型", "级别", "说明"]


def findings_block(checked: Checked) -> ReportBlock:
    titles = _ledger_titles(checked)
    findings = sorted(checked.result.findings, key=_finding_order)
    rows, links, severity = [], [], []
    for f in findings:
        rows.append([titles.get(f.ledger, f.ledger), Path(f.path).name if f.path else "",
                     f.sheet or "", _finding_cell(f), f.header or f.field or "",
                     f.value if f.value is not None else "", KINDS[f.kind].title,
                     SEVERITY_TEXT[f.severity], f.message])
        links.append(_finding_link(f))
        severity.append(f.severity)
    if not rows:
        rows = [["", "", "", "", "", "", "", "", "未发现问题"]]
        links, severity = [None], ["ok"]
    return ReportBlock(
        title="问题清单（点击单元格跳转到台账）", header=FINDING_HEADER, rows=rows,
        formats={h: "text" for h in FINDING_HEADER}, links=links, link_column="单元格",
        severity=severity,
        max_widths={"台账": 16, "文件": 24, "工作表": 16, "单元格": 20, "字段": 12, "值": 20})


def counts_block(checked: Checked) -> ReportBlock:
    """Kinds down, ledgers across (every ledger found, so a clean one shows its zeros): it
    stays as narrow as the findings table below it however many kinds turn up."""
    titles = _ledger_titles(checked)
    findings = checked.result.findings
    counts = Counter((f.kind, f.ledger) for f in findings)
    order = [info.ledger for info in checked.result.ledgers]
    ledgers = list(dict.fromkeys([*order, *sorted({f.ledger for f in findings})]))
    header = ["类型", *(titles.get(ledger, ledger) for ledger in ledgers), "合计"]
    rows: list[list[Any]] = []
    severity: list[str | None] = []
    for kind in KINDS:
        row = [counts.get((kind, ledger), 0) for ledger in ledgers]
        if sum(row):
            rows.append([KINDS[kind].title, *row, sum(row)])
            errors = any(f.kind == kind and f.severity == "error" for f in findings)
            severity.append("error" if errors else "warning")
    for level, text in SEVERITY_TEXT.items():
        row = [sum(1 for f in findings if f.ledger == ledger and f.severity == level)
               for ledger in ledgers]
        rows.append([f"其中{text}", *row, sum(row)])
        severity.append(None)
    rows.append(["合计", *(sum(1 for f in findings if f.ledger == ledger) for ledger in ledgers),
                 len(findings)])
    severity.append(None)
    return ReportBlock(
        title="按类型和台账统计", header=header, rows=rows,
        formats={h: "int" for h in header[1:]}, total_row=True, severity=severity)


def ledgers_block(checked: Checked) -> ReportBlock:
    titles = _ledger_titles(checked)
    header = ["台账", "文件", "工作表", "表头行", "数据行数", "说明"]
    rows, links = [], []
    for info in checked.result.ledgers:
        notes = "；".join(f"{label}：{text}" for label, text in info.context.items())
        rows.append([titles.get(info.ledger, info.ledger), Path(info.path).name, info.sheet,
                     "、".join(str(r) for r in info.header_rows), info.rows, notes or None])
        first = info.header_rows[0] if info.header_rows else 1
        links.append(cell_link(info.path, info.sheet, f"A{first}"))
    return ReportBlock(title="识别到的台账", header=header, rows=rows,
                       formats={"数据行数": "int"}, links=links, link_column="工作表",
                       max_widths={"文件": 24, "说明": 60})


OUTCOME_TEXT = {"read": "已读取", "not_a_ledger": "不是台账", "unreadable": "无法读取",
                "duplicate": "重复文件"}


def unread_block(checked: Checked) -> ReportBlock:
    """Every file and sheet the run did not read as a ledger, with the reason: a book that was
    skipped is said, never left out of the count silently."""
    result = checked.result
    header = ["文件", "工作表", "结果", "原因"]
    rows: list[list[Any]] = []
    for outcome in result.files:
        if outcome.outcome != "read":
            rows.append([Path(outcome.path).name, "（整个文件）", OUTCOME_TEXT[outcome.outcome],
                         outcome.reason or ""])
    for sheet in result.unread_sheets:
        rows.append([Path(sheet.path).name, sheet.sheet, "未作为台账读取", sheet.reason])
    if not rows:
        rows = [["", "", "", "所有文件和工作表都已作为台账读取"]]
    return ReportBlock(title="未读取的文件和工作表", header=header, rows=rows,
                       formats={h: "text" for h in header},
                       max_widths={"文件": 30, "工作表": 16, "原因": 60})


def findings_sheet(checked: Checked) -> ReportSheet:
    result = checked.result
    title = (f"校验报告　期间 {result.period or '—'}　错误 {result.errors} 条，"
             f"警告 {result.warnings} 条")
    return ReportSheet("校验报告", [ledgers_block(checked), counts_block(checked),
                                   unread_block(checked), findings_block(checked)], title=title,
                       freeze_block=3, filter_block=3)


# ---- 对账结果 ------------------------------------------------------------------------------


def _rule_titles() -> dict[str, str]:
    try:
        from ..checks.rules import RULES
    except ImportError:  # the rules package is optional for rendering
        return {}
    return {rule.name: rule.title for rule in RULES}


def _rule_title(rule: str, titles: dict[str, str]) -> str:
    """Sub-rules (assets_vs_gl_quantity) take the title of the rule they belong to."""
    if rule in titles:
        return titles[rule]
    owners = [name for name in titles if rule.startswith(name + "_")]
    return titles[max(owners, key=len)] if owners else rule


RECONCILIATION_HEADER = ["规则", "对象", "左方", "左方数", "右方", "右方数", "差额", "结果"]


def reconciliations_block(reconciliations: list[Reconciliation]) -> ReportBlock:
    titles = _rule_titles()
    rows, severity = [], []
    for r in reconciliations:
        rows.append([_rule_title(r.rule, titles), _key_text(r.key), r.left_label or "左方",
                     _number(r.left), r.right_label or "右方", _number(r.right),
                     _number(r.difference), STATUS_TEXT.get(r.status, r.status)])
        severity.append("ok" if r.status == "ok" else "error")
    return ReportBlock(
        title="每一项核对（相符的也列出）", header=RECONCILIATION_HEADER, rows=rows,
        formats={"左方数": "money", "右方数": "money", "差额": "money"}, severity=severity,
        max_widths={"对象": 30, "左方": 18, "右方": 18, "左方数": 18, "右方数": 18})


def reconciliation_counts_block(reconciliations: list[Reconciliation]) -> ReportBlock:
    titles = _rule_titles()
    per_rule: dict[str, Counter] = {}
    for r in reconciliations:
        per_rule.setdefault(_rule_title(r.rule, titles), Counter())[r.status] += 1
    rows = [[rule, c["ok"], c["mismatch"], c["ok"] + c["mismatch"]] for rule, c in per_rule.items()]
    total = ["合计", sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows)]
    severity: list[str | None] = ["error" if r[2] else "ok" for r in rows] + [None]
    return ReportBlock(title="核对结果统计", header=["规则", "相符", "不符", "合计"],
                       rows=[*rows, total], formats={"相符": "int", "不符": "int", "合计": "int"},
                       total_row=True, severity=severity)


def skipped_block(skipped: list[dict[str, str]]) -> ReportBlock:
    rows = [[s.get("title") or s.get("rule", ""), s.get("reason", "")] for s in skipped]
    if not rows:
        rows = [["（无）", ""]]
    return ReportBlock(title="未执行的核对（缺少所需台账）", header=["规则", "原因"], rows=rows)


def reconciliation_sheet(checked: Checked) -> ReportSheet:
    result = checked.result
    mismatched = sum(1 for r in result.reconciliations if r.status != "ok")
    title = (f"对账结果　期间 {result.period or '—'}　核对 {len(result.reconciliations)} 项，"
             f"不符 {mismatched} 项")
    return ReportSheet("对账结果", [reconciliation_counts_block(result.reconciliations),
                                   reconciliations_block(result.reconciliations),
                                   skipped_block(result.skipped_rules)],
                       title=title, freeze_block=1, filter_block=1)


# ---- 汇总 ----------------------------------------------------------------------------------

_MONEY_WORDS = ("原值", "净值", "金额", "应收", "减免", "实收", "退费", "欠费")
_INT_COLUMNS = ("资产数", "笔数", "领用笔数")


def frame_block(frame: pd.DataFrame, title: str, chart: dict[str, Any] | None = None,
                money: bool = False) -> ReportBlock:
    """A summaries frame (last row 合计) as a block, formats guessed from the column names
    (`money`: every numeric column is money, as in a table of amounts by month)."""
    header = [str(c) for c in frame.columns]
    formats: dict[str, str] = {}
    for h in header:
        if money and h != header[0]:
            formats[h] = "money"
        elif h == "收缴率":
            formats[h] = "percent"
        elif h in _INT_COLUMNS:
            formats[h] = "int"
        elif any(word in h for word in _MONEY_WORDS):
            formats[h] = "money"
        elif "数量" in h:
            formats[h] = "quantity"
    rows = [[_plain(v) for v in record] for record in frame.itertuples(index=False, name=None)]
    for row in rows:
        for i, h in enumerate(header):
            if formats.get(h) == "quantity" and isinstance(row[i], float) and row[i].is_integer():
                row[i] = int(row[i])  # 500 册, not 500.00
    formats = {h: ("int" if f == "quantity" else f) for h, f in formats.items()}
    if chart and len(rows) <= 2:
        chart = None  # one bar says nothing a number does not
    return ReportBlock(title=title, header=header, rows=rows, formats=formats, total_row=True,
                       chart=chart)


def _absent(title: str, what: str) -> ReportBlock:
    return ReportBlock(title=title, header=["说明"], rows=[[f"未识别到{what}，无此汇总"]])


def assets_sheet(checked: Checked) -> ReportSheet:
    ledgers = checked.ledgers
    if not summaries.has_ledger(ledgers, "fixed_assets"):
        return ReportSheet("汇总-资产", [_absent("资产汇总", "固定资产台账")], title="资产汇总")
    by_category = frame_block(
        summaries.assets_by_category(ledgers), "按资产分类（不含已报废）",
        chart={"kind": "bar", "title": "各类资产原值（元）", "category": "资产分类",
               "values": ["原值合计"]})
    return ReportSheet("汇总-资产", [
        by_category,
        frame_block(summaries.assets_by_category_department(ledgers),
                    "按资产分类 × 使用部门（不含已报废）"),
        frame_block(summaries.assets_by_status(ledgers), "按使用状况（全部资产）"),
    ], title=f"资产汇总　期间 {checked.result.period or '—'}", freeze_block=None)


def stock_sheet(checked: Checked) -> ReportSheet:
    ledgers = checked.ledgers
    if not summaries.has_ledger(ledgers, "stock_moves"):
        return ReportSheet("汇总-出入库", [_absent("出入库汇总", "物资出入库登记")],
                           title="出入库汇总")
    top = frame_block(
        summaries.top_items_consumed(ledgers), f"领用最多的物品（前{summaries.TOP_ITEMS}项，按金额）",
        chart={"kind": "bar", "title": "领用金额最多的物品", "category": "物品",
               "values": ["领用金额合计"]})
    return ReportSheet("汇总-出入库", [
        frame_block(summaries.stock_issues_by_month_department(ledgers),
                    "领用金额：部门 × 月份（不含报损）", money=True),
        top,
    ], title=f"出入库汇总　期间 {checked.result.period or '—'}")


def fees_sheet(checked: Checked) -> ReportSheet:
    ledgers = checked.ledgers
    if not summaries.has_ledger(ledgers, "fees"):
        return ReportSheet("汇总-收费", [_absent("收费汇总", "收费台账")], title="收费汇总")
    return ReportSheet("汇总-收费", [
        frame_block(summaries.fees_by_class(ledgers), "按班级（收缴率 = 实收 ÷ (应收 − 减免)）",
                    chart={"kind": "column", "title": "各班收缴率", "category": "班级",
                           "values": ["收缴率"]}),
        frame_block(summaries.fees_by_item(ledgers), "按收费项目"),
        frame_block(summaries.fees_by_class_item(ledgers), "按班级 × 收费项目（欠费 = 应收 − 减免 − 实收）"),
    ], title=f"收费汇总　期间 {checked.result.period or '—'}")


def build_report(checked: Checked) -> list[ReportSheet]:
    """The five report sheets, in the order the bursar reads them."""
    return [findings_sheet(checked), reconciliation_sheet(checked), assets_sheet(checked),
            stock_sheet(checked), fees_sheet(checked)]
