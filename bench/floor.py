"""The floors under issue #15's targets: what a check cannot take less than, measured beside the
baseline and the check in one run — `make bench-floor`.

Each floor is a whole fresh process (bench/bare.py `floor PARTS`) doing only some of what any
check must do, and nothing of the checking itself (no recognising, typing, validating, rules,
JSON): whatever a check is built like, it takes at least as long as its floor. The parts:

  imports        the stack every check imports: pandas, pandera (the brief's validation),
                 python-calamine — the fixed cost a small school pays;
  imports+arrow  and fastexcel reading every sheet straight into Arrow: the read of the
                 columnar path item 2 of the issue asks for, with nothing after it;
  imports+inflate+arrow
                 the same read, each sheet waiting for the least any check of a sheet before
                 calamine lays it out must do: its XML decompressed and its checksum verified;
  imports+scan+arrow
                 the same read, each sheet waiting for the hostile-input scan of issue #16,
                 which must bound a sheet's used area before calamine may lay it out (a
                 workbook that lies about its size would otherwise exhaust the PC), as the
                 tool's reader waits for it;
  imports+read   today's reader (houqin_xl.read.workbook: the scan, calamine's to_python, the
                 cells calamine does not report) with nothing after it.

Beside them, in the same rounds and rotating order: (a) python-calamine's bare to_python() read,
the targets' baseline, and (c) the check; and once per workbook, after the rounds, (b)
pd.read_excel(engine="openpyxl"). A floor above the target (1.2× at 1×, 1.5× at 0.1×), or
(b) ÷ floor below 12 at 1×, means no check built on those parts can meet it on this machine.

    make bench-floor                                    # 0.1x and 1x, bursar and export, 5 runs
    .venv-bench/bin/python bench/floor.py --sizes 1 --kinds export --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
from run import (  # noqa: E402
    BARE,
    PERIOD,
    ROOT,
    Book,
    Proc,
    _warm,
    busy_cores,
    dev_only_modules,
    run_process,
    wait_for_quiet,
)

FLOORS = ("imports", "imports+arrow", "imports+inflate+arrow", "imports+scan+arrow", "imports+read")
ARROW = ("pyarrow", "fastexcel")  # what the arrow floors need, hidden from every other process
TARGET = {True: 1.2, False: 1.5}  # at 1x and above: 1.2× the bare read; a small school: 1.5×


@dataclass
class Row:
    book: Book
    runs: dict[str, list[Proc]] = field(default_factory=dict)

    def median(self, what: str) -> float | None:
        values = [p.seconds for p in self.runs.get(what, []) if p.ok]
        return statistics.median(values) if values else None

    def cpu(self, what: str) -> float | None:
        values = [p.cpu for p in self.runs.get(what, []) if p.ok]
        return statistics.median(values) if values else None

    def peak(self, what: str) -> float | None:
        values = [p.peak_mib for p in self.runs.get(what, []) if p.ok]
        return max(values) if values else None


def commands(path: Path, out: Path) -> dict[str, list[str]]:
    python = [sys.executable, str(BARE)]
    found = {"a": [*python, "calamine", str(path)]}
    for parts in FLOORS:
        found[parts] = [*python, "floor", parts, str(path)]
    found["c"] = [*python, "houqin-xl", "check", str(path), "--period", PERIOD, "--json", str(out), "--quiet"]
    return found


def measure(book: Book, runs: int, hidden: list[str], quiet_below: float, log) -> Row:
    path = book.path
    if not path.exists():
        log(f"generating {path.name} …")
        book.generate()
    _warm(path)
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"houqin-floor-{os.getpid()}.json"
    cmds = commands(path, out)
    # As a bursar's install: the dev extras hidden; the arrow floors keep pyarrow and fastexcel.
    env_plain = {**os.environ, "HOUQIN_BENCH_HIDE": ",".join(hidden)}
    env_arrow = {**os.environ, "HOUQIN_BENCH_HIDE": ",".join(m for m in hidden if m not in ARROW)}
    row = Row(book, {what: [] for what in cmds})
    order = list(cmds)
    log(f"\n== {book.label}: {book.rows} ({path.stat().st_size / 2**20:.1f} MiB) ==")
    for i in range(runs):
        wait_for_quiet(quiet_below, 120)
        line = f"  run {i + 1}:"
        for what in order[i % len(order):] + order[:i % len(order)]:
            env = env_arrow if "arrow" in what else env_plain
            proc = run_process(cmds[what], 900, env, (0, 1) if what == "c" else (0,))
            proc.others = busy_cores(0.2)
            row.runs[what].append(proc)
            line += f"  {what} {proc.seconds:.2f}" + ("" if proc.ok else f" [{proc.note}]")
        log(line)
    wait_for_quiet(quiet_below, 120)
    proc = run_process([sys.executable, str(BARE), "openpyxl", str(path)], 1800, env_plain)
    row.runs["b"] = [proc]
    log(f"  (b) {proc.seconds:.2f}" + ("" if proc.ok else f" [{proc.note}]"))
    out.unlink(missing_ok=True)
    return row


def table(rows: list[Row]) -> list[str]:
    lines = ["| workbook | what | median | × (a) | (b) ÷ it | CPU | peak | target × (a) | target (b) ÷ it |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        a, b = row.median("a"), row.median("b")
        large = row.book.scale >= 1
        target = TARGET[large]
        for what in row.runs:
            seconds = row.median(what)
            ratio = seconds / a if seconds is not None and a else None
            faster = b / seconds if b and seconds else None
            name = {"a": "(a) calamine to_python()", "b": "(b) pandas + openpyxl",
                    "c": "(c) check"}.get(what, f"floor: {what}")
            verdict = verdict_b = ""
            if what not in ("a", "b") and ratio is not None:
                verdict = f"≤ {target}×: " + ("within" if ratio <= target else "**above**")
                if large and faster is not None:
                    verdict_b = "≥ 12×: " + ("within" if faster >= 12 else "**below**")
            lines.append(
                f"| {row.book.label} | {name} | {_fmt(seconds)} s | {_fmt(ratio)} | "
                f"{_fmt(faster, 1) if what != 'b' else ''} | {_fmt(row.cpu(what))} s "
                f"| {_fmt(row.peak(what), 0)} MiB | {verdict} | {verdict_b} |")
    return lines


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0.1,1", help="scales, comma-separated (default 0.1,1)")
    parser.add_argument("--kinds", default="bursar,export", help="bursar, export or both")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quiet-below", type=float, default=0.3,
                        help="wait (≤ 2 min) for others' load below this many cores before each round")
    parser.add_argument("--results", type=Path, default=BENCH / "data" / "results-floor.md")
    args = parser.parse_args(argv)
    log = print
    hidden = dev_only_modules()
    rows = []
    for kind in args.kinds.split(","):
        for size in args.sizes.split(","):
            rows.append(measure(Book(kind, float(size), "shared"), args.runs, hidden, args.quiet_below, log))
    head = [f"# The floors under issue #15's targets — {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
            "",
            f"`{Path(sys.executable).name} bench/floor.py --sizes {args.sizes} --kinds {args.kinds} "
            f"--runs {args.runs}` on {platform.node() or 'this machine'}, {os.cpu_count()} cores; medians of "
            f"{args.runs} interleaved whole-process runs; workbooks at {generate.scale_name(1)} = "
            f"{generate.ASSETS_PER_SCALE:,} assets. A floor does part of what every check must do and none "
            "of the checking (bench/floor.py says which part).",
            ""]
    text = "\n".join([*head, *table(rows), ""])
    print("\n" + text)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(text, encoding="utf-8")
    print(f"written: {args.results.relative_to(ROOT) if args.results.is_relative_to(ROOT) else args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
