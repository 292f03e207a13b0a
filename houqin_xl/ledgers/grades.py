"""Grades and classes as schools write them, and one name per grade for comparing.

A fee standard says 三年级; the wide fee book's sheet is 三(2)班, its title 三年级（2）班收费登记表;
another sheet says 3年级 or 三 年级. They are one grade. `grade_of` gives the one name:

| written                                          | grade   |
|--------------------------------------------------|---------|
| 三年级, 3年级, 三 年级, 小学三年级, 三, 3          | 三年级   |
| 三(2)班, 三（2）班, 3(2)班, 三年级2班, 三年级二班    | 三年级   |
| 302班 (grade digit + two-digit class)              | 三年级   |
| 初一, 初中一年级, 七年级, 初一(3)班, 7年级          | 七年级   |
| 高二, 高中二年级, 十一年级, 高二（1）班              | 高二     |
| 大班, 中班, 小班, 托班, 大(1)班                     | 大班 …   |

Junior middle school is named 七/八/九年级 — the numbering of the 义务教育 学籍 system, which
schools and education bureaus write as often as 初一/初二/初三 — so a standard for 七年级 and a
class 初一(3)班 meet. Senior high school keeps 高一/高二/高三 (十/十一/十二年级 are the same).
Anything else (2024级, a major, 全部) is no grade: `grade_of` gives None and the caller keeps
the text as written.

`class_in` finds a class named inside a longer text: a sheet name (三(2)班), a title block line
(班级：三(2)班) or a title (三年级（2）班2026年秋季代收费登记表).
"""

from __future__ import annotations

import re
import unicodedata

_NUMERALS = "一二三四五六七八九"
_DIGIT_NAME = {str(i + 1): name for i, name in enumerate(_NUMERALS)}
_SENIOR = {"一": "高一", "二": "高二", "三": "高三", "1": "高一", "2": "高二", "3": "高三"}
_JUNIOR = {"一": "七年级", "二": "八年级", "三": "九年级", "1": "七年级", "2": "八年级", "3": "九年级"}
_TENS = {"十": "高一", "十一": "高二", "十二": "高三", "10": "高一", "11": "高二", "12": "高三"}
_KINDERGARTEN = ("托班", "小班", "中班", "大班")

_CLASS_NO = r"[(]?(?:\d{1,2}|[一二三四五六七八九十]{1,3})[)]?班"
_GRADE_WORD = (
    r"(?:(?:小学|初中|高中)?(?:[一二三四五六七八九]|[1-9]|十[一二]?|1[0-2])年级"
    r"|初[一二三123]|高[一二三123]|[一二三四五六七八九]|[1-9])"
)
# A class inside a text: a grade word, its class number (in brackets or not), then 班; or a
# three-digit class number (302班); or a kindergarten class.
_CLASS = re.compile(
    rf"(?<![\d一二三四五六七八九十])({_GRADE_WORD}{_CLASS_NO}|[1-9](?:0[1-9]|1\d|20)班"
    r"|[托小中大][(]?\d{0,2}[)]?班)"
)
_CLASS_LABEL = re.compile(r"班(?:级|别)[:：]\s*(\S+)")


def _fold(text: str) -> str:
    """Full-width brackets and digits as ASCII, no spaces: 三（２）班 → 三(2)班."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def grade_of(text: object) -> str | None:
    """The grade a text names (三(2)班 → 三年级, 初一 → 七年级, 高二 → 高二), or None."""
    if not isinstance(text, str | int | float) or isinstance(text, bool):
        return None
    if isinstance(text, float):
        if not text.is_integer():
            return None
        text = str(int(text))
    folded = _fold(str(text))
    if not folded:
        return None
    for word in _KINDERGARTEN:
        if folded.startswith(word) or re.fullmatch(rf"{word[0]}[(]?\d{{0,2}}[)]?班", folded):
            return word
    m = re.match(r"(?:小学|初中|高中)?(十[一二]?|1[0-2])年级", folded)
    if m:
        return _TENS[m.group(1)]
    m = re.match(r"初中([一二三123])年级|初([一二三123])", folded)
    if m:
        return _JUNIOR[m.group(1) or m.group(2)]
    m = re.match(r"高中([一二三123])年级|高([一二三123])", folded)
    if m:
        return _SENIOR[m.group(1) or m.group(2)]
    m = re.match(r"(?:小学)?([一二三四五六七八九]|[1-9])年级", folded)
    if m:
        return _name(m.group(1))
    # A class without the word 年级: 三(2)班, 3(2)班, 三2班.
    m = re.fullmatch(rf"([一二三四五六七八九]|[1-9]){_CLASS_NO}", folded)
    if m:
        return _name(m.group(1))
    m = re.fullmatch(r"([1-9])(?:0[1-9]|1\d|20)班", folded)  # 302班: grade 3, class 02
    if m:
        return _name(m.group(1))
    if re.fullmatch(r"[一二三四五六七八九]|[1-9]", folded):  # a grade column holding 三 or 3
        return _name(folded)
    return None


def _name(numeral: str) -> str:
    return (_DIGIT_NAME.get(numeral) or numeral) + "年级"


def class_in(text: object) -> str | None:
    """The class a longer text names, as written there (NFKC, no spaces): `班级：三(2)班` →
    三(2)班, `三年级（2）班2026年秋季代收费登记表` → 三年级(2)班; None when it names none."""
    if not isinstance(text, str):
        return None
    folded = _fold(text)
    labelled = _CLASS_LABEL.search(folded)
    if labelled:
        found = _CLASS.search(labelled.group(1))
        if found:
            return found.group(1)
        value = labelled.group(1)
        return value if value else None
    found = _CLASS.search(folded)
    return found.group(1) if found else None


_GRADE_IN = re.compile(
    r"(?:小学|初中|高中)?(?:[一二三四五六七八九]|[1-9]|十[一二]?|1[0-2])年级|初[一二三]|高[一二三]"
)


def grade_in(text: object) -> str | None:
    """The grade a longer text names (a sheet 三年级 or a title 2026年秋季三年级收费登记表),
    or None."""
    if not isinstance(text, str):
        return None
    found = _GRADE_IN.search(_fold(text))
    return grade_of(found.group(0)) if found else None
