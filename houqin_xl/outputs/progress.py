"""Progress on stderr for long runs: per file while reading, then per stage.

Quiet when stderr is not a terminal (cron, CI, a pipe) or with --quiet, so logs and JSON
consumers never see control characters.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType

STAGES = {
    "recognise": "读取并识别 read + recognise",
    "validate": "校验 validate",
    "reconcile": "对账 reconcile",
    "write": "写出 write",
}


class Progress:
    def __init__(self, enabled: bool | None = None, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._bar = None
        self._task = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), console=Console(file=self.stream), transient=True)
            self._bar.__enter__()
            self._task = self._bar.add_task("读取 read", total=None)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)

    def file(self, path: Path, done: int, total: int) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=f"读取 read {Path(path).name}",
                             completed=done, total=total)
            self._bar.refresh()  # a fast file would otherwise never be drawn

    def stage(self, name: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=STAGES.get(name, name))
            self._bar.refresh()

    def item(self, label: str, done: int, total: int) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=label, completed=done, total=total)
            self._bar.refresh()
