"""What a small school's check pays whatever its size: the measuring side of issue #15's
"fixed costs" (item 3), for bench/PROFILE.md.

In one process, as `check-many` runs schools one after another in a worker, it checks the same
small workbook N times through the CLI's own function (`houqin-xl check BOOK --period 2026-11
--json OUT --quiet`) and adds up the time spent in the steps that do not grow with the rows:
loading the schema YAML and the category table, building the pandera schemas, pandera's
validate calls. The first run is the cold one a bursar's single command is; the later ones show
what a worker pays again for every further school — what "schemas built once per process and
reused across schools" would save.

    .venv-bench/bin/python bench/fixed_costs.py                  # the 0.1x bursar set, 6 runs
    .venv-bench/bin/python bench/fixed_costs.py --kind export --scale 0.1
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import profile_check  # noqa: E402
import run  # noqa: E402
import whatif  # noqa: E402

SPENT: dict[str, float] = defaultdict(float)
CPU: dict[str, float] = defaultdict(float)  # the main thread's CPU time: steadier under load
CALLS: dict[str, int] = defaultdict(int)


def timed(owner: object, attribute: str, label: str) -> None:
    """Wrap owner.attribute so the main thread's time in it is added to SPENT[label]."""
    original = getattr(owner, attribute)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - any signature
        t0, c0 = time.perf_counter(), time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[label] += time.perf_counter() - t0
            CPU[label] += time.thread_time() - c0
            CALLS[label] += 1

    setattr(owner, attribute, wrapper)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=run.KINDS, default="bursar")
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--what-if", choices=sorted(whatif.WHAT_IFS), action="append", default=[],
                        help="apply a PROFILE.md proposal in this process first")
    args = parser.parse_args(argv)
    path = profile_check.book_path(args.kind, args.scale, "shared")
    for name in run.dev_only_modules():
        sys.modules.setdefault(name, None)  # as in a bursar's install (bench/bare.py)

    t0 = time.perf_counter()
    import pandera.pandas as pa

    from houqin_xl import check as check_module
    from houqin_xl import cli
    from houqin_xl.checks import validate as validate_module

    imported = time.perf_counter() - t0
    whatif.apply(args.what_if)
    timed(check_module, "load_schemas", "load_schemas (YAML → LedgerSchema)")
    timed(check_module, "load_categories", "load_categories")
    timed(validate_module, "build_schema", "build_schema (pandera schema objects)")
    timed(pa.DataFrameSchema, "validate", "pandera DataFrameSchema.validate")
    timed(check_module, "recognise_grid", "recognise_grid")
    timed(check_module, "type_ledger", "type_ledger")
    timed(check_module, "run_rules", "run_rules")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            SPENT.clear()
            CPU.clear()
            CALLS.clear()
            start, cpu0 = time.perf_counter(), time.thread_time()
            cli.main(["check", str(path), "--period", run.PERIOD, "--json", f"{tmp}/{i}.json", "--quiet"])
            rows.append((time.perf_counter() - start, time.thread_time() - cpu0, dict(SPENT), dict(CPU),
                         dict(CALLS)))
    labels = list(rows[0][2])
    print(f"\n{path.name} (what-if: {', '.join(args.what_if) or 'none'}): imports of houqin_xl.cli "
          f"(with pandas, pandera) {imported:.2f} s, then {args.runs} checks in this one process")
    print("\n| step | run 1 (cold) s | later runs, median s | later runs, main-thread CPU s | calls a run |"
          "\n|---|---|---|---|---|")
    print(f"| whole check (after imports) | {rows[0][0]:.3f} | {statistics.median(r[0] for r in rows[1:]):.3f} "
          f"| {statistics.median(r[1] for r in rows[1:]):.3f} | |")
    for label in labels:
        later = statistics.median(r[2].get(label, 0.0) for r in rows[1:])
        cpu = statistics.median(r[3].get(label, 0.0) for r in rows[1:])
        print(f"| {label} | {rows[0][2][label]:.3f} | {later:.3f} | {cpu:.3f} | {rows[0][4][label]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
