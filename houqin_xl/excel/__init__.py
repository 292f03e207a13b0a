"""excel/ — inside Excel: the buttons and what they are built from.

`handlers.py` is one plain function per button (a workbook in, a message out); `sheets.py` reads
the live workbook into grids and writes the tool's own sheets; `marks.py` paints and undoes the
marks; `pivots.py` writes the 汇总 PivotTables; `engine.py` asks each xlwings engine what the
common API does not cover; `merges.py` finds merged cells live; `addin.py` builds and installs
houqin.xlam from `macros/` (`vbaproject.py` sets its VBA project stream), `template.py` the
template workbook with a 操作 sheet; `xlwingsconf.py` reads and writes xlwings.conf as xlwings'
VBA reads it; `doctor.py` explains, in Chinese, why a button does nothing.

May import everything below it: `check.py` (the one entry point), `outputs/`, `checks/`,
`ledgers/`, `read/`. Nothing below imports from here.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType


def dispatch(name: str) -> str:
    """Entry point of every button: `RunPython "import houqin_xl.excel as h; h.dispatch('…')"`.
    The handlers are imported here, not at `import houqin_xl.excel`, so that building the add-in
    does not load the whole tool."""
    return installed_handlers().dispatch(name)


def source_checkout() -> Path | None:
    """The folder holding the houqin_xl we were imported from, when that is a source checkout
    (no `houqin_xl.schema_files`, which only an installed package has) rather than the
    installed package; else None."""
    import houqin_xl

    if importlib.util.find_spec("houqin_xl.schema_files") is not None:
        return None
    return Path(houqin_xl.__file__).resolve().parent.parent


def installed_handlers() -> ModuleType:
    """houqin_xl.excel.handlers from the installed package.

    xlwings puts the ledger's folder first on sys.path. A ledger saved in the source folder
    (where the install steps `cd` to) makes `import houqin_xl` find the source tree, where the
    schemas are not a package: every button would fail. Then that folder is taken off sys.path
    and houqin_xl imported again, from where pip installed it."""
    checkout = source_checkout()
    if checkout is not None:
        here = os.path.normcase(str(checkout))
        sys.path[:] = [p for p in sys.path
                       if os.path.normcase(os.path.abspath(p or os.curdir)) != here]
        for module in [m for m in sys.modules if m == "houqin_xl" or m.startswith("houqin_xl.")]:
            del sys.modules[module]
        importlib.invalidate_caches()
        if importlib.util.find_spec("houqin_xl") is None or source_checkout() is not None:
            raise ImportError(
                "houqin_xl 只在源代码文件夹里，没有安装：请在命令提示符运行 py -m pip install . "
                f"（在 {checkout} 里），或把台账保存到别的文件夹 / houqin_xl is not installed")
    return importlib.import_module("houqin_xl.excel.handlers")
