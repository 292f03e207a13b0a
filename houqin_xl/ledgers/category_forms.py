"""One category cell → where it places the asset in GB/T 14885 (both editions).

The forms a register, a card export or a general ledger writes a class in:

- a GB/T 14885-2010 code of any depth: 7 digits (`2010104`), or with dots or dashes
  (`2.01.01.04`, `201-01-04`), or the Ministry of Education's 16-digit code that starts with it
  (`2010104050105020`): the class is the first digit;
- a GB/T 14885-2022 code, a letter and up to 8 digits (`A02010104`): the class is `A02`;
- a code and a name in one cell (`A02010104 台式计算机`, `2010104台式机`, `2 通用设备`, `图书档案(5)`);
- a top class, in either edition's wording, compared without 、，· spaces and brackets
  (`土地、房屋及构筑物` = `土地房屋及构筑物` = `房屋及构筑物`);
- a finance account (`固定资产—通用设备`, `1601 固定资产—专用设备`, `160102 通用设备`);
- a detailed name without a code (`台式机`, `课桌椅`), through the names table;
- a bare top-class number (`2`) or child account (`160102`): what it means depends on the
  edition the ledger is written in, so it is placed once that edition is known.

Nothing here is guessed: a name standing in two classes, or a code of no section of the
standard, is `Unplaced` with the reason, in Chinese, for the bursar's message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

GB2010, GB2022 = "gb2010", "gb2022"
EDITIONS = (GB2010, GB2022)

# What names are compared without: spaces of every width, the enumeration comma and its
# cousins, middle dots, brackets and quotes (NFKC has already made full-width forms ASCII).
_NOT_COMPARED = re.compile(r"[\s、，,·・･.。;；:：()\[\]【】〔〕<>《》\"'“”‘’]")
_CODE_2022 = re.compile(r"[A-Z]\d{2}(?:[.\-]?\d{2}){0,3}")
_CODE_2010 = re.compile(r"\d(?:[.\-]?\d)*")
_ACCOUNT = re.compile(r"160[12](\d{2})(?:\d{2})*")
_SHORT = re.compile(r"0?(\d)")
_CODE_THEN_NAME = re.compile(r"([A-Za-z]?\d(?:[.\-]?\d)*)([\s\-—–_.、:：]*)([^\d\s.\-].*)")
_NAME_THEN_CODE = re.compile(r"(.+?)\s*[(（]\s*([A-Za-z]?\d(?:[.\-]?\d)*)\s*[)）]")
_ACCOUNT_NAME = re.compile(r"(?:\d{4,}\s*)?(?:固定资产累计折旧|累计折旧|固定资产)[\s\-—–_/:：·]*(.+)")


def _code_shaped(code: str) -> bool:
    """Whether a number before or after a name is a class code: a 2022 code, or as many digits
    as a class number (1–2), a 1601 account (6, 8, 10), a 2010 code (7) or an 教育部 code (16)."""
    if _CODE_2022.fullmatch(code.upper()):
        return True
    return len(re.sub(r"\D", "", code)) in (1, 2, 6, 7, 8, 10, 16)


def name_key(text: str) -> str:
    """A name as compared: NFKC, without 、，· spaces brackets and quotes, case-folded."""
    return _NOT_COMPARED.sub("", unicodedata.normalize("NFKC", text)).casefold()


@dataclass(frozen=True)
class Placed:
    """Where a value places an asset: its top class in each edition (None where that edition
    has no single class for it: 2022's 设备 is 2010's 通用设备 or 专用设备).

    `written_2022`: the value is written in the 2022 edition (a 2022 code or class name) —
    what makes a run a 2022 run. `short`: a bare top-class number or 1601 child account, whose
    class depends on the ledger's edition (`concrete` places it). `school`: a class of the
    school's own list that neither edition has."""

    gb2010: str | None = None
    gb2022: str | None = None
    written_2022: bool = False
    short: int | None = None
    school: str | None = None
    code: str | None = None  # the detailed code the class was read from, if any

    @property
    def needs_2022(self) -> bool:
        """Whether only the 2022 edition can say where this asset is."""
        if self.short is not None or self.school is not None:
            return False
        return self.written_2022 or (self.gb2010 is None and self.gb2022 is not None)

    def refined_by(self, other: Placed | None) -> Placed:
        """This placement, with the other filling in an edition this one leaves open where the
        two agree on the other edition (a 2022 code's 设备 + the name 台式计算机 → 通用设备)."""
        if other is None or self.short is not None or other.short is not None:
            return self
        gb2010, gb2022 = self.gb2010, self.gb2022
        if gb2010 is None and other.gb2010 is not None and other.gb2022 == gb2022:
            gb2010 = other.gb2010
        if gb2022 is None and other.gb2022 is not None and other.gb2010 == gb2010:
            gb2022 = other.gb2022
        return replace(self, gb2010=gb2010, gb2022=gb2022)


@dataclass(frozen=True)
class Unplaced:
    """A value that places the asset nowhere, and why (Chinese, for the message). `name` is
    the text a school could add to `[category_names]`; None for a bare code."""

    reason: str
    name: str | None = None


Placement = Placed | Unplaced


class Catalogue:
    """The classes of both editions, their wordings, the names table and the school's own
    names: everything needed to place one cell. Placing is memoised: a class repeats down a
    register of 100,000 rows."""

    def __init__(self, class_names: dict[str, dict[str, str]], to_2022: dict[str, str],
                 to_2022_by_code: dict[str, str],
                 table: Callable[[], tuple[dict[str, Placement], frozenset[str]]],
                 school_names: dict[str, Placement], school_codes: dict[str, Placed]) -> None:
        # edition → name key → class code
        self.class_names = class_names
        self.to_2022 = to_2022
        self.to_2022_by_code = to_2022_by_code
        # 2022 classes onto which exactly one 2010 class maps (设备 has two: 通用 and 专用).
        preimages: dict[str, set[str]] = {}
        for old, new in [*to_2022.items(), *((c[0], k) for c, k in to_2022_by_code.items())]:
            preimages.setdefault(new, set()).add(old)
        self.to_2010 = {new: next(iter(old)) for new, old in preimages.items() if len(old) == 1}
        # The names table (detailed name → placement) and the 3-digit sections of the 2010
        # standard (201, 360 …), read the first time a cell needs them: a register of codes or
        # of top classes never pays for the 3,900 names.
        self._table = table
        self.school_names = school_names
        self.school_codes = school_codes
        self._memo: dict[str, Placement] = {}

    @property
    def names(self) -> dict[str, Placement]:
        return self._table()[0]

    @property
    def sections(self) -> frozenset[str]:
        return self._table()[1]

    def forget(self) -> None:
        """Drop what was placed so far (the school's names have changed what a cell means)."""
        self._memo.clear()

    # ---- the editions at the top level ---------------------------------------------------

    def of_2010(self, klass: str, code: str | None = None) -> Placed:
        """A 2010 class (and the code it was read from): its 2022 class follows."""
        gb2022 = (code and self.to_2022_by_code.get(code[:3])) or self.to_2022.get(klass)
        return Placed(gb2010=klass, gb2022=gb2022, code=code)

    def of_2022(self, klass: str, code: str | None = None, written: bool = True) -> Placed:
        return Placed(gb2010=self.to_2010.get(klass), gb2022=klass, written_2022=written, code=code)

    def concrete(self, placed: Placed, edition: str) -> Placement:
        """A bare class number placed in the ledger's edition: `3` is 专用设备 in 2010 and
        文物和陈列品 in 2022."""
        if placed.short is None:
            return placed
        number = placed.short
        if edition == GB2022:
            if 1 <= number <= 8:
                return self.of_2022(f"A0{number}", written=False)
        elif 1 <= number <= 6:
            return self.of_2010(str(number))
        return Unplaced(f"{number} 不是{'2022' if edition == GB2022 else '2010'}版的大类代码")

    # ---- one cell --------------------------------------------------------------------------

    def place(self, text: str) -> Placement:
        """Where this cell (already NFKC-folded and stripped) places the asset."""
        found = self._memo.get(text)
        if found is None:
            found = self._memo[text] = self._place(text)
        return found

    def _place(self, text: str) -> Placement:
        compact = re.sub(r"\s+", "", text)
        key = name_key(text)
        if compact in self.school_codes:
            return self.school_codes[compact]
        if key in self.school_names:
            return self.school_names[key]
        coded = self._code(compact)
        if coded is not None:
            return coded
        first = _CODE_THEN_NAME.fullmatch(text)
        # A digit or two run into a name is part of it (3D打印机), not a class number; and a
        # number of no code's length is part of the text (2019年购置).
        if first and _code_shaped(first.group(1)) and (
                first.group(2) or len(re.sub(r"\D", "", first.group(1))) >= 3):
            return self._code_and_name(first.group(1), first.group(3))
        last = _NAME_THEN_CODE.fullmatch(text)
        if last and _code_shaped(last.group(2)):
            return self._code_and_name(last.group(2), last.group(1))
        account = _ACCOUNT_NAME.fullmatch(text)
        if account:
            rest = self.place(account.group(1).strip())
            if isinstance(rest, Placed):
                return rest
        return self._name(text, key)

    def _code(self, compact: str) -> Placement | None:
        """A cell that is nothing but a code; None when it is not one."""
        upper = compact.upper()
        if _CODE_2022.fullmatch(upper):
            digits = re.sub(r"[.\-]", "", upper)
            klass = digits[:3]
            if re.fullmatch(r"A0[1-8]", klass):
                return self.of_2022(klass, code=digits)
            return Unplaced(f"{compact} 不是 GB/T 14885 的分类代码")
        if not _CODE_2010.fullmatch(compact):
            return None
        digits = re.sub(r"[.\-]", "", compact)
        account = _ACCOUNT.fullmatch(digits)
        if account and len(digits) in (6, 8, 10):
            return Placed(short=int(account.group(1)))
        short = _SHORT.fullmatch(digits)
        if short:
            return Placed(short=int(short.group(1)))
        # The 2010 codes nest 1-2-2-2 digits: a code at any depth (102, 20101, 2010104) is
        # placed by its first digit once its 3-digit section is one of the standard's.
        if len(digits) in (3, 5, 7, 16):
            if digits[:3] in self.sections:
                return self.of_2010(digits[0], code=digits[:7])
            return Unplaced(f"{compact} 不是 GB/T 14885 的分类代码")
        return Unplaced(f"{compact} 不是 GB/T 14885 的分类代码（2010版为7位数字，2022版为 A 开头）")

    def _code_and_name(self, code: str, name: str) -> Placement:
        by_code = self.place(code)
        by_name = self.place(name.strip())
        if isinstance(by_code, Placed) and by_code.short is None:
            # A code of the standard decides; the name may only say more.
            return by_code.refined_by(by_name if isinstance(by_name, Placed) else None)
        if isinstance(by_name, Placed):
            # Beside a bare class number or an account code (whose numbering differs between
            # editions and charts of accounts), the name decides.
            return by_name
        reasons = [u.reason for u in (by_code, by_name) if isinstance(u, Unplaced)]
        return Unplaced("；".join(reasons) or f"“{code} {name}”不在分类表中", name=name.strip())

    def _name(self, text: str, key: str) -> Placement:
        for edition in EDITIONS:
            klass = self.class_names[edition].get(key)
            if klass is None:
                continue
            if edition == GB2010:
                return self.of_2010(klass)
            # A wording both editions use (文物和陈列品) is not a sign of the 2022 edition.
            written = key not in self.class_names[GB2010]
            return self.of_2022(klass, written=written)
        found = self.names.get(key)
        if found is not None:
            return found
        return Unplaced(f"“{text}”不在分类表中", name=text)
