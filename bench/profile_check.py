"""Profile the full check (what `houqin-xl check --json` does, plus summaries) with pyinstrument.

    .venv/bin/python bench/profile_check.py --scale 1                    # text tree to stdout
    .venv/bin/python bench/profile_check.py --scale 1 --what-if ncols    # with proposal P1 applied

`--what-if ncols` applies, in this process only, the first proposal of bench/PROFILE.md
(Grid.n_cols computed once instead of on every call) so the profile can show what comes after
it: without it a 1x profile spends nearly all its time in that one quadratic loop. The core
files are not touched.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import generate  # noqa: E402
import run  # noqa: E402
import whatif  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="pyinstrument profile of the full check")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--path", type=Path, help="profile this workbook instead")
    parser.add_argument("--what-if", choices=sorted(whatif.WHAT_IFS), action="append", default=[])
    parser.add_argument("--interval", type=float, default=0.005, help="sampling interval, seconds")
    parser.add_argument("--html", type=Path, help="also write the HTML view here")
    parser.add_argument("--all", action="store_true", help="show library frames too")
    args = parser.parse_args(argv)
    from pyinstrument import Profiler

    path = args.path or generate.set_path(args.scale)
    if not path.exists():
        generate.generate_set(args.scale)
    whatif.apply(args.what_if)
    # Import and warm up outside the profile: a second run is what the benchmark's medians see.
    import houqin_xl.check  # noqa: F401
    import houqin_xl.outputs.summaries  # noqa: F401

    profiler = Profiler(interval=args.interval)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        profiler.start()
        out = run.full_check(path, Path(tmp))
        profiler.stop()
        seconds = time.perf_counter() - t0
    stages = ", ".join(f"{k} {v:.2f}" for k, v in out["stages"].items())
    print(f"# {path.name}  what-if: {args.what_if or 'none'}  {seconds:.1f} s  ({stages})  "
          f"errors {out['errors']}, warnings {out['warnings']}")
    print(profiler.output_text(unicode=True, color=False, show_all=args.all))
    if args.html:
        args.html.write_text(profiler.output_html(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
