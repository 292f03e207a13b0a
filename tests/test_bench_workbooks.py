"""bench/'s workbooks are what bench/README.md says they are (issue #15): the bursar-style set
written as Excel writes it (a shared-string table) holds the same cells as the inline-string
one, and the export-like workbook's 科目余额表 agrees with its cards. Small scales only; no
timing is asserted anywhere."""

from __future__ import annotations

import re
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import exportlike  # noqa: E402
import generate  # noqa: E402

SCALE = 0.01  # 500 assets, 1,000 stock moves, 600 fee rows


def _cell_types(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
        return set(re.findall(r' t="(\w+)"', sheet))


def _grids(path: Path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_shared_and_inline_sets_hold_the_same_cells(tmp_path: Path) -> None:
    shared = generate.generate_set(SCALE, tmp_path / "shared.xlsx", "shared")
    inline = generate.generate_set(SCALE, tmp_path / "inline.xlsx", "inline")
    with zipfile.ZipFile(shared) as zf:
        assert "xl/sharedStrings.xml" in zf.namelist()
    with zipfile.ZipFile(inline) as zf:
        assert "xl/sharedStrings.xml" not in zf.namelist()
    assert "s" in _cell_types(shared) and "inlineStr" not in _cell_types(shared)
    assert "inlineStr" in _cell_types(inline)
    assert _grids(shared) == _grids(inline)


def _amount(text: str | float) -> int:
    """'1,239,790.35 ' → fen; a blank cell is zero."""
    if text in ("", None):
        return 0
    return round(float(str(text).replace(",", "")) * 100)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list]]:
    path = exportlike.generate_export(SCALE, tmp_path_factory.mktemp("export") / "export.xlsx")
    return _grids(path)


def test_export_cards_have_the_real_shapes(export: dict[str, list[list]]) -> None:
    cards = export["资产卡片"]
    header = cards[2]
    assert header == exportlike.CARD_HEADER and "单价" not in "".join(header)
    body = cards[3:-1]
    assert cards[-1][0] == "合计"
    col = header.index
    assert all(isinstance(r[col("资产编号")], str) and len(r[col("资产编号")]) == 15 for r in body)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[col("取得日期")]) for r in body)
    # 合计 = the column sums (数量 adds areas and counts together).
    for name in ("价值(元)", "累计折旧(元)", "净值(元)"):
        assert _amount(cards[-1][col(name)]) == sum(_amount(r[col(name)]) for r in body)


def test_export_balances_agree_with_the_cards(export: dict[str, list[list]]) -> None:
    cards = export["资产卡片"]
    col = cards[2].index
    value, depreciation = defaultdict(int), defaultdict(int)
    for r in cards[3:-1]:
        if r[col("使用状况")] != "已报废":
            top = r[col("资产分类代码")][0]
            value[top] += _amount(r[col("价值(元)")])
            depreciation[top] += _amount(r[col("累计折旧(元)")])
    rows = {r[0]: r for r in export["科目余额表"][4:] if r[0]}
    class_of = {k: digit for k, _, digit in exportlike.CLASS_ACCOUNTS}
    for k, digit in class_of.items():
        closing_debit = _amount(rows[f"1601{k}"][8]) - _amount(rows[f"1601{k}"][9])
        assert closing_debit == value[digit]
        if k in exportlike.DEPRECIATED:
            closing_credit = _amount(rows[f"1602{k}"][9]) - _amount(rows[f"1602{k}"][8])
            assert closing_credit == depreciation[digit]
    # Every row: 期初 + 借 − 贷 = 期末 (signed debit-positive); the 合计 row balances.
    for code, r in rows.items():
        opening = _amount(r[2]) - _amount(r[3])
        closing = _amount(r[8]) - _amount(r[9])
        assert opening + _amount(r[4]) - _amount(r[5]) == closing, code
    total = next(r for r in export["科目余额表"] if r[1] == "合计")
    for debit, credit in ((2, 3), (4, 5), (6, 7), (8, 9)):
        assert _amount(total[debit]) == _amount(total[credit])


def test_the_export_like_workbook_is_clean_under_every_rule(tmp_path_factory: pytest.TempPathFactory
                                                            ) -> None:
    """The benchmark times a check that finds nothing: 20,393 depreciation findings (cards
    counted from the month after acquisition, where LEDGERS.md counts the month itself) made
    the 1x check time the writing of findings, not the reading."""
    from houqin_xl.check import check
    from houqin_xl.read import read_paths

    path = exportlike.generate_export(SCALE, tmp_path_factory.mktemp("clean") / "export.xlsx")
    result = check(read_paths([path]), period="2026-11").result
    assert [f.message for f in result.findings] == []
    assert not [s for s in result.skipped_rules if s["rule"] == "depreciation"]
