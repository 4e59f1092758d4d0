"""Acceptance: the demo without its labels, genres and features, enriched from the fakes,
gives back the same label and genre pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from linernotes.config import Config, ProvidersConfig
from linernotes.pipeline import build as build_atlas
from linernotes.pipeline import load_library
from linernotes.store import open_store
from tests.sources.providers.conftest import DemoLibrary, Fakes
from tests.sources.providers.fakes import LASTFM_KEY
from tests.sources.providers.helpers import copy_store, enrich, strip_enrichment


def _pages(site: Path) -> dict[str, str]:
    pages = {}
    for folder in ("labels", "genres"):
        for path in sorted((site / folder).rglob("*.md")):
            pages[str(path.relative_to(site))] = path.read_text(encoding="utf-8")
    return pages


# The demo's genres are fine-grained, as MusicBrainz's are (Deezer's are coarse):
# to get them back, MusicBrainz is asked first and its values shown first.
MB_FIRST = ("spotify", "exportify", "musicbrainz", "deezer", "reccobeats", "lastfm", "export")
RESTORING = Config().with_overrides(providers=ProvidersConfig(source_order=MB_FIRST))


def _shown(db: Path) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Labels and genres per track (by Spotify id) as the atlas shows them."""
    with open_store(db) as store:
        library = load_library(store, RESTORING)
    labels = {t.spotify_id: library.labels_of(t) for t in library.tracks.values() if t.spotify_id}
    genres = {t.spotify_id: t.genres for t in library.tracks.values() if t.spotify_id}
    return labels, genres  # type: ignore[return-value]


@pytest.mark.slow
def test_enrich_restores_the_demo_labels_genres_and_pages(
    demo_library: DemoLibrary, fakes: Fakes, tmp_path: Path
) -> None:
    original = copy_store(demo_library.db, tmp_path / "original.db")
    with open_store(original) as store:
        build_atlas(store, Config(), tmp_path / "original-site")
    restored = copy_store(original, tmp_path / "restored.db")  # same slugs as the original
    strip_enrichment(restored)
    config = fakes.config(lastfm_api_key=LASTFM_KEY, source_order=MB_FIRST)
    with open_store(restored) as store:
        report = enrich(store, config, tmp_path / "http-cache")
        assert [r.provider for r in report.runs if r.step == "lookup"] == [
            "musicbrainz",
            "deezer",
            "reccobeats",
            "lastfm",
        ]
        assert all(r.stopped is None for r in report.runs)
        build_atlas(store, RESTORING, tmp_path / "restored-site")

    labels_before, genres_before = _shown(original)
    labels_after, genres_after = _shown(restored)
    with_label = [t for t, labels in labels_before.items() if labels]
    with_genre = [t for t, genres in genres_before.items() if genres]
    label_share = sum(labels_after[t] == labels_before[t] for t in with_label) / len(with_label)
    genre_share = sum(genres_after[t] == genres_before[t] for t in with_genre) / len(with_genre)
    print(f"restored labels {label_share:.1%} of {len(with_label)},", end=" ")
    print(f"genres {genre_share:.1%} of {len(with_genre)}")
    assert label_share >= 0.95 and genre_share >= 0.95

    before = _pages(tmp_path / "original-site")
    after = _pages(tmp_path / "restored-site")
    assert len(before) > 20
    assert sorted(after) == sorted(before)
    different = [name for name in before if before[name] != after[name]]
    assert not different, different[:5]
