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


def test_install_finds_xlstart_on_windows(monkeypatch, tmp_path):
    monkeypatch.setattr(addin.sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path))
    assert addin.xlstart_dir() == tmp_path / "Microsoft" / "Excel" / "XLSTART"


def test_libreoffice_opens_the_addin_and_lists_its_modules(built):
    require_libreoffice(uno=True)
    report = addin.inspect_with_libreoffice(built)[str(built)]
    assert report is not None, "LibreOffice could not open the add-in"
    assert set(addin.vba_sources()) <= set(report["modules"])
    code = report["modules"]["HouqinButtons"]
    for sub in _subs(addin.vba_sources()["HouqinButtons"]):
        assert f"Sub {sub}(" in code
