"""Regenerate the report screenshots: `python docs/screenshots/make_screenshots.py`.

Builds the demo ledgers, writes the report workbook of 示例3-错误台账 (for 校验报告) and of
示例4-对账差异 (for the other sheets), converts each to PDF with headless LibreOffice and keeps
the first page of every report sheet as a small PNG (pdftoppm). Needs soffice and pdftoppm.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from houqin_xl.check import check
from houqin_xl.read import read_paths
from houqin_xl.outputs.report import REPORT_SHEETS
from houqin_xl.samples.demo import build_samples
from houqin_xl.outputs.write import report_bytes

HERE = Path(__file__).resolve().parent
FILES = {"校验报告": "report-findings.png", "对账结果": "report-reconciliation.png",
         "汇总-资产": "report-assets.png", "汇总-出入库": "report-stock.png",
         "汇总-收费": "report-fees.png"}
SOURCE = {"校验报告": "errors"}  # every other sheet from the reconciliation set
RESOLUTION = "70"


def first_pages(pdf: Path) -> dict[str, int]:
    """The page on which each report sheet starts (its title line opens the page)."""
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    starts: dict[str, int] = {}
    titles = {"校验报告": "校验报告", "对账结果": "对账结果", "汇总-资产": "资产汇总",
              "汇总-出入库": "出入库汇总", "汇总-收费": "收费汇总"}
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout.strip()
        for sheet, title in titles.items():
            if sheet not in starts and text.startswith(title):
                starts[sheet] = page
    return starts


def main() -> int:
    warnings.simplefilter("ignore")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        print("needs LibreOffice (soffice) and poppler-utils (pdftoppm)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sets = build_samples(work / "samples")
        for key in ("errors", "reconcile"):
            sample = sets[key]
            checked = check(read_paths(sample.paths), None, sample.period)
            report = work / f"{key}.xlsx"
            report.write_bytes(report_bytes(checked))
            subprocess.run([soffice, f"-env:UserInstallation=file://{work}/lo", "--headless",
                            "--convert-to", "pdf", "--outdir", str(work), str(report)],
                           check=True, capture_output=True)
            pdf = work / f"{key}.pdf"
            starts = first_pages(pdf)
            for sheet in REPORT_SHEETS:
                if SOURCE.get(sheet, "reconcile") != key or sheet not in starts:
                    continue
                page = str(starts[sheet])
                stem = HERE / FILES[sheet].removesuffix(".png")
                subprocess.run(["pdftoppm", "-r", RESOLUTION, "-f", page, "-l", page, "-png",
                                "-singlefile", str(pdf), str(stem)], check=True)
                print(stem.with_suffix(".png").relative_to(HERE.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
