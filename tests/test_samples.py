"""The demo sets: clean books check clean, and seeded defects are found exactly where they were put."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from houqin_xl.check import Checked, check
from houqin_xl.read import iter_grids, read_paths, read_workbook
from houqin_xl.samples.books import (
    ACCOUNT_BOOKS,
    CELL_KINDS,
    ERRORS,
    EXPORTS,
    MANIFEST_NAME,
    MESSY,
    RECONCILE,
    RECONCILIATION_KINDS,
    SET_FOLDERS,
    SHAPE_ERRORS,
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


LEDGERS = {"fixed_assets", "gl_balances", "asset_count", "stock_moves", "fees", "fee_standards", "deposits",
           "disposals"}


@pytest.mark.parametrize("key", [TIDY, MESSY])
def test_clean_books_give_no_finding_at_all(checked: dict[str, Checked], key: str) -> None:
    result = checked[key].result
    assert [f.message for f in result.findings] == []
    assert {info.ledger for info in result.ledgers} == LEDGERS


@pytest.mark.parametrize("key", [TIDY, MESSY])
def test_clean_books_agree_in_every_reconciliation(checked: dict[str, Checked], key: str) -> None:
    result = checked[key].result
    assert result.skipped_rules == []
    assert result.reconciliations, "the reconciliation lists what matched too"
    assert [r for r in result.reconciliations if r.status != "ok"] == []


@pytest.mark.parametrize("key", [TIDY, MESSY])
def test_clean_books_carry_depreciation_1602_and_disposals(checked: dict[str, Checked], key: str) -> None:
    # Every 累计折旧 recomputed agrees, 1602 agrees with it class by class, the 报废 of the year
    # are recorded and off the books, and November's 1601 贷方 (nothing disposed) agrees.
    result = checked[key].result
    compared = Counter(r.rule for r in result.reconciliations)
    assert compared["depreciation_vs_gl"] == 5  # four depreciated classes and the total
    assert compared["disposals_vs_register"] == compared["disposals_vs_gl"] == 1
    register = next(t for t in checked[key].ledgers if t.name == "fixed_assets")
    assert register.frame["useful_life_months"].dropna().min() == 60  # 使用年限 5 years, in months
    gl = next(t for t in checked[key].ledgers if t.name == "gl_balances").frame
    booked = gl.loc[(gl["family"] == "1602") & (gl["level"] == 1), "credit"].sum()
    summary = checked[key].result.summaries["depreciation"]["by_category"]
    # The month's charge the bursar books (本月应提折旧) is what 1602 was credited in November.
    assert f"{booked:.2f}" == next(r["charge"] for r in summary if r["category"] == "合计") == "31569.40"


_NOT_FIGURES = {"_row"}


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
    assert suffixes == {".xlsx": 6, ".xls": 1, ".xlsm": 1}
    ledgers = {t.name: t.ledger for t in checked[MESSY].ledgers}
    assert len(ledgers["stock_moves"].header_rows) == 2  # 入库 over 数量|单价|金额
    assert len(ledgers["disposals"].header_rows) == 2  # 审批 over 单位|文号|日期
    assert ledgers["fixed_assets"].units["useful_life_months"] == 12  # 折旧年限（年）
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


# What set 3 seeds at a cell; the reconciliations its defects upset (总账不符, 1602 不符, …) are
# not listed, except the 已报废 row that has no disposal record, reported on that row.
SEEDED_AT_CELLS = (*CELL_KINDS, "depreciation")


def test_error_set_findings_are_exactly_the_seeded_cell_defects(samples: dict[str, SampleSet],
                                                               checked: dict[str, Checked]) -> None:
    expected = sorted(_cell(e) for e in samples[ERRORS].expected if e["kind"] in SEEDED_AT_CELLS)
    found = sorted(_cell(f) for f in _findings(checked[ERRORS], SEEDED_AT_CELLS))
    assert found == expected
    on_rows = {_cell(f) for f in _findings(checked[ERRORS], ("ledger_mismatch",)) if f["row"]}
    assert on_rows == {_cell(e) for e in samples[ERRORS].expected if e["kind"] == "ledger_mismatch"}


def test_error_set_seeds_every_cell_kind(samples: dict[str, SampleSet], checked: dict[str, Checked]) -> None:
    assert set(samples[ERRORS].expected_kinds) == {*CELL_KINDS, "depreciation", "ledger_mismatch"}
    values = {f.value for f in checked[ERRORS].result.findings if f.kind == "bad_type"}
    assert {"#REF!", "#DIV/0!"} <= values, "Excel error values are bad_type, never missing"
    assert checked[ERRORS].result.warnings == 0


def test_error_set_depreciation_and_disposal_defects_say_why(checked: dict[str, Checked]) -> None:
    messages = {f.kind + ":" + f.message for f in checked[ERRORS].result.findings
                if f.kind == "depreciation" or f.ledger == "disposals" or f.field == "status"}
    assert any("× 40个月 ÷ 72个月" in m for m in messages), messages  # a year ahead: 52 written
    assert any("不计提折旧，累计折旧应为 0.00" in m for m in messages), messages  # 图书
    assert any("应由主管部门（教育局）审批" in m for m in messages), messages
    assert any("资产处置登记中没有它的处置记录" in m for m in messages), messages


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


# Sets 5 and 6: the ledgers each holds, and the rules that must have compared something.
SHAPES = {
    EXPORTS: ({"fixed_assets", "gl_balances", "asset_count", "disposals"},
              {"assets_vs_gl", "assets_vs_count", "depreciation_vs_gl", "disposals_vs_register",
               "disposals_vs_gl"}),
    ACCOUNT_BOOKS: ({"stock_moves", "fees", "fee_standards", "deposits"},
                    {"stock_rollforward", "fee_standards", "receipts", "deposits"}),
}


@pytest.mark.parametrize("key", list(SHAPES))
def test_system_exports_and_account_books_give_no_finding_at_all(checked: dict[str, Checked], key: str) -> None:
    result = checked[key].result
    assert [f.message for f in result.findings] == []
    assert {info.ledger for info in result.ledgers} == SHAPES[key][0]


@pytest.mark.parametrize("key", list(SHAPES))
def test_system_exports_and_account_books_agree_in_every_reconciliation(checked: dict[str, Checked],
                                                                        key: str) -> None:
    result = checked[key].result
    assert [r for r in result.reconciliations if r.status != "ok"] == []
    assert {r.rule for r in result.reconciliations} >= SHAPES[key][1]
    # A rule is skipped only for a ledger the set does not have, and says so.
    assert all(s["reason"].startswith("缺少台账") for s in result.skipped_rules), result.skipped_rules


@pytest.mark.parametrize("key", list(SHAPES))
def test_without_a_period_the_month_found_in_the_books_is_november_and_all_is_clean(
        samples: dict[str, SampleSet], key: str) -> None:
    result = check(read_paths([samples[key].folder]), None, None).result
    assert result.period == "2026-11"
    assert [f.message for f in result.findings] == []
    assert [r for r in result.reconciliations if r.status != "ok"] == []


def _place(finding: dict) -> tuple:
    """A finding's cell (file, sheet, row, column), or the aggregate its key names."""
    if finding.get("row") is not None:
        return (finding["kind"], Path(finding.get("file") or finding["path"]).name, finding["sheet"],
                finding["row"], finding["column"])
    return finding_place(finding)


def test_shape_error_set_findings_are_exactly_the_seeded_defects(samples: dict[str, SampleSet],
                                                                  checked: dict[str, Checked]) -> None:
    expected = sorted(_place(e) for e in samples[SHAPE_ERRORS].expected)
    found = sorted(_place(f.to_json()) for f in checked[SHAPE_ERRORS].result.findings)
    assert found == expected
    assert checked[SHAPE_ERRORS].result.warnings == 0


def test_shape_error_set_seeds_a_defect_in_every_new_shape(samples: dict[str, SampleSet]) -> None:
    files = {e["file"] for e in samples[SHAPE_ERRORS].expected}
    assert {p.name for p in samples[SHAPE_ERRORS].paths} - files == {
        "代收费项目及标准（2026秋）.xlsx", "银行存款日记账（代收费专户）.xls",  # each defect shows in the others
        "科目余额表_2026年11月.xls", "资产盘点结果_20261125.csv", "资产处置明细_2026年.xls"}
    kinds = samples[SHAPE_ERRORS].expected_kinds
    assert kinds == {"arithmetic": 2, "stock_balance": 1, "bad_value": 1, "receipt_gap": 1,
                     "ledger_mismatch": 4, "count_missing": 1, "bad_type": 1, "depreciation": 1}


@pytest.mark.parametrize("key", list(SET_FOLDERS))
def test_every_sample_file_is_read_and_only_the_table_of_contents_is_left_unread(
        samples: dict[str, SampleSet], key: str) -> None:
    # As the command line reads a folder: every file named with its outcome.
    result = check(iter_grids([samples[key].folder]), None, samples[key].period).result
    outcomes = {Path(f.path).name: f.outcome for f in result.files}
    assert {name: outcome for name, outcome in outcomes.items() if outcome != "read"} == (
        {MANIFEST_NAME: "unreadable"} if key in (ERRORS, RECONCILE, SHAPE_ERRORS) else {})
    assert [(u.sheet, u.reason.split(" /")[0]) for u in result.unread_sheets] == (
        [("目录", "不是台账：目录")] if key in (ACCOUNT_BOOKS, SHAPE_ERRORS) else [])


@pytest.mark.parametrize("key", [ERRORS, RECONCILE, SHAPE_ERRORS])
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
