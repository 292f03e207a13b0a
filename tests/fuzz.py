"""The fuzz suite's runner: hostile cases (tests/hostile_files.py) through the real command, and
what every one of them must come to.

    .venv/bin/python tests/fuzz.py --cases 5000 --seed 7      # `make fuzz N=5000 SEED=7`
    .venv/bin/python tests/fuzz.py --largest                  # the largest cases' peak memory

Every case is `houqin-xl check INPUTS --period 2026-11 --json OUT --report OUT.xlsx --quiet`
(and, for a workbook, `houqin-xl annotate` too). Each must end:

- with exit status 0, 1 or 2 — never 3, never a signal, never a hang;
- with stderr holding only the tool's own lines (no traceback, no Rust panic, no library
  warning), and stdout at most the one line naming the outputs;
- with every input byte-identical (hashed before and after);
- with outputs only on 0/1 (on 2, nothing written) — and in them no formula that was not
  ours: none in the report, none in the copy but the bursar's own, cell for cell;
- within 2 GiB of memory, measured for the cases run as their own process (wait4's maxrss).

Most cases run in a few long-lived worker processes (tests/fuzz_worker.py: in process, fast,
yet a crash takes only the worker); one in ten, and every large one, as its own process, as
the bursar runs it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hostile_files as hf  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PEAK_LIMIT_KB = 2 * 1024 * 1024  # 2 GiB
CASE_TIMEOUT = 300.0
ADDRESS_SPACE = 8 << 30  # a runaway case fails on its own, without taking the machine down
_OUR_LINE = re.compile(r"^(houqin-xl: |注意 notice: |\d+ 条发现)")


@dataclass
class Run:
    status: object
    stdout: str
    stderr: str
    seconds: float
    peak_kb: int | None = None


@dataclass
class Outcome:
    case: hf.Case
    runs: list[Run] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def status(self) -> object:
        return self.runs[0].status if self.runs else None


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


# ---- running a command ----------------------------------------------------------------------


class Worker:
    """One fuzz_worker.py process; replaced when it dies or hangs, and every RECYCLE commands
    (a long-lived process keeps the high-water mark of its heap)."""

    RECYCLE = 60

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.used = 0

    def _start(self) -> subprocess.Popen:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        env.pop("HOUQIN_DEBUG", None)
        return subprocess.Popen([sys.executable, str(Path(__file__).with_name("fuzz_worker.py"))],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, encoding="utf-8", cwd=REPO, env=env,
                                preexec_fn=_limit_memory)

    def run(self, argv: list[str], timeout: float = CASE_TIMEOUT) -> Run:
        if self.proc is not None and self.used >= self.RECYCLE:
            self.close()
            self.proc = None
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
            self.used = 0
        self.used += 1
        proc = self.proc
        assert proc.stdin and proc.stdout
        proc.stdin.write(json.dumps({"argv": argv}, ensure_ascii=False) + "\n")
        proc.stdin.flush()
        answer: list[str] = []
        reader = threading.Thread(target=lambda: answer.append(proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        if not answer or not answer[0]:
            hung = reader.is_alive()
            proc.kill()
            _, err = proc.communicate()
            self.proc = None
            why = "hang" if hung else f"worker died ({_signal_name(proc.returncode)})"
            return Run(why, "", err[-4000:], timeout)
        result = json.loads(answer[0])
        return Run(result["status"], result["stdout"], result["stderr"], result["seconds"],
                   None)

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _signal_name(code: int | None) -> str:
    if code is not None and code < 0:
        return f"signal {signal.Signals(-code).name}"
    return f"exit {code}"


def run_process(argv: list[str], timeout: float = CASE_TIMEOUT) -> Run:
    """The command as its own process, as the bursar runs it; its peak memory from wait4."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("HOUQIN_DEBUG", None)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "houqin_xl.cli", *argv], stdout=out,
                                stderr=err, cwd=REPO, env=env, preexec_fn=_limit_memory)
        deadline = started + timeout
        status: object = None
        peak = None
        while True:
            pid, wait_status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                peak = usage.ru_maxrss
                code = os.waitstatus_to_exitcode(wait_status)
                proc.returncode = code
                status = code if code >= 0 else _signal_name(code)
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                status = "hang"
                break
            time.sleep(0.02)
        out.seek(0)
        err.seek(0)
        return Run(status, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   time.perf_counter() - started, peak)


# ---- one case ------------------------------------------------------------------------------


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_case(case: hf.Case, worker: Worker | None) -> Outcome:
    """Run the case's commands; every invariant that does not hold is a problem."""
    outcome = Outcome(case)
    inputs_folder = case.inputs[0].parent
    before = _hashes(inputs_folder)
    out = case.folder / "out"
    out.mkdir(parents=True, exist_ok=True)
    report, report_json = out / "核对报告.xlsx", out / "核对结果.json"
    argv = ["check", *map(str, case.inputs), "--period", "2026-11", "--json", str(report_json),
            "--report", str(report), "--quiet"]
    run = run_process(argv) if worker is None else worker.run(argv)
    outcome.runs.append(run)
    _check_run(outcome, run, wrote=[report, report_json], mode="check")
    if run.status in (0, 1):
        _check_json(outcome, report_json)
        _check_report(outcome, report, case.inputs)
    if case.annotate and case.inputs[0].suffix.lower() in (".xlsx", ".xlsm"):
        copy = out / ("副本" + case.inputs[0].suffix)
        argv = ["annotate", str(case.inputs[0]), "--out", str(copy), "--period", "2026-11"]
        run = run_process(argv) if worker is None else worker.run(argv)
        outcome.runs.append(run)
        _check_run(outcome, run, wrote=[copy], mode="annotate")
        if run.status in (0, 1):
            _check_copy(outcome, case.inputs[0], copy)
    if _hashes(inputs_folder) != before:
        outcome.problems.append("an input changed (or a file appeared beside the inputs)")
    return outcome


def _check_run(outcome: Outcome, run: Run, wrote: list[Path], mode: str) -> None:
    problems = outcome.problems
    if run.status not in (0, 1, 2):
        problems.append(f"{mode}: exit {run.status}")
    elif run.status not in outcome.case.expect_exit:
        problems.append(f"{mode}: exit {run.status}, expected one of {outcome.case.expect_exit}")
    if "Traceback" in run.stderr or "panicked" in run.stderr or "RUST_BACKTRACE" in run.stderr:
        problems.append(f"{mode}: a traceback or panic on stderr")
    for line in run.stderr.splitlines():
        if line.strip() and not _OUR_LINE.match(line):
            problems.append(f"{mode}: a line on stderr that is not the tool's: {line[:200]!r}")
            break
    if mode == "check" and len(run.stdout.strip().splitlines()) > 1:
        problems.append("check: more than one line on stdout with --json --quiet")
    if run.status == 2 and any(p.exists() for p in wrote):
        problems.append(f"{mode}: exit 2 but an output was written")
    if run.status in (0, 1) and not all(p.exists() for p in wrote):
        problems.append(f"{mode}: exit {run.status} but an output is missing")
    if run.peak_kb is not None and run.peak_kb > PEAK_LIMIT_KB:
        problems.append(f"{mode}: peak memory {run.peak_kb // 1024} MiB")


def _check_json(outcome: Outcome, path: Path) -> None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        outcome.problems.append(f"the JSON report does not parse: {exc}")
        return
    if data.get("tool") != "houqin-xl":
        outcome.problems.append("the JSON report is not ours")


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_CELL_WITH_FORMULA = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+\d+)"[^>]*>(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?f[ >/]',
                                re.DOTALL)


def formula_cells(path: Path) -> set[tuple[str, str]]:
    """(sheet name, cell) of every formula in a workbook package."""
    found = set()
    with zipfile.ZipFile(path) as zf:
        for sheet, part in _sheet_parts(zf).items():
            data = zf.read(part)
            if _FORMULA.search(data):
                found |= {(sheet, m.group(1).decode()) for m in _CELL_WITH_FORMULA.finditer(data)}
                if not _CELL_WITH_FORMULA.search(data):
                    found.add((sheet, "?"))
    return found


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    workbook = zf.read("xl/workbook.xml").decode("utf-8")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    targets.update({k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
    parts = {}
    for name, rid in re.findall(r'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]+)"', workbook):
        target = targets.get(rid, "")
        parts[_unescape(name)] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return parts


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def _check_report(outcome: Outcome, report: Path, inputs: list[Path]) -> None:
    try:
        formulas = formula_cells(report)
        links = _external_links(report)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        outcome.problems.append(f"the report is not a workbook: {exc}")
        return
    if formulas:
        outcome.problems.append(f"a formula in the report: {sorted(formulas)[:3]}")
    allowed = {p.resolve() for p in inputs}
    for target in links:
        if _link_path(target, report.parent) not in allowed:
            outcome.problems.append(f"a report link to somewhere else: {target!r}")
            break


def _link_path(target: str, base: Path) -> Path:
    """Where a hyperlink's target points: an absolute file URL, or a path relative to base."""
    if target.startswith("file:///"):
        path = unquote(target.removeprefix("file:///"))
        return Path(path if len(path) > 1 and path[1] == ":" else "/" + path).resolve()
    return (base / unquote(target)).resolve()


def _external_links(path: Path) -> list[str]:
    out = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/_rels/"):
                text = zf.read(name).decode("utf-8")
                for rel in re.findall(r"<Relationship [^>]*>", text):
                    if "hyperlink" in rel:
                        target = re.search(r'Target="([^"]*)"', rel)
                        if target:
                            out.append(_unescape(target.group(1)).replace("\\", "/"))
    return out


def _check_copy(outcome: Outcome, source: Path, copy: Path) -> None:
    try:
        theirs, ours = formula_cells(source), formula_cells(copy)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        outcome.problems.append(f"the annotated copy is not a workbook: {exc}")
        return
    new = ours - theirs
    if new:
        outcome.problems.append(f"a formula in the copy that the ledger did not have: {sorted(new)[:3]}")


# ---- the cases -----------------------------------------------------------------------------


class Bases:
    """The real files the byte and zip mutations start from, written once per run."""

    def __init__(self, folder: Path) -> None:
        self.files: list[Path] = []
        sheets = hf.consistent_sheets()
        for kind in hf.FORMATS:
            self.files += hf.write_set(folder / kind, sheets, kind)
        self.files += hf.copy_in(hf.demo_files(), folder / "demo")
        self.zips = [p for p in self.files if zipfile.is_zipfile(p)]


KINDS = [("cells", 30), ("raw", 12), ("names", 6), ("bytes", 26), ("zip", 18), ("shape", 6),
         ("demo", 2)]


def make_case(rng: random.Random, index: int, root: Path, bases: Bases) -> hf.Case:
    folder = root / f"case{index:05d}"
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    if kind == "cells":
        return hf.cell_case(rng, folder)
    if kind == "raw":
        return hf.raw_value_case(rng, folder)
    if kind == "names":
        return hf.names_case(rng, folder)
    if kind == "bytes":
        return hf.byte_case(rng, folder, rng.choice(bases.files))
    if kind == "zip":
        return hf.zip_case(rng, folder, rng.choice(bases.zips))
    if kind == "shape":
        shapes = ["200-sheets", "xfd", "last-row", "sparse-corners", "many-parts", "deep-xml",
                  "long-string", "many-strings"]
        return hf.shaped_case(rng, folder, rng.choice(shapes))
    return hf.Case("demo", hf.copy_in(rng.sample(hf.demo_files(), rng.randint(1, 3)), folder), folder,
                   annotate=True)


LARGE_SHAPES = ["bomb-declared", "bomb-lying"]


def large_cases(root: Path) -> list[hf.Case]:
    """The cases whose memory is the point: zip bombs, the biggest sheet the limits let
    through, one long shared string in two million cells, every one of 1,048,576 rows."""
    rng = random.Random(0)
    cases = [hf.shaped_case(rng, root / f"large-{shape}", shape) for shape in LARGE_SHAPES]
    cases.append(hf.big_sheet_case(root / "large-big"))
    cases.append(hf.string_bomb_case(root / "large-strings"))
    cases.append(hf.dense_rows_case(root / "large-rows"))
    return cases


@dataclass
class Summary:
    cases: int = 0
    runs: int = 0
    exits: Counter = field(default_factory=Counter)
    in_process: int = 0
    as_process: int = 0
    failures: list[Outcome] = field(default_factory=list)
    peak: tuple[int, str] = (0, "")
    seconds: float = 0.0

    def add(self, outcome: Outcome) -> None:
        self.cases += 1
        for run in outcome.runs:
            self.runs += 1
            self.exits[str(run.status)] += 1
            if run.peak_kb is not None:
                self.as_process += 1
                if run.peak_kb > self.peak[0]:
                    self.peak = (run.peak_kb, outcome.case.name)
            else:
                self.in_process += 1
        if outcome.problems:
            self.failures.append(outcome)

    def text(self) -> str:
        exits = ", ".join(f"exit {k}: {v}" for k, v in sorted(self.exits.items()))
        lines = [f"{self.cases} cases, {self.runs} runs ({self.in_process} in worker processes, "
                 f"{self.as_process} as their own process) in {self.seconds:.0f} s",
                 f"exit codes: {exits}",
                 f"peak memory of the largest case: {self.peak[0] / 1024:.0f} MiB ({self.peak[1]})",
                 f"failures: {len(self.failures)}"]
        for outcome in self.failures[:20]:
            lines.append(f"  {outcome.case.name} {outcome.case.folder}: {'; '.join(outcome.problems)}")
            for run in outcome.runs:
                if run.stderr.strip():
                    lines.append("    stderr: " + run.stderr.strip()[-600:].replace("\n", "\n            "))
        return "\n".join(lines)


def run_suite(count: int, seed: int, root: Path, jobs: int = 2, every_process: int = 10,
              with_large: bool = True, progress: bool = False) -> Summary:
    """count seeded cases (plus the large ones), in `jobs` worker processes."""
    started = time.perf_counter()
    summary = Summary()
    bases = Bases(root / "bases")
    rng = random.Random(seed)
    seeds = [rng.randrange(1 << 30) for _ in range(count)]
    lock = threading.Lock()
    queue = list(enumerate(seeds))

    def work() -> None:
        worker = Worker()
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    index, case_seed = queue.pop(0)
                case_rng = random.Random(case_seed)
                try:
                    case = make_case(case_rng, index, root, bases)
                except Exception as exc:  # noqa: BLE001 - a builder's own failure is not the tool's
                    case = None
                    print(f"case {index}: could not be built ({type(exc).__name__}: {exc})", file=sys.stderr)
                if case is None:
                    continue
                own_process = case.large or index % every_process == 0
                outcome = run_case(case, None if own_process else worker)
                with lock:
                    summary.add(outcome)
                    if progress and summary.cases % 100 == 0:
                        print(f"… {summary.cases} cases, {len(summary.failures)} failures", file=sys.stderr)
                if not outcome.problems:
                    shutil.rmtree(case.folder, ignore_errors=True)
        finally:
            worker.close()

    threads = [threading.Thread(target=work) for _ in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if with_large:
        for case in large_cases(root):
            outcome = run_case(case, None)
            summary.add(outcome)
            if not outcome.problems:
                shutil.rmtree(case.folder, ignore_errors=True)
    summary.seconds = time.perf_counter() - started
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description="houqin-xl fuzz suite")
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", default=None, help="folder for the cases (failed ones are kept)")
    parser.add_argument("--no-large", action="store_true")
    parser.add_argument("--largest", action="store_true",
                        help="only the large cases and the densest register the defaults let "
                             "through (≈ 3 min), each with its peak memory")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="houqin-fuzz-"))
    if args.largest:
        return _largest(root, keep=bool(args.keep))
    print(f"seed {seed}, cases in {root}", file=sys.stderr)
    summary = run_suite(args.cases, seed, root, args.jobs, with_large=not args.no_large, progress=True)
    print(summary.text())
    if not summary.failures and not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if summary.failures else 0


def _largest(root: Path, keep: bool) -> int:
    """Each large case as its own process (check --report, and annotate where the case has
    it), with its peak memory: the figures README's section on hostile input quotes."""
    failed = False
    for case in [*large_cases(root), hf.dense_register_case(root / "large-register")]:
        case.annotate = False
        outcome = run_case(case, None)
        peak = max(run.peak_kb or 0 for run in outcome.runs)
        print(f"{case.name}: exit {outcome.status}, peak {peak / 1024:.0f} MiB, "
              f"{sum(run.seconds for run in outcome.runs):.0f} s"
              + (f" — {'; '.join(outcome.problems)}" if outcome.problems else ""), flush=True)
        failed = failed or bool(outcome.problems)
        if not outcome.problems:
            shutil.rmtree(case.folder, ignore_errors=True)
    if not failed and not keep:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
