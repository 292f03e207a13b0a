"""How long the text readers take: one asset-card export of N rows × 26 columns written as
.xlsx, as an HTML ".xls" (GBK, text cells marked), as a SpreadsheetML ".xls" and as a GBK CSV,
then read (every reader to its grid) and checked (`houqin-xl check`, in-process), each timed as
the median of a few runs.

    .venv/bin/python bench/read_formats.py --rows 10000 --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from builders import write_xlsx  # noqa: E402
from formats import write_csv, write_html_xls, write_spreadsheet_xml  # noqa: E402

from houqin_xl.check import check  # noqa: E402
from houqin_xl.read import iter_grids, read_workbook  # noqa: E402

HEADER = ["序号", "资产编号", "资产名称", "资产分类代码", "资产分类", "规格型号", "计量单位", "数量", "单价",
          "原值", "累计折旧", "净值", "取得方式", "取得日期", "财务入账日期", "会计凭证号", "使用部门", "使用人",
          "存放地点", "使用状况", "折旧状态", "折旧方法", "使用年限(月)", "已提月数", "价值类型", "备注"]


def cards(n: int) -> list[list]:
    rows: list[list] = [["资产卡片信息列表"], HEADER]
    for i in range(1, n + 1):
        price = 1200 + (i % 37) * 100
        rows.append([str(i), f"4401032019{i:08d}", "台式计算机", "2010104", "通用设备", "联想M720", "台", "1",
                     f"{price:.2f}", f"{price:.2f}", "0.00", f"{price:.2f}", "新购", "2019-03-06", "2019-03-06",
                     f"记-03-{i % 90:03d}", "教务处", "张老师", f"{i % 40 + 100}教室", "在用", "提折旧",
                     "年限平均法", "72", "0", "原值", ""])
    return rows


def median_seconds(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = cards(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = {
            "xlsx": write_xlsx(folder / "卡片.xlsx", {"卡片": rows}, merges={"卡片": ["A1:Z1"]}),
            "html .xls": write_html_xls(folder / "卡片.xls", rows, ["A1:Z1"]),
            "xml .xls": write_spreadsheet_xml(folder / "卡片2003.xls", {"卡片": rows}, {"卡片": ["A1:Z1"]}),
            "csv": write_csv(folder / "卡片.csv", rows, "gbk"),
        }
        print(f"| {args.rows:,} cards × 26 | size | read | check (read included) |")
        print("|---|---|---|---|")
        for kind, path in paths.items():
            read = median_seconds(lambda p=path: read_workbook(p), args.runs)
            checked = median_seconds(lambda p=path: check(iter_grids([p]), period="2026-11"), args.runs)
            print(f"| {kind} | {path.stat().st_size / 1e6:.1f} MB | {read:.2f} s | {checked:.2f} s |")


if __name__ == "__main__":
    main()
