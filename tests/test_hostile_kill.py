"""Killed at any moment — SIGKILL, no chance to clean up — `check --report` and `annotate` leave
the ledger as it was, their output absent or complete (the previous file, or the new one),
the backup complete, and nothing a later run over the folder would read as a ledger."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import FA_HEADER, fixed_asset_rows, write_xlsx

from houqin_xl.read.files import OUTPUT_MARKER

REPO = Path(__file__).resolve().parent.parent


def _ledger(path: Path, copies: int = 400) -> Path:
    """A register big enough that writing the report takes a moment (defects included, so the
    report and the copy have findings to write)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    base = fixed_asset_rows()
    rows = []
    for k in range(copies):
        row = list(base[k % len(base)])
        row[0] = f"K{k:05d}"
        if k % 7 == 0:
            row[FA_HEADER.index("原值")] = "一万"
        rows.append(row)
    return write_xlsx(path, {"台账": [FA_HEADER, *rows]})


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _complete_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.testzip() is None and "xl/workbook.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def _start(argv: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "houqin_xl.cli", *argv], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_at_random(argv: list[str], runs: int, seed: int) -> Iterator[float]:
    """Run the command `runs` times, each killed at a random moment of what a whole run takes
    (measured first); after each, the moment it was killed."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "houqin_xl.cli", *argv], cwd=REPO, capture_output=True,
                   check=False, timeout=300)
    whole = time.perf_counter() - started
    rng = random.Random(seed)
    for _ in range(runs):
        moment = rng.uniform(0.2, whole * 1.1)
        proc = _start(argv)
        time.sleep(moment)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(60)
        yield moment


@pytest.mark.parametrize("seed", [1, 2])
def test_check_killed_at_random_moments_leaves_the_report_old_or_new_never_half(tmp_path: Path, seed: int) -> None:
    folder = tmp_path / "账"
    ledger = _ledger(folder / "台账.xlsx")
    before = _digest(ledger)
    out = tmp_path / "报告"
    report, report_json = out / "核对报告.xlsx", out / "核对结果.json"
    argv = ["check", str(ledger), "--period", "2026-11", "--report", str(report), "--json", str(report_json),
            "--quiet"]
    for _moment in _kill_at_random(argv, runs=6, seed=seed):
        assert _digest(ledger) == before
        for path in (report, out / "核对报告.bak.xlsx"):
            if path.exists():
                assert _complete_workbook(path), path
                with zipfile.ZipFile(path) as zf:
                    assert OUTPUT_MARKER.encode() in zf.read("docProps/custom.xml")
        if report_json.exists():
            json.loads(report_json.read_text(encoding="utf-8"))  # complete, or it would not parse
    _nothing_left_a_later_run_reads(folder, out)


def test_annotate_killed_at_random_moments_leaves_the_copy_absent_or_complete(tmp_path: Path) -> None:
    folder = tmp_path / "账"
    ledger = _ledger(folder / "台账.xlsx")
    before = _digest(ledger)
    copy = folder / "台账-核对.xlsx"  # beside the ledger, where a later folder run looks
    argv = ["annotate", str(ledger), "--out", str(copy), "--period", "2026-11"]
    for _moment in _kill_at_random(argv, runs=6, seed=3):
        assert _digest(ledger) == before
        for path in (copy, folder / "台账-核对.bak.xlsx"):
            if path.exists():
                assert _complete_workbook(path), path
    _nothing_left_a_later_run_reads(folder, tmp_path / "后来")


def _nothing_left_a_later_run_reads(folder: Path, out: Path) -> None:
    """Whatever temporaries a killed write left beside the outputs, a check of the folder
    reads the ledger once and nothing else as a ledger."""
    result = out / "r.json"
    proc = subprocess.run([sys.executable, "-m", "houqin_xl.cli", "check", str(folder), "--period", "2026-11",
                           "--json", str(result), "--quiet"], cwd=REPO, capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(result.read_text(encoding="utf-8"))
    read = [f["path"] for f in data["files"] if f["outcome"] == "read"]
    assert [Path(p).name for p in read] == ["台账.xlsx"]
    assert not any(".houqin-" in f["path"] for f in data["files"])
    assert len(data["ledgers"]) == 1


_WRITER = r"""
import hashlib, os, sys
from pathlib import Path
from houqin_xl.outputs.safe_write import write_bytes_atomic
target = Path(sys.argv[1])
n = 0
while True:
    n += 1
    body = os.urandom(8 << 20) + str(n).encode()
    write_bytes_atomic(target, hashlib.sha256(body).hexdigest().encode() + body)
    print(n, flush=True)
"""


def test_a_write_killed_mid_file_leaves_the_target_and_its_backup_whole(tmp_path: Path) -> None:
    """The write itself, killed while it writes 8 MB files one after another: the target and
    its backup are always a whole file, never a torn one."""
    target = tmp_path / "核对报告.xlsx"
    rng = random.Random(5)
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(target)], cwd=REPO,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        proc.stdout.readline()  # one write done: the next ones are under way
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        for path in (target, tmp_path / "核对报告.bak.xlsx"):
            data = path.read_bytes()
            digest, body = data[:64], data[64:]
            assert hashlib.sha256(body).hexdigest().encode() == digest, f"{path.name} torn"
    leftovers = list(tmp_path.glob(".houqin-*"))
    assert all(p.name.startswith(".houqin-") for p in leftovers)  # dotfiles the reader skips
