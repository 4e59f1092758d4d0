"""Label folding and genre families are visible in the atlas and set in linernotes.toml."""

from __future__ import annotations

import json
import re
from pathlib import Path

from linernotes.config import Config, load_config
from linernotes.pipeline import build as build_atlas
from linernotes.render.markdown import md_text
from linernotes.store import open_store
from tests.sources.providers.conftest import DemoLibrary
from tests.sources.providers.helpers import copy_store


def _tracks_line(page: str) -> str:
    return next(line for line in page.splitlines() if line.startswith("- **Tracks"))


def _pages(site: Path, section: str) -> dict[str, Path]:
    """The entity pages of ``section`` (labels, genres) by the name in their title."""
    pages = {}
    for page in sorted(site.glob(f"{section}/*/README.md")):
        title = re.search(r"^# (.*)$", page.read_text(encoding="utf-8"), re.M)
        assert title, page
        pages[title.group(1).replace("\\", "")] = page
    return pages


def test_an_alias_and_a_family_in_linernotes_toml_change_the_pages(
    tiny_demo: DemoLibrary, tmp_path: Path
) -> None:
    db = copy_store(tiny_demo.db, tmp_path / "lib.db")
    default, configured = tmp_path / "default", tmp_path / "configured"
    with open_store(db) as store:
        build_atlas(store, Config(), default)
    labels, genres = _pages(default, "labels"), _pages(default, "genres")
    # Built in: spellings of one label fold into one page that lists them.
    folded = [p for p in labels.values() if "Also spelled: " in p.read_text(encoding="utf-8")]
    assert folded
    # Configured: one label becomes a spelling of another; one genre a synonym of
    # another, whose family is set.
    (alias, label), (synonym, genre) = sorted(labels)[:2], sorted(genres)[:2]
    settings = (
        f"[labels.aliases]\n{json.dumps(alias)} = {json.dumps(label)}\n"
        f"[genres.synonyms]\n{json.dumps(synonym)} = {json.dumps(genre)}\n"
        f'[genres.families]\n{json.dumps(genre)} = "modern jazz"\n'
    )
    (tmp_path / "linernotes.toml").write_text(settings, encoding="utf-8")
    with open_store(db) as store:
        build_atlas(store, load_config(tmp_path / "linernotes.toml"), configured)
    after_labels, after_genres = _pages(configured, "labels"), _pages(configured, "genres")

    assert alias not in after_labels and label in after_labels
    before = labels[label].read_text(encoding="utf-8")
    after = after_labels[label].read_text(encoding="utf-8")
    assert md_text(alias) in after.split("## Artists")[0]
    assert md_text(alias) not in before.split("## Artists")[0]
    assert _tracks_line(before) != _tracks_line(after)

    # Genres: a synonym merges two genre pages; a family override shows on the page.
    assert synonym not in after_genres and genre in after_genres
    assert "Family: **modern jazz**" not in genres[genre].read_text(encoding="utf-8")
    assert "Family: **modern jazz**" in after_genres[genre].read_text(encoding="utf-8")
    index_before = (default / "genres/README.md").read_text(encoding="utf-8")
    index_after = (configured / "genres/README.md").read_text(encoding="utf-8")
    assert md_text(synonym) in index_before and md_text(synonym) not in index_after
    assert "modern jazz" in index_after


def _clustered_on(site: Path) -> set[str]:
    lines = set()
    for page in sorted(site.glob("playlists/*/clusters/README.md")):
        text = page.read_text(encoding="utf-8")
        lines.add(text.split("Clustered on: ", 1)[1].split(". ", 1)[0])
    return lines


def test_without_audio_features_clusters_use_the_rest_and_say_so(
    tiny_demo: DemoLibrary, tmp_path: Path
) -> None:
    db = copy_store(tiny_demo.db, tmp_path / "lib.db")
    with open_store(db) as store:
        build_atlas(store, Config(), tmp_path / "with")
        with store.transaction() as conn:
            conn.execute("DELETE FROM audio_features")
        build_atlas(store, Config(), tmp_path / "without")
    with_audio, without = _clustered_on(tmp_path / "with"), _clustered_on(tmp_path / "without")
    assert with_audio and all("audio features" in line for line in with_audio)
    assert without and not any("audio features" in line for line in without)
    assert all("genres" in line and "release year" in line for line in without)
