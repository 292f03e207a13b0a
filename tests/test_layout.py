"""The package tree reads as the flow: read → ledgers → checks → outputs → excel / cli.

A newcomer finds "where is the HTML reader", "where are the fee rules" from the folders alone;
these tests keep the arrows pointing one way, so that stays true as code is added.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "houqin_xl"

# The shared vocabulary every layer may use: bad-input errors, the finding kinds, the school's
# settings and the period.
BASE = {"errors", "findings", "config", "period", "__init__"}
# houqin_xl/__init__.py (the version) imports nothing of the tool.
# What each area may import besides itself and BASE.
ALLOWED = {
    "__init__": set(),
    "errors": set(),
    "findings": set(),
    "config": {"errors"},
    "period": {"errors"},
    "read": set(),
    "ledgers": {"read"},
    "checks": {"read", "ledgers"},
    "outputs": {"read", "ledgers", "checks"},
    "check": {"read", "ledgers", "checks"},
    "district": {"read", "ledgers", "checks", "outputs", "check"},
    "excel": {"read", "ledgers", "checks", "outputs", "check"},
    "samples": {"read", "ledgers", "checks", "outputs", "check"},
    "cli": {"read", "ledgers", "checks", "outputs", "check", "district", "excel", "samples"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def _imports(path: Path) -> set[str]:
    """The houqin_xl modules this file imports at run time (lazy imports inside functions
    included; imports for type hints only left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    here = _module_name(path).split(".")
    package = here if _is_package(path) else here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not _type_checking_only(node, parents):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.startswith("houqin_xl"):
                target = node.module.split(".")
            else:
                continue
            for alias in node.names:
                candidate = [*target, alias.name]
                as_module = PACKAGE.parent.joinpath(*candidate)
                if as_module.with_suffix(".py").exists() or (as_module / "__init__.py").exists():
                    found.add(".".join(candidate))
                else:
                    found.add(".".join(target))
        elif isinstance(node, ast.Import) and not _type_checking_only(node, parents):
            found |= {a.name for a in node.names if a.name.startswith("houqin_xl")}
    return found


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def test_every_import_points_down_the_flow():
    wrong = []
    for module, targets in _graph().items():
        area = _area(module)
        allowed = ALLOWED.get(area)
        assert allowed is not None, f"{module}: a new area, say what it may import in ALLOWED"
        for target in targets:
            if target == "houqin_xl":
                continue  # the package itself: its __version__
            other = _area(target)
            if other != area and other not in BASE and other not in allowed:
                wrong.append(f"{module} → {target}")
    assert not wrong, "imports against the flow:\n" + "\n".join(sorted(wrong))


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}  # 1 visiting, 2 done
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            # A package's __init__ is imported by importing any module inside it: not a cycle.
            if node.startswith(nxt + "."):
                continue
            if state.get(nxt) == 1:
                cycles.append(" → ".join([*path[path.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_every_subpackage_says_what_it_holds_and_may_import():
    for init in PACKAGE.rglob("__init__.py"):
        if init.parent == PACKAGE:
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init.relative_to(PACKAGE)}: no docstring"
        assert "import" in doc.lower(), f"{init.relative_to(PACKAGE)}: does not say what it may import"


def test_no_module_is_over_five_hundred_lines():
    long = [f"{p.relative_to(PACKAGE)}: {n}" for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 560]
    assert not long, "split these (or say why not): " + ", ".join(long)
