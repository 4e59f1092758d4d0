"""Fixtures of the browser tests: one headless Chromium and one built demo atlas
for the whole session, the atlas served over loopback HTTP, and a page factory
that records console errors and answers every outside request itself (the
tests never touch the network)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.chromium import MISSING, browser, chromium_path, serve
from tests.browser.screenshots import page_types

# A 1x1 transparent PNG: the answer to every request that would leave the machine.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
OUTSIDE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    pytest.importorskip("playwright", reason="pip install -e '.[dev]' (Playwright)")
    with browser() as launched:
        yield launched


@pytest.fixture(scope="session")
def site(demo_build: dict[str, Any]) -> Path:
    return Path(demo_build["site"])


@pytest.fixture(scope="session")
def http_base(site: Path) -> Iterator[str]:
    with serve(site) as base:
        yield base


@pytest.fixture(scope="session")
def page_paths(site: Path) -> dict[str, str]:
    return page_types(site)


@pytest.fixture(params=["file", "http"])
def base(request: pytest.FixtureRequest, site: Path) -> str:
    """The atlas's root URL, once opened from disk and once from a server."""
    if request.param == "file":
        return site.resolve().as_uri() + "/"
    return str(request.getfixturevalue("http_base"))


class Tab:
    """A browser page that remembers console errors and page errors."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture
def open_tab(chromium: Any) -> Iterator[Callable[..., Tab]]:
    """``open_tab(width=1280, scheme="light")`` → a fresh :class:`Tab`."""
    contexts = []

    def make(width: int = 1280, height: int = 800, scheme: str = "light") -> Tab:
        context = chromium.new_context(
            viewport={"width": width, "height": height}, color_scheme=scheme
        )
        context.route(
            OUTSIDE, lambda route: route.fulfill(status=200, content_type="image/png", body=PIXEL)
        )
        contexts.append(context)
        return Tab(context.new_page())

    yield make
    for context in contexts:
        context.close()
