"""LibreOffice for the tests that open our files in another spreadsheet program.

Locally a missing LibreOffice skips those tests with a clear reason; in CI (CI is set) it fails
them, because .ci/run installs LibreOffice and a silent skip there would hide a broken check.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require_libreoffice(uno: bool = False) -> None:
    from houqin_xl.excel import addin

    missing = None
    if shutil.which("soffice") is None:
        missing = "LibreOffice (soffice) is not installed"
    elif uno and addin.uno_python() is None:
        missing = "LibreOffice's Python bridge (python3-uno) is not installed"
    if missing is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{missing}: required in CI (.ci/run installs it)")
    pytest.skip(f"{missing}: cannot open the file in LibreOffice here")
