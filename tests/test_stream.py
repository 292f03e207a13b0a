"""The streamed read (one sheet checked while the next is parsed), the column-wise body scan of
the recogniser, and the checksum verification that runs beside calamine."""

from __future__ import annotations

import gc
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from builders import FA_HEADER, fixed_asset_rows, write_xlsx
from hypothesis import given, settings
from hypothesis import strategies as st

from houqin_xl.check import check
from houqin_xl.cli import main
from houqin_xl.errors import InputError
from houqin_xl.ledgers.layouts.table_body import Body as _Body
from houqin_xl.ledgers.layouts.table_body import _column_getter
from houqin_xl.ledgers.layouts.table_body import classify_row as _classify_row
from houqin_xl.ledgers.layouts.table_body import data_merges as _data_merges
from houqin_xl.ledgers.ledger import TotalRow
from houqin_xl.ledgers.parse import is_blank
from houqin_xl.read import iter_grids, iter_workbook, read_workbook
from houqin_xl.read.grid import Grid

# ---- the column-wise body scan equals the row-by-row rules ----------------------------------

HEADER = ["序号", "资产编号", "资产名称", "数量", "备注"]
FIELDS = ["seq", "asset_id", "name", "quantity", "note"]
CELLS = [
    None, "", "  ", "\u3000", "钢琴", "A0001", "A0002", "保温杯", "说明书", "打印机", "日光灯",
    "合计", "小计", "301班 小计", "2026年11月合计", "本年累计", "承前页", "制表人：张三", "制表人",
    "以下空白", "收款人：李四", "（说明）", "资产编号", "资产名称", "数量", 1.0, 2.5, 0.0, True, 7,
    "合计金额说明很长很长很长很长很长很长很长很长", "ZC20261234567",
]


def _naive(body: _Body, indexes: list[int], field_keys: list[set[str]],
           header_texts: set[str]) -> tuple[list[int], list[tuple[int, str, dict]]]:
    """Every row through `_classify_row`: what the recogniser did before it scanned columns."""
    getter = _column_getter(indexes)
    kept, totals = [], []
    for i in range(body.n):
        line = body.line(i)
        values = getter(line)
        if all(is_blank(v) for v in values):
            continue
        verdict = _classify_row(line, values, FIELDS, field_keys, header_texts)
        if verdict == "data":
            kept.append(i)
        elif isinstance(verdict, TotalRow):
            totals.append((body.first_row + i, verdict.label, verdict.values))
    return kept, totals


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.lists(st.sampled_from(CELLS), min_size=0, max_size=7), min_size=0, max_size=40),
    merges=st.lists(st.tuples(st.integers(0, 39), st.integers(0, 6), st.integers(1, 4)), max_size=4),
)
def test_the_column_scan_keeps_and_totals_exactly_what_the_row_rules_do(
        rows: list[list[Any]], merges: list[tuple[int, int, int]]) -> None:
    grid_rows: list[list[Any]] = [["台账"], HEADER, *rows]  # ragged rows, as a live book gives
    merged = []
    for top, col, span in merges:  # merged data cells, as bursars merge 使用部门 down a block
        r0 = 3 + min(top, max(len(rows) - 1, 0))
        merged.append((r0, col + 1, r0 + span, col + 1))
    grid = Grid("mem.xlsx", "台账", grid_rows, merged=merged)
    indexes = [0, 1, 2, 3, 4]
    field_keys = [{h} for h in HEADER]
    header_texts = set(HEADER)
    body = _Body(grid, 2, 5, _data_merges(grid, 3))
    kept, totals = body.classify(FIELDS, indexes, field_keys, header_texts)
    expected_kept, expected_totals = _naive(body, indexes, field_keys, header_texts)
    assert kept.tolist() == expected_kept
    assert [(t.row, t.label, t.values) for t in totals] == expected_totals
    for j in indexes:
        assert body.take(j, kept) == [body.columns[j][i] for i in expected_kept]


def test_take_by_slices_and_by_index_agree() -> None:
    import numpy as np

    grid = Grid("m.xlsx", "s", [[i, f"t{i}"] for i in range(100)])
    body = _Body(grid, 0, 2, {})
    for kept in ([], [5], list(range(100)), list(range(0, 100, 2)), [*range(10, 50), *range(60, 99)]):
        assert body.take(1, np.array(kept, dtype=np.int64)) == [f"t{i}" for i in kept]


def test_take_shares_one_object_for_equal_texts_and_keeps_numbers_their_own_type() -> None:
    import numpy as np

    # Texts read from a file are separate objects cell by cell; numbers and booleans that
    # compare equal (1, 1.0, True) must not be merged into one another.
    rows = [["".join(["总务", "处"]), 1.0], ["".join(["总", "务处"]), True], [None, 1], ["", 0.0]] * 5
    grid = Grid("m.xlsx", "s", rows)
    assert rows[0][0] is not rows[1][0]
    body = _Body(grid, 0, 2, {})
    kept = np.arange(20, dtype=np.int64)
    texts = body.take(0, kept)
    assert texts == ["总务处", "总务处", None, ""] * 5
    assert all(t is texts[0] for t in texts[0::4] + texts[1::4])
    numbers = body.take(1, kept)
    assert [type(v) for v in numbers] == [float, bool, int, float] * 5
    assert numbers == [1.0, True, 1, 0.0] * 5
    # A column of nearly all different values has nothing worth sharing: left as it is.
    unique = Grid("m.xlsx", "s", [[f"ZC{i:05d}"] for i in range(20)])
    assert _Body(unique, 0, 1, {}).take(0, kept) == [f"ZC{i:05d}" for i in range(20)]


# ---- the stream ------------------------------------------------------------------------------


def _assets(tmp: Path, name: str = "资产.xlsx") -> Path:
    return write_xlsx(tmp / name, {"说明": [["填表说明"]], "台账": [FA_HEADER, *fixed_asset_rows()],
                                   "空": []})


def _reader_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(("houqin-read", "houqin-parse"))]


def test_the_stream_gives_every_sheet_in_order_and_the_same_grids_as_the_list(tmp_path: Path) -> None:
    path = _assets(tmp_path)
    streamed = list(iter_workbook(path))
    assert [g.sheet for g in streamed] == ["说明", "台账", "空"]
    assert [(g.sheet, g.rows, g.merged, g.hidden_rows) for g in streamed] == [
        (g.sheet, g.rows, g.merged, g.hidden_rows) for g in read_workbook(path)]
    assert _reader_threads() == []


def test_a_sheet_parsed_by_calamine_is_let_go_once_the_reader_has_taken_it(tmp_path: Path) -> None:
    """calamine's cells (held in Rust) of a sheet already read must not wait for the end of the
    workbook: the parsed sheets alive are only those not yet handed over."""
    import python_calamine

    sheets = {f"表{k}": [["名称", "金额"], *[[f"物品{k}-{i}", float(i)] for i in range(200)]]
              for k in range(4)}
    path = write_xlsx(tmp_path / "多表.xlsx", sheets)

    def parsed_alive() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, python_calamine.CalamineSheet))

    for k, grid in enumerate(iter_workbook(path)):
        assert grid.sheet == f"表{k}"
        assert parsed_alive() <= len(sheets) - k - 1


def test_check_consumes_a_stream_and_the_reader_threads_end_even_when_a_file_is_bad(tmp_path: Path) -> None:
    good = _assets(tmp_path)
    checked = check(iter_grids([good]), period="2026-11")
    assert [info.sheet for info in checked.result.ledgers] == ["台账"]
    (tmp_path / "坏.xlsx").write_bytes(good.read_bytes()[:2000])
    with pytest.raises(InputError):
        check(iter_grids([good, tmp_path / "坏.xlsx"]), period="2026-11")
    assert _reader_threads() == []


def test_an_abandoned_stream_stops_its_threads(tmp_path: Path) -> None:
    stream = iter_workbook(_assets(tmp_path))
    next(stream)
    stream.close()
    assert _reader_threads() == []


def test_the_collector_is_back_as_it_was_after_a_check(tmp_path: Path) -> None:
    good = _assets(tmp_path)
    assert gc.isenabled()
    check(iter_grids([good]), period="2026-11")
    assert gc.isenabled()
    with pytest.raises(InputError):
        check(iter_grids([tmp_path / "缺.xlsx"]), period="2026-11")
    assert gc.isenabled()
    gc.disable()
    try:
        check(iter_grids([good]), period="2026-11")
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()


# ---- checksums: damage only the CRC can see --------------------------------------------------


def _stored_copy(source: Path, target: Path) -> Path:
    """The same workbook with every part stored uncompressed, so a changed byte is read as is
    and only the checksum can tell."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
    return target


def _flip_in(path: Path, member: str, old: bytes, new: bytes) -> None:
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    at = data.index(old, start, start + info.compress_size)
    data[at:at + len(old)] = new
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(("member", "old", "new"), [
    ("xl/worksheets/sheet2.xml", b"<v>1", b"<v>2"),  # a sheet part: still valid, other values
    ("docProps/core.xml", b"creator", b"CREATOR"),     # a part calamine never reads
])
def test_a_part_whose_checksum_fails_stops_the_run_with_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], member: str, old: bytes, new: bytes) -> None:
    path = _stored_copy(_assets(tmp_path, "原.xlsx"), tmp_path / "坏.xlsx")
    with zipfile.ZipFile(path) as zf:
        if member not in zf.namelist():
            pytest.skip(f"{member} not written by this writer")
    _flip_in(path, member, old, new)
    out = tmp_path / "out"
    out.mkdir()
    status = main(["check", str(path), "--period", "2026-11", "--json", str(out / "r.json")])
    err = capsys.readouterr().err
    assert status == 2, err
    assert "损坏" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert list(out.iterdir()) == []


# ---- the first sheet read while pandas and pandera import ------------------------------------


def test_read_ahead_gives_every_grid_once_in_order_and_the_streams_inventory(tmp_path):
    from houqin_xl.read.ahead import read_ahead

    book = write_xlsx(tmp_path / "台账.xlsx", {"资产": [FA_HEADER, *fixed_asset_rows()],
                                              "说明": [["本表说明"]]})
    plain = [(g.sheet, g.rows) for g in iter_grids([book])]
    stream = iter_grids([book])
    ahead = read_ahead(stream)
    assert [(g.sheet, g.rows) for g in ahead] == plain
    assert ahead.inventory is stream.inventory  # what check() reports the files from
    assert ahead.input_paths() == [book]


def test_an_error_met_while_reading_ahead_reaches_the_caller_not_a_thread(tmp_path):
    from houqin_xl.read.ahead import read_ahead

    def stream():
        raise InputError("坏文件 / bad file")
        yield  # pragma: no cover - makes this a generator

    ahead = read_ahead(stream())
    with pytest.raises(InputError, match="bad file"):
        list(ahead)


def test_a_fresh_check_process_reads_ahead_and_finds_what_an_imported_one_finds(tmp_path):
    import json
    import subprocess
    import sys

    book = write_xlsx(tmp_path / "台账.xlsx", {"资产": [FA_HEADER, *fixed_asset_rows()]})
    fresh = subprocess.run([sys.executable, "-m", "houqin_xl.cli", "check", str(book), "--quiet",
                            "--json", str(tmp_path / "fresh.json")], capture_output=True, text=True)
    assert "Traceback" not in fresh.stderr
    main(["check", str(book), "--quiet", "--json", str(tmp_path / "here.json")])
    one, two = (json.loads((tmp_path / n).read_text(encoding="utf-8")) for n in ("fresh.json", "here.json"))
    assert one["findings"] == two["findings"] and one["ledgers"] == two["ledgers"]
