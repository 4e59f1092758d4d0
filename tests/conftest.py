"""Shared fixtures: an in-memory store, the demo library and its atlas."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from linernotes.config import Config
from linernotes.store import Store, open_store


@pytest.fixture
def store() -> Iterator[Store]:
    """A fresh in-memory store."""
    with open_store(None) as s:
        yield s


@pytest.fixture(scope="session")
def realdata() -> Path:
    """The shared real-data corpus; skips when LINERNOTES_REALDATA is unset."""
    value = os.environ.get("LINERNOTES_REALDATA")
    if not value:
        pytest.skip("LINERNOTES_REALDATA is not set")
    path = Path(value)
    assert path.is_dir(), f"LINERNOTES_REALDATA={value} does not exist"
    return path


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The default-size demo: generated, imported into a store, its art drawn into the
    cover cache (as ``make_demo`` does) and built once."""
    from linernotes.demo import generate_demo
    from linernotes.pipeline import build as build_atlas
    from linernotes.pipeline import fill_demo_covers
    from linernotes.sources.importer import import_paths

    root = tmp_path_factory.mktemp("demo")
    layout = generate_demo(root / "export")
    db = root / "library.db"
    with open_store(db) as s:
        report = import_paths(s, list(layout.import_paths))
        fill_demo_covers(s, seed=7, tracks=2000)  # generate_demo's defaults
        result = build_atlas(s, Config(), root / "site")
    return {
        "root": root,
        "layout": layout,
        "db": db,
        "report": report,
        "result": result,
        "site": root / "site",
    }
