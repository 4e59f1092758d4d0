"""Links between pages: the string-only ``relative_link`` against the standard library."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from linernotes.render.markdown import path_target
from linernotes.render.plan import relative_link

_PART = st.sampled_from(
    ["playlists", "genres", "a", "b", "clusters", "README.md", "x y", "ü", "%", "c#d", "é.md"]
)
_PATH = st.lists(_PART, min_size=1, max_size=5).map("/".join)


def _with_relpath(from_page: str, to_page: str) -> str:
    return path_target(posixpath.relpath(to_page, posixpath.dirname(from_page) or "."))


@given(_PATH, _PATH)
def test_relative_link_is_what_relpath_gives(from_page: str, to_page: str) -> None:
    assert relative_link(from_page, to_page) == _with_relpath(from_page, to_page)


def test_relative_links_of_the_atlas() -> None:
    assert relative_link("README.md", "playlists/README.md") == "playlists/README.md"
    assert relative_link("playlists/x/README.md", "README.md") == "../../README.md"
    assert relative_link("a/b/c.md", "a/b/d.md") == "d.md"
    assert relative_link("a/b/c.md", "a/b") == "."
    assert relative_link("a/b/c.md", "a") == ".."
    assert relative_link("a/x y/c.md", "a/ü/d.md") == "../%C3%BC/d.md"
