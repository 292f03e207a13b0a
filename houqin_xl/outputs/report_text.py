"""The report's words and links: values shown as the writer will show them, display widths
(a Chinese character is two columns), keys and reasons in the bursar's words, and links to a
ledger's cell (absolute, or relative to the report's folder so they survive being moved)."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

from ..findings import Finding, Reconciliation

KEY_TEXT = {"category": "资产分类", "date": "日期", "period": "期间", "item": "物品",
            "asset_id": "资产编号", "receipt_no": "票据号", "class": "班级", "spec": "规格",
            "department": "部门", "student_id": "学号", "slip_no": "缴款单号",
            "location": "存放地点", "grade": "年级", "receipt_book": "票据本",
            "student_name": "姓名", "doc_no": "单据号"}


# ---- links --------------------------------------------------------------------------------


def sheet_location(sheet: str, cell: str = "A1") -> str:
    """`'固定资产台账'!H17`: always quoted, a quote inside the name doubled (Excel's rule)."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


def cell_link(path: str, sheet: str, cell: str = "A1") -> str:
    """`file:///C:/账/a.xlsx#'固定资产台账'!H17` — an absolute file URL (forward slashes, not
    percent-encoded, as Excel writes it) and the cell as the fragment. Only % and # are
    escaped in the path: a file called `一#班.xlsx` must neither break the link nor send it
    to a file called `一` (split_link undoes it)."""
    absolute = Path(path).resolve().as_posix()
    escaped = absolute.replace("%", "%25").replace("#", "%23")
    return "file:///" + escaped.lstrip("/") + "#" + sheet_location(sheet, cell)


def _escape_path(path: str) -> str:
    """A file path as a URL path the way Excel writes one: %, spaces, # and quotes escaped, so
    a file called `一#班.xlsx` neither breaks the link nor sends it to another place."""
    return (path.replace("%", "%25").replace(" ", "%20").replace("#", "%23")
            .replace('"', "%22"))


def relative_link(path: str, sheet: str, cell: str, base: Path) -> str:
    """`../台账/a.xlsx#'固定资产台账'!H17`: the ledger as seen from the report's folder, so the
    link still opens it after both are moved or copied together (to a USB stick, to the
    auditor). An absolute `cell_link` where no relative path exists (another drive)."""
    try:
        relative = os.path.relpath(Path(path).resolve(), base.resolve())
    except ValueError:
        return cell_link(path, sheet, cell)
    return _escape_path(Path(relative).as_posix()) + "#" + sheet_location(sheet, cell)


def split_link(link: str) -> tuple[str, str]:
    """A `cell_link` back into (file path, location)."""
    target, _, location = link.partition("#")
    path = target.removeprefix("file:///").replace("%23", "#").replace("%25", "%")
    # A POSIX path lost its leading slash to the URL; a Windows one starts with its drive.
    if not (len(path) > 1 and path[1] == ":") and not path.startswith("//"):
        path = "/" + path
    return path, location


# ---- text ---------------------------------------------------------------------------------


def text_width(text: str) -> int:
    """Display width: CJK and full-width characters count 2, as Excel's column units see them."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def shown(value: Any, fmt: str) -> str:
    """The value as the writer will show it (for widths)."""
    if value is None:
        return ""
    if fmt == "money" and isinstance(value, float):
        return f"{value:,.2f}"
    if fmt == "percent" and isinstance(value, int | float):
        return f"{value:.1%}"
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:,.2f}" if not value.is_integer() else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _plain(value: Any) -> Any:
    """numpy / pandas scalars → Python; NaN and NaT → None."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


# Rules whose `item` is a fee item, not a stock item.
_FEE_RULES = ("fee_rows", "fee_standards", "receipts", "deposits")


def key_text(key: dict[str, Any] | None, rule: str | None = None) -> str:
    """A reconciliation's or finding's key in the bursar's words: 资产分类：通用设备."""
    if not key:
        return ""
    labels = dict(KEY_TEXT)
    if rule and rule.startswith(_FEE_RULES):
        labels["item"] = "收费项目"
    return "；".join(f"{labels.get(k, k)}：{v}" for k, v in key.items())


def mismatch_reason(rec: Reconciliation, findings: list[Finding]) -> str:
    """Why a comparison did not agree, in one line: the finding about the same thing (a stock
    item whose running balance broke on some row although its totals agree, a category whose
    total differs), or else the two sides and their difference."""
    if rec.status == "ok":
        return ""
    about = [f for f in findings if f.key and f.key == rec.key]
    # Of several findings about one category (its value, its quantity), the one stating
    # this comparison's own figure.
    about.sort(key=lambda f: f.value != rec.left)
    if about:
        first = about[0].message
        return first if len(about) == 1 else f"{first}（另有 {len(about) - 1} 条，见校验报告）"
    if rec.difference not in ("0", "0.00", "-0.00"):
        return f"{rec.left_label or '左方'} {rec.left} 与 {rec.right_label or '右方'} {rec.right} 相差 {rec.difference}"
    return f"{rec.right_label or '右方'}：{rec.right}（见校验报告中的相关发现）"


_PLAIN_NUMBER = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")


def _number(text: str) -> Any:
    """A reconciliation side as a number when it is one: money keeps its fen as float, a
    quantity without decimals becomes an int; anything else (a location) stays text."""
    value = text.strip()
    if not _PLAIN_NUMBER.match(value):
        return value  # a location, a name — or "inf", "nan", "1_000", which float() would take
    number = float(value.replace(",", ""))
    if not math.isfinite(number):
        return value
    if "." in value and len(value.rsplit(".", 1)[1]) == 2:
        return number
    return int(number) if number.is_integer() else number




# The first line of every note the tool puts on a cell — the same from the buttons and from
# `annotate`, so a bursar recognises the tool's notes whichever made them.
NOTE_HEAD = "【台账核对】"


def note_text(findings: list[Finding]) -> str:
    """The note on a marked cell: the head line, then each distinct message with its level."""
    levels = {"error": "错误", "warning": "警告"}
    lines = [f"{levels[f.severity]}：{f.message}" for f in findings]
    return NOTE_HEAD + "\n" + "\n".join(dict.fromkeys(lines))


def chinese_part(text: str) -> str:
    """The Chinese half of a bilingual reason (`缺少台账：… / missing ledger: …`): the JSON keeps
    both, the pages a bursar or an auditor reads say it in Chinese."""
    return text.split(" / ")[0]
