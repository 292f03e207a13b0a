"""The demo ledger sets of 阳光实验小学: tidy, messy, with cell errors, with reconciliation gaps.

`build_samples(folder)` writes four sets of workbooks and returns, for each, its paths and the
findings a correct check must report; `run_demo(out, workbooks)` (``houqin-xl demo``) builds them,
checks each set and writes the JSON reports.

1. 示例1-规范台账: one workbook, the eight ledgers as plain sheets, every book agreeing with
   every other (账账相符，账实相符): 累计折旧 by LEDGERS.md's rule over each asset's 使用年限, the
   general ledger's 1601 and 1602 by class with the month's movements, the year's disposals
   recorded with their approvals.
2. 示例2-杂乱台账: the same figures kept the way bursars really keep them — one workbook per
   ledger, titles and unit lines, header aliases, two-level headers, merged cells, numbers and
   dates as text, 小计/合计 rows, footers, a hidden row, an .xls and an .xlsm. Also clean.
3. 示例3-错误台账: the tidy books with one seeded defect of every cell-level kind, wrong 累计折旧
   (a year ahead, books depreciated), a disposal approved below its tier and a 已报废 row with
   no disposal record.
4. 示例4-对账差异: clean cells, but one defect of every reconciliation kind (and a 1602 class
   that disagrees with the register).
5. 示例5-系统导出: the same school as the systems export it — the asset system's card export
   (HTML .xls, GBK), the finance software's 科目余额表 (SpreadsheetML .xls), the stocktake app's
   CSV, the asset system's 资产处置明细 (HTML .xls). Clean.
6. 示例6-账簿与宽表: the stores book as a 数量金额式明细账 (a sheet per item and a 目录), the fees
   kept wide (a sheet per class) with wide standards, the cashier's 银行存款日记账. Clean.
7. 示例7-导出与账簿差错: sets 5 and 6 together with a few seeded defects across these shapes.

Sets 3, 4 and 7 carry `预期发现.json`, the findings a correct check reports. Everything comes
from one fixed random seed, so a rerun writes the same cell values.
"""


from __future__ import annotations

import copy
import json
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import data
from .books import (
    ACCOUNT_BOOKS,
    ERRORS,
    EXPORTS,
    MANIFEST_NAME,
    MESSY,
    RECONCILE,
    SEED,
    SET_FOLDERS,
    SHAPE_ERRORS,
    TIDY,
    Books,
    make_books,
)
from .defects import seed_cell_errors, seed_reconciliation_gaps
from .messy import write_messy
from .shape_defects import seed_shape_defects
from .shapes import make_shape_books, write_books_set, write_exports_set
from .tidy import write_tidy


@dataclass
class SampleSet:
    """One demo set: where its workbooks are and what a correct check reports on it."""

    key: str
    name: str
    folder: Path
    paths: list[Path]
    period: str
    description: str
    expected: list[dict[str, Any]] = field(default_factory=list)

    @property
    def expected_kinds(self) -> Counter[str]:
        return Counter(e["kind"] for e in self.expected)


def finding_place(finding: dict[str, Any]) -> tuple:
    """Where a finding stands, for comparing with the manifest: its sheet and row when it is
    about a row, else the aggregate it names (a category, a day, a receipt number)."""
    if finding.get("row") is not None:
        return (finding["kind"], finding.get("sheet"), finding["row"])
    key = finding.get("key") or {}
    return (finding["kind"], tuple(sorted((k, str(v)) for k, v in key.items())))


def _fresh(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def _write_manifest(sample: SampleSet) -> None:
    payload = {
        "示例": sample.name, "说明": sample.description, "period": sample.period,
        "workbooks": [p.name for p in sample.paths],
        "findings": sample.expected,
    }
    (sample.folder / MANIFEST_NAME).write_text(
        json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")


def build_samples(folder: Path, seed: int = SEED) -> dict[str, SampleSet]:
    """Write the seven demo sets under `folder` (each in its own subfolder, replaced whole)."""
    folder = Path(folder)
    base = make_books(seed)
    samples: dict[str, SampleSet] = {}

    where = folder / SET_FOLDERS[TIDY]
    _fresh(where)
    path = where / f"{data.SCHOOL}后勤台账（2026年11月）.xlsx"
    write_tidy(base, path)
    samples[TIDY] = SampleSet(TIDY, SET_FOLDERS[TIDY], where, [path], data.PERIOD,
                              "八本台账在一个工作簿中，格式规范，账账相符、账实相符；累计折旧按使用年限、"
                              "当月计提复核相符，总账1602与台账分类相符，本年报废资产均有处置审批登记")

    where = folder / SET_FOLDERS[MESSY]
    _fresh(where)
    samples[MESSY] = SampleSet(MESSY, SET_FOLDERS[MESSY], where, write_messy(base, where, seed),
                               data.PERIOD, "同一套数据，按学校实际的记账习惯：一账一簿、标题行、合并单元格、"
                               "文本数字与日期、小计合计、隐藏行、.xls 与 .xlsm；同样账账相符")

    where = folder / SET_FOLDERS[ERRORS]
    _fresh(where)
    books = copy.deepcopy(base)
    totals, expected = seed_cell_errors(books)
    path = where / f"{data.SCHOOL}后勤台账（含错误）.xlsx"
    write_tidy(books, path, totals)
    samples[ERRORS] = SampleSet(ERRORS, SET_FOLDERS[ERRORS], where, [path], data.PERIOD,
                                "规范台账中埋入每一种单元格错误（漏填、格式、取值、重复、计算），"
                                "累计折旧错误（多提一年、图书计提折旧），处置审批级别不够，已报废资产"
                                "没有处置登记。这些错误连带引起的对账差异（如总账、1602不符）不在此列。",
                                expected)
    _write_manifest(samples[ERRORS])

    where = folder / SET_FOLDERS[RECONCILE]
    _fresh(where)
    books = copy.deepcopy(base)
    expected = seed_reconciliation_gaps(books)
    path = where / f"{data.SCHOOL}后勤台账（对账差异）.xlsx"
    write_tidy(books, path)
    samples[RECONCILE] = SampleSet(RECONCILE, SET_FOLDERS[RECONCILE], where, [path], data.PERIOD,
                                   "单元格全部合规，但每一种对账差异各有一处：账账不符（含1602累计折旧）、"
                                   "盘亏、盘盈、账实不符、结存不符、收费不平、未按标准收费、票据断号、缴存不符",
                                   expected)
    _write_manifest(samples[RECONCILE])
    samples.update(_shape_sets(folder, base, seed))
    return samples


def _shape_sets(folder: Path, base: Books, seed: int) -> dict[str, SampleSet]:
    """Sets 5–7: the same books as systems export them and as account books keep them."""
    out: dict[str, SampleSet] = {}
    shapes = make_shape_books(base, seed)
    where = folder / SET_FOLDERS[EXPORTS]
    _fresh(where)
    out[EXPORTS] = SampleSet(EXPORTS, SET_FOLDERS[EXPORTS], where, write_exports_set(shapes, where), data.PERIOD,
                             "资产系统导出的卡片（HTML 格式的 .xls，GBK）、财务软件导出的科目余额表（XML 格式的 "
                             ".xls）、盘点APP导出的盘点结果（CSV，GBK）、资产系统导出的资产处置明细；"
                             "卡片与总账1601、1602各明细科目相符，累计折旧按当月计提、年限平均法计算")

    where = folder / SET_FOLDERS[ACCOUNT_BOOKS]
    _fresh(where)
    out[ACCOUNT_BOOKS] = SampleSet(ACCOUNT_BOOKS, SET_FOLDERS[ACCOUNT_BOOKS], where, write_books_set(shapes, where),
                                   data.PERIOD, "数量金额式库存物资明细账（一物一页，附目录）、一班一页的宽表收费"
                                   "登记、宽表收费标准、银行存款日记账；同样账账相符")

    where = folder / SET_FOLDERS[SHAPE_ERRORS]
    _fresh(where)
    spoiled = make_shape_books(base, seed)
    expected = seed_shape_defects(spoiled)
    paths = write_exports_set(spoiled, where) + write_books_set(spoiled, where)
    out[SHAPE_ERRORS] = SampleSet(SHAPE_ERRORS, SET_FOLDERS[SHAPE_ERRORS], where, paths, data.PERIOD,
                                  "示例5、示例6 的八个文件放在一起，埋入几处这些格式里常见的差错：本月合计算错、"
                                  "结存记错、宽表金额不合标准、行合计算错、收据断号、总账明细科目与卡片不符、"
                                  "盘点APP未盘、导出日期不存在、新购资产按下月计提少提一个月折旧（1602随之不符）", expected)
    _write_manifest(out[SHAPE_ERRORS])
    return out


def run_demo(out: Path, workbooks: Path | None = None, stream: Any = None) -> int:
    """Write the demo sets, check each one, write its JSON report, print a short summary.

    Returns 0: the error sets are meant to have errors, and finding them is the demo working."""
    from .. import __version__
    from ..check import check
    from ..config import load_config
    from ..outputs.safe_write import write_bytes_atomic
    from ..read import iter_grids

    stream = stream or sys.stdout
    out = Path(out)
    workbooks = Path(workbooks) if workbooks else out / "workbooks"
    samples = build_samples(workbooks)
    try:
        from ..outputs.write import report_bytes
    except ImportError:  # the Excel report arrives with its own issue
        report_bytes = None
    print(f"示例工作簿 → {workbooks}", file=stream)
    for sample in samples.values():
        config = load_config(None, beside=[sample.folder])
        checked = check(iter_grids([sample.folder]), config, sample.period)
        result = checked.result
        payload = result.to_json(__version__)
        target = out / f"{sample.name}.json"
        write_bytes_atomic(target, json.dumps(payload, ensure_ascii=False, indent=2).encode())
        if report_bytes is not None:
            report = out / f"{sample.name}-核对报告.xlsx"
            write_bytes_atomic(report, report_bytes(checked, report))
        kinds = Counter(f.kind for f in result.findings)
        shown = "，".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "无"
        print(f"{sample.name}: 台账 {len(result.ledgers)} 本，错误 {result.errors}，警告 "
              f"{result.warnings}（{shown}）→ {target}", file=stream)
        if sample.expected:
            found = {finding_place(f) for f in payload["findings"]}
            hit = sum(1 for e in sample.expected if finding_place(e) in found)
            print(f"    预期发现 {len(sample.expected)} 条，已发现 {hit} 条（见 {sample.folder / MANIFEST_NAME}）",
                  file=stream)
    return 0
