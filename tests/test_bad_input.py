"""Input that cannot be used: exit status 2, one line on stderr, no traceback, no output file."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import FA_HEADER, encrypt, fixed_asset_rows, write_xls, write_xlsx

from houqin_xl.cli import main


def _good(path: Path) -> Path:
    return write_xlsx(path, {"台账": [FA_HEADER, *fixed_asset_rows()]})


def _missing(tmp: Path) -> list[str]:
    return [str(tmp / "没有这个文件.xlsx")]


def _truncated(tmp: Path) -> list[str]:
    data = _good(tmp / "full.xlsx").read_bytes()
    (tmp / "full.xlsx").unlink()
    (tmp / "截断.xlsx").write_bytes(data[: len(data) // 2])
    return [str(tmp / "截断.xlsx")]


def _corrupt_member(tmp: Path) -> list[str]:
    path = _good(tmp / "坏.xlsx")
    data = bytearray(path.read_bytes())
    middle = len(data) // 3
    data[middle:middle + 40] = b"\x00" * 40  # damages a compressed part, keeps the zip index
    path.write_bytes(bytes(data))
    return [str(path)]


def _encrypted(tmp: Path) -> list[str]:
    plain = _good(tmp / "plain.xlsx")
    target = encrypt(plain, tmp / "加密.xlsx")
    plain.unlink()
    return [str(target)]


def _zero_bytes(tmp: Path) -> list[str]:
    (tmp / "空.xlsx").write_bytes(b"")
    return [str(tmp / "空.xlsx")]


def _empty_workbook(tmp: Path) -> list[str]:
    return [str(write_xlsx(tmp / "空白.xlsx", {"Sheet1": []}))]


def _no_ledger(tmp: Path) -> list[str]:
    return [str(write_xlsx(tmp / "通讯录.xlsx", {"Sheet1": [["姓名", "电话"], ["张三", "138"]]}))]


def _text_named_xlsx(tmp: Path) -> list[str]:
    (tmp / "假的.xlsx").write_text("资产编号,资产名称,原值\nA1,钢琴,12000\n", encoding="utf-8")
    return [str(tmp / "假的.xlsx")]


def _garbage_xls(tmp: Path) -> list[str]:
    (tmp / "旧.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    return [str(tmp / "旧.xls")]


def _zip_not_excel(tmp: Path) -> list[str]:
    import zipfile

    with zipfile.ZipFile(tmp / "文档.xlsx", "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    return [str(tmp / "文档.xlsx")]


def _empty_folder(tmp: Path) -> list[str]:
    (tmp / "空文件夹").mkdir()
    return [str(tmp / "空文件夹")]


def _good_and_missing(tmp: Path) -> list[str]:
    return [str(_good(tmp / "好.xlsx")), str(tmp / "缺.xlsx")]


def _good_and_text(tmp: Path) -> list[str]:
    (tmp / "假的.xls").write_text("not excel", encoding="utf-8")
    return [str(_good(tmp / "好.xlsx")), str(tmp / "假的.xls")]


def _xls_no_ledger(tmp: Path) -> list[str]:
    return [str(write_xls(tmp / "说明.xls", {"说明": [["填表说明"], ["每月更新"]]}))]


BAD_INPUTS: dict[str, Callable[[Path], list[str]]] = {
    "missing file": _missing,
    "truncated file": _truncated,
    "corrupt part": _corrupt_member,
    "encrypted workbook": _encrypted,
    "zero bytes": _zero_bytes,
    "empty workbook": _empty_workbook,
    "no ledger": _no_ledger,
    "no ledger in xls": _xls_no_ledger,
    "text file named xlsx": _text_named_xlsx,
    "garbage xls": _garbage_xls,
    "zip that is not excel": _zip_not_excel,
    "empty folder": _empty_folder,
    "good and missing": _good_and_missing,
    "good and text": _good_and_text,
}


def _one_clean_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("houqin-xl: ")
    return lines[0]


@pytest.mark.parametrize("make", list(BAD_INPUTS.values()), ids=list(BAD_INPUTS))
def test_unusable_input_exits_2_with_one_line_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Callable[[Path], list[str]]) -> None:
    paths = make(tmp_path)
    out_json, out_xlsx = tmp_path / "out" / "r.json", tmp_path / "out" / "r.xlsx"
    out_json.parent.mkdir()
    status = main(["check", *paths, "--period", "2026-11", "--json", str(out_json),
                   "--report", str(out_xlsx)])
    captured = capsys.readouterr()
    assert status == 2, captured
    line = _one_clean_line(captured.err)
    assert "internal error" not in line and "内部错误" not in line
    assert captured.out == ""
    assert list(out_json.parent.iterdir()) == []


@pytest.mark.parametrize(("make", "words"), [
    (_missing, "找不到文件"), (_encrypted, "密码"), (_truncated, "损坏"), (_no_ledger, "没有识别出任何台账"),
    (_text_named_xlsx, "不是Excel工作簿"), (_empty_workbook, "没有任何数据"), (_zero_bytes, "空"),
])
def test_the_line_tells_the_bursar_what_is_wrong(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 make: Callable[[Path], list[str]], words: str) -> None:
    paths = make(tmp_path)
    assert main(["check", *paths]) == 2
    line = _one_clean_line(capsys.readouterr().err)
    assert words in line
    assert Path(paths[0]).name in line


@pytest.mark.parametrize("argv", [
    ["--period", "2026-13"], ["--period", "November"], ["--config", "没有.toml"],
])
def test_bad_options_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    good = _good(tmp_path / "好.xlsx")
    out_json = tmp_path / "r.json"
    assert main(["check", str(good), *argv, "--json", str(out_json)]) == 2
    _one_clean_line(capsys.readouterr().err)
    assert not out_json.exists()


def test_a_broken_settings_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _good(tmp_path / "好.xlsx")
    (tmp_path / "houqin.toml").write_text("category_set = \n", encoding="utf-8")
    assert main(["check", str(good)]) == 2
    _one_clean_line(capsys.readouterr().err)


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    """The same through a real process, as a scheduler would run it."""
    paths = _encrypted(tmp_path)
    out_json = tmp_path / "r.json"
    proc = subprocess.run(
        [sys.executable, "-m", "houqin_xl.cli", "check", *paths, "--json", str(out_json)],
        capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 2, proc.stderr
    _one_clean_line(proc.stderr)
    assert proc.stdout == ""
    assert not out_json.exists()


def _unknown_zip_version(path: Path) -> Path:
    """The central directory says a newer zip version is needed to extract the first part
    (bytes overwritten, or a zip tool Python's zipfile does not know): it raises
    NotImplementedError, which is no BadZipFile (found by the fuzz suite as an exit 3)."""
    data = bytearray(path.read_bytes())
    at = data.index(b"PK\x01\x02")
    data[at + 6:at + 8] = (131).to_bytes(2, "little")
    path.write_bytes(bytes(data))
    return path


def test_a_zip_needing_a_version_python_does_not_know_is_one_line_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = _unknown_zip_version(write_xlsx(tmp_path / "台账.xlsx", {"资产": [FA_HEADER, *fixed_asset_rows()]}))
    assert main(["check", str(book)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "损坏" in err[0] and "Traceback" not in err[0]


def test_in_a_folder_that_file_is_named_unreadable_and_the_others_are_checked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    folder = tmp_path / "台账"
    folder.mkdir()
    _unknown_zip_version(write_xlsx(folder / "坏的.xlsx", {"资产": [FA_HEADER, *fixed_asset_rows()]}))
    write_xlsx(folder / "好的.xlsx", {"资产": [FA_HEADER, *fixed_asset_rows()]})
    assert main(["check", str(folder), "--json", str(tmp_path / "out.json"), "--quiet"]) in (0, 1)
    files = {Path(f["path"]).name: f["outcome"] for f in json.loads((tmp_path / "out.json").read_text("utf-8"))["files"]}
    assert files == {"坏的.xlsx": "unreadable", "好的.xlsx": "read"}
