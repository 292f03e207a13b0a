"""`houqin-xl check`: exit statuses, the readable summary, folders, and sources left untouched."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

from builders import FA_HEADER, Book, fixed_asset_rows, write_xlsx

from houqin_xl.cli import main, run_check


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_clean_set_exits_0_and_prints_a_summary(tmp_path: Path, book: Book) -> None:
    path = book.write(tmp_path / "台账.xlsx")
    out = io.StringIO()
    assert run_check([str(path)], period="2026-11", stream=out) == 0
    text = out.getvalue()
    assert "固定资产台账" in text and "物资出入库登记" in text and "银行缴款登记" in text
    assert "合计：错误 0 条，警告 0 条" in text


def test_errors_exit_1_and_the_summary_names_the_cells(tmp_path: Path, book: Book) -> None:
    book.set("Sheet1", "H8", "#REF!")
    path = book.write(tmp_path / "台账.xlsx")
    out = io.StringIO()
    assert run_check([str(path)], period="2026-11", stream=out) == 1
    text = out.getvalue()
    assert "Sheet1!H8" in text
    assert "格式错误" in text


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    rows = [*fixed_asset_rows(), ["A007", "扫帚", "家具用具装具及动植物", None, "把", 1, 20, 20,
                                  dt.date(2026, 11, 2), "总务处", "仓库", None, "在用", 0, 20, None]]
    path = write_xlsx(tmp_path / "a.xlsx", {"台账": [FA_HEADER, *rows]})
    out = tmp_path / "r.json"
    assert main(["check", str(path), "--period", "2026-11", "--json", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["summary"] == {"errors": 0, "warnings": 1}


def test_a_folder_and_files_together_are_one_ledger_set(tmp_path: Path, book: Book) -> None:
    folder = book.write_folder(tmp_path / "台账")
    moved = tmp_path / "总账.xlsx"
    (folder / "台账2.xlsx").rename(moved)  # the general ledger given as a file beside the folder
    out = tmp_path / "r.json"
    assert main(["check", str(folder), str(moved), "--period", "2026-11", "--json", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert len(report["ledgers"]) == 7
    assert report["findings"] == []


def test_the_source_workbooks_are_only_read(tmp_path: Path, book: Book) -> None:
    book.set("Sheet1", "A8", "A001")
    paths = [book.write(tmp_path / "台账.xlsx"), book.write(tmp_path / "旧台账.xls")]
    before = {p: _digest(p) for p in paths}
    out = tmp_path / "r.json"
    assert main(["check", str(paths[0]), "--period", "2026-11", "--json", str(out), "--quiet"]) == 1
    assert main(["check", str(paths[1]), "--period", "2026-11"]) == 1
    assert {p: _digest(p) for p in paths} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "台账.xlsx", "旧台账.xls"]


def test_same_findings_from_xlsx_xlsm_and_xls(tmp_path: Path, book: Book) -> None:
    book.set("Sheet1", "A8", "A001")
    book.set("Sheet5", "G6", "六十")
    seen = []
    for suffix in (".xlsx", ".xlsm", ".xls"):
        out = tmp_path / f"r{suffix}.json"
        assert main(["check", str(book.write(tmp_path / f"台账{suffix}")), "--period", "2026-11",
                     "--json", str(out)]) == 1
        report = json.loads(out.read_text(encoding="utf-8"))
        seen.append(sorted((f["sheet"], f["row"] or 0, f["column"] or "", f["kind"])
                           for f in report["findings"]))
    assert seen[0] == seen[1] == seen[2]


def test_period_option_changes_what_is_after_the_period_end(tmp_path: Path) -> None:
    # Without 累计折旧 and 净值: figures right at 2026-11 are a month ahead of 2026-10.
    rows = [row[:13] + row[15:] for row in fixed_asset_rows()]
    rows[0][8] = dt.date(2026, 11, 15)
    path = write_xlsx(tmp_path / "a.xlsx", {"台账": [FA_HEADER[:13] + FA_HEADER[15:], *rows]})
    out = tmp_path / "r.json"
    assert main(["check", str(path), "--period", "2026-10", "--json", str(out)]) == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["period"] == "2026-10"
    assert [(f["kind"], f["row"], f["column"]) for f in report["findings"]] == [("bad_value", 2, "I")]
    assert main(["check", str(path), "--period", "2026-11", "--json", str(out)]) == 0
