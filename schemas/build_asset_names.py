"""Rebuild the GB/T 14885-2010 part of `asset_names.csv` (detailed class names → top class).

    python schemas/build_asset_names.py /work/shared/data/gbt14885-2010.csv

The source is one public transcription of the standard (代码, 名称, 门类代码, 门类; 3,760 lines). It
has small defects, kept as they are: 19 names have no code (they stand in a section, and
their 门类 is that section's class) and one code stands on two names. The table is a source of
names; the class of a *code* is always its first digit, whatever this table says.

The rows marked 常用名 at the end of the file — names schools write that the standard spells
otherwise (台式计算机, 课桌椅, 空调, 钢琴 …) — are curated by hand and kept as they are.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLE = HERE / "asset_names.csv"
COLUMNS = ["名称", "代码", "门类代码", "门类", "来源"]
STANDARD = "GB/T 14885-2010"
COMMON = "常用名"


def build(source: Path, table: Path = TABLE) -> int:
    with source.open(encoding="utf-8-sig", newline="") as handle:
        standard = [
            {"名称": row["名称"].strip(), "代码": row["代码"].strip(), "门类代码": row["门类代码"].strip(),
             "门类": row["门类"].strip(), "来源": STANDARD}
            for row in csv.DictReader(handle)
        ]
    common: list[dict[str, str]] = []
    if table.exists():
        with table.open(encoding="utf-8", newline="") as handle:
            common = [row for row in csv.DictReader(handle) if row["来源"] == COMMON]
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(standard)
        writer.writerows(common)
    return len(standard)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(f"{build(Path(sys.argv[1]))} names of the standard written to {TABLE}")
