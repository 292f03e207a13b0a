"""Formulas a workbook holds no result for, computed as Excel would show them.

A workbook written by a program (openpyxl, XlsxWriter, many web systems' export libraries) holds
its formulas without results — or with 0 in their place — and asks Excel to compute everything
when it opens the file (`<calcPr fullCalcOnLoad="1"/>`). calamine reads such a cell as empty, or
as that 0; the bursar, opening the file, sees the computed value. So the common shapes are
computed here: arithmetic (+ − × ÷ ^, brackets, unary minus) on numbers and on cells of the same
sheet, and SUM, ROUND, ABS, MIN, MAX, AVERAGE, PRODUCT over cells and ranges. Anything else —
another sheet, text, comparisons, IF, names — is not guessed: the cell is marked UNCALCULATED
and reported as such (typed.py), never read as blank.

A file saved by Excel or WPS holds every result; its cached values are used as they are — and so
is any result a program wrote other than XlsxWriter's placeholder 0.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .grid import UNCALCULATED, ExcelError, column_index

# A sheet computing more formulas than this is a file to open in Excel first, not a task here.
MAX_COMPUTED = 200_000
_MAX_DEPTH = 200  # a chain of formulas deeper than this is not followed (nor is a cycle)


@dataclass(frozen=True)
class Formula:
    text: str | None  # None: a shared formula's follower, whose text is its leader's, moved
    cached: bool      # the file holds a result for it
    zero: bool = False  # that result is 0: XlsxWriter's placeholder where none was given


_TOKEN = re.compile(r"""
    \s*(?:
      (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
    | (?P<ref>\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)(?![A-Za-z_(!])
    | (?P<func>[A-Z][A-Z0-9.]*)\s*\(
    | (?P<op>[-+*/^(),%])
    )""", re.VERBOSE)
_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


class _Unsupported(Exception):
    """The formula uses what is not computed here."""


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise _Unsupported(text[pos:pos + 10])
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _cell(ref: str) -> tuple[int, int]:
    m = _REF.fullmatch(ref)
    if m is None:
        raise _Unsupported(ref)
    return int(m.group(2)), column_index(m.group(1))


_FUNCTIONS: dict[str, Callable[[list[float]], float]] = {
    "SUM": lambda xs: math.fsum(xs),
    "ABS": lambda xs: abs(_one(xs)),
    "MIN": lambda xs: min(xs) if xs else 0.0,
    "MAX": lambda xs: max(xs) if xs else 0.0,
    "AVERAGE": lambda xs: math.fsum(xs) / len(xs) if xs else _fail("AVERAGE of nothing"),
    "PRODUCT": lambda xs: math.prod(xs) if xs else 0.0,
}


def _one(xs: list[float]) -> float:
    if len(xs) != 1:
        raise _Unsupported("arguments")
    return xs[0]


def _fail(why: str) -> float:
    raise _Unsupported(why)


def _round(value: float, digits: float) -> float:
    """Excel's ROUND: half away from zero."""
    factor = 10 ** int(digits)
    return math.copysign(math.floor(abs(value) * factor + 0.5 + 1e-9) / factor, value)


class _Parser:
    """Recursive descent over one formula's tokens; `value(row, col)` gives a cell's number."""

    def __init__(self, tokens: list[tuple[str, str]], value: Callable[[int, int, bool], float | None]):
        self.tokens, self.pos, self.value = tokens, 0, value

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, text: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (text is not None and token[1] != text):
            raise _Unsupported(f"expected {text}")
        self.pos += 1
        return token

    def parse(self) -> float:
        result = self.expr()
        if self.peek() is not None:
            raise _Unsupported("trailing")
        return result

    def expr(self) -> float:
        result = self.term()
        while (token := self.peek()) and token[1] in "+-" and token[0] == "op":
            self.take()
            right = self.term()
            result = result + right if token[1] == "+" else result - right
        return result

    def term(self) -> float:
        result = self.factor()
        while (token := self.peek()) and token[1] in "*/" and token[0] == "op":
            self.take()
            right = self.factor()
            if token[1] == "*":
                result *= right
            elif right == 0:
                raise _Unsupported("#DIV/0!")
            else:
                result /= right
        return result

    def factor(self) -> float:
        token = self.peek()
        if token and token[0] == "op" and token[1] in "+-":
            self.take()
            inner = self.factor()
            return -inner if token[1] == "-" else inner
        base = self.atom()
        if (token := self.peek()) and token[1] == "%":
            self.take()
            base /= 100
        if (token := self.peek()) and token[1] == "^":
            self.take()
            base = base ** self.factor()
        return base

    def atom(self) -> float:
        kind, text = self.take()
        if kind == "number":
            return float(text)
        if kind == "ref":
            if ":" in text:
                raise _Unsupported("a range outside a function")
            row, col = _cell(text)
            number = self.value(row, col, False)
            return 0.0 if number is None else number
        if kind == "func":
            return self.call(text)
        if text == "(":
            inner = self.expr()
            self.take(")")
            return inner
        raise _Unsupported(text)

    def call(self, name: str) -> float:
        args: list[float] = []
        if self.peek() and self.peek()[1] == ")":
            self.take()
        else:
            while True:
                token = self.peek()
                if token and token[0] == "ref" and ":" in token[1]:
                    self.take()
                    args.extend(self.range(token[1]))
                else:
                    args.append(self.expr())
                closing = self.take()
                if closing[1] == ")":
                    break
                if closing[1] != ",":
                    raise _Unsupported(closing[1])
        if name == "ROUND":
            if len(args) != 2:
                raise _Unsupported("ROUND")
            return _round(args[0], args[1])
        if name not in _FUNCTIONS:
            raise _Unsupported(name)
        return _FUNCTIONS[name](args)

    def range(self, text: str) -> list[float]:
        first, last = text.split(":")
        (r0, c0), (r1, c1) = _cell(first), _cell(last)
        if (abs(r1 - r0) + 1) * (abs(c1 - c0) + 1) > 100_000:
            raise _Unsupported("range too large")
        out = []
        for row in range(min(r0, r1), max(r0, r1) + 1):
            for col in range(min(c0, c1), max(c0, c1) + 1):
                number = self.value(row, col, True)  # in a range, text and blanks are skipped
                if number is not None:
                    out.append(number)
        return out


def settle(rows: list[list[Any]], first_row: int, first_col: int,
           formulas: dict[tuple[int, int], Formula], recalc_on_load: bool) -> None:
    """Put in `rows` the value Excel would show for each formula cell the file holds no usable
    result for (none at all, or a 0 placeholder in a file Excel recomputes on opening); a formula
    not computed here becomes UNCALCULATED where the file has no result for it. A result the
    writer gave (any other figure) is what the file says the bursar sees, and stays."""
    pending = {cell: f for cell, f in formulas.items()
               if not f.cached or (recalc_on_load and f.zero)}
    if not pending:
        return
    done: dict[tuple[int, int], float | None] = {}
    evaluating: set[tuple[int, int]] = set()

    def raw(row: int, col: int) -> Any:
        i, j = row - first_row, col - first_col
        if 0 <= i < len(rows) and 0 <= j < len(rows[i]):
            return rows[i][j]
        return None

    def value(row: int, col: int, in_range: bool) -> float | None:
        cell = (row, col)
        if cell in pending:
            if cell not in done:
                if cell in evaluating or len(evaluating) >= _MAX_DEPTH:
                    raise _Unsupported("cycle")
                evaluating.add(cell)
                try:
                    done[cell] = compute(pending[cell])
                finally:
                    evaluating.discard(cell)
            if done[cell] is None:
                raise _Unsupported("depends on an uncomputed cell")
            return done[cell]
        v = raw(row, col)
        if v is None or v == "":
            return None if in_range else 0.0
        if isinstance(v, bool | ExcelError):
            raise _Unsupported("error or boolean")
        if isinstance(v, int | float):
            return float(v)
        if in_range:
            return None  # SUM skips text
        raise _Unsupported("text in arithmetic")

    def compute(formula: Formula) -> float | None:
        if formula.text is None:
            return None
        try:
            return _Parser(_tokens(html.unescape(formula.text).lstrip("=")), value).parse()
        except (_Unsupported, OverflowError, ValueError, RecursionError):
            return None

    for count, (cell, formula) in enumerate(sorted(pending.items())):
        if cell not in done:
            if count >= MAX_COMPUTED:
                done[cell] = None
            else:
                try:
                    done[cell] = value(*cell, False)
                except _Unsupported:
                    done[cell] = None
        result = done[cell]
        i, j = cell[0] - first_row, cell[1] - first_col
        if i < 0 or j < 0:
            continue  # before the area calamine kept: nothing of the ledger stands there
        while i >= len(rows):
            rows.append([])
        line = rows[i]
        if j >= len(line):
            line.extend([None] * (j + 1 - len(line)))
        if result is not None and math.isfinite(result):
            line[j] = int(result) if result.is_integer() and abs(result) < 2**53 else result
        elif not formula.cached:
            line[j] = ExcelError(UNCALCULATED)
