from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from linernotes.render.slugs import MAX_BYTES, assign_slugs, slugify
from linernotes.store import Store
from linernotes.store.slugs import read_slugs, save_slugs


@given(st.text(max_size=300))
def test_slug_is_safe_for_any_name(name: str) -> None:
    slug = slugify(name)
    assert slug
    assert len(slug.encode("utf-8")) <= MAX_BYTES
    assert re.fullmatch(r"\w+", slug)
    assert slug not in {".", ".."} and "/" not in slug
    assert unicodedata.normalize("NFC", slug) == slug
    assert slug.lower() not in {"con", "prn", "aux", "nul", "com1", "lpt1"}


def test_examples() -> None:
    assert slugify("International Pop") == "international_pop"
    assert slugify("Café Noir") == "café_noir"
    assert slugify("<script>alert(1)</script>") == "script_alert_1_script"
    assert slugify("../..") == "untitled"
    assert slugify("CON") == "con_"
    assert slugify("빅뱅 | BIGBANG") == "빅뱅_bigbang"


def test_slugs_are_unique_and_kept_across_builds(store: Store) -> None:
    first, new = assign_slugs("artists", [("a", "Nova"), ("b", "NOVA"), ("c", "Cafe")], {})
    assert first["a"] == "nova"
    assert first["b"] == "nova_2"
    assert {(r.entity_key, r.slug) for r in new} == set(first.items())
    with store.transaction() as conn:
        save_slugs(conn, new)
    # A new entity never takes a slug already given; old ones keep theirs.
    known = read_slugs(store.conn)["artists"]
    second, new = assign_slugs(
        "artists", [("0", "nova"), ("b", "NOVA renamed"), ("a", "Nova")], known
    )
    assert second["a"] == "nova" and second["b"] == "nova_2" and second["0"] == "nova_3"
    assert [(r.entity_key, r.slug) for r in new] == [("0", "nova_3")]


def test_long_names_with_suffix_stay_within_the_limit(store: Store) -> None:
    name = "ä" * 200
    slugs, _ = assign_slugs("labels", [("x", name), ("y", name + "!")], {})
    assert len(set(slugs.values())) == 2
    assert all(len(s.encode()) <= MAX_BYTES for s in slugs.values())
