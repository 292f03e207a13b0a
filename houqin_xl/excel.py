"""xlwings button handlers (work in progress)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def validate(book: Any) -> None:
    raise NotImplementedError


def reconcile(book: Any) -> None:
    raise NotImplementedError


def summarise(book: Any) -> None:
    raise NotImplementedError


def clear_marks(book: Any) -> None:
    raise NotImplementedError


def monthly(book: Any) -> None:
    raise NotImplementedError


HANDLERS: dict[str, Callable[[Any], Any]] = {
    "validate": validate,
    "reconcile": reconcile,
    "summarise": summarise,
    "clear_marks": clear_marks,
    "monthly": monthly,
}
