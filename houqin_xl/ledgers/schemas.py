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
    "stock_balances", "stock_count",
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
class FieldSpec:
    name: str
    header: str
    aliases: list[str]
    type: str
    required: bool = False
    unique: bool = False
    allowed: list[str] | str | None = None
    message: str = ""
    checks: list[ValueCheck] = field(default_factory=list)
    required_when_paid: bool = False

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
    return FieldSpec(
        name=raw["name"],
        header=raw["header"],
        aliases=list(raw.get("aliases", [])),
        type=raw["type"],
        required=bool(raw.get("required", False)),
        unique=bool(raw.get("unique", False)),
        allowed=raw.get("allowed"),
        message=raw.get("message", ""),
        checks=checks,
        required_when_paid=bool(raw.get("required_when_paid", False)),
    )


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


def load_schemas(config: Config | None = None) -> dict[str, LedgerSchema]:
    """Every ledger schema, in recognition order, with the school's extra aliases merged in."""
    config = config or Config()
    root = schemas_root(config)
    return {name: _ledger(load_yaml(root, f"{name}.yaml"), config) for name in LEDGER_ORDER}
