"""Old binary .xls (BIFF): calamine reads the values; xlrd tells the error cells and hidden
rows calamine does not report."""

from __future__ import annotations

import io
from pathlib import Path


def xls_extras(path: Path) -> dict[str, tuple[dict, set]]:
    import xlrd

    out: dict[str, tuple[dict, set]] = {}
    try:
        # xlrd writes its warnings ("file size not 512 + multiple of sector size") to stdout
        # unless given a log of its own: the tool's output carries only the tool's lines.
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=io.StringIO())
    except Exception:
        return out
    try:
        for sheet in book.sheets():
            errors = {}
            for r in range(sheet.nrows):
                for c, ctype in enumerate(sheet.row_types(r)):
                    if ctype == xlrd.XL_CELL_ERROR:
                        code = xlrd.error_text_from_code.get(sheet.cell_value(r, c), "#N/A")
                        errors[(r + 1, c + 1)] = code
            hidden = {r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden}
            out[sheet.name] = (errors, hidden)
    finally:
        book.release_resources()
    return out
