"""The little of CSS an HTML export uses to say something about its cells: which cells are text
(`mso-number-format:"\\@"`) and which rows are hidden (`display:none`), said inline or through a
<style> block (`.xl65 {mso-number-format:"\\@";}`, `.grid-body td {…}`, `.hide {display:none}`).

Simple selectors (tag, .class, #id, and their compounds) joined by descendant combinators are
matched, with the usual cascade (specificity, then order, then the inline style). Selectors with
other combinators, attributes or pseudo-classes are not used by exports and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

PROPERTIES = ("mso-number-format", "display")  # the only ones that change what is read

_COMMENT = re.compile(r"/\*.*?\*/|<!--|-->", re.DOTALL)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_COMPOUND = re.compile(r"^([A-Za-z][\w-]*|\*)?((?:[.#][\w-]+)*)$")
_PART = re.compile(r"([.#])([\w-]+)")

Element = tuple[str, str, str]  # (tag, class attribute, id)


@dataclass(frozen=True)
class _Compound:
    tag: str | None
    classes: frozenset[str]
    id: str | None

    def matches(self, element: Element) -> bool:
        tag, classes, ident = element
        return ((self.tag is None or self.tag == tag) and self.classes <= frozenset(classes.split())
                and (self.id is None or self.id == ident))


@dataclass(frozen=True)
class _Rule:
    chain: tuple[_Compound, ...]  # ancestors first, the element itself last
    specificity: tuple[int, int, int]
    order: int
    declarations: tuple[tuple[str, str], ...]

    def matches(self, element: Element, ancestors: tuple[Element, ...]) -> bool:
        if not self.chain[-1].matches(element):
            return False
        wanted = len(self.chain) - 2
        for ancestor in reversed(ancestors):  # nearest first
            if wanted < 0:
                break
            if self.chain[wanted].matches(ancestor):
                wanted -= 1
        return wanted < 0


@lru_cache(maxsize=4096)  # inline styles repeat cell after cell
def declarations(text: str) -> dict[str, str]:
    """`a:b; c:d` → {a: b, c: d}, for the properties that matter, names lower-cased."""
    out = {}
    for item in text.split(";"):
        name, _, value = item.partition(":")
        name = name.strip().lower()
        if name in PROPERTIES:
            out[name] = value.strip()
    return out


def _compound(text: str) -> _Compound | None:
    m = _COMPOUND.match(text)
    if not m or not text:
        return None
    tag = m.group(1).lower() if m.group(1) and m.group(1) != "*" else None
    parts = _PART.findall(m.group(2))
    ids = [name for mark, name in parts if mark == "#"]
    return _Compound(tag, frozenset(name for mark, name in parts if mark == "."), ids[0] if ids else None)


class Stylesheet:
    """The rules of every <style> block seen so far, and the properties they give an element."""

    def __init__(self) -> None:
        self.rules: list[_Rule] = []
        self._cache: dict[tuple, dict[str, str]] = {}

    def add(self, css: str) -> None:
        css = _COMMENT.sub(" ", css)
        for selectors, body in _RULE.findall(css):
            found = declarations(body)
            if not found:
                continue
            for selector in selectors.split(","):
                chain = tuple(_compound(part) for part in selector.split())
                if not chain or any(c is None for c in chain):
                    continue
                ids = sum(c.id is not None for c in chain)
                classes = sum(len(c.classes) for c in chain)
                tags = sum(c.tag is not None for c in chain)
                self.rules.append(_Rule(chain, (ids, classes, tags), len(self.rules),
                                        tuple(found.items())))
        self._cache.clear()

    def style(self, element: Element, ancestors: tuple[Element, ...], inline: str | None) -> dict[str, str]:
        """The element's properties: matching rules by specificity and order, then its inline
        style. `ancestors` nearest last."""
        if self.rules:
            key = (element, ancestors)
            base = self._cache.get(key)
            if base is None:
                base = {}
                matching = [r for r in self.rules if r.matches(element, ancestors)]
                for rule in sorted(matching, key=lambda r: (r.specificity, r.order)):
                    base.update(rule.declarations)
                self._cache[key] = base
        else:
            base = {}
        if inline:
            own = declarations(inline)
            return {**base, **own} if base else own
        return base


def is_text_format(number_format: str | None) -> bool:
    """`"\\@"`, `\\@`, `'@'` …: Excel's text format."""
    return bool(number_format) and number_format.strip().strip("\"'").replace("\\", "") == "@"


def is_hidden(props: dict[str, str]) -> bool:
    return props.get("display", "").replace(" ", "").lower().startswith("none")
