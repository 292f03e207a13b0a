"""The add-in houqin.xlam: built on Linux from macros/, checked by olevba and LibreOffice."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from libreoffice import require_libreoffice

from houqin_xl.excel import addin
from houqin_xl.excel.handlers import HANDLERS


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return addin.build_addin(tmp_path_factory.mktemp("addin"))


def _subs(source: str) -> dict[str, str]:
    """Sub name → its parameter list, for every Sub in a VBA module."""
    return {m.group(1): m.group(2)
            for m in re.finditer(r"^(?:Public |Private )?Sub (\w+)\(([^)]*)\)", source, re.M)}


def test_every_vba_module_decodes_byte_for_byte_equal_to_its_source(built):
    from oletools.olevba import VBA_Parser

    sources = addin.vba_sources()
    assert sources, "macros/ holds no .bas module"
    parser = VBA_Parser(str(built))
    try:
        decoded = {name.rsplit(".", 1)[0]: code
                   for _f, _s, name, code in parser.extract_macros()}
    finally:
        parser.close()
    for name, source in sources.items():
        assert decoded[name].encode("latin-1") == source.encode("ascii"), name


def test_vba_sources_are_ascii_with_crlf_line_ends():
    for path in addin.macros_dir().glob("*.bas"):
        data = path.read_bytes()
        assert data.isascii(), f"{path.name}: keep VBA ASCII (code page independent)"
        assert b"\n" not in data.replace(b"\r\n", b""), f"{path.name}: bare LF"


def test_the_ribbon_is_a_customui_part_related_from_the_package_root(built):
    with zipfile.ZipFile(built) as z:
        assert z.read(addin.RIBBON_PART) == addin.ribbon_xml()
        rels = ElementTree.fromstring(z.read("_rels/.rels"))
        targets = [r.get("Target") for r in rels if r.get("Type") == addin.RIBBON_REL_TYPE]
        assert targets == [addin.RIBBON_PART]
        types = z.read("[Content_Types].xml").decode()
        assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in types


def test_ribbon_tab_holds_the_five_buttons_with_chinese_labels_and_office_icons():
    root = ElementTree.fromstring(addin.ribbon_xml())
    tabs = list(root.iter(f"{{{addin.CUSTOMUI_NS}}}tab"))
    assert [t.get("label") for t in tabs] == ["后勤台账"]
    buttons = addin.ribbon_buttons()
    assert [b.label for b in buttons] == ["校验台账", "对账", "汇总", "清除标记", "月度对账"]
    assert all(b.image_mso for b in buttons)


def test_every_ribbon_button_maps_to_a_vba_sub_and_a_python_handler():
    subs = _subs("\n".join(addin.vba_sources().values()))
    for button in addin.ribbon_buttons():
        assert button.on_action in subs, button
        assert "IRibbonControl" in subs[button.on_action]
        assert button.tag in HANDLERS, button
    assert {b.tag for b in addin.ribbon_buttons()} == set(HANDLERS)


def test_the_callback_runs_the_dispatcher_through_xlwings_runpython():
    source = addin.vba_sources()["HouqinButtons"]
    assert "HouqinRun control.Tag" in source
    assert "import houqin_xl.excel as h; h.dispatch('\" & action & \"')" in source
    assert "'xlwings.xlam'!RunPython" in source
    # A sheet button has no tag: each sheet macro passes its handler's name.
    for tag, macro in addin.SHEET_MACROS.items():
        body = source.split(f"Sub {macro}()", 1)[1].split("End Sub", 1)[0]
        assert f'HouqinRun "{tag}"' in body


def test_without_the_xlwings_addin_the_message_gives_the_command_for_the_right_python():
    """Bare `xlwings addin install` may run another Python's xlwings (issue 17): every hint
    says `py -m xlwings.cli addin install`, the Python Excel will use."""
    source = addin.vba_sources()["HouqinButtons"]
    assert source.count("py -m xlwings.cli addin install") == 2
    assert '"    xlwings addin install"' not in source and "Run: xlwings addin" not in source


def test_the_summarise_tooltip_names_every_summary_sheet():
    from houqin_xl.excel.sheets import SUMMARY_SHEETS

    root = ElementTree.fromstring(addin.ribbon_xml())
    tip = next(b.get("supertip") for b in root.iter(f"{{{addin.CUSTOMUI_NS}}}button")
               if b.get("tag") == "summarise")
    assert all(name in tip for name in SUMMARY_SHEETS), tip


def test_build_refuses_a_ribbon_button_without_its_sub(tmp_path, monkeypatch):
    text = addin.ribbon_xml().decode("utf-8")
    broken = text.replace('imageMso="ClearFormats" onAction="HouqinOnAction"',
                          'imageMso="ClearFormats" onAction="NoSuchSub"').encode("utf-8")
    assert broken != addin.ribbon_xml()
    monkeypatch.setattr(addin, "ribbon_xml", lambda folder=None: broken)
    with pytest.raises(addin.AddinError, match="NoSuchSub"):
        addin.build_addin(tmp_path)
    assert not (tmp_path / addin.ADDIN_NAME).exists()


def test_install_copies_the_addin_into_the_startup_folder(built, tmp_path):
    target = addin.install_addin(source=built, target_dir=tmp_path / "XLSTART")
    assert target == tmp_path / "XLSTART" / "houqin.xlam"
    assert target.read_bytes() == built.read_bytes()


def test_install_falls_back_to_the_usual_xlstart_on_windows(monkeypatch, tmp_path):
    monkeypatch.setattr(addin, "excel_startup_path", lambda: None)  # Excel cannot be asked
    monkeypatch.setattr(addin.sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path))
    assert addin.xlstart_dir() == tmp_path / "Microsoft" / "Excel" / "XLSTART"


def test_install_asks_excel_for_its_startup_folder_first(monkeypatch, tmp_path):
    # A school's Office can be set up with another startup folder: Excel's answer wins.
    monkeypatch.setattr(addin, "excel_startup_path", lambda: tmp_path / "学校的启动文件夹")
    monkeypatch.setenv("APPDATA", str(tmp_path / "appdata"))
    assert addin.xlstart_dir() == tmp_path / "学校的启动文件夹"


def test_the_vba_project_stream_is_what_ms_ovba_requires_of_a_writer(built):
    """[MS-OVBA] 2.3.4.1: Version 0xFFFF and no performance cache on write, as in xlwings'
    own add-in — not pyOpenVBA's 0x00B5 with a zeroed cache Excel might trust."""
    from houqin_xl.excel import vbaproject

    assert vbaproject.project_stream(built) == bytes.fromhex("CC61FFFF000100")
    assert vbaproject.stream_problem(vbaproject.project_stream(built)) is None
    stale = bytes.fromhex("CC61B50000") + bytes(2539)  # what pyOpenVBA leaves
    assert "0x00B5" in vbaproject.stream_problem(stale)


def test_excel_2007_finds_the_same_ribbon_in_the_2006_part(built):
    with zipfile.ZipFile(built) as z:
        old = z.read(addin.RIBBON_PART_2007)
        rels = ElementTree.fromstring(z.read("_rels/.rels"))
    targets = {r.get("Type"): r.get("Target") for r in rels}
    assert targets[addin.RIBBON_REL_TYPE_2007] == addin.RIBBON_PART_2007
    assert targets[addin.RIBBON_REL_TYPE] == addin.RIBBON_PART
    root = ElementTree.fromstring(old)
    assert root.tag == f"{{{addin.CUSTOMUI_NS_2007}}}customUI"
    buttons = [b.get("label") for b in root.iter(f"{{{addin.CUSTOMUI_NS_2007}}}button")]
    assert buttons == [b.label for b in addin.ribbon_buttons()]


def test_install_makes_xlwings_conf_readable_by_the_vba(built, tmp_path, monkeypatch):
    """Python 3.15 writes xlwings.conf in UTF-8; a Chinese user name then reads as mojibake in
    xlwings' VBA. Installing our add-in rewrites the line so both the VBA and Python read it."""
    from houqin_xl.excel import xlwingsconf

    home = "C:\\Users\\张老师"
    python = home + "\\AppData\\Local\\Programs\\Python\\Python315\\python.exe"
    conf = tmp_path / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir()
    conf.write_bytes(f'"INTERPRETER_WIN","{python}"\n'.encode())  # UTF-8, as 3.15 writes it
    environ = {"USERPROFILE": home, "LOCALAPPDATA": home + "\\AppData\\Local"}
    monkeypatch.setattr(xlwingsconf, "user_config_path", lambda: conf)
    monkeypatch.setattr(xlwingsconf, "ansi_code_page", lambda: "cp936")
    monkeypatch.setattr(addin.os, "environ", environ)
    monkeypatch.setattr(addin.sys, "executable", python)
    monkeypatch.setattr(addin.sys, "platform", "win32")
    assert xlwingsconf.problems(conf, python, encoding="cp936", environ=environ,
                                platform="win32")
    addin.install_addin(source=built, target_dir=tmp_path / "XLSTART")
    assert conf.read_bytes().isascii()
    assert xlwingsconf.problems(conf, python, encoding="cp936", environ=environ,
                                platform="win32") == []
    assert xlwingsconf.read_as_vba(conf, "cp936")["INTERPRETER_WIN"] == \
        "%LOCALAPPDATA%\\Programs\\Python\\Python315\\python.exe"


def test_libreoffice_opens_the_addin_and_lists_its_modules(built):
    require_libreoffice(uno=True)
    report = addin.inspect_with_libreoffice(built)[str(built)]
    assert report is not None, "LibreOffice could not open the add-in"
    assert set(addin.vba_sources()) <= set(report["modules"])
    code = report["modules"]["HouqinButtons"]
    for sub in _subs(addin.vba_sources()["HouqinButtons"]):
        assert f"Sub {sub}(" in code


def test_protected_view_gets_its_own_message_not_open_a_ledger_first():
    """A ledger opened from an e-mail sits in Protected View: ActiveWorkbook is Nothing there.
    The button says to click 启用编辑; the property is asked late-bound (Excel 2007 lacks it)."""
    source = addin.vba_sources()["HouqinButtons"]
    body = source.split("Sub HouqinRun(", 1)[1].split("End Sub", 1)[0]
    assert "InProtectedView()" in body
    helper = source.split("Function InProtectedView()", 1)[1].split("End Function", 1)[0]
    assert "Dim app As Object" in helper and "app.ActiveProtectedViewWindow" in helper
    assert "On Error Resume Next" in helper
    assert " ".join(f"{ord(c):04X}" for c in "启用编辑") in body
