"""No import cycles in the linernotes package: layers import downwards only.

Every ``import`` counts — at module level, inside functions and under ``if
TYPE_CHECKING:`` alike, since a lazy or a type-only import is how a cycle hides.
``from x import y`` counts as importing ``x.y`` when that is a module, else as
importing ``x``. Importing ``a.b.c`` does not count as importing the packages
``a`` and ``a.b``: their ``__init__`` runs first, but that is nesting, not a
dependency anyone wrote.
"""

from __future__ import annotations

import ast
from pathlib import Path

import linernotes

PACKAGE = Path(linernotes.__file__).parent


def module_names(root: Path) -> dict[str, Path]:
    """Every module under the package folder ``root``, by dotted name."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of ``modules`` that module ``name`` (at ``path``) imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, node.module] if node.module else anchor)
            else:
                base = node.module or ""
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.add(child if child in modules else base)
    return {m for m in found if m in modules and m != name}


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the modules it imports, for the package at ``root``."""
    modules = module_names(root)
    return {name: imported(name, path, modules) for name, path in modules.items()}


def import_cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected groups of more than one module (each holds a cycle)."""
    reach = {name: _reachable(graph, name) for name in graph}
    groups = set()
    for name in graph:
        group = frozenset({name} | {other for other in reach[name] if name in reach[other]})
        if len(group) > 1:
            groups.add(group)
    return groups


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(graph[name])
    return seen


def test_the_package_has_no_import_cycles() -> None:
    cycles = import_cycles(import_graph(PACKAGE))
    assert [sorted(group) for group in cycles] == [], "import cycles"


def test_the_graph_sees_every_kind_of_import(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "from pkg.sub import b\n",  # x.y a module: imports pkg.sub.b
        "sub/__init__.py": "VALUE = 1\n",
        "sub/b.py": "def f():\n    from .. import c\n",  # lazy and relative
        "c.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    import pkg.a\n"  # type-only
            "from pkg.sub import VALUE\n"  # a name: imports the package pkg.sub
        ),
        "d.py": "import pkg.c\n",
    }
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    graph = import_graph(package)
    assert graph["pkg.a"] == {"pkg.sub.b"}
    assert graph["pkg.sub.b"] == {"pkg.c"}
    assert graph["pkg.c"] == {"pkg.a", "pkg.sub"}
    assert import_cycles(graph) == {frozenset({"pkg.a", "pkg.sub.b", "pkg.c"})}


# Each layer and what it may import (besides itself), as ARCHITECTURE.md draws them.
BASE = ("model", "text", "errors", "clock", "config", "workers", "artwork")
LAYERS: dict[str, tuple[str, ...]] = {
    **{name: BASE for name in BASE},
    "demo": BASE,
    "store": BASE,
    "sources": (*BASE, "store"),
    "analysis": BASE,
    "render": (*BASE, "analysis"),
    "pipeline": (*BASE, "store", "sources", "demo", "analysis", "render"),
    "cli": (*BASE, "store", "sources", "demo", "analysis", "render", "pipeline"),
    "__main__": ("cli",),
}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_layer_imports_only_downwards() -> None:
    graph = import_graph(PACKAGE)
    assert {_layer(name) for name in graph} - {""} <= set(LAYERS), "a module outside every layer"
    upward = {
        name: sorted(
            target
            for target in targets
            if _layer(target) not in (_layer(name), "", *LAYERS[_layer(name)])
        )
        for name, targets in graph.items()
        if _layer(name)
    }
    assert {name: found for name, found in upward.items() if found} == {}
