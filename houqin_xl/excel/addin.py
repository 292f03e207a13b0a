"""The Excel add-in houqin.xlam: a 后勤台账 ribbon tab whose buttons run the Python handlers.

Built on any OS from text sources in macros/: the VBA module(s) as .bas files and the ribbon
as customUI14.xml. pyOpenVBA writes the VBA project (we do not encode compound files or
MS-OVBA ourselves; vbaproject.py only sets the _VBA_PROJECT stream to what MS-OVBA requires of
a writer); this module adds the ribbon parts and their package relationships: customUI14.xml
(2009/07, read by Excel 2010 and later) and the same ribbon as customUI.xml (2006/01), the only
one Excel 2007 reads and the one xlwings' own add-in carries.

xlwings' RunPython is not copied into the add-in. The buttons call the xlwings add-in that
`xlwings addin install` puts in XLSTART (`Application.Run "'xlwings.xlam'!RunPython"`):
that RunPython treats the *active* workbook (the bursar's ledger) as the caller, whereas the
standalone xlwings.bas binds to ThisWorkbook, which would be our add-in; and the add-in that
`xlwings addin install` copies is the one shipped with the xlwings pip installed, so the VBA
and the Python package come from one release (xlwings does not check this at run time; the
doctor compares them).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..errors import InputError
from .vbaproject import normalise_project_stream

ADDIN_NAME = "houqin.xlam"
RIBBON_PART = "customUI/customUI14.xml"
RIBBON_REL_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
# Excel 2007's ribbon part: the same buttons in the 2006/01 schema, related with the 2006 type.
RIBBON_PART_2007 = "customUI/customUI.xml"
RIBBON_REL_TYPE_2007 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
CUSTOMUI_NS_2007 = "http://schemas.microsoft.com/office/2006/01/customui"
_PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

# A button on a sheet cannot pass a tag to its macro, so each handler has a one-line Sub.
SHEET_MACROS: dict[str, str] = {
    "validate": "HouqinValidate",
    "reconcile": "HouqinReconcile",
    "summarise": "HouqinSummarise",
    "clear_marks": "HouqinClearMarks",
    "monthly": "HouqinMonthly",
}


class AddinError(InputError):
    """The add-in cannot be built or installed; the message says what to do (the CLI prints
    it as one line and exits 2, like any unusable input)."""


@dataclass(frozen=True)
class RibbonButton:
    id: str
    label: str
    tag: str
    on_action: str
    image_mso: str


def macros_dir() -> Path:
    """The macros/ sources: the checkout's folder, or the copy shipped in the package."""
    from importlib import resources

    here = Path(__file__).resolve().parent.parent / "macros"
    if (here / "customUI14.xml").exists():
        return here
    shipped = Path(str(resources.files("houqin_xl.macro_files")))
    if (shipped / "customUI14.xml").exists():
        return shipped
    raise AddinError(f"找不到 macros/ 源文件 / macros/ sources not found: {here}")


def vba_sources(folder: Path | None = None) -> dict[str, str]:
    """Module name → source text, exactly as stored in macros/*.bas (CRLF line ends)."""
    folder = folder or macros_dir()
    modules: dict[str, str] = {}
    for path in sorted(folder.glob("*.bas")):
        text = path.read_bytes().decode("ascii")
        first = text.split("\r\n", 1)[0]
        if not first.startswith('Attribute VB_Name = "'):
            raise AddinError(f"{path.name}: first line must be Attribute VB_Name")
        modules[first.split('"')[1]] = text
    return modules


def ribbon_xml(folder: Path | None = None) -> bytes:
    return ((folder or macros_dir()) / "customUI14.xml").read_bytes()


def ribbon_buttons(xml: bytes | None = None) -> list[RibbonButton]:
    """Every button of the ribbon, in order, as declared in customUI14.xml."""
    root = ElementTree.fromstring(xml if xml is not None else ribbon_xml())
    return [
        RibbonButton(b.get("id", ""), b.get("label", ""), b.get("tag", ""),
                     b.get("onAction", ""), b.get("imageMso", ""))
        for b in root.iter(f"{{{CUSTOMUI_NS}}}button")
    ]


def ribbon_xml_2007(xml: bytes) -> bytes:
    """The 2009/07 ribbon as the 2006/01 part: every element and attribute we use exists in
    both schemas, so only the namespace differs."""
    old = CUSTOMUI_NS.encode()
    if xml.count(old) != 1:
        raise AddinError("customUI14.xml: expected the 2009/07 namespace exactly once")
    return xml.replace(old, CUSTOMUI_NS_2007.encode())


def _add_ribbon(path: Path, xml: bytes) -> None:
    """Put both customUI parts and their root relationships into the package, in place."""
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info.filename)) for info in src.infolist()]
    rels_name = "_rels/.rels"
    out = []
    for info, data in entries:
        if info.filename in (RIBBON_PART, RIBBON_PART_2007):
            continue
        if info.filename == rels_name:
            data = _with_ribbon_relationship(data)
        out.append((info.filename, data))
    out.append((RIBBON_PART, xml))
    out.append((RIBBON_PART_2007, ribbon_xml_2007(xml)))
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in out:
            # A fixed timestamp: the same sources give the same add-in bytes.
            dst.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    os.replace(tmp, path)


def _with_ribbon_relationship(rels: bytes) -> bytes:
    ElementTree.register_namespace("", _PKG_RELS_NS)
    root = ElementTree.fromstring(rels)
    tag = f"{{{_PKG_RELS_NS}}}Relationship"
    for rel in list(root.iter(tag)):
        if rel.get("Type") in (RIBBON_REL_TYPE, RIBBON_REL_TYPE_2007):
            root.remove(rel)
    ids = {rel.get("Id") for rel in root.iter(tag)}
    for rel_type, target in ((RIBBON_REL_TYPE, RIBBON_PART),
                             (RIBBON_REL_TYPE_2007, RIBBON_PART_2007)):
        n = 1
        while f"rIdHouqinUI{n}" in ids:
            n += 1
        ids.add(f"rIdHouqinUI{n}")
        ElementTree.SubElement(root, tag, {"Id": f"rIdHouqinUI{n}", "Type": rel_type,
                                           "Target": target})
    return ElementTree.tostring(root, encoding="UTF-8", xml_declaration=True)


def write_vba(target: Path, modules: dict[str, str], drop: tuple[str, ...] = ("Module1",)) -> None:
    """Replace the standard modules of an existing macro-enabled file with `modules`."""
    from pyopenvba import ExcelFile

    with ExcelFile(target) as book:
        try:
            project = book.vba_project()
        except Exception:  # a workbook with no project yet gets Excel's empty one
            book.add_vba_project()
            project = book.vba_project()
        present = set(book.module_names())
        for name in drop:
            if name in present and name not in modules:
                project.delete_module(name)
        for name, source in modules.items():
            if name in present:
                book.set_module(name, source)
            else:
                project.add_module(name, source)
        book.save()


def build_addin(out: Path) -> Path:
    """Build houqin.xlam at `out` (a file path, or a folder to put houqin.xlam in)."""
    from pyopenvba import ExcelFile

    out = Path(out)
    if out.suffix.lower() != ".xlam":
        out = out / ADDIN_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    folder = macros_dir()
    modules = vba_sources(folder)
    xml = ribbon_xml(folder)
    _check_ribbon_against_vba(xml, modules)
    # Build beside the target and move into place: a failed build never leaves half a file.
    fd, tmp_name = tempfile.mkstemp(prefix=".houqin-", suffix=".xlam", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with ExcelFile.create_new(tmp) as book:
            book.save()
        write_vba(tmp, modules)
        normalise_project_stream(tmp)
        _add_ribbon(tmp, xml)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _check_ribbon_against_vba(xml: bytes, modules: dict[str, str]) -> None:
    """Refuse to build a ribbon whose button calls a Sub or a handler that does not exist."""
    from .handlers import HANDLERS

    code = "\n".join(modules.values())
    for button in ribbon_buttons(xml):
        if f"Sub {button.on_action}(" not in code:
            raise AddinError(f"ribbon button {button.id}: no VBA Sub {button.on_action}")
        if button.tag not in HANDLERS:
            raise AddinError(f"ribbon button {button.id}: no Python handler {button.tag!r}")


def excel_startup_path() -> Path | None:
    """Excel's own answer (Application.StartupPath), asked through xlwings: a running Excel,
    or one started invisibly for the question. None where Excel cannot be reached (no Excel,
    another OS, Excel busy with a dialog)."""
    if not (sys.platform.startswith("win") or sys.platform == "darwin"):
        return None
    try:
        import xlwings as xw

        if xw.apps.count:
            return Path(xw.apps.active.startup_path)
        with xw.App(visible=False, add_book=False) as app:
            return Path(app.startup_path)
    except Exception:  # any failure to reach Excel: fall back to the usual folder
        return None


def default_xlstart_dir(platform: str | None = None) -> Path:
    """The usual user startup folder, for when Excel cannot be asked."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        appdata = os.environ.get("APPDATA")
        if not appdata:
            raise AddinError("APPDATA is not set; cannot find XLSTART")
        return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"
    if platform == "darwin":
        return (Path.home() / "Library" / "Group Containers" / "UBF8T346G9.Office"
                / "User Content.localized" / "Startup.localized" / "Excel")
    raise AddinError("Excel 加载项只能安装在 Windows 或 macOS 上 / "
                     "the add-in can only be installed on Windows or macOS")


def xlstart_dir() -> Path:
    """The user's startup folder (XLSTART): Excel opens every workbook and add-in found there.
    Excel is asked first, since a school's Office may be set up to use another folder."""
    return excel_startup_path() or default_xlstart_dir()


def install_addin(source: Path | None = None, target_dir: Path | None = None,
                  fix_xlwings_conf: bool | None = None) -> Path:
    """Copy houqin.xlam into XLSTART (built fresh unless `source` is given); return the copy.
    On Windows also make xlwings.conf readable by xlwings' VBA (see xlwingsconf.py)."""
    target_dir = Path(target_dir) if target_dir is not None else xlstart_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / ADDIN_NAME
    if (target_dir / ("~$" + ADDIN_NAME)).exists():
        raise AddinError(f"请先关闭Excel再安装 / close Excel first: {target}")
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(source) if source is not None else build_addin(Path(tmp) / ADDIN_NAME)
        try:
            shutil.copyfile(built, target)
        except PermissionError as exc:
            raise AddinError(f"无法写入（Excel 是否正在运行？）/ cannot write, is Excel running? "
                             f"{target}") from exc
    if fix_xlwings_conf is None:
        fix_xlwings_conf = sys.platform.startswith("win")
    if fix_xlwings_conf:
        from . import xlwingsconf

        conf = xlwingsconf.user_config_path()
        if xlwingsconf.problems(conf, sys.executable, encoding=xlwingsconf.ansi_code_page(),
                                environ=os.environ):
            xlwingsconf.repair(conf, sys.executable, encoding=xlwingsconf.ansi_code_page(),
                               environ=os.environ)
    return target


# Run under a Python that has LibreOffice's `uno` module (the system python3 on Debian/Ubuntu
# with python3-uno), not in our virtualenv: it opens each file in a private headless
# LibreOffice and prints, as JSON, the sheets, the VBA modules LibreOffice imported and every
# form control with the macro its click is bound to.
_LIBREOFFICE_SCRIPT = r'''
import json, os, subprocess, sys, tempfile, time, uuid
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value
    return p

pipe = "houqin_" + uuid.uuid4().hex
profile = tempfile.mkdtemp(prefix="houqin-lo-")
proc = subprocess.Popen([os.environ.get("HOUQIN_SOFFICE", "soffice"), "--headless", "--invisible",
                         "--norestore", "--nologo", "-env:UserInstallation=file://" + profile,
                         "--accept=pipe,name=%s;urp;" % pipe],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
desktop = None
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(1200):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            if proc.poll() is not None:
                raise SystemExit("LibreOffice exited before accepting a connection")
            time.sleep(0.1)
    else:
        raise SystemExit("LibreOffice did not start")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    out = {}
    for path in sys.argv[1:]:
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (
            prop("Hidden", True), prop("MacroExecutionMode", 4),
            prop("FilterName", "Calc MS Excel 2007 XML")))
        if doc is None:
            out[path] = None
            continue
        info = {"sheets": list(doc.Sheets.ElementNames), "modules": {}, "controls": []}
        libraries = doc.BasicLibraries
        for library_name in libraries.ElementNames:
            libraries.loadLibrary(library_name)
            library = libraries.getByName(library_name)
            for module in library.ElementNames:
                info["modules"][module] = library.getByName(module)
        for sheet_name in doc.Sheets.ElementNames:
            forms = doc.Sheets.getByName(sheet_name).DrawPage.Forms
            for fi in range(forms.Count):
                form = forms.getByIndex(fi)
                for ci in range(form.Count):
                    model = form.getByIndex(ci)
                    info["controls"].append({
                        "sheet": sheet_name, "name": model.Name,
                        "label": getattr(model, "Label", None),
                        "macros": [e.ScriptCode for e in form.getScriptEvents(ci)
                                   if e.EventMethod == "actionPerformed"],
                    })
        out[path] = info
        doc.close(True)
    print(json.dumps(out, ensure_ascii=False))
finally:
    if desktop is not None:
        try:
            desktop.terminate()
        except Exception:
            pass
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
'''


def uno_python() -> str | None:
    """A Python interpreter that can import LibreOffice's `uno`, or None."""
    import subprocess

    candidates = [os.environ.get("HOUQIN_UNO_PYTHON"), "/usr/bin/python3", shutil.which("python3")]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True)
            if probe.returncode == 0:
                return candidate
    return None


def inspect_with_libreoffice(*paths: Path, timeout: float = 600) -> dict:
    """Open workbooks in headless LibreOffice; report sheets, VBA modules and button macros."""
    import json
    import subprocess

    python = uno_python()
    if python is None or shutil.which(os.environ.get("HOUQIN_SOFFICE", "soffice")) is None:
        raise AddinError("LibreOffice (soffice) with python3-uno is needed for this check")
    done = subprocess.run([python, "-c", _LIBREOFFICE_SCRIPT, *map(str, paths)],
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise AddinError(f"LibreOffice check failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)
