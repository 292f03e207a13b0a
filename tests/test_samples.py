"""The demo sets: clean books check clean, and seeded defects are found exactly where they were put."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from pending_samples import REASON, settled, settled_skips

from houqin_xl.check import Checked, check
from houqin_xl.read import read_paths, read_workbook
from houqin_xl.samples.books import (
    CELL_KINDS,
    ERRORS,
    MANIFEST_NAME,
    MESSY,
    RECONCILE,
    RECONCILIATION_KINDS,
    TIDY,
)
from houqin_xl.samples.demo import SampleSet, build_samples, finding_place, run_demo


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SampleSet]:
    return build_samples(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def checked(samples: dict[str, SampleSet]) -> dict[str, Checked]:
    return {key: check(read_paths([s.folder]), None, s.period) for key, s in samples.items()}


def _findings(result: Checked, kinds: tuple[str, ...]) -> list[dict]:
    return [f.to_json() for f in result.result.findings if f.kind in kinds]


def _cell(finding: dict) -> tuple:
    return (finding["kind"], finding["sheet"], finding["row"], finding["column"])


@pytest.mark.parametrize("key", [TIDY, MESSY])
def test_clean_books_give_no_finding_at_all(checked: dict[str, Checked], key: str) -> None:
    result = checked[key].result
    assert [f.message for f in settled(result.findings)] == []
    assert {info.ledger for info in result.ledgers} == {
        "fixed_assets", "gl_balances", "asset_count", "stock_moves", "fees", "fee_standards", "deposits"}


@pytest.mark.parametrize("key", [TIDY, MESSY])
def test_clean_books_agree_in_every_reconciliation(checked: dict[str, Checked], key: str) -> None:
    result = checked[key].result
    assert settled_skips(result.skipped_rules) == []
    assert result.reconciliations, "the reconciliation lists what matched too"
    assert [r for r in result.reconciliations if r.status != "ok"] == []


@pytest.mark.xfail(strict=True, reason=REASON)
@pytest.mark.parametrize("key", [TIDY, MESSY])
def test_clean_books_carry_depreciation_disposals_and_1602(checked: dict[str, Checked],
                                                          key: str) -> None:
    result = checked[key].result
    assert [f.message for f in result.findings if f.kind == "depreciation"] == []
    assert result.skipped_rules == []


# Not figures: the messy set's general ledger is a 科目余额表 (account codes), which also gives
# each account's level in the chart of accounts; the tidy summary has none.
_NOT_FIGURES = {"_row", "level"}


def _figures(result: Checked) -> dict[str, dict[str, object]]:
    """Per ledger: how many records, and the sum of every numeric field in fen."""
    out = {}
    for typed in result.ledgers:
        frame = typed.frame
        sums: dict[str, object] = {"rows": len(frame)}
        for name in frame.columns:
            if name not in _NOT_FIGURES and frame[name].dtype.kind == "f":
                sums[name] = int(np.nansum(np.round(frame[name].to_numpy() * 100)))
        out[typed.name] = sums
    return out


def test_messy_books_hold_the_same_figures_as_the_tidy_ones(checked: dict[str, Checked]) -> None:
    messy, tidy = _figures(checked[MESSY]), _figures(checked[TIDY])
    assert messy.keys() == tidy.keys()
    # The messy stores book also writes 结存 单价 | 金额, which the tidy one leaves out: the
    # figures both books hold are the same.
    for name in tidy:
        shared = messy[name].keys() & tidy[name].keys()
        assert {k: messy[name][k] for k in shared} == {k: tidy[name][k] for k in shared}, name
    assert set(messy["stock_moves"]) - set(tidy["stock_moves"]) == {"balance_price", "balance_amount"}
    tidy_ids = set(next(t for t in checked[TIDY].ledgers if t.name == "fixed_assets").frame["asset_id"])
    messy_ids = set(next(t for t in checked[MESSY].ledgers if t.name == "fixed_assets").frame["asset_id"])
    assert messy_ids == tidy_ids


def test_messy_books_are_laid_out_the_way_bursars_keep_them(samples: dict[str, SampleSet],
                                                           checked: dict[str, Checked]) -> None:
    suffixes = Counter(p.suffix for p in samples[MESSY].paths)
    assert suffixes == {".xlsx": 5, ".xls": 1, ".xlsm": 1}
    ledgers = {t.name: t.ledger for t in checked[MESSY].ledgers}
    assert len(ledgers["stock_moves"].header_rows) == 2  # 入库 over 数量|单价|金额
    assert ledgers["gl_balances"].units["balance"] == 10_000  # 单位：万元
    assert ledgers["fixed_assets"].headers["original_value"] != "原值"  # an alias
    for name in ("fixed_assets", "fees"):
        ledger = ledgers[name]
        assert ledger.hidden_rows & set(ledger.rows), f"{name}: a hidden data row"
        assert any("小计" in t.label for t in ledger.totals)
        assert any(t.label == "合计" for t in ledger.totals)
    grid = next(g for g in read_workbook(samples[MESSY].paths[0]))
    merged_down = [m for m in grid.merged if m[2] > m[0] and m[1] == m[3]]
    assert merged_down, "使用部门 merged down over its rows"


def test_error_set_findings_are_exactly_the_seeded_cell_defects(samples: dict[str, SampleSet],
                                                               checked: dict[str, Checked]) -> None:
    expected = sorted(_cell(e) for e in samples[ERRORS].expected)
    found = sorted(_cell(f) for f in _findings(checked[ERRORS], CELL_KINDS))
    assert found == expected


def test_error_set_seeds_every_cell_kind(samples: dict[str, SampleSet], checked: dict[str, Checked]) -> None:
    assert set(samples[ERRORS].expected_kinds) == set(CELL_KINDS)
    assert all(e["kind"] in CELL_KINDS for e in samples[ERRORS].expected)
    values = {f.value for f in checked[ERRORS].result.findings if f.kind == "bad_type"}
    assert {"#REF!", "#DIV/0!"} <= values, "Excel error values are bad_type, never missing"
    assert checked[ERRORS].result.warnings == 0


def test_reconciliation_set_cells_are_clean(samples: dict[str, SampleSet],
                                            checked: dict[str, Checked]) -> None:
    # The one cell-level finding allowed is the fee charged above its standard, which only
    # the fee_standards rule can see.
    expected = {finding_place(e) for e in samples[RECONCILE].expected}
    found = [finding_place(f) for f in _findings(checked[RECONCILE], CELL_KINDS)]
    assert [place for place in found if place not in expected] == []


def test_reconciliation_set_seeds_every_reconciliation_kind(samples: dict[str, SampleSet]) -> None:
    kinds = samples[RECONCILE].expected_kinds
    assert set(kinds) == set(RECONCILIATION_KINDS) | {"bad_value"}


def test_reconciliation_set_findings_are_exactly_the_seeded_gaps(samples: dict[str, SampleSet],
                                                                checked: dict[str, Checked]) -> None:
    expected = sorted(finding_place(e) for e in samples[RECONCILE].expected)
    found = sorted(finding_place(f) for f in _findings(checked[RECONCILE], RECONCILIATION_KINDS))
    found += sorted(finding_place(f) for f in _findings(checked[RECONCILE], ("bad_value",)))
    assert sorted(found) == expected


@pytest.mark.parametrize("key", [ERRORS, RECONCILE])
def test_manifest_file_says_what_python_says(samples: dict[str, SampleSet], key: str) -> None:
    manifest = json.loads((samples[key].folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["period"] == samples[key].period
    assert manifest["findings"] == json.loads(json.dumps(samples[key].expected, default=str))
    assert all(e["说明"] for e in manifest["findings"])


def _cells(folder: Path) -> dict[tuple[str, str], list]:
    return {(Path(g.path).name, g.sheet): g.rows for g in read_paths([folder])}


def test_demo_writes_the_same_cells_and_a_report_per_set(tmp_path: Path,
                                                         samples: dict[str, SampleSet]) -> None:
    out = io.StringIO()
    assert run_demo(tmp_path / "out", tmp_path / "workbooks", stream=out) == 0
    for sample in samples.values():
        again = tmp_path / "workbooks" / sample.name
        assert _cells(again) == _cells(sample.folder), f"{sample.name} differs on a second run"
        report = json.loads((tmp_path / "out" / f"{sample.name}.json").read_text(encoding="utf-8"))
        assert report["period"] == "2026-11"
        assert sample.name in out.getvalue()
