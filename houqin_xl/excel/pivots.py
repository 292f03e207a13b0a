"""The 汇总 button's output: real PivotTables over a source sheet (汇总数据), or formatted
tables where the Excel client cannot make PivotTables.

One PivotTable per sheet: Excel for Mac (through xlwings) cannot create a second one on a
sheet, so each view has its sheet — 汇总-资产 (assets in the books, by 资产类 × 部门),
汇总-资产状况 (every asset by 状况, 已报废 included), 汇总-折旧 (the month's depreciation by 资产类 ×
部门: 原值, 期初 and 期末累计折旧, 本月应提折旧, 净值), 汇总-出入库 (issues by 部门 × 月份), 汇总-领用物品
(by 物品) and 汇总-收费 (by 班级 × 项目).

汇总-资产 counts only assets still in the books, as the 总账 and 对账结果 do. xlwings cannot set
a page filter's item, so the source is arranged instead: the asset rows in the books come
first, and that PivotTable's source stops where the 已报废 rows begin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..check import Checked
from ..outputs.report import build_report
from ..outputs.write import NUMBER_FORMATS
from .sheets import (
    PIVOT_DATA_SHEET,
    Workspace,
    cell_value,
    write_report_sheet,
)

# ---- the source tables ------------------------------------------------------------------------


def _yuan(fen: Any) -> float:
    return round(float(fen) / 100, 2)


@dataclass
class Source:
    """A flat table on 汇总数据; `live_rows` of its rows (the first ones) are in the books."""

    header: list[str]
    rows: list[list[Any]]
    live_rows: int | None = None


def pivot_sources(checked: Checked) -> dict[str, Source]:
    """The flat tables the PivotTables summarise, one row per asset / issue / fee row, taken
    from summaries.py so the pivots add up to the same totals as the report. Headers avoid
    the ledgers' own header words, so this sheet is never read back as a ledger."""
    from ..outputs import depreciation, summaries

    ledgers = checked.ledgers
    out: dict[str, Source] = {}
    if summaries.has_ledger(ledgers, "fixed_assets"):
        assets = [[r.category, r.department, r.status,
                   "否" if r.status == summaries.DISPOSED else "是", 1, float(r.quantity),
                   _yuan(r.original_fen), _yuan(r.net_fen)]
                  for r in summaries.asset_rows(ledgers).itertuples(index=False)]
        # In the books first (a stable sort keeps the ledger's order within each part).
        assets.sort(key=lambda row: row[3] != "是")
        out["资产"] = Source(["资产类", "部门名称", "状况", "在账", "件数", "数量合计", "原值元", "净值元"],
                           assets, live_rows=sum(1 for row in assets if row[3] == "是"))
    if checked.depreciation is not None:
        # The assets in the books only (已报废 are neither recomputed nor charged), with the
        # recomputed figures of 汇总-折旧 in the report.
        out["折旧"] = Source(list(depreciation.PIVOT_HEADER), depreciation.pivot_rows(checked))
    if summaries.has_ledger(ledgers, "stock_moves"):
        issues = summaries.stock_issues(ledgers)
        out["出入库"] = Source(["月份", "部门名称", "物品", "规格说明", "领用数量合计", "领用金额元"], [
            [r.month, r.department, r.item, r.spec, float(r.qty), _yuan(r.amount_fen)]
            for r in issues.itertuples(index=False)])
    if summaries.has_ledger(ledgers, "fees"):
        fees = summaries.fee_rows(ledgers)
        out["收费"] = Source(["班级名称", "项目", "应收元", "减免元", "实收元", "退费元", "欠费元"], [
            [r[1], r.item, _yuan(r.due), _yuan(r.waived), _yuan(r.paid),
             _yuan(r.refunded), _yuan(r.owing)]
            for r in fees.itertuples(index=False)])
    return out


@dataclass(frozen=True)
class PivotView:
    sheet: str
    source: str
    title: str
    rows: tuple[str, ...]
    values: tuple[tuple[str, str], ...]  # (source field, caption)
    columns: tuple[str, ...] = ()
    only_in_books: bool = False


VIEWS = (
    PivotView("汇总-资产", "资产", "按资产分类 × 使用部门（不含已报废，与总账口径一致）",
              rows=("资产类", "部门名称"),
              values=(("件数", "资产数"), ("原值元", "原值"), ("净值元", "净值")),
              only_in_books=True),
    PivotView("汇总-资产状况", "资产", "按使用状况（全部资产，含已报废）", rows=("状况",),
              values=(("件数", "资产数"), ("原值元", "原值"), ("净值元", "净值"))),
    PivotView("汇总-折旧", "折旧", "本月折旧：资产分类 × 使用部门（不含已报废；当月增加当月计提）",
              rows=("资产类", "部门名称"),
              values=(("原值元", "原值"), ("期初累计折旧元", "期初累计折旧"), ("本月折旧元", "本月应提折旧"),
                      ("期末累计折旧元", "期末累计折旧"), ("净值元", "期末净值"))),
    PivotView("汇总-出入库", "出入库", "领用金额：部门 × 月份（不含报损）", rows=("部门名称",),
              columns=("月份",), values=(("领用金额元", "领用金额"),)),
    PivotView("汇总-领用物品", "出入库", "按物品：领用金额与数量", rows=("物品",),
              values=(("领用金额元", "领用金额"), ("领用数量合计", "领用数量"))),
    PivotView("汇总-收费", "收费", "按班级 × 收费项目", rows=("班级名称", "项目"),
              values=(("应收元", "应收"), ("减免元", "减免"), ("实收元", "实收"), ("退费元", "退费"),
                      ("欠费元", "欠费"))),
)


def pivots_supported(book: Any) -> bool:
    try:
        _ = list(book.sheets)[0].pivot_tables
    except (NotImplementedError, AttributeError):
        return False
    return True


def write_pivot_summaries(space: Workspace, checked: Checked) -> list[str]:
    """The source tables on 汇总数据 and one PivotTable on each 汇总 sheet; a summary whose
    ledger is missing gets the report's formatted table instead. Returns the sheets written."""
    sources = pivot_sources(checked)
    report = {s.name: s for s in build_report(checked)}
    data = space.fresh_sheet(PIVOT_DATA_SHEET)
    placed: dict[str, tuple[int, int]] = {}  # source → (first column, width)
    column = 1
    for key, source in sources.items():
        if not source.rows:
            continue
        data.range((1, column)).value = ([[cell_value(h) for h in source.header]]
                                         + [[cell_value(v) for v in row] for row in source.rows])
        width = len(source.header)
        data.range((2, column), (len(source.rows) + 1, column + width - 1)).number_format = "General"
        placed[key] = (column, width)
        column += width + 1
    written = []
    for view in VIEWS:
        source = sources.get(view.source)
        rows = None
        if source is not None and view.source in placed:
            rows = source.live_rows if view.only_in_books else len(source.rows)
        if not rows:
            if view.sheet in report:  # the ledger is missing: say so, as the report does
                write_report_sheet(space, report[view.sheet])
                written.append(view.sheet)
            else:
                space.delete(view.sheet)
            continue
        first, width = placed[view.source]
        sheet = space.fresh_sheet(view.sheet)
        sheet.range((1, 1)).value = [[cell_value(view.title)],
                                     [cell_value(f"数据透视表，数据来源：{PIVOT_DATA_SHEET}")]]
        sheet.range((1, 1)).font.bold = True
        table = sheet.pivot_tables.add(
            data.range((1, first), (rows + 1, first + width - 1)), sheet.range((4, 1)),
            name=f"houqin_{view.sheet.removeprefix('汇总-')}", rows=list(view.rows),
            columns=list(view.columns) or None, layout="tabular")
        for field, caption in view.values:
            fmt = NUMBER_FORMATS["int"] if field == "件数" else NUMBER_FORMATS["money"]
            table.values.add(field, function="sum", name=caption, number_format=fmt)
        written.append(view.sheet)
    return written


def write_table_summaries(space: Workspace, checked: Checked) -> list[str]:
    """Where the client cannot make PivotTables: the same summaries as formatted tables."""
    written = []
    for sheet in build_report(checked)[2:]:
        write_report_sheet(space, sheet)
        written.append(sheet.name)
    for name in (*(v.sheet for v in VIEWS if v.sheet not in written), PIVOT_DATA_SHEET):
        space.delete(name)
    return written
