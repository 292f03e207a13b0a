"""What a file really is, by its first bytes, never by its name; the cheap checks before a
reader opens it; the bad-input errors every reader shares."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from ..errors import InputError


def looks_like(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"
    return "other"


def _is_encrypted_ole(path: Path) -> bool:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            return ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage")
    except Exception:  # a damaged container raises anything; the reader says it is unreadable
        return False


def check_usable(path: Path) -> None:
    """The cheap checks before calamine opens the file. The parts' checksums are verified
    later, by the scan that runs beside calamine (`zip_scan.scan_zip`), in the same decompression."""
    if not path.exists():
        raise InputError(f"找不到文件 / file not found: {path}")
    if path.stat().st_size == 0:
        raise InputError(f"文件是空的（0字节）/ file is empty: {path}")
    kind = looks_like(path)
    if kind == "other":
        raise InputError(f"不是Excel工作簿 / not an Excel workbook: {path}")
    if kind == "ole" and _is_encrypted_ole(path):
        raise InputError(f"工作簿设有打开密码，请先取消加密 / workbook is encrypted: {path}")
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise InputError(f"文件已损坏或不完整 / file is corrupt or truncated: {path}") from exc
        if "xl/workbook.xml" not in names:
            raise InputError(f"不是Excel工作簿 / not an Excel workbook: {path}")


def corrupt(path: Path, part: str | None = None) -> InputError:
    where = f"（{part}）" if part else ""
    return InputError(f"文件已损坏{where}/ file is corrupt or truncated: {path}")
