"""The school's asset categories (GB/T 14885-2010 by default, 2022 or its own list by
setting): names, codes, and which classes are books (图书档案)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..config import Config
from ..errors import InputError
from .schemas import load_yaml, schemas_root


@dataclass
class CategoryList:
    """The school's asset categories: names, codes, and which ones are books (图书档案)."""

    title: str
    by_code: dict[str, str]
    books: list[str]

    @property
    def names(self) -> list[str]:
        return list(self.by_code.values())

    def canonical(self, value: str) -> str:
        """'2', '2 通用设备', '2-通用设备', '通用设备' → '通用设备'; the finance office's
        account names too ('固定资产-通用设备', '1601 固定资产—通用设备'); anything else
        unchanged."""
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
        account = re.fullmatch(r"\d*固定资产[-—－_/:：·]+(.+)", text)
        if account and self.canonical(account.group(1)) in self.by_code.values():
            return self.canonical(account.group(1))
        if text in self.by_code.values():
            return text
        if text in self.by_code:
            return self.by_code[text]
        m = re.fullmatch(r"(\d+)[-—_.、:：]?(.+)", text)
        if m and self.by_code.get(m.group(1)) == m.group(2):
            return m.group(2)
        m = re.fullmatch(r"(.+?)[(（](\d+)[)）]", text)
        if m and self.by_code.get(m.group(2)) == m.group(1):
            return m.group(1)
        return text


def load_categories(config: Config | None = None) -> CategoryList:
    config = config or Config()
    data = load_yaml(schemas_root(config), "categories.yaml")
    if config.category_set not in data:
        raise InputError(
            f"未知的资产分类标准 / unknown category_set {config.category_set!r}: choose {', '.join(data)}"
        )
    chosen = data[config.category_set]
    by_code = {str(k): str(v) for k, v in chosen["categories"].items()}
    if config.categories:
        by_code = dict(config.categories)
    return CategoryList(chosen.get("title", config.category_set), by_code, list(chosen.get("books", [])))
