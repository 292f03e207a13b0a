"""Reading the report workbook back in tests: a table found by its header row."""

from __future__ import annotations

from typing import Any


def table(ws, header: list[str]) -> tuple[int, list[list[Any]]]:
    """(the header's Excel row, the rows under it until a blank row)."""
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    for i, row in enumerate(rows):
        if row[: len(header)] == header:
            body = []
            for line in rows[i + 1:]:
                if all(v is None for v in line):
                    break
                body.append(line[: len(header)])
            return i + 1, body
    raise AssertionError(f"no table {header} on {ws.title}")
