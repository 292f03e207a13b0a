"""What the bursar's machine brings: an older xlwings, a ledger saved in the source folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from excel_client import ExcelClient, desktop_excel  # noqa: F401
from openpyxl import load_workbook

from houqin_xl.excel import handlers

REPO = Path(__file__).resolve().parent.parent
ERRORS_BOOK = REPO / "workbooks" / "示例3-错误台账" / "阳光实验小学后勤台账（含错误）.xlsx"


def test_the_pin_is_the_xlwings_the_buttons_need():
    """add_note came with xlwings 0.37.5: `xlwings>=0.37.3` let pip keep 0.37.3 or 0.37.4."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pin = next(d for d in project["dependencies"] if d.startswith("xlwings"))
    assert pin == "xlwings>=" + ".".join(map(str, handlers.MIN_XLWINGS))
    assert project["license"] == "MIT", "an SPDX string: the table form is deprecated"


def test_an_older_xlwings_gets_a_message_not_an_attribute_error(tmp_path, monkeypatch,
                                                               desktop_excel):  # noqa: F811
    import xlwings
    from xlwings.pro import _xlremote

    if not ERRORS_BOOK.exists():
        pytest.skip("sample workbooks not generated (houqin-xl demo)")
    ledger = tmp_path / ERRORS_BOOK.name
    shutil.copy(ERRORS_BOOK, ledger)
    # xlwings 0.37.4 as installed on her PC: no Range.add_note yet.
    monkeypatch.setattr(xlwings, "__version__", "0.37.4")
    monkeypatch.delattr(_xlremote.Range, "add_note")
    client = ExcelClient(load_workbook(ledger), name=str(ledger))
    for button in ("validate", "reconcile"):
        message = client.click(button)
        assert message.startswith("无法核对：xlwings 0.37.4 太旧"), message
        assert 'py -m pip install -U "xlwings>=0.37.5"' in message
    assert client.book.sheetnames == load_workbook(ledger).sheetnames
    assert handlers.xlwings_too_old("0.37.5") is None
    assert handlers.xlwings_too_old("0.38.0") is None


_SCRIPT = r'''
import sys
# An ordinary (not editable) install: only sys.path finds houqin_xl.
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")
                    and "__editable__" not in repr(f)]
ledger_folder, site = sys.argv[1], sys.argv[2]
sys.path[0:0] = [ledger_folder, site]       # what xlwings' prepare_sys_path does
import houqin_xl
print("imported", houqin_xl.__file__)
import houqin_xl.excel as h
handlers = h.installed_handlers()
print("handlers", handlers.__file__)
from houqin_xl.ledgers.schemas import load_schemas
print("schemas", len(load_schemas()))
'''


def test_a_ledger_saved_in_the_source_folder_still_runs_the_installed_package(tmp_path):
    """docs/excel.md has her `cd` into the source folder; a ledger saved there puts the source
    tree first on sys.path (xlwings adds the workbook's folder), where houqin_xl has no
    schema_files. The buttons take the installed package instead."""
    source = tmp_path / "houqin-xl"  # the unpacked source folder, the ledger saved in it
    shutil.copytree(REPO / "houqin_xl", source / "houqin_xl",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (source / "台账.xlsx").write_bytes(b"")
    site = tmp_path / "site-packages"  # what pip installed: the data packages inside
    shutil.copytree(REPO / "houqin_xl", site / "houqin_xl",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "schemas", site / "houqin_xl" / "schema_files")
    shutil.copytree(REPO / "macros", site / "houqin_xl" / "macro_files")

    done = subprocess.run([sys.executable, "-c", _SCRIPT, str(source), str(site)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    assert lines["imported"].startswith(str(source)), "xlwings' sys.path finds the source first"
    assert lines["handlers"].startswith(str(site)), "the buttons run the installed package"
    assert int(lines["schemas"]) >= 7

    # Without the switch, the source tree is where every button failed.
    broken = _SCRIPT.replace("handlers = h.installed_handlers()", "handlers = h")
    done = subprocess.run([sys.executable, "-c", broken, str(source), str(site)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "schema_files" in done.stderr
