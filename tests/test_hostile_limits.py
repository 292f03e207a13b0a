"""What the files of one run may make the tool allocate, taken together: the cells of every
sheet of every file come out of one budget (max_cells), a column wrong as a whole is listed up
to a point and counted after, and a workbook too big for openpyxl is refused an annotated copy
in one line — each said, never a crash or a check that runs the school PC out of memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import FA_HEADER, fixed_asset_rows, run, write_xlsx

from houqin_xl.cli import main
from houqin_xl.findings import LISTED_PER_COLUMN, Finding, cap_listed, is_omitted_summary
from houqin_xl.outputs import annotate

ORIGINAL = FA_HEADER.index("原值")


def _register(path: Path, rows: int, original: object = None, prefix: str = "Z") -> Path:
    template = fixed_asset_rows()[0]
    body = []
    for k in range(rows):
        row = list(template)
        row[0] = f"{prefix}{k:05d}"
        if original is not None:
            row[ORIGINAL] = original
        body.append(row)
    return write_xlsx(path, {"台账": [FA_HEADER, *body]}, engine="xlsxwriter")


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# ---- one budget of cells for the whole run ---------------------------------------------------


def test_two_registers_each_within_the_limit_but_not_together_stop_at_the_second(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cells = (20 + 1) * len(FA_HEADER)  # 20 rows under the header, the whole rectangle
    first = _register(tmp_path / "一班.xlsx", 20)
    second = _register(tmp_path / "二班.xlsx", 20, prefix="Y")
    (tmp_path / "houqin.toml").write_text(f"max_cells = {cells + cells // 2}\n", encoding="utf-8")
    assert main(["check", str(first), "--period", "2026-11"]) in (0, 1)  # one alone fits
    capsys.readouterr()
    assert main(["check", str(first), str(second), "--period", "2026-11"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "max_cells" in line and "二班.xlsx" in line and "一班.xlsx" not in line


def test_in_a_folder_the_file_past_the_budget_is_said_and_the_others_are_checked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "台账"
    folder.mkdir()
    cells = (20 + 1) * len(FA_HEADER)
    _register(folder / "一班.xlsx", 20)
    _register(folder / "二班.xlsx", 20, prefix="Y")
    (folder / "houqin.toml").write_text(f"max_cells = {cells + cells // 2}\n", encoding="utf-8")
    json_path = tmp_path / "r.json"
    assert main(["check", str(folder), "--period", "2026-11", "--json", str(json_path), "--quiet"]) in (0, 1)
    import json

    files = {Path(f["path"]).name: f for f in json.loads(json_path.read_text(encoding="utf-8"))["files"]}
    outcomes = sorted(f["outcome"] for f in files.values())
    assert outcomes[0] != outcomes[1]  # one read, the other refused with its reason
    refused = [f for f in files.values() if f.get("reason") and "max_cells" in f["reason"]]
    assert len(refused) == 1


# ---- a column wrong as a whole ---------------------------------------------------------------


def test_a_column_of_text_amounts_lists_the_first_thousand_and_counts_the_rest(tmp_path: Path) -> None:
    path = _register(tmp_path / "台账.xlsx", LISTED_PER_COLUMN + 250, original="壹仟元")
    findings = [f for f in run(path).result.findings if f.field == "original_value"]
    listed = [f for f in findings if not is_omitted_summary(f)]
    summaries = [f for f in findings if is_omitted_summary(f)]
    assert len(listed) == LISTED_PER_COLUMN and {f.kind for f in listed} == {"bad_type"}
    assert [f.row for f in listed] == list(range(2, 2 + LISTED_PER_COLUMN))  # the first ones, in order
    assert len(summaries) == 1
    summary = summaries[0]
    assert summary.kind == "bad_type" and summary.row is None and summary.column == listed[0].column
    assert summary.key["omitted"] == 250 and "250" in summary.message


def test_fewer_than_the_limit_are_all_listed_and_no_summary_is_made(tmp_path: Path) -> None:
    path = _register(tmp_path / "台账.xlsx", 30, original="壹仟元")
    findings = [f for f in run(path).result.findings if f.field == "original_value"]
    assert len(findings) == 30 and not any(is_omitted_summary(f) for f in findings)


def test_cap_listed_adds_up_summaries_already_made_and_keeps_other_columns_whole() -> None:
    def finding(kind: str, field: str, row: int) -> Finding:
        return Finding(kind=kind, severity="error", ledger="fixed_assets", path="a.xlsx", sheet="台账",
                       row=row, column="E", field=field, header=field, message="m")

    many = [finding("bad_value", "original_value", r) for r in range(12)]
    earlier = cap_listed(many[:7], limit=5)  # 5 listed, 2 counted
    other = [finding("bad_value", "quantity", r) for r in range(3)]
    kept = cap_listed(earlier + many[7:] + other, limit=5)
    summaries = [f for f in kept if is_omitted_summary(f)]
    assert len(summaries) == 1 and summaries[0].key["omitted"] == 7
    assert len([f for f in kept if f.field == "original_value" and not is_omitted_summary(f)]) == 5
    assert len([f for f in kept if f.field == "quantity"]) == 3


# ---- a copy too big to annotate --------------------------------------------------------------


def test_a_workbook_too_big_for_the_copy_is_refused_in_one_line_and_nothing_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    path = _register(tmp_path / "台账.xlsx", 40)
    before = path.read_bytes()
    monkeypatch.setattr(annotate, "ANNOTATE_MAX_CELLS", 200)  # 41 rows × 15 columns written
    out = tmp_path / "副本.xlsx"
    assert main(["annotate", str(path), "--out", str(out), "--period", "2026-11"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "标记副本" in line and "check --report" in line
    assert not out.exists() and path.read_bytes() == before
    monkeypatch.setattr(annotate, "ANNOTATE_MAX_CELLS", 2_000_000)
    assert main(["annotate", str(path), "--out", str(out), "--period", "2026-11"]) in (0, 1)
    assert out.exists()


# ---- long texts, shared by many cells ------------------------------------------------------


def test_one_long_shared_string_in_two_million_cells_is_refused_before_it_is_copied(tmp_path: Path) -> None:
    """A 7 MB file whose two million cells all point at one 300-character string: 2 million
    cells are within the budget, yet calamine and Python copy the string into every one (3.4
    GiB before text_cost.py). Its text is charged: one line, exit 2, a few hundred MB."""
    from fuzz import PEAK_LIMIT_KB, run_process
    from hostile_files import string_bomb_case

    case = string_bomb_case(tmp_path / "bomb")
    run = run_process(["check", str(case.inputs[0]), "--period", "2026-11", "--quiet"])
    assert run.status == 2, run.stderr
    line = _one_line(run.stderr)
    assert "max_cells" in line and "长文字" in line
    assert run.peak_kb < PEAK_LIMIT_KB // 4, run.peak_kb


def test_a_registers_short_texts_cost_it_nothing_and_long_ones_their_length() -> None:
    from houqin_xl.read.text_cost import SHORT_TEXT, TEXT_BYTES_PER_CELL, SharedText

    short = "".join(f"<si><t>教务处{k}</t></si>" for k in range(100)).encode()
    long_text = "<si><t>" + "长" * 1000 + "</t></si>"
    shared = SharedText(b"<sst>" + short + long_text.encode() + b"</sst>")
    few = "".join(f'<c r="A{r}" t="s"><v>{r % 100}</v></c>' for r in range(1, 5000)).encode()
    assert shared.cells(few) == 0  # short strings are in a cell's own cost
    pointing = "".join(f'<c r="A{r}" s="2" t="s"><v>100</v></c>' for r in range(1, 300_000)).encode()
    per_cell = len(long_text.encode() + b"</sst>") - SHORT_TEXT  # an <si> runs to the next one
    expected = 299_999 * per_cell // TEXT_BYTES_PER_CELL
    assert abs(shared.cells(pointing) - expected) <= 1  # counted cell by cell past the cheap bound
    assert shared.cells(b'<c r="A1" t="s"><v>99999999</v></c>') <= per_cell  # out of range: not a crash
