"""Label folding and genre families are visible in the atlas and set in linernotes.toml."""

from __future__ import annotations

from pathlib import Path

from linernotes.config import Config, load_config
from linernotes.pipeline import build as build_atlas
from linernotes.store import open_store
from tests.sources.providers.conftest import DemoLibrary
from tests.sources.providers.helpers import copy_store

SETTINGS = """
[labels.aliases]
"Blue Hour Jazz" = "Nightcap Records"

[genres.synonyms]
"hard bop" = "bebop"

[genres.families]
"bebop" = "modern jazz"
"""


def _tracks_line(page: str) -> str:
    return next(line for line in page.splitlines() if line.startswith("- **Tracks"))


def test_an_alias_and_a_family_in_linernotes_toml_change_the_pages(
    tiny_demo: DemoLibrary, tmp_path: Path
) -> None:
    db = copy_store(tiny_demo.db, tmp_path / "lib.db")
    (tmp_path / "linernotes.toml").write_text(SETTINGS, encoding="utf-8")
    config = load_config(tmp_path / "linernotes.toml")
    with open_store(db) as store:
        build_atlas(store, Config(), tmp_path / "default")
        build_atlas(store, config, tmp_path / "configured")
    default, configured = tmp_path / "default", tmp_path / "configured"

    # Built in: spellings of one label fold into one page that lists them.
    kestrel = (default / "labels/kestrel_sound/README.md").read_text(encoding="utf-8")
    assert "Also spelled: Kestrel Sound Ltd., kestrel sound" in kestrel
    assert not (default / "labels/harbor_and_pine_music").exists()
    # Configured: Blue Hour Jazz is now a spelling of Nightcap Records.
    assert (default / "labels/blue_hour_jazz/README.md").exists()
    assert not (configured / "labels/blue_hour_jazz").exists()
    before = (default / "labels/nightcap_records/README.md").read_text(encoding="utf-8")
    after = (configured / "labels/nightcap_records/README.md").read_text(encoding="utf-8")
    assert "Blue Hour Jazz" in after.split("## Artists")[0]
    assert "Blue Hour Jazz" not in before.split("## Artists")[0]
    assert _tracks_line(before) != _tracks_line(after)

    # Genres: a synonym merges two genre pages; a family override shows on the page.
    bebop_before = (default / "genres/bebop/README.md").read_text(encoding="utf-8")
    bebop_after = (configured / "genres/bebop/README.md").read_text(encoding="utf-8")
    assert "Family: **jazz**" in bebop_before
    assert "Family: **modern jazz**" in bebop_after
    assert (default / "genres/hard_bop/README.md").exists()
    assert not (configured / "genres/hard_bop").exists()
    index_before = (default / "genres/README.md").read_text(encoding="utf-8")
    index_after = (configured / "genres/README.md").read_text(encoding="utf-8")
    assert "hard bop" in index_before and "hard bop" not in index_after
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
