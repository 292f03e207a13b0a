"""Where the time of one `houqin-xl check BOOK --period 2026-11 --json OUT --quiet` goes:
bench/PROFILE.md is what it found.

    .venv-bench/bin/python bench/profile_check.py --kind bursar --scale 1            # pyinstrument tree
    .venv-bench/bin/python bench/profile_check.py --kind export --scale 1 --imports  # + imports by package
    .venv-bench/bin/python bench/profile_check.py --kind bursar --scale 1 --what-if cache-schemas

The profile covers the whole command as the CLI runs it, imports included: the profiler starts
before `houqin_xl.cli` is imported, then `cli.main([...])` runs. As in bench/run.py, what only
the dev extras install (hypothesis, pyarrow, …) is hidden first, so pandera and pandas import
what they would in a bursar's install. The stage marks come from the progress callback the
check already has (recognise, validate, reconcile), plus the write.

pyinstrument samples the main thread: the thread in which calamine parses ahead shows only as
the main thread's waits for it. `--imports` runs the same command once more in a child with
`python -X importtime` and sums the imports' own times by top-level package.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import exportlike  # noqa: E402
import generate  # noqa: E402
import run  # noqa: E402
import whatif  # noqa: E402


def book_path(kind: str, scale: float, strings: str) -> Path:
    path = exportlike.export_path(scale, strings) if kind == "export" else generate.set_path(scale, strings)
    if not path.exists():
        run.Book(kind, scale, strings).generate()
    return path


def imports_by_package(path: Path, hidden: list[str]) -> list[str]:
    """One more fresh run under -X importtime; the imports' self times summed by top-level
    package, and the tool's own modules by cumulative time."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "HOUQIN_BENCH_HIDE": ",".join(hidden)}
        proc = subprocess.run([sys.executable, "-X", "importtime", str(run.BARE), "houqin-xl", "check",
                               str(path), "--period", run.PERIOD, "--json", f"{tmp}/out.json", "--quiet"],
                              capture_output=True, text=True, env=env, cwd=run.ROOT)
    own: collections.Counter[str] = collections.Counter()
    tool: list[tuple[int, str]] = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative, name = line.removeprefix("import time:").split("|")
        module = name.strip()
        own[module.split(".")[0]] += int(self_us)
        if module.startswith("houqin_xl"):
            tool.append((int(cumulative), module))
    total = sum(own.values())
    lines = [f"imports: {total / 1000:.0f} ms in all (self times summed)", "", "| package | ms |",
             "|---|---|"]
    lines += [f"| {pkg} | {us / 1000:.0f} |" for pkg, us in own.most_common(15)]
    lines += ["", "the tool's modules, cumulative ms (a module's own imports included):", ""]
    lines += [f"- {module}: {us / 1000:.0f}" for us, module in sorted(tool, reverse=True)[:12]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="pyinstrument profile of `houqin-xl check --json`")
    parser.add_argument("--kind", choices=run.KINDS, default="bursar")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--strings", choices=generate.STRINGS, default="shared")
    parser.add_argument("--path", type=Path, help="profile this workbook instead")
    parser.add_argument("--what-if", choices=sorted(whatif.WHAT_IFS), action="append", default=[])
    parser.add_argument("--interval", type=float, default=0.002, help="sampling interval, seconds")
    parser.add_argument("--imports", action="store_true", help="also sum -X importtime by package")
    parser.add_argument("--html", type=Path, help="also write the HTML view here")
    parser.add_argument("--all", action="store_true", help="show library frames too")
    args = parser.parse_args(argv)
    path = args.path or book_path(args.kind, args.scale, args.strings)
    hidden = run.dev_only_modules()

    from pyinstrument import Profiler  # before the hiding: it is one of the dev extras

    for name in hidden:
        if name not in sys.modules:
            sys.modules[name] = None  # as bench/bare.py: not in a bursar's install

    profiler = Profiler(interval=args.interval)
    marks: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        profiler.start()
        from houqin_xl import check as check_module  # imports inside the profile, as the
        from houqin_xl import cli  # command pays them (the CLI imports check.py lazily)

        t_import = time.perf_counter()
        whatif.apply(args.what_if)
        original = check_module.check

        def check(*a, progress=None, **kw):  # noqa: ANN002, ANN003, ANN202 - the CLI's check
            def mark(stage: str) -> None:
                marks.append((stage, time.perf_counter()))
                if progress:
                    progress(stage)

            return original(*a, progress=mark, **kw)

        check_module.check = check  # what `from .check import check` in run_check finds
        status = cli.main(["check", str(path), "--period", run.PERIOD, "--json", f"{tmp}/out.json", "--quiet"])
        profiler.stop()
        end = time.perf_counter()
    points = [("import", t_import)] + marks + [("end", end)]
    stages = [f"{name} → {points[i + 1][0]} {points[i + 1][1] - at:.2f} s" for i, (name, at) in enumerate(points[:-1])]
    print(f"# {path.name}  what-if: {args.what_if or 'none'}  exit {status}  {end - t0:.2f} s "
          f"(import {t_import - t0:.2f} s)")
    print("# stages: " + "; ".join(stages))
    print(profiler.output_text(unicode=True, color=False, show_all=args.all))
    if args.html:
        args.html.write_text(profiler.output_html(), encoding="utf-8")
    if args.imports:
        print("\n".join(imports_by_package(path, hidden)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
