"""The 汇总 button's output: real PivotTables over a source sheet (汇总数据), or formatted
tables where the Excel client cannot make PivotTables."""

from __future__ import annotations

from typing import Any

from ..check import Checked
from ..outputs.report import (
    build_report,
)
from ..outputs.write import NUMBER_FORMATS
from .sheets import PIVOT_DATA_SHEET, find_sheet, fresh_sheet, write_report_sheet

# ---- summaries: PivotTables, or formatted tables ---------------------------------------------


def _yuan(fen: Any) -> float:
    return round(float(fen) / 100, 2)


def pivot_sources(checked: Checked) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The flat tables the PivotTables summarise, one row per asset / issue / fee row, taken
    from summaries.py so the pivots add up to the same totals as the report. Headers avoid
    the ledgers' own header words, so this sheet is never read back as a ledger."""
    from ..outputs import summaries

    ledgers = checked.ledgers
    out: dict[str, tuple[list[str], list[list[Any]]]] = {}
    if summaries.has_ledger(ledgers, "fixed_assets"):
        assets = summaries.asset_rows(ledgers)
        out["资产"] = (["资产类", "部门名称", "状况", "在账", "件数", "数量合计", "原值元", "净值元"], [
            [r.category, r.department, r.status, "否" if r.status == summaries.DISPOSED else "是",
             1, float(r.quantity), _yuan(r.original_fen), _yuan(r.net_fen)]
            for r in assets.itertuples(index=False)])
    if summaries.has_ledger(ledgers, "stock_moves"):
        issues = summaries.stock_issues(ledgers)
        out["出入库"] = (["月份", "部门名称", "物品", "规格说明", "领用数量合计", "领用金额元"], [
            [r.month, r.department, r.item, r.spec, float(r.qty), _yuan(r.amount_fen)]
            for r in issues.itertuples(index=False)])
    if summaries.has_ledger(ledgers, "fees"):
        fees = summaries.fee_rows(ledgers)
        out["收费"] = (["班级名称", "项目", "应收元", "减免元", "实收元", "退费元", "欠费元"], [
            [r[1], r.item, _yuan(r.due), _yuan(r.waived), _yuan(r.paid),
             _yuan(r.refunded), _yuan(r.owing)]
            for r in fees.itertuples(index=False)])
    return out


# Per 汇总 sheet: the source table and the PivotTables made from it
# (rows, columns, filters, values {source field: caption}).
_PIVOTS: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "汇总-资产": ("资产", [
        {"rows": ["资产类", "部门名称"], "filters": ["在账"],
         "values": {"件数": "资产数", "原值元": "原值", "净值元": "净值"}},
        {"rows": ["状况"], "values": {"件数": "资产数 ", "原值元": "原值 ", "净值元": "净值 "}},
    ]),
    "汇总-出入库": ("出入库", [
        {"rows": ["部门名称"], "columns": ["月份"], "values": {"领用金额元": "领用金额"}},
        {"rows": ["物品"], "values": {"领用金额元": "领用金额 ", "领用数量合计": "领用数量"}},
    ]),
    "汇总-收费": ("收费", [
        {"rows": ["班级名称", "项目"],
         "values": {"应收元": "应收", "减免元": "减免", "实收元": "实收", "退费元": "退费",
                    "欠费元": "欠费"}},
    ]),
}


def pivots_supported(book: Any) -> bool:
    try:
        _ = list(book.sheets)[0].pivot_tables
    except (NotImplementedError, AttributeError):
        return False
    return True


def write_pivot_summaries(book: Any, checked: Checked) -> list[str]:
    """The source tables on 汇总数据 and real PivotTables on the 汇总 sheets; a summary whose
    ledger is missing gets the report's formatted table instead. Returns the sheets written."""
    sources = pivot_sources(checked)
    report = {s.name: s for s in build_report(checked)}
    data = fresh_sheet(book, PIVOT_DATA_SHEET)
    placed: dict[str, Any] = {}
    column = 1
    for key, (header, rows) in sources.items():
        if not rows:
            continue
        data.range((1, column)).value = [header] + rows
        placed[key] = data.range((1, column), (len(rows) + 1, column + len(header) - 1))
        data.range((2, column), (len(rows) + 1, column + len(header) - 1)).number_format = "General"
        column += len(header) + 1
    written = []
    for sheet_name, (key, pivots) in _PIVOTS.items():
        if key not in placed:
            write_report_sheet(book, report[sheet_name])
            written.append(sheet_name)
            continue
        sheet = fresh_sheet(book, sheet_name)
        sheet.range((1, 1)).value = [[report[sheet_name].title],
                                     [f"数据透视表，数据来源：{PIVOT_DATA_SHEET}"]]
        sheet.range((1, 1)).font.bold = True
        top = 4
        for i, spec in enumerate(pivots):
            name = f"houqin_{key}_{i + 1}"
            table = sheet.pivot_tables.add(
                placed[key], sheet.range((top, 1)), name=name,
                rows=spec.get("rows"), columns=spec.get("columns"), filters=spec.get("filters"),
                layout="tabular")
            for field, caption in spec["values"].items():
                fmt = NUMBER_FORMATS["int"] if field == "件数" else NUMBER_FORMATS["money"]
                table.values.add(field, function="sum", name=caption, number_format=fmt)
            # The next table starts below the largest this one can grow to.
            top += _pivot_height(sources[key][1], sources[key][0], spec) + 3
        written.append(sheet_name)
    return written


def _pivot_height(rows: list[list[Any]], header: list[str], spec: dict[str, Any]) -> int:
    keys = [header.index(f) for f in spec.get("rows", [])]
    combos = {tuple(r[k] for k in keys) for r in rows}
    firsts = {r[keys[0]] for r in rows} if keys else set()
    return len(combos) + len(firsts) + 4 + 2 * len(spec.get("filters", []))


def write_table_summaries(book: Any, checked: Checked) -> list[str]:
    """Where the client cannot make PivotTables: the same summaries as formatted tables."""
    written = []
    for sheet in build_report(checked)[2:]:
        write_report_sheet(book, sheet)
        written.append(sheet.name)
    old = find_sheet(book, PIVOT_DATA_SHEET)
    if old is not None:
        old.delete()
    return written


