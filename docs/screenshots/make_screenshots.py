"""Regenerate the screenshots: `python docs/screenshots/make_screenshots.py [--screen] [--samples]`.

- `report-*.png`: the first printed page of every report sheet (the report of 示例3-错误台账
  for 校验报告, of 示例4-对账差异 for the others), as headless LibreOffice prints it.
- `terminal.png`: the page `houqin-xl check` prints for 示例4, in a CJK monospace font.
- `screen-1366x768.png` (with `--screen`): the report of 示例3 opened in LibreOffice Calc on a
  1366×768 screen (Xvfb), as a bursar on a school laptop sees it.
- `sample-*.png` (with `--samples`): the shapes of sets 5 and 6 as LibreOffice opens the files
  themselves (the HTML and XML .xls, the GBK CSV, the account books), each saved as .xlsx with
  only its print setup changed, the first page kept.

Needs soffice, pdftoppm and pdftotext (poppler-utils), fonts-noto-cjk; `--screen` also Xvfb,
xwd and ImageMagick's convert.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import warnings
from pathlib import Path

from houqin_xl.check import check
from houqin_xl.outputs.report import REPORT_SHEETS
from houqin_xl.outputs.terminal import print_summary
from houqin_xl.outputs.write import report_bytes
from houqin_xl.read import iter_grids
from houqin_xl.samples.demo import build_samples

HERE = Path(__file__).resolve().parent
FILES = {"校验报告": "report-findings.png", "对账结果": "report-reconciliation.png",
         "汇总-资产": "report-assets.png", "汇总-出入库": "report-stock.png",
         "汇总-收费": "report-fees.png"}
SOURCE = {"校验报告": "errors"}  # every other sheet from the reconciliation set
RESOLUTION = "70"
RESOLUTION_SAMPLES = "60"


def first_pages(pdf: Path) -> dict[str, int]:
    """The page on which each report sheet starts: its name heads the page (the page header)
    and its title line follows."""
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    titles = {"校验报告": "校验报告", "对账结果": "对账结果", "汇总-资产": "资产汇总",
              "汇总-出入库": "出入库汇总", "汇总-收费": "收费汇总"}
    starts: dict[str, int] = {}
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        head = "\n".join(text.strip().splitlines()[:4])  # the page header names the sheet
        for sheet, title in titles.items():
            if sheet not in starts and (title in head or sheet in head):
                starts[sheet] = page
    return starts


def _pdf(soffice: str, work: Path, source: Path) -> Path:
    subprocess.run([soffice, f"-env:UserInstallation=file://{work}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work), str(source)],
                   check=True, capture_output=True)
    return work / (source.stem + ".pdf")


def report_pages(soffice: str, work: Path, sets: dict) -> None:
    for key in ("errors", "reconcile"):
        sample = sets[key]
        checked = check(iter_grids(sample.paths), None, sample.period)
        report = work / f"{key}.xlsx"
        report.write_bytes(report_bytes(checked, report))
        pdf = _pdf(soffice, work, report)
        starts = first_pages(pdf)
        for sheet in REPORT_SHEETS:
            if SOURCE.get(sheet, "reconcile") != key or sheet not in starts:
                continue
            page = str(starts[sheet])
            stem = HERE / FILES[sheet].removesuffix(".png")
            subprocess.run(["pdftoppm", "-r", RESOLUTION, "-f", page, "-l", page, "-png",
                            "-singlefile", str(pdf), str(stem)], check=True)
            print(stem.with_suffix(".png").relative_to(HERE.parent.parent))


def terminal_page(work: Path, sets: dict) -> None:
    """The printed page as a console shows it, in a CJK monospace font (a Chinese character two
    columns wide, as in the console), drawn by ImageMagick."""
    if shutil.which("convert") is None:
        raise SystemExit("the terminal picture needs ImageMagick's convert")
    sample = sets["reconcile"]
    text = io.StringIO()
    print_summary(check(iter_grids(sample.paths), None, sample.period), text, files=1)
    shown = "$ houqin-xl check 示例4-对账差异 --period 2026-11\n\n" + text.getvalue()
    target = HERE / "terminal.png"
    # One label a line, stacked: ImageMagick misjudges the size of one label of many lines.
    # No-break spaces: a label trims plain ones, and the indents are the page's columns.
    lines = ["label:" + (line.replace(" ", "\u00a0") if line.strip() else "\u3000")
             for line in shown.splitlines()]
    subprocess.run(["convert", "-background", "#1e1e1e", "-fill", "#e0e0e0", "-font",
                    "Noto-Sans-Mono-CJK-SC", "-pointsize", "13", *lines, "-append",
                    "-bordercolor", "#1e1e1e", "-border", "12", str(target)], check=True)
    print(target.relative_to(HERE.parent.parent))


def screen(soffice: str, work: Path, sets: dict) -> None:
    """The 校验报告 of 示例3 opened in Calc on a 1366×768 screen (a virtual one)."""
    for tool in ("Xvfb", "xwd", "convert"):
        if shutil.which(tool) is None:
            raise SystemExit(f"--screen needs {tool}")
    sample = sets["errors"]
    report = work / "核对报告.xlsx"
    report.write_bytes(report_bytes(check(iter_grids(sample.paths), None, sample.period), report))
    display = ":97"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x768x24"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {**os.environ, "DISPLAY": display}
    calc = None
    try:
        time.sleep(2)
        calc = subprocess.Popen([soffice, f"-env:UserInstallation=file://{work}/lo-screen",
                                 "--nologo", "--norestore", "--calc", str(report)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(30)  # Calc's first start builds its profile
        shot = subprocess.run(["xwd", "-root", "-silent"], env=env, capture_output=True,
                              check=True).stdout
        target = HERE / "screen-1366x768.png"
        subprocess.run(["convert", "xwd:-", str(target)], input=shot, check=True)
        print(target.relative_to(HERE.parent.parent))
    finally:
        if calc is not None:
            calc.kill()
        xvfb.kill()


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screen", action="store_true", help="also the 1366×768 screenshot")
    parser.add_argument("--samples", action="store_true",
                        help="also the shapes of sets 5 and 6 as LibreOffice opens the files")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        print("needs LibreOffice (soffice) and poppler-utils (pdftoppm)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sets = build_samples(work / "samples")
        report_pages(soffice, work, sets)
        terminal_page(work, sets)
        if args.screen:
            screen(soffice, work, sets)
        if args.samples:
            sample_shots(soffice, sets, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
