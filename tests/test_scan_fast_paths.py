"""The scan's fast patterns (issue 15: the hostile-input scan had doubled a big check) find
exactly what the general patterns of issue 16 find, however a writer spells its XML."""

from __future__ import annotations

import numpy as np
import pytest

from houqin_xl.read import date_cells, text_cost

USUAL = (b'<sheetData><row r="1"><c r="A1" s="2" t="s"><v>0</v></c><c r="B1" t="s"><v>3</v></c>'
         b'<c r="C1" s="1"><v>45000</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c>'
         b'<c r="B2" s="1"><v>-1</v></c><c r="C2" s="1"><v>1e308</v></c>'
         b'<c r="D2" s="1"><v>3000000</v></c><c r="E2" s="1"><v> 45001</v></c></row></sheetData>')
# The same cells as a writer with namespace prefixes, spaced attributes and single quotes.
ODD = (b"<x:sheetData><x:row r='1'><x:c r='A1' s='2' t = 's'><x:v>0</x:v></x:c>"
       b"<x:c r='B1' t='s'><x:v>3</x:v></x:c><x:c r='C1' s='1'><x:v>45000</x:v></x:c></x:row>"
       b"<x:row r='2'><x:c r='A2' t='s'><x:v>1</x:v></x:c><x:c r='B2' s='1'><x:v>-1</x:v></x:c>"
       b"<x:c r='C2' s='1'><x:v>1e308</x:v></x:c></x:row></x:sheetData>")
SST = (b"<sst><si><t>" + b"x" * 200 + b"</t></si><si><t>short</t></si><si><t>" + b"y" * 90
       + b"</t></si><si><t>" + b"z" * 400 + b"</t></si></sst>")


@pytest.mark.parametrize("xml", [USUAL, ODD], ids=["as Excel writes", "prefixes and spaces"])
def test_shared_string_indices_are_the_general_patterns(xml):
    general = np.array(text_cost._SHARED_CELL.findall(xml)).astype(np.int64)
    pointers = xml.count(b't="s"') + xml.count(b"t='s'") + len(text_cost._SPACED_T.findall(xml))
    assert text_cost._shared_indices(xml, pointers).tolist() == general.tolist() == [0, 3, 1]


@pytest.mark.parametrize("xml", [USUAL, ODD], ids=["as Excel writes", "prefixes and spaces"])
def test_the_text_a_sheet_points_at_is_charged_the_same_either_way(xml, monkeypatch):
    shared = text_cost.SharedText(SST)
    fast = shared.cells(xml * 3000)  # past the cheap bound: every pointer is looked up
    monkeypatch.setattr(text_cost, "_SHARED_CELL_USUAL", text_cost._SHARED_CELL)
    assert fast == shared.cells(xml * 3000) > 0


@pytest.mark.parametrize("xml", [USUAL, ODD], ids=["as Excel writes", "prefixes and spaces"])
def test_date_cells_calamine_cannot_convert_are_the_general_patterns(xml, monkeypatch):
    styles = frozenset({1})
    fast = date_cells.risky_cells(xml, styles)
    monkeypatch.setattr(date_cells, "_ODD_VALUE_PLAIN", date_cells._ODD_VALUE)
    general = date_cells.risky_cells(xml, styles)
    assert fast == general
    cells = [xml[start:end] for start, end in fast]
    assert any(b"B2" in c for c in cells) and any(b"C2" in c for c in cells)
    assert not any(b"C1" in c for c in cells)  # 45000 is a day Excel knows
