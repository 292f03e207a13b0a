"""What a file really is, by its content, never by its name; the cheap checks before a
reader opens it; the bad-input errors every reader shares.

`sniff(path)` gives the kind a reader is registered for (`readers.READERS`):

- `xlsx`: a zip (xlsx, xlsm — whatever its name says; `check_usable` then wants xl/workbook.xml);
- `xls`: an OLE compound file (BIFF .xls, whatever its name says);
- `wps`: WPS's own .et / .ett (OLE bytes too, told by the name: no reader exists for them);
- `html`: an HTML table as web systems export ".xls" (with or without <html>, a BOM, comments,
  Office namespaces);
- `xml2003`: SpreadsheetML 2003 (`<?mso-application progid="Excel.Sheet"?>` or a Workbook in
  the urn:schemas-microsoft-com:office:spreadsheet namespace);
- `csv`: delimited text (comma, tab, semicolon or |);
- `other`: not a spreadsheet.

Text kinds are taken under the names Excel itself opens as text (.xls — with its warning that
the name and the content differ —, .csv, .tsv, .txt, .htm, .html, .xml, or no extension), never
under .xlsx/.xlsm: Excel refuses those ("the file format or file extension is not valid"), and a
text file there is a mistake worth one clear line rather than a guess.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from ..errors import InputError
from .text import decode

XLSX, XLS, WPS, HTML, XML2003, CSV, OTHER = "xlsx", "xls", "wps", "html", "xml2003", "csv", "other"
WPS_SUFFIXES = (".et", ".ett")
TEXT_SUFFIXES = (".xls", ".csv", ".tsv", ".txt", ".htm", ".html", ".xml", "")
HEAD_BYTES = 64 * 1024
SPREADSHEET_NS = "urn:schemas-microsoft-com:office:spreadsheet"
WPS_REFUSED = "WPS表格文件（.et）无法直接读取，请在WPS中另存为 .xlsx / save the WPS file as .xlsx first"

# What may open an HTML export: the document's own tags and the ones fragments start with.
_HTML_TAGS = frozenset(["html", "head", "body", "table", "meta", "style", "title", "div", "link", "script", "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "col", "colgroup", "p", "span", "font", "center", "form", "base", "h1", "h2", "h3", "h4", "h5", "h6", "b", "br"])
_PROLOGUE = re.compile(r"""\A(?:\s+|<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>]*>|<!\[[^\]]*\]>)*""",
                       re.DOTALL | re.IGNORECASE)
_FIRST_TAG = re.compile(r"<([A-Za-z][\w.:-]*)")
_MSO_APPLICATION = re.compile(r"""<\?mso-application\s+progid\s*=\s*["']Excel\.Sheet["']""",
                              re.IGNORECASE)
# Control characters that never stand in a text table (tab, newlines and form feed may).
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def sniff(path: Path) -> str:
    """The kind of file at path, by its content (see the module's doc). Raises InputError for a
    missing or empty file."""
    if not path.exists():
        raise InputError(f"找不到文件 / file not found: {path}")
    if path.stat().st_size == 0:
        raise InputError(f"文件是空的（0字节）/ file is empty: {path}")
    suffix = path.suffix.lower()
    container = looks_like(path)
    if container == "zip":
        return XLSX
    if container == "ole" or suffix in WPS_SUFFIXES:
        return WPS if suffix in WPS_SUFFIXES else XLS
    if suffix not in TEXT_SUFFIXES:
        return OTHER
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES + 1)
    return text_kind(head[:HEAD_BYTES], suffix, whole=len(head) <= HEAD_BYTES)


def text_kind(head: bytes, suffix: str, whole: bool = False) -> str:
    """html, xml2003, csv or other, from the first bytes of a text file."""
    from .csv_text import sniff_delimiter

    try:
        text, _ = decode(head, final=whole)
    except InputError:
        # named a table: the reader says what is wrong with its text
        return CSV if suffix in (".csv", ".tsv") else OTHER
    body = text[_PROLOGUE.match(text).end():]
    if _MSO_APPLICATION.search(text[:4096]):
        return XML2003
    tag = _FIRST_TAG.match(body)
    if tag:
        name = tag.group(1).split(":")[-1].lower()
        if name == "workbook" and SPREADSHEET_NS in text:
            return XML2003
        if name in _HTML_TAGS or text.lstrip()[:14].lower() == "<!doctype html":
            return HTML
        return OTHER  # some other XML or markup
    if re.search(r"<table\b", text, re.IGNORECASE) and re.search(r"<t[dr]\b", text, re.IGNORECASE):
        return HTML  # a line of text before the table
    if suffix in (".csv", ".tsv"):
        return CSV  # named a table: one column is a table too; the reader says what is wrong
    if _BINARY.search(text):
        return OTHER
    if text.startswith("sep=") or sniff_delimiter(text, whole=whole) is not None:
        return CSV
    return OTHER


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


# What the standard library's zipfile raises on a damaged or foreign package: besides
# BadZipFile, a "version needed to extract" it does not know or an unknown compression method
# is NotImplementedError, an encrypted member RuntimeError (found by the fuzz suite: exit 3).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
              RuntimeError)


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
        except ZIP_ERRORS as exc:
            raise InputError(f"文件已损坏或不完整 / file is corrupt or truncated: {path}") from exc
        if "xl/workbook.xml" not in names:
            raise InputError(f"不是Excel工作簿 / not an Excel workbook: {path}")


def corrupt(path: Path, part: str | None = None) -> InputError:
    where = f"（{part}）" if part else ""
    return InputError(f"文件已损坏{where}/ file is corrupt or truncated: {path}")
