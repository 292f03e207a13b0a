"""Regenerate the screenshots: `python docs/screenshots/make_screenshots.py [reports] [samples]`.

reports: builds the demo ledgers, writes the report workbook of 示例3-错误台账 (for 校验报告) and
of 示例4-对账差异 (for the other sheets), converts each to PDF with headless LibreOffice and keeps
the first page of every report sheet as a small PNG (pdftoppm).

samples: the shapes of sets 5 and 6 as LibreOffice opens the files themselves (the HTML and
XML .xls, the GBK CSV, the account books): each file is opened by LibreOffice and saved as .xlsx,
then only the print setup is changed — one sheet, an excerpt of its first rows, landscape, one
page wide, gridlines as on screen, columns as wide as their text where the file gave no widths
LibreOffice keeps — and the first page is kept as a small PNG. Needs soffice and pdftoppm.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import unicodedata
import warnings
from pathlib import Path

from houqin_xl.check import check
from houqin_xl.outputs.report import REPORT_SHEETS
from houqin_xl.outputs.write import report_bytes
from houqin_xl.read import read_paths
from houqin_xl.samples.demo import build_samples

HERE = Path(__file__).resolve().parent
FILES = {"校验报告": "report-findings.png", "对账结果": "report-reconciliation.png",
         "汇总-资产": "report-assets.png", "汇总-出入库": "report-stock.png",
         "汇总-收费": "report-fees.png"}
SOURCE = {"校验报告": "errors"}  # every other sheet from the reconciliation set
RESOLUTION = "70"
RESOLUTION_SAMPLES = "60"


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


def main(argv: list[str] | None = None) -> int:
    warnings.simplefilter("ignore")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        print("needs LibreOffice (soffice) and poppler-utils (pdftoppm)", file=sys.stderr)
        return 2
    which = set(argv or ["reports", "samples"])
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sets = build_samples(work / "samples")
        if "samples" in which:
            sample_shots(soffice, sets, work)
        if "reports" not in which:
            return 0
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


# (set, file name contains, sheet or None for the only one, last row, last column, columns
# hidden from the picture, PNG). A4 landscape at 60 dpi shows about 150 characters of width.
SAMPLE_SHOTS = [
    ("exports", "资产卡片信息列表", None, 26, "S", ("F", "G", "L", "O", "Q", "R"), "sample-card-export.png"),
    ("exports", "科目余额表", "科目余额表", 34, "J", (), "sample-trial-balance.png"),
    ("exports", "资产盘点结果", None, 18, "K", (), "sample-stocktake-csv.png"),
    ("account_books", "库存物资明细账", "墨盒", 42, "M", (), "sample-stores-book.png"),
    ("account_books", "代收费登记表", "三(2)班", 18, "O", (), "sample-wide-fees.png"),
    ("account_books", "代收费项目及标准", None, 14, "H", (), "sample-wide-standards.png"),
    ("account_books", "银行存款日记账", None, 30, "H", (), "sample-bank-journal.png"),
]
A4 = 9
GBK_CSV = "CSV:44,34,70,1,,2052"  # comma, double quote, GBK (LibreOffice's code 70), from line 1


def _as_xlsx(soffice: str, source: Path, work: Path) -> Path:
    """The file as LibreOffice opens it, saved as .xlsx (an .xlsx is taken as it is)."""
    if source.suffix == ".xlsx":
        return source
    out = work / "opened"
    out.mkdir(exist_ok=True)
    command = [soffice, f"-env:UserInstallation=file://{work}/lo", "--headless"]
    if source.suffix == ".csv":
        command.append(f"--infilter={GBK_CSV}")
    subprocess.run([*command, "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                   check=True, capture_output=True)
    return out / (source.stem + ".xlsx")


def _shown_width(value: object) -> float:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    text = f"{value:,.2f}" if number else str(value if value is not None else "")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)


def _print_excerpt(book_path: Path, sheet: str | None, last_row: int, last_col: str, hide: tuple[str, ...],
                   target: Path, autofit: bool) -> None:
    """Keep one sheet and print only its first rows, landscape, one page wide."""
    from openpyxl import load_workbook
    from openpyxl.utils import column_index_from_string, get_column_letter

    book = load_workbook(book_path)
    keep = book[sheet] if sheet else book.worksheets[0]
    for other in list(book.worksheets):
        if other is not keep:
            book.remove(other)
    widths = keep.column_dimensions
    if autofit:
        # LibreOffice keeps no widths from an HTML table or a CSV: as wide as the text, as a
        # bursar's double click on the column border makes it.
        merged = {(r, c) for rng in keep.merged_cells.ranges if rng.max_col > rng.min_col
                  for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1)}
        for col in range(1, column_index_from_string(last_col) + 1):
            shown = [_shown_width(keep.cell(r, col).value) for r in range(1, last_row + 1)
                     if (r, col) not in merged]
            widths[get_column_letter(col)].width = min(40, max([6, *shown]) + 1.5)
    for letter in hide:
        widths[letter].hidden = True
    keep.print_area = f"A1:{last_col}{last_row}"
    keep.page_setup.orientation = "landscape"
    keep.page_setup.paperSize = A4
    keep.page_setup.fitToWidth, keep.page_setup.fitToHeight = 1, 0
    keep.sheet_properties.pageSetUpPr.fitToPage = True
    keep.print_options.gridLines = True
    keep.page_margins.left = keep.page_margins.right = keep.page_margins.top = keep.page_margins.bottom = 0.3
    keep.oddHeader.center.text = keep.oddFooter.center.text = None
    keep.HeaderFooter.oddHeader.left.text = keep.HeaderFooter.oddFooter.left.text = None
    keep.print_title_rows = None
    book.save(target)


def sample_shots(soffice: str, sets: dict, work: Path) -> None:
    for key, word, sheet, last_row, last_col, hide, png in SAMPLE_SHOTS:
        source = next(p for p in sets[key].paths if word in p.name)
        excerpt = work / f"excerpt-{png.removesuffix('.png')}.xlsx"
        autofit = source.suffix == ".csv" or source.read_bytes()[:5].lower() == b"<html"
        _print_excerpt(_as_xlsx(soffice, source, work), sheet, last_row, last_col, hide, excerpt, autofit)
        subprocess.run([soffice, f"-env:UserInstallation=file://{work}/lo", "--headless", "--convert-to", "pdf",
                        "--outdir", str(work), str(excerpt)], check=True, capture_output=True)
        stem = HERE / png.removesuffix(".png")
        subprocess.run(["pdftoppm", "-r", RESOLUTION_SAMPLES, "-f", "1", "-l", "1", "-png", "-singlefile",
                        str(excerpt.with_suffix(".pdf")), str(stem)], check=True)
        print(stem.with_suffix(".png").relative_to(HERE.parent.parent))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
