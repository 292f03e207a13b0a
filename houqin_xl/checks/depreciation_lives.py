"""An asset's useful life: the register's own, else the default of its class.

The defaults are data (`schemas/depreciation_lives.yaml`): the minimum lives of 财会〔2017〕4号
per group of the table (计算机设备 6年, 家具 15年 …), found by the asset's GB/T 14885 code — the
longest prefix wins — or, for a name written without a code, through the names table's codes
(`asset_names.csv`) and then the words of the lives table; failing that, the default of its top
class. A school changes the defaults in `[depreciation_lives]` of houqin.toml (by group, by top
class, or by code prefix); the minimums of the warning stay the table's.

Never depreciated (准则第3号): 文物和陈列品, 图书、档案, 动植物, land valued on its own, and
assets at 名义金额 — whatever life the register writes.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..config import Config
from ..errors import InputError
from ..ledgers.categories import NAMES_TABLE, CategoryList
from ..ledgers.category_forms import GB2010, GB2022, Placed, name_key
from ..ledgers.schemas import load_yaml, schemas_root

LIVES_TABLE = "depreciation_lives.yaml"
NEVER = "不计提折旧"
BUILDING = "房屋"  # a pseudo-group: the structure decides (`buildings` in the table)
SOURCE_NOTE = "财会〔2017〕4号"
SCHOOL_GROUP = "（学校设置）"  # the suffix of a group a school's code-prefix setting makes

# The 2010 top classes each 2022 top class covers (2022's 设备 is 2010's 通用 and 专用设备).
_TOP_2022_TO_2010 = {"A01": ("1",), "A02": ("2", "3"), "A03": ("4",), "A04": ("5",),
                     "A05": ("6",), "A06": ("6",)}


@dataclass(frozen=True)
class Life:
    """What the table says of one asset. `months` is the default life (None where the table
    has no default: a class of the school's own, 物资, 无形资产); `minimum` the least life the
    table allows it (None: no warning); `never`: not depreciated at all; `basis` says in
    Chinese where the figures come from (计算机设备, 通用设备默认, 名义金额)."""

    months: int | None
    minimum: int | None
    basis: str
    never: bool = False
    school: bool = False  # the default is the school's own (houqin.toml), not the table's


@dataclass(frozen=True)
class _NameRule:
    group: str
    words: tuple[str, ...]
    classes: frozenset[str]


@dataclass
class LifeTable:
    """The lives table with the school's settings applied."""

    months: dict[str, int]                # group → default life in months (the school's where set)
    minimum_months: dict[str, int]        # group → the table's life: the minimum
    codes_2010: dict[str, str]            # code prefix → group
    codes_2022: dict[str, str]
    building_words: list[tuple[str, tuple[str, ...]]]
    building_default: str
    building_minimum: int                 # months
    names: list[_NameRule]
    classes: dict[str, dict[str, Any]]    # "gb2010:2" / "gb2022:A02" → {default, minimum, never}
    class_months: dict[str, int] = field(default_factory=dict)  # "gb2010:2" → school's life
    name_codes: dict[str, str] = field(default_factory=dict)  # name key → 2010 code

    # ---- one asset -----------------------------------------------------------------------

    def group_of_code(self, code: str) -> str | None:
        """The group of a detailed GB/T 14885 code (2010 digits or a 2022 code), by its
        longest prefix in the table; None when the table has none."""
        table = self.codes_2022 if code[:1].isalpha() else self.codes_2010
        for length in range(len(code), 0, -1):
            group = table.get(code[:length])
            if group is not None:
                return group
        return None

    def group_of_name(self, texts: list[str], classes_2010: tuple[str, ...]) -> str | None:
        """The group a detailed name gives: the standard's own name through its code, else the
        first rule of the table whose words it holds and whose class is the asset's."""
        for text in texts:
            code = self.name_codes.get(name_key(text))
            if code is not None:
                group = self.group_of_code(code)
                if group is not None and (not classes_2010 or code[0] in classes_2010):
                    return group
        for rule in self.names:
            if classes_2010 and not rule.classes & set(classes_2010):
                continue
            if any(word in text for text in texts for word in rule.words):
                return rule.group
        return None

    def building(self, texts: list[str]) -> tuple[str, bool]:
        """The row of the table a building is in, from the words of its structure; and whether
        the structure was written at all."""
        for group, words in self.building_words:
            if any(word in text for text in texts for word in words):
                return group, True
        return self.building_default, False

    def of_group(self, group: str, texts: list[str]) -> Life:
        if group == NEVER:
            return Life(None, None, NEVER, never=True)
        if group == BUILDING:
            group, known = self.building(texts)
            minimum = self.minimum_months[group] if known else self.building_minimum
            return Life(self.months[group], minimum, group, school=self._set_by_school(group))
        return Life(self.months[group], self.minimum_months[group], group,
                    school=self._set_by_school(group))

    def _set_by_school(self, group: str) -> bool:
        return group.endswith(SCHOOL_GROUP) or self.months[group] != self.minimum_months[group]

    def of_class(self, edition: str, code: str, label: str, texts: list[str]) -> Life | None:
        """The top class's default (None when the table does not know the class)."""
        entry = self.classes.get(f"{edition}:{code}")
        if entry is None:
            return None
        if entry.get("never"):
            return Life(None, None, f"{label}不计提折旧", never=True)
        group = str(entry["default"])
        if code in ("1", "A01"):
            structure, known = self.building(texts)
            if known:  # a class-1 asset whose spec says 砖混: a building of that structure
                return self.of_group(structure, texts)
        key = f"{edition}:{code}"
        months = self.class_months.get(key, self.months[group])
        return Life(months, int(entry["minimum"]) * 12, f"{label}默认",
                    school=key in self.class_months or self._set_by_school(group))


# ---- one record's cells -------------------------------------------------------------------------


def _code(categories: CategoryList, value: Any) -> str | None:
    """The detailed code a category cell is written with (2010104, A02010104), if any."""
    placed = categories.place(value) if isinstance(value, str) else None
    if isinstance(placed, Placed) and placed.code:
        return placed.code
    return None


_CODE_PART = re.compile(r"^[A-Za-z]?\d[\d.\-]*\s*")


def _detail_texts(categories: CategoryList, cells: tuple[Any, ...]) -> list[str]:
    """The texts that may name an asset's detailed class: each cell without a leading code,
    leaving out a mere top-class wording (通用设备, 2 通用设备) — it says nothing finer."""
    out = []
    class_names = categories.catalogue.class_names
    for cell in cells:
        if not isinstance(cell, str) or not cell.strip():
            continue
        text = _CODE_PART.sub("", cell.strip()) or cell.strip()
        key = name_key(text)
        if any(key in names for names in class_names.values()):
            continue
        out.append(text)
    return out


def life_of(table: LifeTable, categories: CategoryList, label: Any, code_cell: Any,
            category_cell: Any, category_name: Any, name: Any, spec: Any,
            nominal: bool) -> Life | None:
    """The table's life for one asset, from its top class (`label`, in the school's wording),
    its category cells, name and spec. None when the table can say nothing (a class of the
    school's own list, or cells that place the asset in no class)."""
    if nominal:
        return Life(None, None, "名义金额", never=True)
    names = _detail_texts(categories, (category_name, category_cell, name))
    structure = [t for t in (spec, name, category_name) if isinstance(t, str) and t]
    edition, top = _top_code(categories, label)
    tops_2010: tuple[str, ...] = ()
    if edition == GB2010 and top:
        tops_2010 = (top,)
    elif edition == GB2022 and top:
        tops_2010 = _TOP_2022_TO_2010.get(top, ())
    if top is not None:
        klass = table.classes.get(f"{edition}:{top}")
        if klass is not None and klass.get("never"):
            return table.of_class(edition, top, str(label), structure)
    for cell in (code_cell, category_cell, category_name):
        code = _code(categories, cell)
        if code is None:
            continue
        group = table.group_of_code(code)
        # A 2010 code of another class than the asset's (a school's own class list) is not
        # taken; a 2022 code's class was checked by its edition already.
        if group is not None and (not tops_2010 or code[:1].isalpha() or code[0] in tops_2010):
            return table.of_group(group, structure)
    group = table.group_of_name(names, tops_2010)
    if group is not None:
        return table.of_group(group, structure)
    if top is None:
        return None
    return table.of_class(edition, top, str(label), structure)


def _top_code(categories: CategoryList, label: Any) -> tuple[str, str | None]:
    """The edition a label is in and its class code there ('gb2010', '2')."""
    if not isinstance(label, str):
        return categories.edition, None
    labels = categories.editions[categories.edition].labels
    for code, shown in labels.items():
        if shown == label:
            return categories.edition, code
    return categories.edition, None


# ---- loading ------------------------------------------------------------------------------------


def _names_path(config: Config) -> str:
    entry = schemas_root(config) / NAMES_TABLE
    if not entry.is_file():
        entry = resources.files("houqin_xl.schema_files") / NAMES_TABLE
    return str(entry)


@functools.lru_cache(maxsize=4)
def _name_codes(path: str) -> dict[str, str]:
    """Name key → its 7-digit 2010 code, for the names of the standard (a name standing in two
    sections is left out: it says nothing certain)."""
    found: dict[str, set[str]] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            for line in reader:
                code = (line.get("代码") or "").strip()
                name = (line.get("名称") or "").strip()
                if len(code) == 7 and code.isdigit() and name:
                    for text in {name, name.split("(")[0].split("（")[0]}:
                        if text:
                            found.setdefault(name_key(text), set()).add(code)
    except (OSError, csv.Error) as exc:
        raise InputError(f"资产名称表无法读取 / cannot read the names table {path}: {exc}") from exc
    return {key: next(iter(codes)) for key, codes in found.items() if len({c[:3] for c in codes}) == 1}


def _bad(why: str) -> InputError:
    return InputError(f"折旧年限表 {LIVES_TABLE} 不正确：{why} / the lives table is wrong")


def _years(value: Any, where: str) -> int:
    try:
        years = int(value)
    except (TypeError, ValueError) as exc:
        raise _bad(f"{where} 的年限“{value}”不是整数") from exc
    if years < 0:
        raise _bad(f"{where} 的年限不能为负数")
    return years


def load_life_table(config: Config, categories: CategoryList) -> LifeTable:
    """The lives table of the school: the shipped (or the school's own schemas folder's) file
    with `[depreciation_lives]` applied. A setting that names no group, class or code is one
    clear line (exit 2)."""
    data = load_yaml(schemas_root(config), LIVES_TABLE) or {}
    try:
        groups = {str(k): _years(v, str(k)) for k, v in data["groups"].items()}
        codes_2010 = {str(k): str(v) for k, v in data["codes_2010"].items()}
        codes_2022 = {str(k).upper(): str(v) for k, v in (data.get("codes_2022") or {}).items()}
        buildings = dict(data["buildings"])
        classes = {f"{GB2010}:{k}": dict(v) for k, v in data["classes_2010"].items()}
        classes.update({f"{GB2022}:{k}": dict(v) for k, v in data["classes_2022"].items()})
    except (KeyError, AttributeError, TypeError) as exc:
        raise _bad(f"缺少 {exc}") from exc
    for where, group in [*codes_2010.items(), *codes_2022.items()]:
        if group not in groups and group != BUILDING:
            raise _bad(f"代码 {where} 指向不存在的类别“{group}”")
    building_words = [(str(g), tuple(str(w) for w in words)) for g, words in buildings.items()
                      if g not in ("default", "minimum")]
    for group, _ in building_words:
        if group not in groups:
            raise _bad(f"buildings 中的“{group}”不是 groups 中的类别")
    classes_of_group: dict[str, set[str]] = {}
    for prefix, group in codes_2010.items():
        classes_of_group.setdefault(group, set()).add(prefix[0])
    classes_of_group.setdefault(BUILDING, set()).add("1")
    names = []
    for entry in data.get("names") or []:
        group = str(entry["group"])
        if group not in groups and group != BUILDING:
            raise _bad(f"names 中的“{group}”不是 groups 中的类别")
        own = entry.get("classes")
        names.append(_NameRule(group, tuple(str(w) for w in entry["words"]),
                               frozenset(str(c) for c in own) if own else
                               frozenset(classes_of_group.get(group, set()))))
    months = {group: years * 12 for group, years in groups.items()}
    table = LifeTable(
        months=dict(months), minimum_months=dict(months), codes_2010=codes_2010,
        codes_2022=codes_2022, building_words=building_words,
        building_default=str(buildings.get("default", building_words[0][0])),
        building_minimum=_years(buildings.get("minimum", 8), "buildings.minimum") * 12,
        names=names, classes=classes, name_codes=_name_codes(_names_path(config)))
    _apply_settings(table, config, categories)
    return table


def _apply_settings(table: LifeTable, config: Config, categories: CategoryList) -> None:
    for key, years in config.depreciation_lives.items():
        months = int((years * 12).to_integral_value())
        if key in table.months:
            if key == NEVER:
                raise InputError("houqin.toml 的 [depreciation_lives] 不能改“不计提折旧” / "
                                 "not-depreciated classes have no life")
            table.months[key] = months
            continue
        compact = re.sub(r"[\s.\-]", "", key).upper()
        if re.fullmatch(r"\d{1,7}|A\d{2,8}", compact):
            # The school's default for these codes; the table's minimum for them stays.
            before = table.group_of_code(compact)
            group = f"{compact}{SCHOOL_GROUP}"
            table.months[group] = months
            table.minimum_months[group] = (table.minimum_months.get(before, months)
                                           if before not in (None, BUILDING, NEVER) else months)
            (table.codes_2022 if compact[0] == "A" else table.codes_2010)[compact] = group
            continue
        placed = categories.place(key)
        found = False
        for edition in (GB2010, GB2022):
            label = categories.label(placed, edition)
            for code, shown in categories.editions[edition].labels.items():
                if label is not None and shown == label and f"{edition}:{code}" in table.classes:
                    table.class_months[f"{edition}:{code}"] = months
                    found = True
        if not found:
            raise InputError(
                f"houqin.toml 的 [depreciation_lives] 中“{key}”既不是折旧年限表中的类别（如 计算机设备、家具），"
                f"也不是资产大类或分类代码 / [depreciation_lives]: unknown key {key}")


def years_text(months: int | float) -> str:
    """A life as the bursar says it: 6年, 30个月."""
    months = int(round(months))
    return f"{months // 12}年" if months % 12 == 0 else f"{months}个月"
