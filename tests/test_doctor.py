"""houqin-xl doctor finds each fault it is meant to find: a healthy school PC is set up in a
temporary folder, then one fault at a time is planted in it."""

from __future__ import annotations

import dataclasses
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from houqin_xl.excel import doctor, vbaproject
from houqin_xl.excel.addin import build_addin
from houqin_xl.excel.template import build_template

USER = "C:\\Users\\张老师"
PYTHON = USER + "\\AppData\\Local\\Programs\\Python\\Python315\\python.exe"
ENVIRON = {"USERPROFILE": USER, "LOCALAPPDATA": USER + "\\AppData\\Local",
           "APPDATA": USER + "\\AppData\\Roaming"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("built")
    return {"addin": build_addin(folder), "template": build_template(folder)}


@pytest.fixture
def healthy(tmp_path, built) -> doctor.Machine:
    """A Windows PC set up as docs/excel.md says: Python 3.15 under a Chinese user name."""
    import xlwings

    startup = tmp_path / "XLSTART"
    startup.mkdir()
    shutil.copy(Path(xlwings.__file__).parent / "addin" / "xlwings.xlam", startup)
    shutil.copy(built["addin"], startup / "houqin.xlam")
    conf = tmp_path / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir()
    conf.write_bytes(b'"INTERPRETER_WIN","%LOCALAPPDATA%\\Programs\\Python\\Python315\\python.exe"\r\n')
    template = tmp_path / "后勤台账模板.xlsm"
    shutil.copy(built["template"], template)
    return doctor.Machine(
        platform="win32", python=PYTHON, python_version=(3, 15, 0), utf8_mode=True,
        xlwings_version=xlwings.__version__, package_file="C:\\Python\\Lib\\site-packages\\houqin_xl\\__init__.py",
        package_has_data=True, startup_dir=startup, startup_dir_from_excel=True,
        xlwings_conf=conf, ansi_code_page="cp936", environ=ENVIRON, template=template)


def broken(machine: doctor.Machine) -> dict[str, doctor.Check]:
    return {c.title: c for c in doctor.examine(machine) if c.ok is False}


def test_a_healthy_pc_passes_every_check(healthy):
    checks = doctor.examine(healthy)
    assert all(c.ok for c in checks), doctor.render(checks)
    assert "没有发现问题" in doctor.render(checks)


def test_an_old_python_or_xlwings_is_found(healthy):
    assert "Python 版本" in broken(dataclasses.replace(healthy, python_version=(3, 10, 4)))
    found = broken(dataclasses.replace(healthy, xlwings_version="0.37.4"))
    assert 'py -m pip install -U "xlwings>=0.37.5"' in found["xlwings"].fix
    assert "xlwings" in broken(dataclasses.replace(healthy, xlwings_version=None))


def test_houqin_xl_imported_from_a_source_folder_is_found(healthy, tmp_path):
    found = broken(dataclasses.replace(healthy, package_has_data=False))
    assert "py -m pip install ." in found["houqin_xl 的来源"].fix
    source = tmp_path / "houqin-xl"
    (source / "houqin_xl").mkdir(parents=True)
    (source / "houqin_xl" / "__init__.py").write_text("")
    checks = doctor.examine(dataclasses.replace(healthy, ledger=source / "台账.xlsx"))
    warning = next(c for c in checks if c.title == "台账所在文件夹")
    assert warning.ok is None and "别的文件夹" in warning.fix


def test_the_add_ins_missing_from_the_startup_folder_are_found(healthy):
    (healthy.startup_dir / "xlwings.xlam").unlink()
    (healthy.startup_dir / "houqin.xlam").unlink()
    found = broken(healthy)
    assert "py -m xlwings.cli addin install" in found["xlwings 加载项"].fix
    assert "houqin-xl addin install" in found["后勤台账加载项"].fix


def test_an_xlwings_add_in_of_another_release_is_found(healthy):
    found = broken(dataclasses.replace(healthy, xlwings_version="0.37.5"))
    assert "xlwings 加载项" in found and "0.37.5" in found["xlwings 加载项"].detail


def test_an_add_in_whose_vba_stream_excel_may_mistrust_is_found(healthy):
    """pyOpenVBA's 0x00B5 with a zeroed cache, as the add-in was built before."""
    from pyopenvba.cfb import CFB

    addin = healthy.startup_dir / "houqin.xlam"
    with zipfile.ZipFile(addin) as src:
        entries = [(info, src.read(info.filename)) for info in src.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info, data in entries:
            if info.filename == vbaproject.VBA_PROJECT_PART:
                cfb = CFB.from_bytes(data)
                cfb.write_stream_in_storage("VBA", "_VBA_PROJECT",
                                            bytes.fromhex("CC61B50000") + bytes(2539))
                data = cfb.to_bytes()
            dst.writestr(info, data)
    addin.write_bytes(out.getvalue())
    found = broken(healthy)
    assert "0x00B5" in found["后勤台账加载项"].detail


def test_an_xlwings_conf_written_in_utf8_is_found(healthy):
    """Python 3.15 writes xlwings.conf in UTF-8; xlwings' VBA reads it as GBK."""
    healthy.xlwings_conf.write_bytes(f'"INTERPRETER_WIN","{PYTHON}"\n'.encode())
    found = broken(healthy)
    assert "UTF-8" in found["xlwings.conf"].detail
    assert "houqin-xl addin install" in found["xlwings.conf"].fix


def test_an_xlwings_conf_pointing_at_another_python_or_missing_is_found(healthy):
    healthy.xlwings_conf.write_bytes(b'"INTERPRETER_WIN","C:\\Python39\\python.exe"\r\n')
    assert "C:\\Python39\\python.exe" in broken(healthy)["xlwings.conf"].detail
    healthy.xlwings_conf.unlink()
    assert "没有 xlwings.conf" in broken(healthy)["xlwings.conf"].detail


def test_a_template_from_a_downloaded_zip_is_found(healthy):
    """Explorer keeps the Mark of the Web in the Zone.Identifier stream; here it is planted
    as the file of that name."""
    Path(str(healthy.template) + ":Zone.Identifier").write_text(
        "[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=about:internet\r\n")
    found = broken(healthy)
    assert "解除锁定" in found["模板的来源标记"].fix and "houqin-xl template" in found["模板的来源标记"].fix
    Path(str(healthy.startup_dir / "houqin.xlam") + ":Zone.Identifier").write_text("ZoneId=3")
    assert "后勤台账加载项的来源标记" in broken(healthy)


def test_the_report_names_each_fault_and_what_to_do(healthy, capsys, monkeypatch):
    from houqin_xl.cli import main

    healthy.xlwings_conf.unlink()
    monkeypatch.setattr(doctor, "this_machine", lambda ledger=None, template=None: healthy)
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "[问题] xlwings.conf" in out and "怎么办：运行 houqin-xl addin install" in out
    assert "发现 1 个问题" in out
