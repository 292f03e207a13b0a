"""Placing a report sheet's blocks on a grid of rows and columns: where each block lands, how
wide each column is, how tall a row of wrapped text must be. Shared by every writer (the report
workbook, the annotated copy, the live sheets of the buttons), so all three look the same."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .report import (
    CHART_HEIGHT,
    CHART_WIDTH,
    MAX_WIDTH,
    MIN_WIDTH,
    ROW_PIXELS,
    ReportBlock,
    ReportSheet,
    shown,
    text_width,
)


@dataclass
class Placed:
    """Where a block lands, 0-based: its title row, header row, first and last data row."""

    block: ReportBlock
    title_row: int
    header_row: int
    first_row: int
    last_row: int  # == header_row when the block has no rows

    @property
    def width(self) -> int:
        return len(self.block.header)


def chart_size(categories: int, kind: str) -> dict[str, int]:
    """Pixels: a column chart widens with its categories so their labels stay on one line;
    a bar chart grows taller instead."""
    if kind == "bar":
        # Past twenty bars each gets less room: the chart stays about as tall as its table.
        per_bar = 28 if categories <= 20 else 18
        return {"width": CHART_WIDTH, "height": max(CHART_HEIGHT, 60 + per_bar * categories)}
    return {"width": max(CHART_WIDTH, 90 + 52 * categories), "height": CHART_HEIGHT}


SHEET_TITLE_ROW = 0
FIRST_BLOCK_ROW = 2


def layout(sheet: ReportSheet) -> list[Placed]:
    """Blocks top to bottom: title, header, rows, one blank row (more when a chart stands
    beside the block, so the next table never runs under the chart)."""
    placed = []
    row = FIRST_BLOCK_ROW
    for block in sheet.blocks:
        header_row = row + 1
        first = header_row + 1
        last = header_row + len(block.rows)
        placed.append(Placed(block, row, header_row, first, last))
        height = last - row + 1
        if block.chart:
            pixels = chart_size(block.data_rows, block.chart.get("kind", "column"))["height"]
            height = max(height, math.ceil(pixels / ROW_PIXELS) + 1)
        row += height + 1
    return placed


def column_widths(sheet: ReportSheet) -> list[float]:
    """Per column, the widest header or value any block puts there (titles span, so they do
    not count), CJK counted double, within MIN_WIDTH..MAX_WIDTH or the block's own cap."""
    return column_layout(sheet)[0]


def column_layout(sheet: ReportSheet) -> tuple[list[float], set[int]]:
    """The widths, and the columns where some text is wider than its column (it wraps)."""
    widths: list[float] = []
    needs: dict[int, float] = {}
    for block in sheet.blocks:
        for j, name in enumerate(block.header):
            fmt = block.format_of(j)
            need = max([text_width(name)] + [text_width(shown(row[j], fmt)) for row in block.rows
                                              if j < len(row)]) + 2
            cap = min(MAX_WIDTH, block.max_widths.get(name, MAX_WIDTH))
            if j >= len(widths):
                widths.extend([MIN_WIDTH] * (j + 1 - len(widths)))
            widths[j] = max(widths[j], min(cap, need))
            needs[j] = max(needs.get(j, 0), need)
    # Text wider than its column, capped or not, wraps onto more lines: never cut off (a file
    # name in a capped column was, where the next cell held text).
    wrap = {j for j, need in needs.items() if need > widths[j]}
    return widths, wrap


LINE_HEIGHT = 13.5  # points per line of 10-point text


def row_heights(placed: Placed, widths: list[float], wrap: set[int]) -> dict[int, float]:
    """Heights (points) of the rows whose wrapped text needs more than one line; no writer
    and no spreadsheet program reliably grows a row for wrapped text on its own."""
    heights = {}
    block = placed.block
    for i, row in enumerate(block.rows):
        lines = 1
        for j in wrap:
            if j < len(row) and isinstance(row[j], str):
                usable = max(widths[j] - 2, 1)
                lines = max(lines, sum(math.ceil(max(text_width(part), 1) / usable)
                                       for part in row[j].split("\n")))
        if lines > 1:
            heights[placed.first_row + i] = LINE_HEIGHT * lines + 2
    return heights
