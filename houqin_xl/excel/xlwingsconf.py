"""xlwings.conf as xlwings' VBA reads it, and how to write it so that it keeps reading it.

`xlwings addin install` writes `"INTERPRETER_WIN","<sys.executable>"` with Python's default
encoding. From Python 3.15 that is UTF-8 (UTF-8 mode is the default), but the VBA of the
xlwings add-in reads the file with `Open … For Input` / `Input #`, that is in the ANSI code page
of Windows (GBK, cp936, on a Chinese PC). A user folder named 张三 then reads as mojibake, the
interpreter "does not exist" and every button says "Could not find Interpreter!".

Writing the file in the ANSI code page would fix the VBA and break Python: xlwings reads the
same file with `open()` (for workbooks on OneDrive/SharePoint), which is UTF-8 in 3.15. So the
file is kept ASCII: the part of the path under the user's profile is written as an environment
variable (`%LOCALAPPDATA%\\Programs\\Python\\…`), which the VBA expands with WScript (Unicode)
and Python with os.path.expandvars. Only a path that is not ASCII even then is written in the
ANSI code page, which the VBA reads and which the doctor flags.
"""

from __future__ import annotations

import locale
import ntpath
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

# The folders a Windows Python is usually installed under, most specific first.
_ENV_PREFIXES = ("LOCALAPPDATA", "APPDATA", "USERPROFILE")
_LINE = re.compile(r'^\s*"([^"]*)"\s*,\s*"([^"]*)"\s*$')


def interpreter_key(platform: str | None = None) -> str:
    platform = platform or sys.platform
    return "INTERPRETER_MAC" if platform == "darwin" else "INTERPRETER_WIN"


def user_config_path(platform: str | None = None, home: Path | None = None) -> Path:
    """Where `xlwings addin install` writes xlwings.conf (xlwings.USER_CONFIG_FILE)."""
    platform = platform or sys.platform
    home = home or Path.home()
    if platform == "darwin":
        return home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf"
    return home / ".xlwings" / "xlwings.conf"


def ansi_code_page() -> str:
    """The code page VBA reads text files in: Windows' ANSI code page. locale.getencoding()
    ignores Python's UTF-8 mode, which is what we want (cp936 on a Chinese Windows)."""
    return locale.getencoding()


def parse(text: str) -> dict[str, str]:
    """KEY → value for every `"KEY","value"` line, keys upper-cased as GetConfig compares."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        m = _LINE.match(line)
        if m:
            out.setdefault(m.group(1).upper(), m.group(2))
    return out


def read_as_vba(path: Path, encoding: str) -> dict[str, str]:
    """The settings as xlwings' VBA sees them: the bytes decoded in the ANSI code page (a byte
    the code page has no character for shows as '?', as VBA shows it)."""
    return parse(Path(path).read_bytes().decode(encoding, errors="replace"))


def expand(value: str, environ: Mapping[str, str]) -> str:
    """%NAME% expanded the way WScript.ExpandEnvironmentStrings does (unknown names kept)."""
    lowered = {k.upper(): v for k, v in environ.items()}
    return re.sub(r"%([^%]+)%", lambda m: lowered.get(m.group(1).upper(), m.group(0)), value)


def portable_value(python: str, environ: Mapping[str, str]) -> str:
    """`python` with the longest matching user folder replaced by its %VARIABLE%, so that the
    file stays ASCII when the user name is Chinese."""
    if python.isascii():
        return python
    folded = ntpath.normcase(python)
    for name in _ENV_PREFIXES:
        prefix = environ.get(name)
        if prefix and folded.startswith(ntpath.normcase(prefix.rstrip("\\")) + "\\"):
            candidate = f"%{name}%" + python[len(prefix.rstrip("\\")):]
            if candidate.isascii():
                return candidate
    return python


def same_file(a: str, b: str, platform: str | None = None) -> bool:
    if (platform or sys.platform).startswith("win"):
        # xlwings runs python.exe; pythonw.exe beside it is the same installation.
        norm = lambda p: ntpath.normcase(ntpath.normpath(p)).replace("pythonw.exe", "python.exe")  # noqa: E731
        return norm(a) == norm(b)
    return os.path.normpath(a) == os.path.normpath(b)


def problems(path: Path, python: str, *, encoding: str, environ: Mapping[str, str],
             platform: str | None = None) -> list[str]:
    """What stops xlwings' VBA from finding `python` through this xlwings.conf (in Chinese)."""
    platform = platform or sys.platform
    path = Path(path)
    if not path.is_file():
        return [f"没有 xlwings.conf（{path}）：xlwings 不知道用哪个 Python"]
    raw = path.read_bytes()
    found: list[str] = []
    key = interpreter_key(platform)
    settings = read_as_vba(path, encoding)
    if "CONDA PATH" in settings and key not in settings:
        return []  # a conda set-up: xlwings activates the environment itself
    value = settings.get(key)
    if not raw.isascii():
        try:
            as_utf8 = raw.decode("utf-8")
        except UnicodeDecodeError:
            as_utf8 = None
        if as_utf8 is not None and parse(as_utf8).get(key) != value:
            found.append(f"xlwings.conf 是按 UTF-8 写的（Python 3.15 起的默认），而 xlwings 的 VBA 按 "
                         f"{encoding} 读：路径里的中文读出来是乱码 {value!r}，按钮会提示"
                         "“Could not find Interpreter!”")
            return found
    if value is None:
        found.append(f"xlwings.conf 里没有 {key}：xlwings 不知道用哪个 Python")
        return found
    expanded = expand(value, environ) if platform.startswith("win") else value
    if not same_file(expanded, python, platform):
        found.append(f"xlwings.conf 指向的 Python 是 {expanded}，不是装了 houqin-xl 的这个：{python}")
    return found


def repair(path: Path, python: str, *, encoding: str, environ: Mapping[str, str],
           platform: str | None = None) -> Path:
    """Point xlwings.conf at `python` in a form both xlwings' VBA and Python read; other
    settings are kept. Returns the path written."""
    platform = platform or sys.platform
    path = Path(path)
    key = interpreter_key(platform)
    lines: list[str] = []
    if path.is_file():
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode(encoding, errors="replace")
        lines = [line for line in text.splitlines()
                 if line.strip() and not line.strip().upper().startswith(f'"{key}"')]
    value = portable_value(python, environ) if platform.startswith("win") else python
    lines.append(f'"{key}","{value}"')
    data = ("\r\n" if platform.startswith("win") else "\n").join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        encoded = data.encode("ascii")
    except UnicodeEncodeError:
        from ..errors import InputError

        try:
            encoded = data.encode(encoding)
        except UnicodeEncodeError as exc:
            raise InputError(
                f"Python 装在 Excel 读不出的路径里（{python}）：请把 Python 重新安装到只含英文字母的"
                "文件夹，例如 C:\\Python，再运行 houqin-xl addin install / the Python path cannot "
                "be written in the Windows code page; reinstall Python in a plain-ASCII folder"
            ) from exc
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(encoded)
    os.replace(tmp, path)
    return path
