"""check-many on a generated county: N schools (copies of the demo's tidy set), one of them
with a corrupt workbook, checked serially (--jobs 1) and in parallel (--jobs = cores) in the
same run. Prints both times, their ratio, and whether the roll-up is right.

    .venv/bin/python bench/district.py --schools 50
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from houqin_xl.district import check_many  # noqa: E402
from houqin_xl.samples.demo import build_samples  # noqa: E402


def make_county(folder: Path, schools: int) -> Path:
    samples = build_samples(folder / "samples")
    tidy = next(s for s in samples.values() if "规范" in s.name)
    county = folder / "县"
    for n in range(1, schools + 1):
        school = county / f"第{n:02d}小学"
        school.mkdir(parents=True)
        for path in tidy.paths:
            shutil.copy2(path, school / Path(path).name)
    broken = next((county / "第07小学").iterdir())
    broken.write_bytes(broken.read_bytes()[: broken.stat().st_size // 2])  # truncated in the post
    return county


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        county = make_county(Path(tmp), args.schools)
        timings = {}
        for jobs in (1, args.jobs):
            start = time.perf_counter()
            results = check_many(county, Path(tmp) / f"out-{jobs}", "2026-11", jobs=jobs)
            timings[jobs] = time.perf_counter() - start
            ok = [r for r in results if r.ok]
            failed = [r for r in results if not r.ok]
            clean = all(r.errors == 0 for r in ok)
            print(f"--jobs {jobs}: {timings[jobs]:.1f} s; {len(ok)} reports, {len(failed)} failed "
                  f"({', '.join(r.school for r in failed)}); all others clean: {clean}")
        print(f"parallel / serial: {timings[args.jobs] / timings[1]:.2f} "
              f"({os.cpu_count()} cores, {args.schools} schools)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
