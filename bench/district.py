"""`houqin-xl check-many` on a county of small schools, serially and on 2 processes (issue #15).

Each school is the 0.1x bursar-style set (bench/generate.py: 5,000 assets, 10,000 stock
moves, 6,000 fee rows, seven ledgers in one workbook written as Excel writes it) — what the issue
calls a small school — and one school's workbook is truncated in the post, so the roll-up must
name it as unreadable and carry on. The whole command is timed as a county runs it, one fresh
process each (`houqin-xl check-many COUNTY --out OUT --period 2026-11 --jobs N --quiet`, as
installed without the dev extras: see bench/bare.py), --jobs 1 and --jobs 2 alternating.

    .venv-bench/bin/python bench/district.py --schools 200            # ≈ 10 min; results-district.md
    .venv-bench/bin/python bench/district.py --schools 40 --school demo --results /tmp/d.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
import run  # noqa: E402

BROKEN = 7  # the school whose workbook arrives truncated


def school_files(kind: str, folder: Path) -> list[Path]:
    """The workbooks one school sends: the generated set at a scale, or the demo's tidy set."""
    if kind == "demo":
        subprocess.run([sys.executable, "-c", "import sys; from houqin_xl.samples.demo import build_samples; "
                        "build_samples(__import__('pathlib').Path(sys.argv[1]))", str(folder)],
                       check=True, cwd=ROOT)
        tidy = next(p for p in folder.iterdir() if p.is_dir() and "规范" in p.name)
        return sorted(p for p in tidy.iterdir() if p.is_file())
    scale = float(kind)
    path = generate.set_path(scale)
    if not path.exists():
        run.Book("bursar", scale, "shared").generate()
    return [path]


def make_county(folder: Path, schools: int, files: list[Path]) -> Path:
    county = folder / "县"
    for n in range(1, schools + 1):
        school = county / f"第{n:03d}小学"
        school.mkdir(parents=True)
        for path in files:
            shutil.copyfile(path, school / path.name)
    broken = next((county / f"第{min(BROKEN, schools):03d}小学").iterdir())
    broken.write_bytes(broken.read_bytes()[: broken.stat().st_size // 2])
    return county


def outcome(out: Path) -> tuple[int, int, int, list[str]]:
    """(schools, checked, clean, unreadable names) from the roll-up JSON the command wrote."""
    data = json.loads((out / "区县汇总.json").read_text(encoding="utf-8"))
    schools = data["schools"]
    checked = [s for s in schools if s["ok"]]
    clean = [s for s in checked if not s["errors"]]
    return len(schools), len(checked), len(clean), [s["school"] for s in schools if not s["ok"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--school", default="0.1",
                        help="a school's workbooks: a scale of the bursar-style set (default 0.1) or 'demo'")
    parser.add_argument("--jobs", type=int, default=2, help="processes of the parallel run (default 2)")
    parser.add_argument("--rounds", type=int, default=1, help="serial and parallel runs, alternating")
    parser.add_argument("--no-report", action="store_true", help="pass --no-report (JSON only)")
    parser.add_argument("--quiet-below", type=float, default=0.5,
                        help="start each run once other users keep fewer cores busy (see run.py)")
    parser.add_argument("--max-wait", type=float, default=60, help="seconds to wait for that at most")
    parser.add_argument("--results", type=Path, default=BENCH / "results-district.md")
    args = parser.parse_args(argv)
    hidden = run.dev_only_modules()
    env = {**os.environ, "HOUQIN_BENCH_HIDE": ",".join(hidden)}
    command = " ".join(["bench/district.py", *(argv if argv is not None else sys.argv[1:])])
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    lines = []
    with tempfile.TemporaryDirectory(prefix="houqin-county-") as tmp:
        files = school_files(args.school, Path(tmp) / "samples")
        county = make_county(Path(tmp), args.schools, files)
        size = sum(p.stat().st_size for p in county.rglob("*") if p.is_file()) / 2**20
        print(f"{command}\n{args.schools} schools of {args.school!r} ({size:.0f} MiB) in {county}", flush=True)
        times: dict[int, list[float]] = {1: [], args.jobs: []}
        procs: dict[int, run.Proc] = {}
        loaded = 0.0
        for round_ in range(args.rounds):
            for jobs in (1, args.jobs):
                out = Path(tmp) / f"out-{jobs}-{round_}"
                argv_ = [sys.executable, str(run.BARE), "houqin-xl", "check-many", str(county), "--out",
                         str(out), "--period", run.PERIOD, "--jobs", str(jobs), "--quiet"]
                if args.no_report:
                    argv_.append("--no-report")
                run.wait_for_quiet(args.quiet_below, args.max_wait)  # see run.py: a shared machine
                others = run.busy_cores(0.5)
                proc = run.run_process(argv_, 7200, env, ok_status=(0, 1))
                if not proc.ok:
                    print(f"--jobs {jobs}: failed: {proc.note}")
                    return 1
                total, checked, clean, unreadable = outcome(out)
                times[jobs].append(proc.seconds)
                procs[jobs] = proc
                line = (f"--jobs {jobs}: {proc.seconds:.1f} s (CPU {proc.cpu:.1f} s, peak of one process "
                        f"{proc.peak_mib:.0f} MiB); {total} schools, {checked} checked ({clean} clean), "
                        f"unreadable: {', '.join(unreadable) or 'none'}; other users kept {others:.1f} "
                        "cores busy just before")
                loaded = max(loaded, others)
                print(line, flush=True)
                lines.append(line)
                shutil.rmtree(out)
    serial = statistics.median(times[1])
    parallel = statistics.median(times[args.jobs])
    finished = dt.datetime.now(dt.UTC)
    summary = [
        "| processes | seconds | schools per minute | CPU s | speed-up over serial |",
        "|---|---|---|---|---|",
        f"| 1 | {serial:.1f} | {args.schools / serial * 60:.0f} | {procs[1].cpu:.1f} | 1.00 |",
        f"| {args.jobs} | {parallel:.1f} | {args.schools / parallel * 60:.0f} | {procs[args.jobs].cpu:.1f} | "
        f"{serial / parallel:.2f} |",
    ]
    text = [
        "# check-many on a county of small schools (issue #15)",
        "",
        f"Made by `{run._interpreter()} {command}` on {started:%Y-%m-%d %H:%M} UTC "
        f"({(finished - started).total_seconds() / 60:.0f} min).",
        "",
        *run.machine(),
        f"- load average at start {load_before[0]:.1f}, at end {os.getloadavg()[0]:.1f}",
        f"- {args.schools} schools, each {'the demo tidy set' if args.school == 'demo' else f'the {args.school}x bursar-style set'}"
        f" ({size / args.schools:.1f} MiB a school); school {min(BROKEN, args.schools)} truncated; "
        f"`houqin-xl check-many COUNTY --out OUT --period 2026-11 --jobs N --quiet"
        f"{' --no-report' if args.no_report else ''}`, one fresh process per run "
        f"({'Excel report per school and the roll-up' if not args.no_report else 'JSON only'}); "
        f"dev-only packages hidden ({', '.join(hidden)})",
        "",
        *summary,
        "",
        *([f"⚠ Not a verdict: other users kept up to {loaded:.1f} cores busy around these runs, so two "
           "processes could not have two cores; rerun on a quiet machine.", ""] if loaded >= args.quiet_below else []),
        *[f"- {line}" for line in lines],
        "",
    ]
    print("\n".join(summary))
    args.results.write_text("\n".join(text), encoding="utf-8")
    print(f"written: {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
