"""Shared fixtures. Workbook builders live in tests/builders.py (import them as `builders`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from builders import Book, messy_book  # noqa: E402


@pytest.fixture
def book() -> Book:
    """A fresh copy of the consistent messy ledger set (every test may seed its own defects)."""
    return messy_book()
