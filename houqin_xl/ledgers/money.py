"""Exact money: amounts are compared as integer fen, never with float equality."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd


def to_fen(values: pd.Series | np.ndarray) -> np.ndarray:
    """Yuan (float, NaN for empty) → integer fen as float64 (NaN kept), rounded half away
    from zero. Every amount typed with at most two decimals comes back exact."""
    arr = np.asarray(values, dtype=float) * 100
    return np.where(np.isnan(arr), np.nan, np.sign(arr) * np.floor(np.abs(arr) + 0.5 + 1e-7))


def fen_text(fen: float | int) -> str:
    """Integer fen → '1234.50' (money values in reports are strings with two decimals)."""
    fen = int(round(fen))
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan}.{cents:02d}"


def yuan_text(value: float | Decimal) -> str:
    """A yuan amount as a string with two decimals, rounded half up."""
    return str(Decimal(repr(value) if isinstance(value, float) else value).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP))
