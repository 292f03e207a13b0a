"""Start reading while the interpreter is still importing pandas and pandera.

A bursar's `houqin-xl check` spends its first half second importing pandas and pandera — time
in which nothing is read. calamine parses with the GIL released, so the first sheet can be
parsed on a second core meanwhile: `read_ahead(stream)` pulls the stream's first grid in a
thread at once; iterating it later waits for that thread, yields the grid, then goes on in the
caller's thread. The stream itself is only ever advanced by one thread at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from .grid import Grid


class ReadAhead:
    """A grid stream whose first grid is already being read; its other attributes (the
    inventory, the input paths) are the stream's own."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._rest: Iterator[Grid] = iter(stream)
        self._first: list[Grid] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._pull, name="houqin-read-ahead", daemon=True)
        self._thread.start()

    def _pull(self) -> None:
        try:
            self._first.append(next(self._rest))
        except StopIteration:
            pass
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            self._error = exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def __iter__(self) -> Iterator[Grid]:
        self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        yield from self._first
        self._first = []
        yield from self._rest


def read_ahead(stream: Any) -> ReadAhead:
    """`stream`, with its first grid read in a thread from now on."""
    return ReadAhead(stream)
