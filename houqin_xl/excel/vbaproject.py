"""The VBA project inside our .xlam/.xlsm, made to say what MS-OVBA requires of a writer.

[MS-OVBA] 2.3.4.1: the `VBA/_VBA_PROJECT` stream is Reserved1 (0x61CC), Version, Reserved2
(0x00), Reserved3 and a PerformanceCache. On write, Version MUST be 0xFFFF and the cache MUST
NOT be present: 0xFFFF tells Office that no compiled state can be trusted, so it compiles the
modules from their source. pyOpenVBA keeps the version of the project it started from (0x00B5)
and only zeroes the cache; Excel may then read the zeroed cache as if it were real (a repair
prompt, or a macro that is not there). We write the seven bytes xlwings' own add-in carries.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

VBA_PROJECT_PART = "xl/vbaProject.bin"
# Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00, Reserved3 0x0001 — no cache (as xlwings.xlam).
WRITTEN_VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000100")


def project_stream(package: Path) -> bytes | None:
    """The `VBA/_VBA_PROJECT` stream of a macro-enabled workbook, or None without one."""
    from pyopenvba.cfb import CFB

    with zipfile.ZipFile(package) as z:
        if VBA_PROJECT_PART not in z.namelist():
            return None
        cfb = CFB.from_bytes(z.read(VBA_PROJECT_PART))
    try:
        return cfb.get_stream_in_storage("VBA", "_VBA_PROJECT")
    except KeyError:
        return None


def stream_problem(stream: bytes | None) -> str | None:
    """Why Excel might mistrust this `_VBA_PROJECT` stream, in Chinese; None when it is right."""
    if stream is None:
        return "没有 VBA 工程（_VBA_PROJECT 流不存在）"
    if len(stream) < 5 or stream[:2] != b"\xcc\x61":
        return "_VBA_PROJECT 流的开头不对（不是 CC 61）"
    version = int.from_bytes(stream[2:4], "little")
    if version != 0xFFFF:
        return (f"_VBA_PROJECT 的版本号是 0x{version:04X}，按 MS-OVBA 2.3.4.1 应为 0xFFFF"
                "（否则 Excel 可能使用残留的编译缓存：提示修复，或找不到宏）")
    if len(stream) > 7:
        return f"_VBA_PROJECT 流带有 {len(stream) - 7} 字节的编译缓存，写入时不应存在"
    return None


def normalise_project_stream(package: Path) -> None:
    """Rewrite `VBA/_VBA_PROJECT` of `package` (in place, atomically) to the written form."""
    from pyopenvba.cfb import CFB

    package = Path(package)
    with zipfile.ZipFile(package) as src:
        entries = [(info, src.read(info.filename)) for info in src.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            if info.filename == VBA_PROJECT_PART:
                cfb = CFB.from_bytes(data)
                cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", WRITTEN_VBA_PROJECT_STREAM)
                data = cfb.to_bytes()
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    tmp = package.with_name(package.name + ".tmp")
    tmp.write_bytes(out.getvalue())
    os.replace(tmp, package)
