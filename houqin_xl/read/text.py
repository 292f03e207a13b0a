"""The text encoding of an HTML, XML or CSV file — a closed set, decided without guessing.

Chinese school systems write UTF-8 (with or without a BOM), GBK/GB2312 (GB18030 is the superset
of both, so it decodes them all), and Excel's "Unicode text" writes UTF-16 with a BOM. That set
is told apart by the standard library alone, in this order:

1. a byte-order mark says it outright;
2. text that decodes as strict UTF-8 and holds non-ASCII bytes is UTF-8, whatever a meta tag
   claims: GBK text practically never forms valid UTF-8 (a Chinese character in GBK is two
   bytes, and a lead byte of 0xC2–0xDF followed by 0x80–0xBF, or the three-byte patterns, is
   rare enough that a header row of Chinese words never passes), while web systems do declare
   gb2312 over UTF-8 bytes;
3. a charset the document declares (HTML meta, XML declaration), GB2312/GBK read as GB18030;
4. GB18030.

A statistical detector (chardet, charset-normalizer) is not needed for this set and would add a
way to be wrong: on the short texts of a ledger (a few Chinese words per cell) such detectors
are known to take GBK for Big5, Shift-JIS or a Cyrillic code page.
"""

from __future__ import annotations

import codecs
import re

from ..errors import InputError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Names a document may declare for the GB family: all read as their superset.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn",
              "csgb2312", "gb_2312-80", "chinese", "iso-ir-58"}
MAX_BROKEN = 16  # undecodable bytes tolerated in a file (more where it is large: 1 in 10,000)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\sencoding\s*=\s*["']([A-Za-z0-9_\-:.]+)["']""")


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def declared_charset(head: bytes) -> str | None:
    """The charset an HTML meta tag or an XML declaration names, normalised (None if none or
    unknown to Python)."""
    m = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decodes(data: bytes, encoding: str, final: bool) -> str | None:
    """The text, or None if the bytes are not in that encoding. Not final: a head cut in the
    middle of a character still decodes."""
    try:
        return codecs.getincrementaldecoder(encoding)().decode(data, final=final)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(data: bytes, final: bool = True, path: object = None) -> tuple[str, str]:
    """(text, encoding) of a whole file (or, with final=False, of its first bytes). Raises
    InputError when the bytes are in none of the encodings above."""
    bom = bom_encoding(data)
    if bom:
        text = _decodes(data, bom, final)
        if text is not None:
            return text.lstrip("\ufeff"), bom
    text = _decodes(data, "utf-8", final)
    if text is not None and (not data.isascii()):
        return text, "utf-8"
    declared = declared_charset(data[:4096])
    if text is not None and declared in (None, "utf-8"):
        return text, "utf-8"  # plain ASCII: any of them reads it the same
    candidates = [e for e in (declared, "gb18030") if e and e != "utf-8"]
    for encoding in candidates:
        decoded = _decodes(data, encoding, final)
        if decoded is not None:
            return decoded, encoding
    if text is not None:
        return text, "utf-8"
    # A few bytes broken (a character cut by a system's truncation, a byte flipped in a copy):
    # read the rest in the encoding that fits best, the broken bytes as �, as Excel shows them.
    best = min((_with_replacements(data, e, final) for e in ("utf-8", *candidates)), key=lambda t: t[0])
    broken, decoded, encoding = best
    if broken <= max(MAX_BROKEN, len(data) // 10_000):
        return decoded, encoding
    where = f": {path}" if path is not None else ""
    raise InputError(f"文本编码无法识别（不是UTF-8或GBK/GB18030）/ unknown text encoding{where}")


def _with_replacements(data: bytes, encoding: str, final: bool) -> tuple[int, str, str]:
    decoded = codecs.getincrementaldecoder(encoding)(errors="replace").decode(data, final=final)
    return decoded.count("\ufffd"), decoded, encoding
