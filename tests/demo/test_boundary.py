"""The demo package is a source of files: it imports nothing of linernotes but errors."""

from __future__ import annotations

import ast
from pathlib import Path

import linernotes.demo

ALLOWED = {"linernotes.demo", "linernotes.errors", "linernotes.model", "linernotes.text"}


def _imports(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_demo_imports_only_itself_and_the_domain_basics() -> None:
    folder = Path(linernotes.demo.__file__).parent
    paths = sorted(folder.glob("*.py"))
    assert len(paths) >= 8
    outside = {
        f"{path.name}: {module}"
        for path in paths
        for module in _imports(path)
        if module.startswith("linernotes")
        and not any(module == a or module.startswith(f"{a}.") for a in ALLOWED)
    }
    assert not outside
