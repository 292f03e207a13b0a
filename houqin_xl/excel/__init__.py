"""excel/ — inside Excel: the buttons and what they are built from.

`handlers.py` is one plain function per button (a workbook in, a message out); `sheets.py` reads
the live workbook into grids and writes the tool's own sheets; `marks.py` paints and undoes the
marks; `pivots.py` writes the 汇总 PivotTables; `addin.py` builds and installs houqin.xlam from
`macros/`, `template.py` the template workbook with a 操作 sheet.

May import everything below it: `check.py` (the one entry point), `outputs/`, `checks/`,
`ledgers/`, `read/`. Nothing below imports from here.
"""

from __future__ import annotations


def dispatch(name: str) -> str:
    """Entry point of every button: `RunPython "import houqin_xl.excel as h; h.dispatch('…')"`.
    The handlers are imported here, not at `import houqin_xl.excel`, so that building the add-in
    does not load the whole tool."""
    from .handlers import dispatch as run

    return run(name)
