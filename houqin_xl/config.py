"""A school's settings (`houqin.toml`), with defaults that work when there is no file.

Example::

    school = "实验小学"
    category_set = "auto"            # or "gb2010" / "gb2022" (auto: the edition the data is in)
    capitalization_threshold = 1000  # yuan per unit (事业单位财务规则 2022)
    legacy_special_equipment = false # true: 专用设备 from 1500 yuan (the older rule)
    tolerance = "0.01"               # yuan
    deposit_frequency = "daily"      # or "period" when the school deposits less often
    voided_receipts = ["A0000123"]
    max_cells = 10000000             # limits of what the files may make the tool allocate
    max_part_mb = 512                # (raise them only for a file you trust)
    max_ratio = 250
    max_parts = 10000
    max_text_mb = 200

    [categories]                     # a school's own list replaces the chosen set
    "1" = "房屋和构筑物"

    [category_names]                 # detailed names → top class, beside the shipped table
    "刷卡器" = "通用设备"

    [aliases.fixed_assets]           # extra header words, per ledger and field
    asset_id = ["财产编号"]

    [depreciation_lives]             # years, instead of the shipped minimums of 财会〔2017〕4号
    "计算机设备" = 6                  # a group of schemas/depreciation_lives.yaml,
    "通用设备" = 6                    # a top class (its default when nothing finer is known),
    "2010105" = 5                    # or a GB/T 14885 code prefix (2010 or 2022)

    [disposal_tiers]                 # who approves a disposal (资产处置), by its 原值 in yuan:
    basis = "batch"                  # "batch": Σ 原值 of one 处置单号; "item": each asset alone
    "主管部门" = 100000               # from this amount the education bureau (ILLUSTRATIVE:
    "财政部门" = 500000               # every province sets its own limits)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import InputError

CONFIG_NAMES = ("houqin.toml", "houqin_xl.toml", "后勤台账.toml")


@dataclass(frozen=True)
class DisposalTiers:
    """Who must approve a disposal (资产处置审批), by the 原值 disposed.

    The amounts are ILLUSTRATIVE defaults, not any province's rule: 行政事业性国有资产管理条例
    leaves the limits to each province (and often each county), so a school writes its own in
    `[disposal_tiers]`. Below `department_from` the school approves it itself (单位自行审批);
    from it, the competent department (主管部门, the education bureau); from `finance_from`, the
    finance department (财政部门). `basis` "batch" (the default) takes the Σ 原值 of one
    disposal (one 处置单号, or one 批准文号): the rules speak of 单位价值或批量价值, and a batch is
    never worth less than one of its items; "item" takes each asset on its own."""

    basis: str = "batch"
    department_from: Decimal = Decimal("100000")
    finance_from: Decimal = Decimal("500000")


# The words `[disposal_tiers]` takes for each amount (Chinese or English).
_TIER_KEYS = {"主管部门": "department_from", "教育局": "department_from",
              "department_from": "department_from", "财政部门": "finance_from",
              "财政局": "finance_from", "finance_from": "finance_from"}


@dataclass
class Config:
    school: str = ""
    category_set: str = "auto"
    categories: dict[str, str] = field(default_factory=dict)
    category_names: dict[str, str] = field(default_factory=dict)
    capitalization_threshold: Decimal = Decimal("1000")
    legacy_special_equipment: bool = False
    special_equipment_threshold: Decimal = Decimal("1500")
    tolerance: Decimal = Decimal("0.01")
    deposit_frequency: str = "daily"
    voided_receipts: list[str] = field(default_factory=list)
    aliases: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # Useful lives in years the school sets over the shipped defaults: key → years (a group of
    # schemas/depreciation_lives.yaml, a top class, or a GB/T 14885 code prefix).
    depreciation_lives: dict[str, Decimal] = field(default_factory=dict)
    disposal_tiers: DisposalTiers = field(default_factory=DisposalTiers)
    schemas_dir: str | None = None
    # What the files may make the tool allocate (read/limits.py): cells read in one run (all
    # sheets), MB of one part of an .xlsx once uncompressed, its compression ratio, parts in
    # one .xlsx, MB of a text (HTML, XML, CSV) file. Past them: one line, exit 2.
    max_cells: int = 10_000_000
    max_part_mb: int = 512
    max_ratio: int = 250
    max_parts: int = 10_000
    max_text_mb: int = 200
    source: str | None = None

    @property
    def tolerance_fen(self) -> int:
        return int((self.tolerance * 100).to_integral_value())


_DECIMALS = {"capitalization_threshold", "special_equipment_threshold", "tolerance"}
_TEXTS = {"school", "category_set", "deposit_frequency", "schemas_dir"}
_BOOLS = {"legacy_special_equipment"}
_LIMITS = {"max_cells", "max_part_mb", "max_ratio", "max_parts", "max_text_mb"}
# The ledger names `[aliases.<ledger>]` may use (schemas/*.yaml).
LEDGER_NAMES = ("fixed_assets", "gl_balances", "asset_count", "stock_moves", "fees",
                "fee_standards", "deposits", "disposals")


def _bad(source: str | None, key: str, why: str) -> InputError:
    return InputError(f"设置项 {key} 不正确：{why} / setting {key} is wrong in {source or 'settings'}")


def _decimal(key: str, value: Any, source: str | None) -> Decimal:
    if isinstance(value, bool):
        raise _bad(source, key, "应为数字 / must be a number")
    try:
        number = Decimal(str(value).strip())
    except (ArithmeticError, ValueError) as exc:
        raise _bad(source, key, f"“{value}”不是数字 / not a number") from exc
    if not number.is_finite() or number < 0:
        raise _bad(source, key, f"“{value}”不能为负数 / must be zero or more")
    return number


def _texts(key: str, value: Any, source: str | None) -> list[str]:
    """A list of texts; a single text (or number) is a list of one, as a bursar means it."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(v, str | int | float) and not isinstance(v, bool)
                                       for v in value):
        return [str(v) for v in value]
    raise _bad(source, key, "应为文字或文字列表，如 [\"A0000123\"] / must be a text or a list of texts")


def _aliases(value: Any, source: str | None) -> dict[str, dict[str, list[str]]]:
    if not isinstance(value, dict):
        raise _bad(source, "aliases", "应写成 [aliases.fixed_assets] 这样的表 / must be tables")
    out: dict[str, dict[str, list[str]]] = {}
    for ledger, fields in value.items():
        if ledger not in LEDGER_NAMES:
            raise _bad(source, f"aliases.{ledger}",
                       f"没有名为 {ledger} 的台账，应为 {'、'.join(LEDGER_NAMES)} 之一 / unknown ledger")
        if not isinstance(fields, dict):
            raise _bad(source, f"aliases.{ledger}", "应为 字段 = [\"表头\"] / must map fields to headers")
        out[ledger] = {str(name): _texts(f"aliases.{ledger}.{name}", words, source)
                       for name, words in fields.items()}
    return out


def _lives(value: Any, source: str | None) -> dict[str, Decimal]:
    """`[depreciation_lives]`: key → a life in years, more than zero. Whether a key names a
    group, a class or a code is settled when the lives table is loaded (checks/depreciation_lives.py)."""
    if not isinstance(value, dict):
        raise _bad(source, "depreciation_lives", "应写成 [depreciation_lives] 表，如 \"计算机设备\" = 6 "
                   "/ must be a table of years")
    out: dict[str, Decimal] = {}
    for name, years in value.items():
        key = f"depreciation_lives.{name}"
        number = _decimal(key, years, source)
        if number <= 0 or number > 100:
            raise _bad(source, key, f"“{years}”应为 1 到 100 之间的年数 / must be years between 1 and 100")
        out[str(name).strip()] = number
    return out


def _tiers(value: Any, source: str | None) -> DisposalTiers:
    if not isinstance(value, dict):
        raise _bad(source, "disposal_tiers", "应写成 [disposal_tiers] 表 / must be a table")
    fields: dict[str, Any] = {}
    for name, amount in value.items():
        if name == "basis":
            if amount not in ("batch", "item"):
                raise _bad(source, "disposal_tiers.basis",
                           "只能是 \"batch\"（按一次处置的原值合计）或 \"item\"（按单项资产）"
                           " / must be batch or item")
            fields["basis"] = amount
            continue
        if name not in _TIER_KEYS:
            raise _bad(source, f"disposal_tiers.{name}",
                       "可用的项为 basis、主管部门、财政部门 / known keys: basis, 主管部门, 财政部门")
        fields[_TIER_KEYS[name]] = _decimal(f"disposal_tiers.{name}", amount, source)
    tiers = DisposalTiers(**fields)
    if tiers.finance_from < tiers.department_from:
        raise _bad(source, "disposal_tiers", "财政部门的限额不能低于主管部门的限额 / finance_from must be at "
                   "least department_from")
    return tiers


def config_from_mapping(data: dict[str, Any], source: str | None = None) -> Config:
    """Settings from a parsed file, each value checked, so a typo is one clear line (exit 2),
    never a crash in the middle of a check."""
    known = set(Config.__dataclass_fields__) - {"source"}
    unknown = set(data) - known
    if unknown:
        raise InputError(f"配置文件中有未知的设置项 / unknown settings in {source}: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in _DECIMALS:
            values[key] = _decimal(key, value, source)
        elif key in _TEXTS:
            if not isinstance(value, str):
                raise _bad(source, key, "应为文字（加引号）/ must be a text in quotes")
            values[key] = value.strip()
        elif key in _LIMITS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise _bad(source, key, f"“{value}”应为正整数 / must be a whole number above 0")
            values[key] = value
        elif key in _BOOLS:
            if not isinstance(value, bool):
                raise _bad(source, key, "应为 true 或 false / must be true or false")
            values[key] = value
        elif key in ("categories", "category_names"):
            if not isinstance(value, dict):
                raise _bad(source, key, f"应写成 [{key}] 表 / must be a table")
            values[key] = {str(k): str(v) for k, v in value.items()}
        elif key == "voided_receipts":
            values[key] = _texts(key, value, source)
        elif key == "aliases":
            values[key] = _aliases(value, source)
        elif key == "depreciation_lives":
            values[key] = _lives(value, source)
        elif key == "disposal_tiers":
            values[key] = _tiers(value, source)
        else:
            values[key] = value
    config = Config(**values, source=source)
    if config.deposit_frequency not in ("daily", "period"):
        raise InputError(f"deposit_frequency 只能是 daily 或 period / must be daily or period: {source}")
    return config


def read_settings_text(path: Path) -> str:
    """The settings file as text, however Notepad saved it: UTF-8 with or without a BOM,
    UTF-16 ("Unicode"), or the Chinese Windows code page (GBK, "ANSI")."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def load_config(path: str | Path | None = None, beside: list[Path] | None = None) -> Config:
    """The settings file given, or one found beside the workbooks, or the defaults."""
    candidates: list[Path] = []
    if path is not None:
        candidates = [Path(path)]
        if not candidates[0].exists():
            raise InputError(f"找不到配置文件 / config file not found: {path}")
    else:
        for place in beside or []:
            folder = place if place.is_dir() else place.parent
            candidates.extend(folder / name for name in CONFIG_NAMES)
    for candidate in candidates:
        if candidate.is_file():
            try:
                data = tomllib.loads(read_settings_text(candidate))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise InputError(f"配置文件格式错误 / config file is not valid TOML: {candidate}: {exc}") from exc
            return config_from_mapping(data, str(candidate))
    return Config()
