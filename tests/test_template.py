"""The template workbook 后勤台账模板.xlsm: empty ledgers with standard headers, and buttons."""

from __future__ import annotations

from pathlib import Path

import pytest
from libreoffice import require_libreoffice

from houqin_xl.excel import addin
from houqin_xl.excel.template import BUTTON_SHEET, build_template
from houqin_xl.ledgers.recognise import recognise
from houqin_xl.ledgers.schemas import load_schemas
from houqin_xl.read.grid import Grid

REPO = Path(__file__).resolve().parent.parent
COMMITTED = REPO / "workbooks" / "后勤台账模板.xlsm"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return build_template(tmp_path_factory.mktemp("template"))


def test_every_ledger_has_a_sheet_whose_header_row_is_recognised(template):
    from openpyxl import load_workbook

    book = load_workbook(template, keep_vba=True)
    assert book.sheetnames[0] == BUTTON_SHEET
    grids = []
    for schema in load_schemas().values():
        sheet = book[schema.title]
        headers = [c.value for c in sheet[1]]
        assert headers == [spec.header for spec in schema.fields]
        # One made-up data row, so the header is recognised the way the checker sees a ledger.
        grids.append(Grid(str(template), sheet.title, [headers, [None] * len(headers)]))
    found = {ledger.schema.ledger for ledger in recognise(grids, load_schemas())}
    assert found == set(load_schemas())


def test_the_template_carries_the_same_vba_as_the_addin(template):
    from pyopenvba import ExcelFile

    with ExcelFile(template) as book:
        for name, source in addin.vba_sources().items():
            assert book.get_module(name) == source


def test_committed_template_is_the_built_one(template):
    from pyopenvba import ExcelFile

    assert COMMITTED.exists(), "run build_template('workbooks') and commit the result"
    with ExcelFile(COMMITTED) as committed, ExcelFile(template) as fresh:
        assert committed.module_names() == fresh.module_names()
        for name in fresh.module_names():
            assert committed.get_module(name) == fresh.get_module(name)


def test_libreoffice_opens_the_template_and_its_buttons_call_the_right_macros(template):
    require_libreoffice(uno=True)
    report = addin.inspect_with_libreoffice(template)[str(template)]
    assert report is not None
    assert set(addin.vba_sources()) <= set(report["modules"])
    labels = {b.tag: b.label for b in addin.ribbon_buttons()}
    buttons = {c["label"]: c["macros"] for c in report["controls"] if c["sheet"] == BUTTON_SHEET}
    assert set(buttons) == set(labels.values())
    for tag, macro in addin.SHEET_MACROS.items():
        assert buttons[labels[tag]] == [
            f"vnd.sun.star.script:VBAProject.HouqinButtons.{macro}?language=Basic&location=document"]


def test_the_template_vba_stream_is_what_ms_ovba_requires_of_a_writer(template):
    from houqin_xl.excel import vbaproject

    assert vbaproject.project_stream(template) == vbaproject.WRITTEN_VBA_PROJECT_STREAM
    assert vbaproject.project_stream(COMMITTED) == vbaproject.WRITTEN_VBA_PROJECT_STREAM
