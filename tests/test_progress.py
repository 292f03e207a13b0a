"""Progress on stderr: shown on a terminal, silent in a pipe or with --quiet."""

from __future__ import annotations

import io

from ledger_set import consistent_sheets, write_book

from houqin_xl.check import check
from houqin_xl.cli import main
from houqin_xl.outputs.progress import Progress
from houqin_xl.read import read_paths


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_names_each_file_and_stage_on_a_terminal(tmp_path):
    path = write_book(tmp_path / "台账.xlsx", consistent_sheets())
    screen = Terminal()
    with Progress(stream=screen) as progress:
        grids = read_paths([tmp_path], on_file=progress.file)
        check(grids, period="2026-11", progress=progress.stage)
    shown = screen.getvalue()
    assert path.name in shown and "对账 reconcile" in shown


def test_progress_is_silent_when_not_a_terminal():
    pipe = io.StringIO()
    with Progress(stream=pipe) as progress:
        progress.file(__import__("pathlib").Path("a.xlsx"), 1, 1)
        progress.stage("validate")
    assert pipe.getvalue() == ""


def test_quiet_check_writes_nothing_on_stderr(tmp_path, capsys):
    write_book(tmp_path / "台账.xlsx", consistent_sheets())
    assert main(["check", str(tmp_path), "--period", "2026-11", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
