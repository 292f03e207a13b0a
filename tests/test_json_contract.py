"""The JSON report of CONTRACT.md: what other tools and the acceptance checks rely on."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from builders import FA_HEADER, Book, fixed_asset_rows, write_xlsx

from houqin_xl import __version__
from houqin_xl.cli import main
from houqin_xl.findings import KINDS

FINDING_KEYS = {"kind", "severity", "ledger", "path", "sheet", "row", "column", "field", "header",
                "value", "key", "message"}
MONEY = re.compile(r"^-?\d+\.\d{2}$")
MONEY_RULES = {"assets_vs_gl", "deposits", "fee_standards"}


def _report(tmp_path: Path, *paths: Path, period: str | None = "2026-11") -> tuple[int, dict[str, Any]]:
    out = tmp_path / "report.json"
    argv = ["check", *map(str, paths), "--json", str(out)]
    if period:
        argv += ["--period", period]
    status = main(argv)
    return status, json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def defective(tmp_path: Path, book: Book) -> Path:
    book.set("Sheet1", "H6", 7100)       # arithmetic on 原值, and the register no longer fits the GL
    book.set("Sheet1", "A8", "A001")     # duplicate
    book.set("Sheet5", "K5", None)       # paid but no receipt: missing, and a gap in the book
    book.set("Sheet3", "D4", "#REF!")    # bad_type
    return book.write(tmp_path / "台账.xlsx")


def test_top_level_shape(tmp_path: Path, defective: Path) -> None:
    status, report = _report(tmp_path, defective)
    assert status == 1
    assert {"tool", "version", "period", "ledgers", "findings", "reconciliations", "summary"} <= set(report)
    assert report["tool"] == "houqin-xl"
    assert report["version"] == __version__
    assert report["period"] == "2026-11"
    assert set(report["summary"]) >= {"errors", "warnings"}


def test_ledgers_say_where_each_ledger_was_found(tmp_path: Path, defective: Path) -> None:
    _status, report = _report(tmp_path, defective)
    by_sheet = {entry["sheet"]: entry for entry in report["ledgers"]}
    assert by_sheet["Sheet1"] == {"ledger": "fixed_assets", "path": str(defective), "sheet": "Sheet1",
                                  "header_rows": [4], "rows": 6}
    assert by_sheet["Sheet4"]["header_rows"] == [3, 4]
    assert {e["ledger"] for e in report["ledgers"]} == {
        "fixed_assets", "gl_balances", "asset_count", "stock_moves", "fees", "fee_standards", "deposits"}


def test_every_finding_has_the_contract_fields(tmp_path: Path, defective: Path) -> None:
    _status, report = _report(tmp_path, defective)
    findings = report["findings"]
    assert findings
    for f in findings:
        assert set(f) >= FINDING_KEYS, f
        assert f["kind"] in KINDS
        assert f["severity"] in ("error", "warning")
        assert isinstance(f["message"], str) and f["message"]
        assert f["path"] and f["sheet"] and f["ledger"]
        assert (f["row"] is None) == (f["column"] is None), f
        if f["row"] is None:
            assert f["key"], f  # an aggregate finding names what it is about
        else:
            assert isinstance(f["row"], int) and f["row"] >= 1
            assert re.fullmatch(r"[A-Z]{1,3}", f["column"])
            assert f["message"].startswith(f"第{f['row']}行")
        assert f["value"] is None or isinstance(f["value"], str)


def test_cell_findings_point_at_the_bursars_cells(tmp_path: Path, defective: Path) -> None:
    _status, report = _report(tmp_path, defective)
    at = {(f["sheet"], f["row"], f["column"], f["kind"]) for f in report["findings"] if f["row"]}
    assert {("Sheet1", 6, "H", "arithmetic"), ("Sheet1", 8, "A", "duplicate"),
            ("Sheet5", 5, "K", "missing"), ("Sheet3", 4, "D", "bad_type")} <= at
    dup = next(f for f in report["findings"] if f["kind"] == "duplicate")
    assert dup["field"] == "asset_id" and dup["value"] == "A001" and "第5行" in dup["message"]
    bad = next(f for f in report["findings"] if f["kind"] == "bad_type")
    assert bad["value"] == "#REF!"


def test_the_contract_example_finding(tmp_path: Path) -> None:
    """`第17行 原值 -300：金额不能为负数` on row 17, column H, exactly as CONTRACT.md shows it."""
    rows = fixed_asset_rows()
    rows[4][6], rows[4][7], rows[4][13], rows[4][14] = -30, -300, 0, -300
    sheet = [["XX小学固定资产台账"], *[[] for _ in range(10)], FA_HEADER, *rows]
    assert sheet.index(rows[4]) + 1 == 17
    status, report = _report(tmp_path, write_xlsx(tmp_path / "a.xlsx", {"固定资产台账": sheet}))
    assert status == 1
    found = [f for f in report["findings"] if f["field"] == "original_value" and f["kind"] == "bad_value"]
    assert len(found) == 1
    f = found[0]
    assert {k: f[k] for k in ("kind", "severity", "ledger", "sheet", "row", "column", "field",
                              "header", "value", "key", "message")} == {
        "kind": "bad_value", "severity": "error", "ledger": "fixed_assets", "sheet": "固定资产台账",
        "row": 17, "column": "H", "field": "original_value", "header": "原值", "value": "-300",
        "key": None, "message": "第17行 原值 -300：金额不能为负数"}


def test_findings_are_sorted_by_sheet_and_row(tmp_path: Path, defective: Path) -> None:
    _status, report = _report(tmp_path, defective)
    keys = [(f["path"], f["sheet"], f["row"] or 0) for f in report["findings"]]
    assert keys == sorted(keys)


def test_summary_counts_the_findings(tmp_path: Path, defective: Path) -> None:
    _status, report = _report(tmp_path, defective)
    severities = [f["severity"] for f in report["findings"]]
    assert report["summary"]["errors"] == severities.count("error")
    assert report["summary"]["warnings"] == severities.count("warning")


def test_reconciliations_list_matches_too_with_money_as_two_decimal_strings(
        tmp_path: Path, defective: Path) -> None:
    _status, report = _report(tmp_path, defective)
    recs = report["reconciliations"]
    assert {r["status"] for r in recs} == {"ok", "mismatch"}
    for r in recs:
        assert {"rule", "key", "left", "right", "difference", "status"} <= set(r)
        assert r["status"] in ("ok", "mismatch")
        assert isinstance(r["key"], dict) and r["key"]
        for side in ("left", "right", "difference"):
            assert isinstance(r[side], str)
            if r["rule"] in MONEY_RULES:
                assert MONEY.match(r[side]), r
    gl = {r["key"]["category"]: r for r in recs if r["rule"] == "assets_vs_gl"}
    assert gl["通用设备"]["status"] == "mismatch" and gl["通用设备"]["difference"] in ("100.00", "-100.00")
    assert gl["专用设备"]["status"] == "ok" and gl["专用设备"]["difference"] == "0.00"
    assert "合计" in gl


def test_aggregate_findings_carry_a_key_and_the_ledger_they_are_reported_against(
        tmp_path: Path, defective: Path) -> None:
    _status, report = _report(tmp_path, defective)
    aggregate = [f for f in report["findings"] if f["row"] is None]
    assert any(f["kind"] == "ledger_mismatch" and f["key"] == {"category": "通用设备"} for f in aggregate)
    for f in aggregate:
        assert f["sheet"] in {e["sheet"] for e in report["ledgers"] if e["ledger"] == f["ledger"]}


def test_a_clean_set_gives_exit_0_and_an_empty_findings_list(tmp_path: Path, book: Book) -> None:
    status, report = _report(tmp_path, book.write(tmp_path / "台账.xlsx"))
    assert status == 0
    assert report["findings"] == []
    assert report["summary"] == {"errors": 0, "warnings": 0} or report["summary"]["errors"] == 0
    assert all(r["status"] == "ok" for r in report["reconciliations"])


def test_json_is_utf8_with_chinese_kept_readable(tmp_path: Path, defective: Path) -> None:
    _report(tmp_path, defective)
    raw = (tmp_path / "report.json").read_bytes()
    assert "资产".encode() in raw or "原值".encode() in raw
    assert b"\\u" not in raw
