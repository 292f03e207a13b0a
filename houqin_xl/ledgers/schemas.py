"""schemas/*.yaml → LedgerSchema: the declarative description of each ledger.

The YAML is the single place where a school adds a header alias, changes a message, or picks
its category list. `validate.py` turns a LedgerSchema into a pandera DataFrameSchema.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..config import Config
from ..errors import InputError

LEDGER_ORDER = (
    "fixed_assets", "gl_balances", "asset_count", "stock_moves", "fees", "fee_standards", "deposits",
    "stock_balances", "stock_count", "disposals",
)
FIELD_TYPES = ("text", "money", "quantity", "date")
_COMPARISONS = ("gt", "ge", "lt", "le")


@dataclass
class ValueCheck:
    """A per-value check: a comparison against a constant."""

    op: str
    value: float
    message: str


@dataclass
class GroupSpec:
    """Which column under a group header gives a field's value. A group header is a cell over
    several columns (`期末余额` merged over 借方 | 贷方, `原值` over 年初 | … | 年末, `实盘` over
    数量 | 存放地点); its columns are named by parent and child together, so a field is bound
    to the child of the right parent — never to a parent's first column, never to the first
    parent that has a child of that name. One of three shapes (keys normalised):

    - `child`: the cell under one of `parents` headed by one of `child` (原值 · 年末);
    - `debit` and `credit`: the value is 借方 − 贷方 of the pair under the parent;
    - `direction` and `amount`: the 金额 signed by its 方向 (借 +, 贷 −, 平 0).
    """

    parents: list[str]
    child: list[str] = field(default_factory=list)
    debit: list[str] = field(default_factory=list)
    credit: list[str] = field(default_factory=list)
    direction: list[str] = field(default_factory=list)
    amount: list[str] = field(default_factory=list)
    # For a `child` group of a year-end report: the sibling children whose roll-forward the
    # child states (年初 + 本年增加 − 本年减少 = 年末): keys opening, increase, decrease.
    rollforward: dict[str, list[str]] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        if self.debit:
            return "debit_credit"
        if self.direction:
            return "direction"
        return "child"

    @property
    def children(self) -> list[str]:
        """Every child key the declaration names."""
        return [*self.child, *self.debit, *self.credit, *self.direction, *self.amount,
                *(key for keys in self.rollforward.values() for key in keys)]


@dataclass
class FieldSpec:
    name: str
    header: str
    aliases: list[str]
    type: str
    required: bool = False
    unique: bool = False
    # Rows agreeing on every one of these fields that the sheet has share one value legitimately:
    # one receipt for a student's several items paid at once (a fee system's export).
    unique_with: list[str] = field(default_factory=list)
    # A required field that may be blank on rows where another field's text matches a pattern
    # ({field: count_status, matches: 盘盈}: a 盘盈 row has no number yet, and says so itself).
    optional_when: dict[str, str] = field(default_factory=dict)
    allowed: list[str] | str | None = None
    message: str = ""
    checks: list[ValueCheck] = field(default_factory=list)
    required_when_paid: bool = False
    groups: list[GroupSpec] = field(default_factory=list)
    # The header's unit word (in brackets or in the header itself) → a factor: a life written
    # in years (使用年限, 折旧年限（年）) is kept in months like one written 使用年限(月).
    unit_scale: dict[str, int] = field(default_factory=dict)

    @property
    def numeric(self) -> bool:
        return self.type in ("money", "quantity")


@dataclass
class RowCheck:
    """A check across fields of one row, reported on the `result` field's cell."""

    name: str
    kind: str
    result: str
    message: str
    severity: str = ""
    equals: dict[str, list[str]] | None = None
    at_most: str | None = None
    not_after: str | None = None
    function: str | None = None
    # 'per_unit': a product's operands are a quantity and a unit price written rounded, so
    # the amount may differ from their product by half a fen per unit (see validate.py).
    tolerance: str | None = None
    # For `equals: {same: [field]}`: how the message names the other figure (账面数量).
    compared_as: str | None = None
    # Where the finding goes when the sheet lacks `result` (a register without 单价 reports
    # the capitalisation test on 价值, the unit value then being 价值 ÷ 数量).
    fallback_result: str | None = None

    @property
    def operands(self) -> list[str]:
        if self.equals:
            return next(iter(self.equals.values()))
        if self.at_most:
            return [self.at_most]
        return []


@dataclass
class LedgerSchema:
    ledger: str
    title: str
    fields: list[FieldSpec]
    signature: list[list[str]]
    reject_headers: list[str] = field(default_factory=list)
    sheet_hints: list[str] = field(default_factory=list)
    totals: list[str] = field(default_factory=list)
    row_checks: list[RowCheck] = field(default_factory=list)

    @cached_property
    def alias_keys(self) -> dict[str, list[str]]:
        """Field → its header and aliases as normalised keys, canonical header first."""
        return {spec.name: [normalise_header(h)[0] for h in [spec.header, *spec.aliases]]
                for spec in self.fields}

    @cached_property
    def all_keys(self) -> frozenset[str]:
        return frozenset(key for keys in self.alias_keys.values() for key in keys)

    @cached_property
    def group_keys(self) -> frozenset[str]:
        """Every parent and child key the fields' group declarations name."""
        return frozenset(key for spec in self.fields for group in spec.groups
                         for key in (*group.parents, *group.children))

    @cached_property
    def header_words(self) -> frozenset[str]:
        """Every word a header of this ledger may hold: aliases and group words."""
        return self.all_keys | self.group_keys

    @cached_property
    def reserved_children(self) -> frozenset[tuple[str, str]]:
        """(parent, child) pairs a declaration claims: such a column is bound only through
        its declaration (账面 · 存放地点 is the book's place, never the place found)."""
        return frozenset((parent, child) for spec in self.fields for group in spec.groups
                         for parent in group.parents for child in group.children)

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)


_BRACKETED = re.compile(r"[(\[【〔]([^()\[\]【】〔〕]*)[)\]】〕]")


@lru_cache(maxsize=65536)
def normalise_header(text: Any) -> tuple[str, str | None]:
    """A header cell as a comparable key, and the unit found in brackets ('万元', '元', …).

    `原值\\n(元)`, ` 原 值 `, `原值（元）` all become `原值`; full-width letters become
    half-width; a trailing colon or required-field star (*, ★) and bracketed hints
    (`应缴费用（格式：0.00）*`, `缴费日期(yyyy-M-d)`) are dropped.
    """
    if text is None:
        return "", None
    value = unicodedata.normalize("NFKC", str(text))
    unit = None
    # Innermost brackets first, until none are left: a format hint may hold brackets of its
    # own (缴费日期（格式：yyyy-MM-dd(可选)）).
    while True:
        found = list(_BRACKETED.finditer(value))
        if not found:
            break
        for m in found:
            inner = m.group(1).replace(" ", "")
            if "万元" in inner:
                unit = "万元"
            elif inner.endswith("元") or inner in ("元", "人民币"):
                unit = unit or "元"
            elif inner in ("月", "个月", "月数"):
                unit = unit or "月"  # 使用年限(月)
            elif inner == "年":
                unit = unit or "年"
        value = _BRACKETED.sub("", value)
    value = re.sub(r"\s+", "", value).strip("*:：※★☆")
    m = re.fullmatch(r"(.+?)[/／](万元|元)", value)
    if m:
        value, unit = m.group(1), m.group(2)
    return value, unit


def schemas_root(config: Config) -> Any:
    if config.schemas_dir:
        root = Path(config.schemas_dir)
        if not root.is_dir():
            raise InputError(f"找不到schemas文件夹 / schemas folder not found: {root}")
        return root
    return resources.files("houqin_xl.schema_files")


def load_yaml(root: Any, name: str) -> dict[str, Any]:
    entry = root / name
    try:
        # The C loader when PyYAML has it: the pure-Python one costs a fifth of a second a run.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(entry.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"schema文件无法读取 / cannot read schema {name}: {exc}") from exc


def _field(raw: dict[str, Any], ledger: str) -> FieldSpec:
    if raw.get("type") not in FIELD_TYPES:
        raise InputError(f"schema {ledger}: field {raw.get('name')} has unknown type {raw.get('type')!r}")
    checks = []
    for item in raw.get("checks", []):
        ops = [op for op in _COMPARISONS if op in item]
        if len(ops) != 1:
            raise InputError(f"schema {ledger}: field {raw['name']}: a check needs one of {_COMPARISONS}")
        checks.append(ValueCheck(ops[0], float(item[ops[0]]), item.get("message", "")))
    groups = [_group(item, ledger, raw["name"]) for item in raw.get("groups", [])]
    unit_scale = {str(k): int(v) for k, v in (raw.get("unit_scale") or {}).items()}
    return FieldSpec(
        name=raw["name"],
        header=raw["header"],
        aliases=list(raw.get("aliases", [])),
        type=raw["type"],
        required=bool(raw.get("required", False)),
        unique=bool(raw.get("unique", False)),
        unique_with=list(raw.get("unique_with", [])),
        optional_when={str(k): str(v) for k, v in (raw.get("optional_when") or {}).items()},
        allowed=raw.get("allowed"),
        message=raw.get("message", ""),
        checks=checks,
        required_when_paid=bool(raw.get("required_when_paid", False)),
        groups=groups,
        unit_scale=unit_scale,
    )


def _keys(values: Any) -> list[str]:
    items = values if isinstance(values, list) else [values]
    return [normalise_header(v)[0] for v in items if v is not None]


def _group(raw: dict[str, Any], ledger: str, field_name: str) -> GroupSpec:
    """One `groups:` entry of a field: {parent: [...], child: [...]} or a debit/credit or
    direction/amount pair under the parent."""
    group = GroupSpec(
        parents=_keys(raw.get("parent", [])), child=_keys(raw.get("child", [])),
        debit=_keys(raw.get("debit", [])), credit=_keys(raw.get("credit", [])),
        direction=_keys(raw.get("direction", [])), amount=_keys(raw.get("amount", [])),
        rollforward={part: _keys(raw["rollforward"].get(part, []))
                     for part in ("opening", "increase", "decrease")} if raw.get("rollforward") else {},
    )
    shapes = [bool(group.child), bool(group.debit) or bool(group.credit),
              bool(group.direction) or bool(group.amount)]
    if (not group.parents or sum(shapes) != 1 or bool(group.debit) != bool(group.credit)
            or bool(group.direction) != bool(group.amount)
            or (group.rollforward and not (group.child and all(group.rollforward.values())))):
        raise InputError(f"schema {ledger}: field {field_name}: a group needs a parent and one of "
                         "child, debit+credit, direction+amount (a rollforward goes with a child "
                         "and names opening, increase and decrease)")
    return group


def _ledger(raw: dict[str, Any], config: Config) -> LedgerSchema:
    name = raw["ledger"]
    fields = [_field(f, name) for f in raw["fields"]]
    names = {f.name for f in fields}
    for field_name, extra in config.aliases.get(name, {}).items():
        if field_name not in names:
            raise InputError(f"配置的别名指向不存在的字段 / alias for unknown field {name}.{field_name}")
        spec = next(f for f in fields if f.name == field_name)
        spec.aliases = list(extra) + spec.aliases
    row_checks = [
        RowCheck(
            name=rc["name"], kind=rc["kind"], result=rc["result"], message=rc.get("message", ""),
            severity=rc.get("severity", ""), equals=rc.get("equals"), at_most=rc.get("at_most"),
            not_after=rc.get("not_after"), function=rc.get("function"),
            tolerance=rc.get("tolerance"), compared_as=rc.get("compared_as"),
            fallback_result=rc.get("fallback_result"),
        )
        for rc in raw.get("row_checks", [])
    ]
    signature = [entry if isinstance(entry, list) else [entry] for entry in raw["signature"]]
    for group in signature:
        for entry in group:
            if entry not in names:
                raise InputError(f"schema {name}: signature names unknown field {entry}")
    return LedgerSchema(
        ledger=name, title=raw.get("title", name), fields=fields, signature=signature,
        reject_headers=[normalise_header(h)[0] for h in raw.get("reject_headers", [])],
        sheet_hints=list(raw.get("sheet_hints", [])), totals=list(raw.get("totals", [])),
        row_checks=row_checks,
    )


_LOADED: dict[tuple, dict[str, LedgerSchema]] = {}


def _schemas_key(config: Config) -> tuple:
    """What the schemas depend on: the school's aliases, and the YAML files themselves when a
    school keeps its own folder of them (their names and modification times)."""
    files: tuple = ()
    if config.schemas_dir:
        root = Path(config.schemas_dir)
        files = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in root.glob("*.yaml")))
    return (config.schemas_dir, repr(sorted((k, sorted(v.items())) for k, v in config.aliases.items())),
            files)


def load_schemas(config: Config | None = None) -> dict[str, LedgerSchema]:
    """Every ledger schema, in recognition order, with the school's extra aliases merged in.

    Built once per process for the same settings (a `check-many` worker checks school after
    school; YAML and the schema objects cost ≈ 60 ms a school). The schemas are shared: no
    caller changes them."""
    config = config or Config()
    key = _schemas_key(config)
    loaded = _LOADED.get(key)
    if loaded is None:
        root = schemas_root(config)
        loaded = {name: _ledger(load_yaml(root, f"{name}.yaml"), config) for name in LEDGER_ORDER}
        if len(_LOADED) > 16:
            _LOADED.clear()
        _LOADED[key] = loaded
    return loaded
