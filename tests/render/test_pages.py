"""Page modules on the hand-made fixture library: no store, no demo, milliseconds."""

from __future__ import annotations

import re

import pytest
from sklearn.metrics import adjusted_rand_score

from linernotes.render.cluster_page import render_cluster_page
from linernotes.render.collection_pages import render_genre_page, render_playlist_page
from linernotes.render.entity_pages import render_artist_page, render_label_page
from linernotes.render.index_pages import index_letter, render_artist_index, render_playlist_index
from linernotes.render.markdown import heading_anchor
from tests import library_fixture
from tests.atlas_check import split_row
from tests.library_fixture import HOSTILE_ARTIST, HOSTILE_TRACK, PER_STYLE, STYLES, Built


@pytest.fixture(scope="module")
def built() -> Built:
    return library_fixture.build()


def _tables(markdown: str) -> list[list[list[str]]]:
    """Every GFM table of a page as rows of cells (header first, separator dropped)."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            if not re.match(r"^\|(\s*:?-+:?\s*\|)+$", line):
                current.append(split_row(line))
        elif current:
            tables.append(current)
            current = []
    return tables


def test_cluster_page_finds_the_planted_styles(built: Built) -> None:
    playlist = next(p for p in built.stored.playlists if p.name == "Everything")
    clusters = built.analysis.playlist_clusters[playlist.id]
    labels = dict(zip(clusters.features.track_ids, clusters.clustering.labels, strict=True))
    truth = [built.style_of[t] for t in labels]
    assert adjusted_rand_score(truth, list(labels.values())) == 1.0
    page = built.plan.playlist_cluster_page(playlist.id)
    assert page is not None
    scatter = built.plan.scatter_image("playlists", built.plan.playlist_slugs[playlist.id])
    text = render_cluster_page(built.ctx, page, playlist.name, clusters, scatter, "playlist")
    assert text.startswith("# Clusters in Everything\n")
    assert re.findall(r"^## Cluster #(\d+)$", text, re.M) == ["1", "2", "3"]
    assert re.findall(r"^(\d+) tracks$", text, re.M) == [str(PER_STYLE)] * len(STYLES)
    tables = _tables(text)
    assert [t[0] for t in tables] == [
        ["Art", "Track", "Album", "Artists", "Label", "Score", "💚", "🔗"]
    ] * len(STYLES)
    assert all(len(t) - 1 == built.ctx.config.atlas.rows_per_cluster for t in tables)


def test_names_are_text_not_markup(built: Built) -> None:
    playlist = next(p for p in built.stored.playlists if p.name == "Everything")
    page = built.plan.playlist_page(playlist.id)
    text = render_playlist_page(built.ctx, playlist, None)
    assert "<b>" not in text and "<script>" not in text
    assert r"Pipe \| &lt;b&gt;bold&lt;/b&gt; \[x\](y) \*star\*" in text
    assert "A&amp;B &lt;script&gt;" in text
    row = next(r for r in _tables(text)[-1] if "Pipe" in r[1])
    assert len(row) == len(_tables(text)[-1][0])
    assert HOSTILE_TRACK not in text and HOSTILE_ARTIST not in text
    assert page == "playlists/everything/README.md"


def test_playlist_summary_counts(built: Built) -> None:
    playlist = next(p for p in built.stored.playlists if p.name == "Quiet Evenings")
    tracks = [built.stored.tracks[t] for t in playlist.track_ids]
    text = render_playlist_page(built.ctx, playlist, None)
    minutes = sum(t.duration_ms or 0 for t in tracks) // 60_000
    liked = sum(t.liked for t in tracks)
    assert f"- **Tracks:** {len(tracks)}\n" in text
    hours = f"{minutes // 60} h " if minutes >= 60 else ""
    assert f"- **Total duration:** {hours}{minutes % 60} min\n" in text
    assert f"({liked} tracks in Liked Songs)" in text


def test_artist_page_lists_exactly_its_tracks(built: Built) -> None:
    artist = 3
    page = built.plan.artist_pages[artist]
    text = render_artist_page(built.ctx, page, artist, None)
    expected = {t.name for t in built.stored.tracks.values() if artist in t.artist_ids}
    listed = {row[1] for row in _tables(text)[-1][1:]}
    assert listed == expected
    assert "- **Genres:** [ambient](../../genres/ambient/README.md)" in text


def test_label_page_folds_spellings(built: Built) -> None:
    pages = dict(built.plan.label_pages())
    sub_pop = next(name for name in pages if name.startswith("Sub Pop"))
    text = render_label_page(built.ctx, pages[sub_pop], sub_pop)
    other = {"Sub Pop", "Sub Pop Records"} - {sub_pop}
    assert f"Also spelled: {other.pop()}" in text
    assert f"- **Tracks in your library:** {PER_STYLE}" in text


def test_genre_page_and_score(built: Built) -> None:
    genre, page = next((g, p) for g, p in built.plan.genre_pages() if g == "shoegaze")
    text = render_genre_page(built.ctx, page, genre)
    rows = _tables(text)[-1]
    score = rows[0].index("Score")
    # Sorted by minutes listened: track 5 (15 min), track 2 (2 min), then unplayed.
    assert [r[score] for r in rows[1:4]] == ["15", "2", ""]


@pytest.mark.parametrize(
    ("name", "letter"),
    [
        ("Ångström", "A"),
        ("élan", "E"),
        ("12 Stones", "0–9"),
        ("(hed) p.e.", "H"),
        ("아이유", "Other"),
    ],
)
def test_index_letter(name: str, letter: str) -> None:
    assert index_letter(name) == letter


def test_artist_index_is_a_to_z_with_working_jumps(built: Built) -> None:
    text = render_artist_index(built.ctx)
    jumps = re.findall(r"\[([^\]]+)\]\(#([^)]+)\)", text)
    sections = re.findall(r"^## (.+)$", text, re.M)
    assert [letter for letter, _ in jumps] == sections == ["A"]
    assert all(anchor == heading_anchor(letter) for letter, anchor in jumps)
    names = [row[0] for table in _tables(text) for row in table[1:]]
    assert len(names) == len(built.plan.artist_slugs)


def test_playlist_index_counts_read_as_words(built: Built) -> None:
    text = render_playlist_index(built.ctx)
    k = {
        p.name: built.analysis.playlist_clusters[p.id].clustering.k for p in built.stored.playlists
    }
    assert "2 playlists." in text
    for name, clusters in k.items():
        assert f"[{clusters} cluster{'s' if clusters != 1 else ''}](" in text, name
    assert not re.search(r"\b1 clusters\b", text)
