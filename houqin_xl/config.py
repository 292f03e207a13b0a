"""A school's settings (`houqin.toml`), with defaults that work when there is no file.

Example::

    school = "实验小学"
    category_set = "auto"            # or "gb2010" / "gb2022" (auto: the edition the data is in)
    capitalization_threshold = 1000  # yuan per unit (事业单位财务规则 2022)
    legacy_special_equipment = false # true: 专用设备 from 1500 yuan (the older rule)
    tolerance = "0.01"               # yuan
    deposit_frequency = "daily"      # or "period" when the school deposits less often
    voided_receipts = ["A0000123"]

    [categories]                     # a school's own list replaces the chosen set
    "1" = "房屋和构筑物"

    [category_names]                 # detailed names → top class, beside the shipped table
    "刷卡器" = "通用设备"

    [aliases.fixed_assets]           # extra header words, per ledger and field
    asset_id = ["财产编号"]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import InputError

CONFIG_NAMES = ("houqin.toml", "houqin_xl.toml", "后勤台账.toml")


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
    schemas_dir: str | None = None
    source: str | None = None

    @property
    def tolerance_fen(self) -> int:
        return int((self.tolerance * 100).to_integral_value())


_DECIMALS = {"capitalization_threshold", "special_equipment_threshold", "tolerance"}


def config_from_mapping(data: dict[str, Any], source: str | None = None) -> Config:
    known = set(Config.__dataclass_fields__) - {"source"}
    unknown = set(data) - known
    if unknown:
        raise InputError(f"配置文件中有未知的设置项 / unknown settings in {source}: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in _DECIMALS:
            values[key] = Decimal(str(value))
        elif key in ("categories", "category_names"):
            if not isinstance(value, dict):
                raise InputError(f"[{key}] 应是一个表 / [{key}] must be a table: {source}")
            values[key] = {str(k): str(v) for k, v in value.items()}
        elif key == "voided_receipts":
            values[key] = [str(v) for v in value]
        else:
            values[key] = value
    config = Config(**values, source=source)
    if config.deposit_frequency not in ("daily", "period"):
        raise InputError(f"deposit_frequency 只能是 daily 或 period / must be daily or period: {source}")
    return config


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
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise InputError(f"配置文件格式错误 / config file is not valid TOML: {candidate}: {exc}") from exc
            return config_from_mapping(data, str(candidate))
    return Config()
