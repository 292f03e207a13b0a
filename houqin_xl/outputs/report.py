"""A check's result as report sheets: plain rows, independent of whatever writes them.

The .xlsx writer (write.py), the annotated copy (annotate.py) and the Excel buttons (excel.py)
all render the same `build_report(checked)`, so the three never drift apart.

The model, kept small on purpose:

- `ReportSheet`: `name` (校验报告, 对账结果, 汇总-资产, 汇总-折旧, 汇总-出入库, 汇总-收费), a `title` line
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

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..findings import KINDS, LEDGER_TITLES, Finding, Reconciliation
from ..read.grid import column_index
from . import depreciation, summaries
from .report_text import (  # noqa: F401 - re-exported: the writers and the buttons use them here
    KEY_TEXT,
    _number,
    _plain,
    cell_link,
    chinese_part,
    key_text,
    mismatch_reason,
    relative_link,
    sheet_location,
    shown,
    split_link,
    text_width,
)

if TYPE_CHECKING:
    from ..check import Checked

REPORT_SHEETS = ("校验报告", "对账结果", "汇总-资产", "汇总-折旧", "汇总-出入库", "汇总-收费")
SEVERITY_TEXT = {"error": "错误", "warning": "警告"}
STATUS_TEXT = {"ok": "相符", "mismatch": "不符"}

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
    # For the printout: who, when (in every page's header and footer), and a sign-off line.
    school: str = ""
    checked_at: str = ""
    sign_off: bool = True


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
    return key_text(f.key)


def _link(path: str, sheet: str, cell: str, base: Path | None) -> str:
    return relative_link(path, sheet, cell, base) if base is not None else cell_link(path, sheet, cell)


def _finding_link(f: Finding, base: Path | None = None) -> str | None:
    if not f.path or not f.sheet:
        return None
    if f.row is not None:
        return _link(f.path, f.sheet, f"{f.column or 'A'}{f.row}", base)
    return _link(f.path, f.sheet, "A1", base)


# The cell and what is wrong with it first: on a 1366-pixel screen the bursar sees them
# without scrolling sideways; where the cell stands (sheet, ledger, file) comes after.
FINDING_HEADER = ["单元格", "说明", "类型", "级别", "字段", "值", "工作表", "台账", "文件"]


def _field_headers(checked: Checked) -> dict[tuple[str, str], tuple[str, str]]:
    """(ledger, field) → (the Chinese header, the field's type), for findings that name a field
    but no header (a receipt gap names receipt_no, never a cell)."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for typed in checked.ledgers:
        for spec in typed.ledger.schema.fields:
            out[(typed.name, spec.name)] = (spec.header, spec.type)
    return out


_MONEY_TEXT = re.compile(r"-?\d[\d,]*\.\d{2}")


def _shown_value(value: str | None, field_type: str) -> Any:
    """A finding's value as the report shows it: an amount that reads as a number is a number
    (shown as money); anything else stays the text the bursar typed."""
    if value is None:
        return ""
    if field_type == "money" or (field_type == "" and _MONEY_TEXT.fullmatch(value)):
        try:
            return float(value.replace(",", ""))
        except ValueError:
            return value
    return value


def findings_block(checked: Checked, link_base: Path | None = None) -> ReportBlock:
    titles = _ledger_titles(checked)
    fields = _field_headers(checked)
    findings = sorted(checked.result.findings, key=_finding_order)
    rows, links, severity = [], [], []
    for f in findings:
        # A finding on no field (a 账账不符 between ledgers) carries an amount as 19900.00.
        header, field_type = fields.get((f.ledger, f.field or ""), (f.field or "", "text" if f.field else ""))
        rows.append([_finding_cell(f), f.message, KINDS[f.kind].title, SEVERITY_TEXT[f.severity],
                     f.header or header, _shown_value(f.value, field_type), f.sheet or "",
                     titles.get(f.ledger, f.ledger), Path(f.path).name if f.path else ""])
        links.append(_finding_link(f, link_base))
        severity.append(f.severity)
    if not rows:
        rows = [["", "未发现问题", "", "", "", "", "", "", ""]]
        links, severity = [None], ["ok"]
    formats = {h: "text" for h in FINDING_HEADER}
    formats["值"] = "money"  # numbers only: text values stay text
    return ReportBlock(
        title="问题清单（点击单元格跳转到台账）", header=FINDING_HEADER, rows=rows,
        formats=formats, links=links, link_column="单元格", severity=severity,
        max_widths={"台账": 16, "文件": 40, "工作表": 18, "单元格": 20, "字段": 12, "值": 20})


def summary_block(checked: Checked) -> ReportBlock:
    """One compact line of counts above the list: errors, warnings, and each kind found."""
    findings = checked.result.findings
    by_kind = Counter(f.kind for f in findings)
    kinds = [k for k in KINDS if by_kind[k]]
    header = ["错误", "警告", *(KINDS[k].title for k in kinds)]
    row = [checked.result.errors, checked.result.warnings, *(by_kind[k] for k in kinds)]
    return ReportBlock(title="核对概况（按台账的统计见问题清单之后）", header=header, rows=[row],
                       formats={h: "int" for h in header},
                       severity=["error" if checked.result.errors else
                                 "warning" if checked.result.warnings else "ok"])


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


def ledgers_block(checked: Checked, link_base: Path | None = None) -> ReportBlock:
    titles = _ledger_titles(checked)
    header = ["台账", "文件", "工作表", "表头行", "数据行数", "说明"]
    rows, links = [], []
    for info in checked.result.ledgers:
        notes = "；".join(f"{label}：{text}" for label, text in info.context.items())
        rows.append([titles.get(info.ledger, info.ledger), Path(info.path).name, info.sheet,
                     "、".join(str(r) for r in info.header_rows), info.rows, notes or None])
        first = info.header_rows[0] if info.header_rows else 1
        links.append(_link(info.path, info.sheet, f"A{first}", link_base))
    return ReportBlock(title="识别到的台账", header=header, rows=rows,
                       formats={"数据行数": "int"}, links=links, link_column="工作表",
                       max_widths={"文件": 40, "说明": 60})


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


def findings_sheet(checked: Checked, link_base: Path | None = None) -> ReportSheet:
    """The counts in one compact block, then the list of findings (its header the only row
    frozen, so the list has the screen), then what was read and what was not."""
    result = checked.result
    title = (f"{_school(checked)}校验报告　期间 {result.period or '—'}　错误 {result.errors} 条，"
             f"警告 {result.warnings} 条")
    return ReportSheet("校验报告", [summary_block(checked), findings_block(checked, link_base),
                                   ledgers_block(checked, link_base), unread_block(checked),
                                   counts_block(checked)], title=title,
                       freeze_block=1, filter_block=1)


def _school(checked: Checked) -> str:
    return f"{checked.result.school}　" if checked.result.school else ""


# ---- 对账结果 ------------------------------------------------------------------------------


def rule_titles() -> dict[str, str]:
    try:
        from ..checks.rules import RULES
    except ImportError:  # the rules package is optional for rendering
        return {}
    return {rule.name: rule.title for rule in RULES}


def rule_title(rule: str, titles: dict[str, str]) -> str:
    """Sub-rules (assets_vs_gl_quantity) take the title of the rule they belong to."""
    if rule in titles:
        return titles[rule]
    owners = [name for name in titles if rule.startswith(name + "_")]
    return titles[max(owners, key=len)] if owners else rule


RECONCILIATION_HEADER = ["规则", "对象", "左方", "左方数", "右方", "右方数", "差额", "结果", "原因"]


def reconciliations_block(reconciliations: list[Reconciliation],
                          findings: list[Finding] | None = None) -> ReportBlock:
    """Every comparison, the mismatches first (each saying why), then the matches."""
    titles = rule_titles()
    rows, severity = [], []
    ordered = sorted(reconciliations, key=lambda r: r.status == "ok")  # stable: rule order kept
    for r in ordered:
        rows.append([rule_title(r.rule, titles), key_text(r.key, r.rule), r.left_label or "左方",
                     _number(r.left), r.right_label or "右方", _number(r.right),
                     _number(r.difference), STATUS_TEXT.get(r.status, r.status),
                     mismatch_reason(r, findings or [])])
        severity.append("ok" if r.status == "ok" else "error")
    return ReportBlock(
        title="每一项核对（不符的在前，相符的也列出）", header=RECONCILIATION_HEADER, rows=rows,
        formats={"左方数": "money", "右方数": "money", "差额": "money"}, severity=severity,
        max_widths={"对象": 30, "左方": 18, "右方": 18, "左方数": 18, "右方数": 18, "原因": 50})


def reconciliation_counts_block(reconciliations: list[Reconciliation]) -> ReportBlock:
    titles = rule_titles()
    per_rule: dict[str, Counter] = {}
    for r in reconciliations:
        per_rule.setdefault(rule_title(r.rule, titles), Counter())[r.status] += 1
    rows = [[rule, c["ok"], c["mismatch"], c["ok"] + c["mismatch"]] for rule, c in per_rule.items()]
    total = ["合计", sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows)]
    severity: list[str | None] = ["error" if r[2] else "ok" for r in rows] + [None]
    return ReportBlock(title="核对结果统计", header=["规则", "相符", "不符", "合计"],
                       rows=[*rows, total], formats={"相符": "int", "不符": "int", "合计": "int"},
                       total_row=True, severity=severity)


def skipped_block(skipped: list[dict[str, str]]) -> ReportBlock:
    rows = [[s.get("title") or s.get("rule", ""), chinese_part(s.get("reason", ""))] for s in skipped]
    if not rows:
        rows = [["（无）", ""]]
    return ReportBlock(title="未执行的核对（缺少所需台账）", header=["规则", "原因"], rows=rows)


def reconciliation_sheet(checked: Checked) -> ReportSheet:
    result = checked.result
    mismatched = sum(1 for r in result.reconciliations if r.status != "ok")
    title = (f"{_school(checked)}对账结果　期间 {result.period or '—'}　核对 {len(result.reconciliations)} 项，"
             f"不符 {mismatched} 项")
    return ReportSheet("对账结果", [reconciliation_counts_block(result.reconciliations),
                                   reconciliations_block(result.reconciliations, result.findings),
                                   skipped_block(result.skipped_rules)],
                       title=title, freeze_block=1, filter_block=1)


# ---- 汇总 ----------------------------------------------------------------------------------

_MONEY_WORDS = ("原值", "净值", "金额", "应收", "减免", "实收", "退费", "欠费", "折旧", "之差")
_INT_COLUMNS = ("资产数", "笔数", "领用笔数")


COLUMNS_AT_MOST = 15  # categories a column chart holds before it turns into a bar chart


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
    elif chart and chart.get("kind", "column") == "column" and len(rows) > COLUMNS_AT_MOST:
        # 72 classes side by side make a chart wider than the page, and a printout fitted to
        # one page wide then shrinks every table to nothing: bars grow down beside the table.
        chart = {**chart, "kind": "bar"}
    return ReportBlock(title=title, header=header, rows=rows, formats=formats, total_row=True,
                       chart=chart)


def _absent(title: str, what: str) -> ReportBlock:
    return ReportBlock(title=title, header=["说明"], rows=[[f"未识别到{what}，无此汇总"]])


def assets_sheet(checked: Checked) -> ReportSheet:
    ledgers = checked.ledgers
    if not summaries.has_ledger(ledgers, "fixed_assets"):
        return ReportSheet("汇总-资产", [_absent("资产汇总", "固定资产台账")], title=f"{_school(checked)}资产汇总")
    by_category = frame_block(
        summaries.assets_by_category(ledgers), "按资产分类（不含已报废）",
        chart={"kind": "bar", "title": "各类资产原值（元）", "category": "资产分类",
               "values": ["原值合计"]})
    return ReportSheet("汇总-资产", [
        by_category,
        frame_block(summaries.assets_by_category_department(ledgers),
                    "按资产分类 × 使用部门（不含已报废）"),
        frame_block(summaries.assets_by_status(ledgers), "按使用状况（全部资产）"),
    ], title=f"{_school(checked)}资产汇总　截至 {_period_end(checked)}", freeze_block=None)


def depreciation_sheet(checked: Checked) -> ReportSheet:
    """汇总-折旧: the month's charge per class and per department (recomputed by the rule)."""
    schedule = checked.depreciation
    if schedule is None:
        what = "固定资产台账" if not summaries.has_ledger(checked.ledgers, "fixed_assets") else "核对期间"
        return ReportSheet("汇总-折旧", [_absent("折旧汇总", what)], title=f"{_school(checked)}折旧汇总")
    left = depreciation.not_recomputed(schedule)
    note = f"；其中 {left} 项资产无法重算（见校验报告“识别到的台账”说明），按台账数列示、不计本月折旧" if left else ""
    by_category = frame_block(
        depreciation.depreciation_table(schedule, "category"),
        f"按资产分类（不含已报废；年限平均法，当月增加当月计提，不留残值{note}）",
        chart={"kind": "bar", "title": "各类资产本月应提折旧（元）", "category": "资产分类",
               "values": ["本月应提折旧"]})
    charge = depreciation.month_charge(schedule)
    return ReportSheet("汇总-折旧", [
        by_category,
        frame_block(depreciation.depreciation_table(schedule, "department"), "按使用部门（不含已报废）"),
    ], title=(f"{_school(checked)}折旧汇总　{checked.result.period or '—'}　本月应提折旧 "
              f"{charge:,.2f} 元（借 业务活动费用/单位管理费用，贷 固定资产累计折旧）"))


def stock_sheet(checked: Checked) -> ReportSheet:
    ledgers = checked.ledgers
    if not summaries.has_ledger(ledgers, "stock_moves"):
        return ReportSheet("汇总-出入库", [_absent("出入库汇总", "物资出入库登记")],
                           title=f"{_school(checked)}出入库汇总")
    top = frame_block(
        summaries.top_items_consumed(ledgers), f"领用最多的物品（前{summaries.TOP_ITEMS}项，按金额）",
        chart={"kind": "bar", "title": "领用金额最多的物品", "category": "物品",
               "values": ["领用金额合计"]})
    return ReportSheet("汇总-出入库", [
        frame_block(summaries.stock_issues_by_month_department(ledgers),
                    "领用金额：部门 × 月份（不含报损）", money=True),
        top,
    ], title=f"{_school(checked)}出入库汇总　台账中的全部出入库（截至 {_period_end(checked)}）")


def fees_sheet(checked: Checked) -> ReportSheet:
    ledgers = checked.ledgers
    if not summaries.has_ledger(ledgers, "fees"):
        return ReportSheet("汇总-收费", [_absent("收费汇总", "收费台账")], title=f"{_school(checked)}收费汇总")
    return ReportSheet("汇总-收费", [
        frame_block(summaries.fees_by_class(ledgers), "按班级（收缴率 = 实收 ÷ (应收 − 减免)）",
                    chart={"kind": "column", "title": "各班收缴率", "category": "班级",
                           "values": ["收缴率"]}),
        frame_block(summaries.fees_by_item(ledgers), "按收费项目"),
        frame_block(summaries.fees_by_class_item(ledgers), "按班级 × 收费项目（欠费 = 应收 − 减免 − 实收）"),
    ], title=f"{_school(checked)}收费汇总　{_terms(ledgers)}收费台账中的全部记录")


def _period_end(checked: Checked) -> str:
    period = checked.period
    return period.end.isoformat() if period is not None else "—"


def _terms(ledgers: list) -> str:
    """The terms a fee ledger covers (学期 column), to title a summary of the whole ledger:
    the fees of a term are not the month's."""
    terms: set[str] = set()
    for typed in ledgers:
        if typed.name == "fees" and "term" in typed.frame.columns:
            terms.update(str(t) for t in typed.frame["term"].dropna().unique())
    if not terms:
        return ""
    # 2026秋 → 2026秋学期; a term written whole (2026年秋季学期) is not given the word twice.
    named = [t if t.endswith("学期") else t + "学期" for t in sorted(terms)]
    return "、".join(named) + "　"


def build_report(checked: Checked, link_base: Path | None = None) -> list[ReportSheet]:
    """The report sheets, in the order the bursar reads them. `link_base`: the folder the
    report is written to — its links to the ledgers' cells are then relative to it."""
    sheets = [findings_sheet(checked, link_base), reconciliation_sheet(checked),
              assets_sheet(checked), depreciation_sheet(checked), stock_sheet(checked),
              fees_sheet(checked)]
    for sheet in sheets:
        sheet.school = checked.result.school
        sheet.checked_at = checked.result.checked_at
        # On screen as on paper: every sheet (whose title names the school) says when the
        # check ran.
        if checked.result.checked_at:
            sheet.title = f"{sheet.title or sheet.name}　核对时间 {checked.result.checked_at}"
    return sheets
