"""houqin-xl doctor: why does a button do nothing? Every link of the chain checked, explained in
Chinese, with what to do for each one that is broken.

The chain, from her click to the report: Excel loads houqin.xlam and xlwings.xlam from its
startup folder → our VBA calls xlwings' RunPython → xlwings' VBA reads xlwings.conf (in the
Windows code page) to find python.exe → that Python imports houqin_xl (the installed package,
not a source folder) and an xlwings new enough for the buttons → the handlers run. Beside the
chain: a template downloaded in a zip carries the Mark of the Web (Office then blocks its
macros with no 启用内容 button), and a VBA project stream Excel may mistrust.

Everything the doctor looks at is in `Machine`, so a test plants one fault and sees it found.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import xlwingsconf
from .addin import ADDIN_NAME
from .handlers import MIN_XLWINGS, xlwings_too_old
from .vbaproject import project_stream, stream_problem

MIN_PYTHON = (3, 11)
XLWINGS_ADDIN = "xlwings.xlam"


@dataclass
class Check:
    """One link of the chain: `ok` True (fine), False (broken) or None (a warning)."""

    title: str
    ok: bool | None
    detail: str
    fix: str = ""


@dataclass
class Machine:
    """What the doctor examines. `this_machine()` fills it from the running Python."""

    platform: str
    python: str
    python_version: tuple[int, int, int]
    utf8_mode: bool
    xlwings_version: str | None
    package_file: str
    package_has_data: bool  # houqin_xl.schema_files importable: an installed package
    startup_dir: Path | None
    startup_dir_from_excel: bool
    xlwings_conf: Path
    ansi_code_page: str
    environ: Mapping[str, str] = field(default_factory=dict)
    template: Path | None = None
    ledger: Path | None = None


def this_machine(ledger: Path | None = None, template: Path | None = None) -> Machine:
    import houqin_xl

    from .addin import default_xlstart_dir, excel_startup_path

    try:
        import xlwings

        xlwings_version: str | None = xlwings.__version__
    except Exception:
        xlwings_version = None
    asked = excel_startup_path()
    try:
        startup = asked or default_xlstart_dir()
    except Exception:  # not Windows or macOS: there is no Excel startup folder to look in
        startup = None
    if template is None:
        from .template import TEMPLATE_NAME

        for folder in (Path.cwd(), Path.cwd() / "workbooks", Path.home() / "Downloads",
                       Path.home() / "Desktop"):
            if (folder / TEMPLATE_NAME).is_file():
                template = folder / TEMPLATE_NAME
                break
    return Machine(
        platform=sys.platform, python=sys.executable,
        python_version=tuple(sys.version_info[:3]), utf8_mode=bool(sys.flags.utf8_mode),
        xlwings_version=xlwings_version, package_file=str(houqin_xl.__file__),
        package_has_data=importlib.util.find_spec("houqin_xl.schema_files") is not None,
        startup_dir=startup, startup_dir_from_excel=asked is not None,
        xlwings_conf=xlwingsconf.user_config_path(), ansi_code_page=xlwingsconf.ansi_code_page(),
        environ=dict(os.environ), template=template, ledger=ledger)


# ---- the checks ---------------------------------------------------------------------------------


def check_python(m: Machine) -> Check:
    version = ".".join(map(str, m.python_version))
    if m.python_version[:2] < MIN_PYTHON:
        return Check("Python 版本", False, f"Python {version}（{m.python}）太旧",
                     "从 python.org 安装 Python 3.11 或更新版本，再按 docs/excel.md 重装本工具")
    note = "；UTF-8 模式（xlwings.conf 须为 ASCII，见下）" if m.utf8_mode else ""
    return Check("Python 版本", True, f"Python {version}（{m.python}）{note}")


def check_xlwings(m: Machine) -> Check:
    need = ".".join(map(str, MIN_XLWINGS))
    if m.xlwings_version is None:
        return Check("xlwings", False, "这个 Python 里没有安装 xlwings",
                     f'py -m pip install "xlwings>={need}"，再运行 py -m xlwings.cli addin install')
    if xlwings_too_old(m.xlwings_version):
        return Check("xlwings", False, f"xlwings {m.xlwings_version} 太旧（按钮需要 {need} 或更新）",
                     f'py -m pip install -U "xlwings>={need}"，再运行 py -m xlwings.cli addin install')
    return Check("xlwings", True, f"xlwings {m.xlwings_version}")


def check_package(m: Machine) -> list[Check]:
    out = []
    if not m.package_has_data:
        out.append(Check("houqin_xl 的来源", False,
                         f"houqin_xl 是从源代码文件夹载入的（{m.package_file}），没有正式安装",
                         "在源代码文件夹里运行 py -m pip install .（不要加 -e），然后换一个文件夹运行本命令"))
    else:
        out.append(Check("houqin_xl 的来源", True, f"已安装的包（{Path(m.package_file).parent}）"))
    if m.ledger is not None and (Path(m.ledger).parent / "houqin_xl" / "__init__.py").is_file():
        out.append(Check("台账所在文件夹", None,
                         f"台账存放在源代码文件夹里（{Path(m.ledger).parent}）：xlwings 会先找到这里的 "
                         "houqin_xl；按钮会自动改用已安装的包，但源代码更新后两者可能不一致",
                         "把台账保存到别的文件夹（例如“文档\\后勤台账”）"))
    return out


def _xlwings_addin_version(path: Path) -> str | None:
    try:
        from pyopenvba import ExcelFile

        with ExcelFile(path) as book:
            code = book.get_module("Main")
    except Exception:
        return None
    found = re.search(r'XLWINGS_VERSION As String = "([^"]*)"', code or "")
    return found.group(1) if found else None


def zone_id(path: Path) -> int | None:
    """The Mark of the Web: the ZoneId of the file's Zone.Identifier stream (3 = 来自
    Internet). On Windows `path:Zone.Identifier` opens the alternate data stream; elsewhere it
    is a file of that name, which is how tests plant one."""
    try:
        text = Path(str(path) + ":Zone.Identifier").read_bytes().decode("utf-8", "replace")
    except OSError:
        return None
    found = re.search(r"ZoneId\s*=\s*(\d+)", text)
    return int(found.group(1)) if found else None


def _motw_check(title: str, path: Path) -> Check | None:
    zone = zone_id(path)
    if zone is None or zone < 3:
        return None
    return Check(title, False,
                 f"{path.name} 带有“来自 Internet”的标记（Mark of the Web，ZoneId={zone}）：Office 会直接"
                 "阻止其中的宏，而且不给“启用内容”按钮",
                 f"在资源管理器里右键 {path.name} → 属性 → 勾选“解除锁定” → 确定；"
                 "或在 PowerShell 运行 Unblock-File。模板也可以在本机用 houqin-xl template 生成，就没有这个标记")


def check_startup(m: Machine) -> list[Check]:
    if m.startup_dir is None:
        return [Check("Excel 启动文件夹", None, "这台电脑不是 Windows 或 macOS，没有 Excel 启动文件夹",
                      "按钮只能在 Windows 或 Mac 的 Excel 里用；WPS 与网页版请用 houqin-xl annotate")]
    where = "Excel 告知" if m.startup_dir_from_excel else "通常位置（没能询问 Excel）"
    out = []
    xlwings_addin = m.startup_dir / XLWINGS_ADDIN
    if not xlwings_addin.is_file():
        out.append(Check("xlwings 加载项", False, f"启动文件夹（{where}）里没有 {XLWINGS_ADDIN}：{m.startup_dir}",
                         "关闭 Excel，在命令提示符运行 py -m xlwings.cli addin install"))
    else:
        version = _xlwings_addin_version(xlwings_addin)
        if version and m.xlwings_version and version != m.xlwings_version:
            out.append(Check("xlwings 加载项", False,
                             f"{XLWINGS_ADDIN} 是 {version} 版，而 Python 里的 xlwings 是 {m.xlwings_version}",
                             "关闭 Excel，运行 py -m xlwings.cli addin install，让两者一致"))
        else:
            out.append(Check("xlwings 加载项", True, f"{xlwings_addin}（{version or '版本未知'}）"))
    ours = m.startup_dir / ADDIN_NAME
    if not ours.is_file():
        out.append(Check("后勤台账加载项", False, f"启动文件夹（{where}）里没有 {ADDIN_NAME}：{m.startup_dir}",
                         "关闭 Excel，运行 houqin-xl addin install"))
        return out
    problem = stream_problem(_safe_stream(ours))
    if problem:
        out.append(Check("后勤台账加载项", False, f"{ours}：{problem}",
                         "关闭 Excel，运行 houqin-xl addin install（重新生成并安装）"))
    else:
        out.append(Check("后勤台账加载项", True, f"{ours}"))
    motw = _motw_check("后勤台账加载项的来源标记", ours)
    if motw:
        out.append(motw)
    return out


def _safe_stream(path: Path) -> bytes | None:
    try:
        return project_stream(path)
    except Exception:
        return None


def check_conf(m: Machine) -> Check:
    if not (m.platform.startswith("win") or m.platform == "darwin"):
        return Check("xlwings.conf", None, "只有 Windows 与 Mac 的 Excel 读 xlwings.conf")
    encoding = m.ansi_code_page if m.platform.startswith("win") else "utf-8"
    found = xlwingsconf.problems(m.xlwings_conf, m.python, encoding=encoding,
                                 environ=m.environ, platform=m.platform)
    if found:
        return Check("xlwings.conf", False, "；".join(found),
                     "运行 houqin-xl addin install：它会把 xlwings.conf 改写成 Excel 读得懂的样子，"
                     "并指向这个 Python")
    value = xlwingsconf.read_as_vba(m.xlwings_conf, encoding).get(
        xlwingsconf.interpreter_key(m.platform), "")
    return Check("xlwings.conf", True, f"{m.xlwings_conf} → {value}（按 {encoding} 读取）")


def check_template(m: Machine) -> list[Check]:
    if m.template is None:
        return [Check("模板工作簿", None, "没有找到 后勤台账模板.xlsm（不用模板可以忽略）",
                      "需要时运行 houqin-xl template 在本机生成")]
    out = []
    motw = _motw_check("模板的来源标记", m.template)
    if motw:
        out.append(motw)
    problem = stream_problem(_safe_stream(m.template))
    if problem:
        out.append(Check("模板工作簿", False, f"{m.template}：{problem}",
                         "运行 houqin-xl template 重新生成模板"))
    elif not motw:
        out.append(Check("模板工作簿", True, str(m.template)))
    return out


def examine(m: Machine) -> list[Check]:
    return [check_python(m), check_xlwings(m), *check_package(m), *check_startup(m),
            check_conf(m), *check_template(m)]


def render(checks: list[Check]) -> str:
    lines = ["houqin-xl doctor：检查 Excel 按钮需要的每一环", ""]
    for c in checks:
        mark = {True: "[通过]", False: "[问题]", None: "[提示]"}[c.ok]
        lines.append(f"{mark} {c.title}：{c.detail}")
        if c.fix and c.ok is not True:
            lines.append(f"       怎么办：{c.fix}")
    broken = sum(1 for c in checks if c.ok is False)
    lines.append("")
    if broken:
        lines.append(f"发现 {broken} 个问题。按“怎么办”逐条处理，重新打开 Excel，再运行 houqin-xl doctor。")
    else:
        lines.append("没有发现问题。若按钮仍然没有反应：确认功能区上有“后勤台账”选项卡，"
                     "并按 docs/excel.md 的“真机检查清单”逐项试。")
    return "\n".join(lines)


def run(ledger: Path | None = None, template: Path | None = None) -> int:
    """Print the doctor's findings; exit status 1 when a link is broken, else 0."""
    checks = examine(this_machine(ledger, template))
    print(render(checks))
    return 1 if any(c.ok is False for c in checks) else 0
