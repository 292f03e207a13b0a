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
    period: str | None = None


def school_folders(root: Path, out_dir: Path | None = None) -> list[Path]:
    """The school subfolders of root — never the folder the results are written to (a second
    run would check last month's reports as a school)."""
    if not root.is_dir():
        raise InputError(f"找不到文件夹 / folder not found: {root}")
    skip = out_dir.resolve() if out_dir is not None else None
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")
                     and p.resolve() != skip)
    if not folders:
        raise InputError(f"文件夹中没有学校子文件夹 / no school subfolders in: {root}")
    return folders


def stray_files(root: Path) -> list[str]:
    """Files standing directly in root: not a school, so not checked — said at the top of the
    roll-up, never left out silently."""
    return sorted(p.name for p in root.iterdir() if p.is_file() and not p.name.startswith(".")
                  and not p.name.startswith("区县汇总"))


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

            write_bytes_atomic(target / "核对报告.xlsx", report_bytes(checked, target / "核对报告.xlsx"),
                               backup=False)
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
        period=result.period,
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
    if period is not None:
        from .period import Period

        Period.parse(period)  # a mistyped period stops here: nothing checked, nothing written
    folders = school_folders(root, out_dir)
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


def _print_setup(sheet: Any, title: str, header_rows: int) -> None:
    """Landscape, one page wide, the header rows and the school column on every page, the
    title and page numbers in the margins: an auditor's printout."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, header_rows - 1)
    sheet.repeat_columns(0, 0)
    sheet.set_header(f"&C&\"-,Bold\"{title}")
    sheet.set_footer("&L打印时间 &D &T&R第 &P 页，共 &N 页")
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)


def rollup_bytes(results: list[SchoolResult], period: str | None,
                 stray: list[str] | None = None) -> bytes:
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
    money_bold = book.add_format({"num_format": "#,##0.00", "bold": True, "top": 2})
    total = book.add_format({"bold": True, "top": 2})
    total_int = book.add_format({"bold": True, "top": 2, "num_format": "0"})
    percent = book.add_format({"num_format": "0.0%"})
    percent_bold = book.add_format({"num_format": "0.0%", "bold": True, "top": 2})
    red = book.add_format({"font_color": "#C00000"})
    title = book.add_format({"bold": True, "font_size": 14})
    kinds = list(KINDS)
    ok = [res for res in results if res.ok]
    heading = f"各校核对结果汇总（{period or '各校最近月份'}）"

    sheet = book.add_worksheet("学校×发现")
    sheet.write(0, 0, heading, title)
    if stray:
        sheet.write(1, 0, "根目录中的文件不属于任何学校，未核对：" + "、".join(stray), red)
    header = ["学校", "状态", "错误", "警告", "期间", *[KINDS[k].title for k in kinds]]
    sheet.write_row(2, 0, header, bold)
    for i, res in enumerate(results, start=3):
        sheet.write(i, 0, res.school)
        if not res.ok:
            sheet.write(i, 1, "无法核对", red)
            continue
        sheet.write(i, 1, "有错误" if res.errors else "通过")
        sheet.write_number(i, 2, res.errors)
        sheet.write_number(i, 3, res.warnings)
        sheet.write(i, 4, res.period or "")
        for j, kind in enumerate(kinds, start=5):
            sheet.write_number(i, j, res.kinds.get(kind, 0))
    last = 3 + len(results)
    sheet.write(last, 0, f"全县合计（{len(ok)} 所可核对）", total)
    sheet.write(last, 1, f"无法核对 {len(results) - len(ok)} 所", total)
    sheet.write_number(last, 2, sum(r.errors for r in ok), total_int)
    sheet.write_number(last, 3, sum(r.warnings for r in ok), total_int)
    sheet.write(last, 4, "", total)
    for j, kind in enumerate(kinds, start=5):
        sheet.write_number(last, j, sum(r.kinds.get(kind, 0) for r in ok), total_int)
    sheet.freeze_panes(3, 1)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, len(header), 10)
    sheet.autofilter(2, 0, 2 + len(results), len(header) - 1)
    _print_setup(sheet, heading, 3)

    categories: list[str] = []
    for res in results:
        for category in res.assets:
            if category not in categories and category != "合计":
                categories.append(category)
    sheet = book.add_worksheet("资产分类")
    sheet.write_row(0, 0, ["学校", *categories, "合计"], bold)
    for i, res in enumerate(results, start=1):
        sheet.write(i, 0, res.school)
        if not res.ok:  # blank, never 0.00: nothing is known of this school
            sheet.write(i, 1, "无法核对", red)
            continue
        for j, category in enumerate(categories, start=1):
            sheet.write_number(i, j, res.assets.get(category, 0.0), money)
        sheet.write_number(i, len(categories) + 1,
                           sum(v for k, v in res.assets.items() if k != "合计"), money)
    last = len(results) + 1
    sheet.write(last, 0, "全县合计", total)
    for j, category in enumerate(categories, start=1):
        sheet.write_number(last, j, sum(r.assets.get(category, 0.0) for r in ok), money_bold)
    sheet.write_number(last, len(categories) + 1,
                       sum(v for r in ok for k, v in r.assets.items() if k != "合计"), money_bold)
    sheet.freeze_panes(1, 1)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, len(categories) + 1, 16)
    _print_setup(sheet, f"各校固定资产原值（{period or '各校最近月份'}）", 1)

    sheet = book.add_worksheet("收费收缴率")
    sheet.write_row(0, 0, ["学校", "应收", "减免", "实收", "退费", "欠费", "收缴率"], bold)
    sums = {"应收": 0.0, "减免": 0.0, "实收": 0.0, "退费": 0.0}
    for i, res in enumerate(results, start=1):
        sheet.write(i, 0, res.school)
        if not res.ok:
            sheet.write(i, 1, "无法核对", red)
            continue
        if not res.fees:
            sheet.write(i, 1, "无收费台账")
            continue
        due, waived, paid = res.fees.get("应收", 0.0), res.fees.get("减免", 0.0), res.fees.get("实收", 0.0)
        for key in sums:
            sums[key] += res.fees.get(key, 0.0)
        for j, value in enumerate([due, waived, paid, res.fees.get("退费", 0.0),
                                   round(due - waived - paid, 2)], start=1):
            sheet.write_number(i, j, value, money)
        if due - waived > 0:
            sheet.write_number(i, 6, paid / (due - waived), percent)
    last = len(results) + 1
    sheet.write(last, 0, "全县合计", total)
    for j, value in enumerate([sums["应收"], sums["减免"], sums["实收"], sums["退费"],
                               round(sums["应收"] - sums["减免"] - sums["实收"], 2)], start=1):
        sheet.write_number(last, j, value, money_bold)
    if sums["应收"] - sums["减免"] > 0:
        sheet.write_number(last, 6, sums["实收"] / (sums["应收"] - sums["减免"]), percent_bold)
    sheet.freeze_panes(1, 1)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 6, 14)
    _print_setup(sheet, f"各校收费收缴率（{period or '各校最近月份'}）", 1)

    failed = [res for res in results if not res.ok]
    sheet = book.add_worksheet("无法核对的学校")
    sheet.write_row(0, 0, ["学校", "文件夹", "原因"], bold)
    for i, res in enumerate(failed, start=1):
        sheet.write_row(i, 0, [res.school, res.folder, res.error])
    for k, name in enumerate(stray or [], start=len(failed) + 1):
        sheet.write_row(k, 0, ["（不是学校）", name, "根目录中的文件，不属于任何学校文件夹，未核对"])
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 2, 60)
    _print_setup(sheet, "无法核对的学校", 1)
    book.close()
    return buffer.getvalue()


def rollup_json(results: list[SchoolResult], period: str | None,
                stray: list[str] | None = None) -> dict[str, Any]:
    return {
        "tool": "houqin-xl", "version": __version__, "period": period,
        "schools": [res.__dict__ for res in results],
        "stray_files": list(stray or []),
    }
