"""check-many: a county education bureau's month end, one subfolder per school.

Each school is checked in its own process (the work is CPU-bound Python and Rust, so threads
would not help); each gets its JSON and report in OUT/<school>/; one school's broken workbook
is reported in the roll-up and the others are still done. The roll-up workbook shows schools ×
finding kinds, asset totals by category, and fee collection rates.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import InputError
from .findings import KINDS
from .outputs.safe_write import write_bytes_atomic
from .read.files import OUTPUT_MARKER


@dataclass
class SchoolResult:
    school: str
    folder: str
    ok: bool
    error: str = ""
    errors: int = 0
    warnings: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    assets: dict[str, float] = field(default_factory=dict)   # category → 原值 (yuan)
    fees: dict[str, float] = field(default_factory=dict)     # 应收, 减免, 实收, 退费
    outputs: list[str] = field(default_factory=list)


def school_folders(root: Path) -> list[Path]:
    if not root.is_dir():
        raise InputError(f"找不到文件夹 / folder not found: {root}")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not folders:
        raise InputError(f"文件夹中没有学校子文件夹 / no school subfolders in: {root}")
    return folders


def check_school(folder: str, out_dir: str, period: str | None, write_report: bool = True
                 ) -> SchoolResult:
    """One school, start to finish; every failure of its input becomes an error entry."""
    from .check import check
    from .config import load_config
    from .read import iter_grids

    name = Path(folder).name
    try:
        config = load_config(None, beside=[Path(folder)])
        checked = check(iter_grids([folder]), config, period)
        result = checked.result
        target = Path(out_dir) / name
        outputs = []
        payload = json.dumps(result.to_json(__version__), ensure_ascii=False, indent=2).encode()
        write_bytes_atomic(target / "核对结果.json", payload, backup=False)
        outputs.append(str(target / "核对结果.json"))
        if write_report:
            from .outputs.write import report_bytes

            write_bytes_atomic(target / "核对报告.xlsx", report_bytes(checked), backup=False)
            outputs.append(str(target / "核对报告.xlsx"))
    except InputError as exc:
        return SchoolResult(name, folder, ok=False, error=str(exc))
    kinds: dict[str, int] = {}
    for finding in result.findings:
        if finding.severity == "error":
            kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
    return SchoolResult(
        name, folder, ok=True, errors=result.errors, warnings=result.warnings, kinds=kinds,
        assets=_asset_totals(checked.ledgers), fees=_fee_totals(checked.ledgers), outputs=outputs,
    )


def _asset_totals(ledgers: list) -> dict[str, float]:
    from .outputs.summaries import assets_by_category, has_ledger

    if not has_ledger(ledgers, "fixed_assets"):
        return {}
    table = assets_by_category(ledgers)
    label, value = table.columns[0], "原值合计"
    return {str(k): float(v) for k, v in zip(table[label], table[value], strict=True)}


def _fee_totals(ledgers: list) -> dict[str, float]:
    from .outputs.summaries import fees_by_item, has_ledger

    if not has_ledger(ledgers, "fees"):
        return {}
    table = fees_by_item(ledgers)
    total = table.iloc[-1]
    return {k: float(total[k]) for k in ("应收", "减免", "实收", "退费") if k in table.columns}


def check_many(root: Path, out_dir: Path, period: str | None = None, jobs: int | None = None,
               write_report: bool = True,
               progress: Callable[[SchoolResult, int, int], None] | None = None
               ) -> list[SchoolResult]:
    """Every school folder under root, in parallel processes; results in folder order."""
    folders = school_folders(root)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(folders)))
    results: dict[str, SchoolResult] = {}
    if jobs == 1:
        for folder in folders:
            res = check_school(str(folder), str(out_dir), period, write_report)
            results[res.folder] = res
            if progress:
                progress(res, len(results), len(folders))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(check_school, str(f), str(out_dir), period, write_report)
                       for f in folders]
            for future in as_completed(futures):
                res = future.result()
                results[res.folder] = res
                if progress:
                    progress(res, len(results), len(folders))
    return [results[str(f)] for f in folders]


def rollup_bytes(results: list[SchoolResult], period: str | None) -> bytes:
    """The district workbook: 学校×发现, 资产分类, 收费收缴率, and the schools that failed."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    # Text stays text: a school or file name is never turned into a formula, a link or a number.
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    book.set_custom_property(OUTPUT_MARKER, "district roll-up")
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    money = book.add_format({"num_format": "#,##0.00"})
    money_bold = book.add_format({"num_format": "#,##0.00", "bold": True})
    percent = book.add_format({"num_format": "0.0%"})
    red = book.add_format({"font_color": "#C00000"})
    title = book.add_format({"bold": True, "font_size": 14})
    kinds = list(KINDS)

    sheet = book.add_worksheet("学校×发现")
    sheet.write(0, 0, f"各校核对结果汇总（{period or '最近月份'}）", title)
    header = ["学校", "状态", "错误", "警告", *[KINDS[k].title for k in kinds]]
    sheet.write_row(2, 0, header, bold)
    for i, res in enumerate(results, start=3):
        sheet.write(i, 0, res.school)
        if not res.ok:
            sheet.write(i, 1, "无法核对", red)
            continue
        sheet.write(i, 1, "有错误" if res.errors else "通过")
        sheet.write_number(i, 2, res.errors)
        sheet.write_number(i, 3, res.warnings)
        for j, kind in enumerate(kinds, start=4):
            sheet.write_number(i, j, res.kinds.get(kind, 0))
    sheet.freeze_panes(3, 1)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, len(header), 10)
    sheet.autofilter(2, 0, 2 + len(results), len(header) - 1)

    categories: list[str] = []
    for res in results:
        for category in res.assets:
            if category not in categories and category != "合计":
                categories.append(category)
    sheet = book.add_worksheet("资产分类")
    sheet.write_row(0, 0, ["学校", *categories, "合计"], bold)
    for i, res in enumerate(results, start=1):
        sheet.write(i, 0, res.school)
        for j, category in enumerate(categories, start=1):
            sheet.write_number(i, j, res.assets.get(category, 0.0), money)
        sheet.write_number(i, len(categories) + 1,
                           sum(v for k, v in res.assets.items() if k != "合计"), money_bold)
    sheet.freeze_panes(1, 1)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, len(categories) + 1, 16)

    sheet = book.add_worksheet("收费收缴率")
    sheet.write_row(0, 0, ["学校", "应收", "减免", "实收", "退费", "欠费", "收缴率"], bold)
    for i, res in enumerate(results, start=1):
        sheet.write(i, 0, res.school)
        if not res.fees:
            continue
        due, waived, paid = res.fees.get("应收", 0.0), res.fees.get("减免", 0.0), res.fees.get("实收", 0.0)
        for j, value in enumerate([due, waived, paid, res.fees.get("退费", 0.0),
                                   round(due - waived - paid, 2)], start=1):
            sheet.write_number(i, j, value, money)
        if due - waived > 0:
            sheet.write_number(i, 6, paid / (due - waived), percent)
    sheet.freeze_panes(1, 1)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 6, 14)

    failed = [res for res in results if not res.ok]
    sheet = book.add_worksheet("无法核对的学校")
    sheet.write_row(0, 0, ["学校", "文件夹", "原因"], bold)
    for i, res in enumerate(failed, start=1):
        sheet.write_row(i, 0, [res.school, res.folder, res.error])
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 2, 60)
    book.close()
    return buffer.getvalue()


def rollup_json(results: list[SchoolResult], period: str | None) -> dict[str, Any]:
    return {
        "tool": "houqin-xl", "version": __version__, "period": period,
        "schools": [res.__dict__ for res in results],
    }
