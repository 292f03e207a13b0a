"""The school's asset classes: GB/T 14885 codes at any depth, names, and the two editions.

A register rarely holds the top class; it holds the detailed class, by code, by name or both
(`category_forms.py` reads one cell). This module says which top class that is *in the
school's wording* — the names reports, summaries and reconciliation keys use — and in which
edition:

- `category_set = "auto"` (the default): each ledger is read in its own edition — the 2022
  edition if anything in it is written in the 2022 edition (a code `A02010104`, a class name
  `设备`), else the 2010 edition — and the run is a 2022 run if any ledger is. The 2010 classes
  then map onto the 2022 ones at the top level (`schemas/categories.yaml`: 通用设备 and 专用设备
  → 设备, 土地房屋及构筑物 → 房屋和构筑物, 图书档案 → 图书和档案, 家具用具装具及动植物 → 家具和用具, or
  特种动植物 where a 2010 code under 603/604 says so), so a general ledger kept in 2010 names
  reconciles with a 2022 register. Nothing maps the other way: 2022's 设备 is not one 2010 class.
- `category_set = "gb2010"` or `"gb2022"`: the run is in that edition whatever the data says;
  in a 2010 run a 2022 code is placed by the name written beside it (`A02010104 台式计算机` →
  通用设备) or, without one, reported.
- `[categories]`: the school's own list — its wording replaces the edition's, and a class it
  does not name is not on its list; a name that is no class of either edition is a class of
  the school's own. The list's wording fixes the edition.
- `[category_names]`: detailed names the school adds (`"刷卡器" = "通用设备"`), before the
  shipped table `schemas/asset_names.csv`.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..config import Config
from ..errors import InputError
from .category_forms import (
    EDITIONS,
    GB2010,
    GB2022,
    Catalogue,
    Placed,
    Placement,
    Unplaced,
    name_key,
)
from .ledger import Ledger
from .parse import is_blank, normalise_text
from .schemas import load_yaml, schemas_root

AUTO = "auto"
NAMES_TABLE = "asset_names.csv"
# The fields a category may be read from, in the order they decide: a code says more than a
# top-class column, which says more than a detailed name.
CATEGORY_SOURCES = ("category_code", "category", "category_name")


@dataclass
class _Edition:
    title: str
    labels: dict[str, str]  # class code → the wording reports use
    books: str | None       # the class of books (图书档案): no capitalisation threshold


@dataclass
class CategoryList:
    """The school's asset classes as seen in one edition (`edition`); `in_edition` gives the
    same list seen in the other. `names` are the wordings of that edition's classes."""

    catalogue: Catalogue
    editions: dict[str, _Edition]
    edition: str
    mode: str  # AUTO, or the edition every ledger is forced into
    school_classes: list[str] = field(default_factory=list)
    # Each edition's own wording, for saying which class a school's list leaves out.
    defaults: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.editions[self.edition].title

    @property
    def names(self) -> list[str]:
        return [*self.editions[self.edition].labels.values(), *self.school_classes]

    @property
    def books(self) -> list[str]:
        books = self.editions[self.edition].books
        label = self.editions[self.edition].labels.get(books or "")
        return [label] if label else []

    def in_edition(self, edition: str) -> CategoryList:
        if edition == self.edition:
            return self
        return CategoryList(self.catalogue, self.editions, edition, self.mode, self.school_classes,
                            self.defaults)

    # ---- one value -------------------------------------------------------------------------

    def place(self, value: Any) -> Placement | None:
        """Where one cell places the asset (None for a blank cell)."""
        text = _text(value)
        return None if text is None else self.catalogue.place(text)

    def label(self, placed: Placement | None, edition: str | None = None) -> str | None:
        """The class in the school's wording in `edition` (this list's by default); None when
        the value places the asset nowhere there."""
        if not isinstance(placed, Placed):
            return None
        edition = edition or self.edition
        placed = self.catalogue.concrete(placed, edition)
        if not isinstance(placed, Placed):
            return None
        if placed.school is not None:
            return placed.school
        klass = placed.gb2022 if edition == GB2022 else placed.gb2010
        return self.editions[edition].labels.get(klass or "")

    def canonical(self, value: str) -> str:
        """'2010104', 'A02010104 台式计算机', '2 通用设备', '土地、房屋及构筑物', '固定资产—通用设备',
        '台式机' → the top class in the school's wording; anything else unchanged (stripped).
        In the automatic mode a value only the 2022 edition can place is given its 2022 class."""
        text = _text(value)
        if text is None:
            return value
        placed = self.catalogue.place(text)
        edition = self.edition
        if self.mode == AUTO and isinstance(placed, Placed) and placed.needs_2022:
            edition = GB2022
        return self.label(placed, edition) or text

    def is_class(self, value: Any) -> bool:
        """Whether a cell names an asset class of either edition (an account name like 库存现金
        does not): for telling a list of classes from any other list of names."""
        placed = self.place(value)
        return any(self.label(placed, edition) for edition in EDITIONS)

    # ---- a ledger's records ----------------------------------------------------------------

    def ledger_edition(self, placements: Iterable[Placement | None]) -> str:
        """The edition a ledger is read in: the 2022 edition when any of its values needs it,
        else the 2010 edition — which a run forced into 2010 keeps whatever the values say. (A
        ledger in 2010 names is read in 2010 even in a 2022 run, and moved to 2022 with the
        others at the end: read in 2022 at once, its 通用设备 and 专用设备 lines would be one
        class twice.)"""
        if self.mode == GB2010:
            return GB2010
        needs = any(isinstance(p, Placed) and p.needs_2022 for p in placements)
        return GB2022 if needs else GB2010

    def run_edition(self, ledger_editions: Iterable[str]) -> str:
        """The edition a whole run reports in: the forced one, else 2022 if any ledger is."""
        if self.mode != AUTO:
            return self.mode
        return GB2022 if GB2022 in set(ledger_editions) else GB2010

    def place_record(self, values: Sequence[Any], edition: str) -> Placement | None:
        """Where one record places the asset from its category cells (`CATEGORY_SOURCES`
        order: code, class, name): the first that places it in `edition` decides, the others
        may only say more. None when every cell is blank."""
        given = []
        for value in values:
            placed = self.place(value)
            if isinstance(placed, Placed):
                placed = self.catalogue.concrete(placed, edition)  # a bare `3` in this edition
            if placed is not None:
                given.append(placed)
        if not given:
            return None
        decided: Placed | None = None
        for placed in given:
            if isinstance(placed, Placed):
                decided = placed if decided is None else decided.refined_by(placed)
        if decided is not None and self.label(decided, edition):
            return decided
        if decided is None:
            return _unplaced(given)
        # Placed, but in a class this edition or this school's list does not have.
        return Unplaced(self._why_not(decided, edition), name=_suggested_name(given))

    def _why_not(self, placed: Placed, edition: str) -> str:
        if edition == GB2010 and placed.gb2022 is not None and placed.gb2010 is None:
            wording = self.editions[GB2022].labels.get(placed.gb2022, placed.gb2022)
            if placed.gb2022 == "A02":
                return f"2022版的“{wording}”在2010版分为通用设备和专用设备，需写明是哪一类"
            return f"2022版的“{wording}”在2010版没有对应的大类"
        klass = placed.gb2022 if edition == GB2022 else placed.gb2010
        default = self.defaults.get(edition, {}).get(klass or "", klass or "")
        return f"{default}不在学校的资产分类目录中"

    def explain(self, values: Sequence[Any], edition: str | None = None) -> str:
        """Why a record's category cells map nowhere, and how the school makes them map: the
        tail of the bursar's message."""
        edition = edition or self.edition
        placed = self.place_record(values, edition)
        reason = placed.reason if isinstance(placed, Unplaced) else ""
        name = placed.name if isinstance(placed, Unplaced) else None
        choices = "、".join(self.names)
        example = self.names[1] if len(self.names) > 1 else (self.names[0] if self.names else "")
        how = "请写正确的分类代码（如 2010104 或 A02010104）"
        if name:
            how += (f"，或在 houqin.toml 的 [category_names] 中加入 \"{name}\" = \"{example}\""
                    f" 这样的一行（右边写它所属的大类：{choices}）")
        return f"（{reason}）。{how}" if reason else f"。{how}"


def _text(value: Any) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number: 2010104.0 is 2010104
    text = normalise_text(str(value))
    return text or None


def _unplaced(given: list[Placement]) -> Unplaced:
    reasons: list[str] = []
    for placement in given:
        if isinstance(placement, Unplaced) and placement.reason not in reasons:
            reasons.append(placement.reason)
    return Unplaced("；".join(reasons), name=_suggested_name(given))


def _suggested_name(given: list[Placement]) -> str | None:
    names = [p.name for p in given if isinstance(p, Unplaced) and p.name]
    return names[-1] if names else None


# ---- the split 代码 | 名称 columns ---------------------------------------------------------------


def join_split_columns(ledger: Ledger) -> None:
    """A register exported with 资产分类代码 | 资产分类名称 and no 资产分类 column: each record's
    category is read from the cell that gives it — the code, or the name where there is no code
    — and keeps that cell, so a finding about it lands on the cell the bursar must change."""
    fields = {spec.name for spec in ledger.schema.fields}
    if "category" not in fields or ledger.has_column("category"):
        return
    sources = [f for f in ("category_code", "category_name") if f in fields and ledger.has_column(f)]
    if not sources:
        return
    values: list[Any] = []
    cells: list[tuple[int, int] | None] = []
    for i in range(len(ledger.rows)):
        for source in sources:
            value = ledger.raw[source][i]
            if not is_blank(value):
                values.append(value)
                cells.append(ledger.cell_of(source, i))
                break
        else:
            values.append(None)
            cells.append(ledger.cell_of(sources[0], i))
    ledger.raw["category"] = values
    ledger.cells["category"] = cells
    for source in sources:
        column = ledger.columns.get(source)
        if column is not None:
            ledger.column_headers.setdefault(column, ledger.header_of(source))
    ledger.headers["category"] = ledger.header_of(sources[0])
    ledger.missing_fields = [f for f in ledger.missing_fields if f != "category"]


# ---- loading -----------------------------------------------------------------------------------


def _names_path(config: Config) -> str:
    root = schemas_root(config)
    entry = root / NAMES_TABLE
    if not entry.is_file():  # a school's own schemas folder without a names table: the shipped one
        entry = resources.files("houqin_xl.schema_files") / NAMES_TABLE
    return str(entry)


def _names_lines(path: str) -> list[tuple[str, str, str, str]]:
    """(name, code, 2010 class, source) per line of the names table."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            at = [header.index(column) for column in ("名称", "代码", "门类代码", "来源")]
            return [tuple(row[i].strip() for i in at) for row in reader if row]  # type: ignore[misc]
    except (OSError, ValueError, IndexError, StopIteration, csv.Error) as exc:
        raise InputError(f"资产名称表无法读取 / cannot read the names table {path}: {exc}") from exc


@functools.lru_cache(maxsize=8)
def _name_placements(path: str, labels: tuple[tuple[str, str], ...],
                     to_2022: tuple[tuple[str, str], ...], by_code: tuple[tuple[str, str], ...]
                     ) -> tuple[dict[str, Placement], frozenset[str]]:
    """Name key → placement, and the 3-digit sections of the standard's codes. A name standing
    in two classes is not guessed; a curated line (常用名) overrides the standard's for the same
    name. Built once per process (a fifth of a second's work for 3,900 names otherwise)."""
    shown_labels, top, sections_2022 = dict(labels), dict(to_2022), dict(by_code)
    standard: dict[str, set[tuple[str, str | None]]] = {}
    curated: dict[str, set[tuple[str, str | None]]] = {}
    shown: dict[str, str] = {}
    sections: set[str] = set()
    for name, code, klass, source in _names_lines(path):
        if len(code) == 7:
            sections.add(code[:3])
        if klass not in shown_labels:
            continue
        keys = {name_key(name)}
        bare = name.split("(")[0].split("（")[0]  # 不间断电源(UPS) is also 不间断电源
        if bare and bare != name:
            keys.add(name_key(bare))
        gb2022 = (code and sections_2022.get(code[:3])) or top.get(klass)
        for key in keys:
            shown.setdefault(key, name)
            (curated if source == "常用名" else standard).setdefault(key, set()).add((klass, gb2022))
    out: dict[str, Placement] = {}
    for key, classes in [*standard.items(), *curated.items()]:
        old = {c for c, _ in classes}
        if len(old) > 1:
            classes_shown = "、".join(shown_labels[c] for c in sorted(old))
            out[key] = Unplaced(f"“{shown[key]}”在分类表中分属 {classes_shown}，不能确定",
                                name=shown[key])
            continue
        (klass,) = old
        new = {n for _, n in classes}
        # One 2010 class whose lines fall in two 2022 classes: the top-level mapping decides.
        gb2022 = next(iter(new)) if len(new) == 1 else top.get(klass)
        out[key] = Placed(gb2010=klass, gb2022=gb2022)
    return out, frozenset(sections)


def _school_name_placements(catalogue: Catalogue, config: Config) -> dict[str, Placement]:
    out: dict[str, Placement] = {}
    for name, klass in config.category_names.items():
        placed = catalogue.place(normalise_text(klass))
        if not isinstance(placed, Placed) or placed.short is not None:
            raise InputError(
                f"houqin.toml 的 [category_names] 中 \"{name}\" = \"{klass}\"：右边应是资产大类的名称"
                f" / [category_names] must map a name to an asset class: {name} = {klass}")
        out[name_key(name)] = placed
    return out


def load_categories(config: Config | None = None) -> CategoryList:
    """The school's category list from `schemas/categories.yaml`, the names table and the
    settings (`category_set`, `[categories]`, `[category_names]`)."""
    config = config or Config()
    data = load_yaml(schemas_root(config), "categories.yaml")
    choices = [AUTO, *EDITIONS]
    if config.category_set not in choices:
        raise InputError(
            f"未知的资产分类标准 / unknown category_set {config.category_set!r}: choose {', '.join(choices)}")
    editions = {
        e: _Edition(str(data[e].get("title", e)), {str(k): str(v) for k, v in data[e]["categories"].items()},
                    str(data[e]["books"]) if data[e].get("books") is not None else None)
        for e in EDITIONS
    }
    defaults = {e: dict(editions[e].labels) for e in EDITIONS}
    class_names: dict[str, dict[str, str]] = {}
    for e in EDITIONS:
        keys: dict[str, str] = {}
        for klass, label in editions[e].labels.items():
            keys[name_key(label)] = klass
            for alias in data[e].get("aliases", {}).get(klass, []) or []:
                keys[name_key(str(alias))] = klass
        class_names[e] = keys
    crosswalk = data.get("gb2010_to_gb2022", {})
    to_2022 = {str(k): str(v) for k, v in crosswalk.items() if k != "by_code"}
    by_code = {str(k): str(v) for k, v in (crosswalk.get("by_code") or {}).items()}
    table = functools.partial(_name_placements, _names_path(config),
                              tuple(editions[GB2010].labels.items()), tuple(to_2022.items()),
                              tuple(by_code.items()))
    catalogue = Catalogue(class_names, to_2022, by_code, table, {}, {})
    catalogue.school_names = _school_name_placements(catalogue, config)
    mode = config.category_set
    school_classes: list[str] = []
    if config.categories:
        mode, school_classes = _school_list(catalogue, editions, config)
    catalogue.forget()  # placements made while the school's names were being read
    start = GB2010 if mode == AUTO else mode
    return CategoryList(catalogue, editions, start, mode, school_classes, defaults)


def _names_class(placed: Placement) -> bool:
    """Whether a school's wording is itself a class name of the standard (or places as one)."""
    return isinstance(placed, Placed) and placed.short is None and (
        placed.gb2010 is not None or placed.gb2022 is not None)


def _school_list(catalogue: Catalogue, editions: dict[str, _Edition], config: Config
                 ) -> tuple[str, list[str]]:
    """The school's own list: its wording for the classes it names (which fixes the edition
    unless `category_set` does), and the names that are no class of either edition."""
    placed = {code: catalogue.place(normalise_text(name)) for code, name in config.categories.items()}
    # A name of no class (`"1" = "房屋建筑物"`, the school's own wording) is placed by its key
    # when the key is a class code: 1 … 6 in 2010, A01 … A08 in 2022.
    keyed = {code: catalogue.place(normalise_text(str(code))) for code in config.categories}
    mode = config.category_set
    if mode == AUTO:
        needs = any(isinstance(p, Placed) and p.needs_2022 for p in placed.values())
        needs = needs or any(isinstance(k, Placed) and k.needs_2022 and not _names_class(placed[c])
                             for c, k in keyed.items())
        mode = GB2022 if needs else GB2010
    labels: dict[str, str] = {}
    school_classes: list[str] = []
    codes: dict[str, Placed] = {}
    for code, name in config.categories.items():
        placement = placed[code]
        if not _names_class(placement) and isinstance(keyed[code], Placed):
            by_key = catalogue.concrete(keyed[code], mode)
            if isinstance(by_key, Placed) and (by_key.gb2022 if mode == GB2022 else by_key.gb2010):
                placement = by_key
                catalogue.school_names.setdefault(name_key(name), by_key)
        if isinstance(placement, Placed) and placement.short is None:
            klass = placement.gb2022 if mode == GB2022 else placement.gb2010
            if klass is not None:
                labels[klass] = name
                codes[str(code)] = placement
                continue
        school_classes.append(name)
        codes[str(code)] = Placed(school=name)
        catalogue.school_names.setdefault(name_key(name), Placed(school=name))
    catalogue.school_codes = codes
    editions[mode] = _Edition(editions[mode].title, labels, editions[mode].books)
    return mode, school_classes
