from __future__ import annotations

from collections.abc import Callable

import pytest

from linernotes.errors import StoreError
from linernotes.model import (
    AlbumRef,
    ArtistRef,
    LikedRecord,
    PlaylistRecord,
    PlayRecord,
    TrackRecord,
)
from linernotes.store import Store
from linernotes.store.playlists import add_playlist
from linernotes.store.plays import add_plays, reconcile_plays
from linernotes.store.writer import LibraryWriter

TRACK_ID = "4uLU6hMCjMI75M1A2tKUQC"


def _writer(store: Store, source: str = "export") -> LibraryWriter:
    return LibraryWriter(store.conn, source, "2026-01-01T00:00:00Z")


def test_name_only_track_is_adopted_by_its_spotify_id(store: Store) -> None:
    w = _writer(store)
    first = w.track_id(
        TrackRecord(
            "Song", (ArtistRef("Ana"),), album=AlbumRef("Album", artists=(ArtistRef("Ana"),))
        )
    )
    rich = TrackRecord(
        "Song",
        (ArtistRef("Ana", "1" * 22), ArtistRef("Bo")),
        spotify_id=TRACK_ID,
        album=AlbumRef(
            "Album",
            "2" * 22,
            (ArtistRef("Ana", "1" * 22),),
            "2019-05-01",
            "https://i.scdn.co/image/x",
            ("Moon Records",),
        ),
        duration_ms=200_000,
    )
    assert w.track_id(rich) == first
    assert store.scalar("SELECT COUNT(*) FROM tracks") == 1
    assert store.scalar("SELECT COUNT(*) FROM albums") == 1
    assert store.scalar("SELECT spotify_id FROM albums") == "2" * 22
    assert store.scalar("SELECT image_url FROM albums") == "https://i.scdn.co/image/x"
    # The longer credit list replaces the one-artist credit of the first sighting.
    assert store.scalar("SELECT COUNT(*) FROM track_artists") == 2
    assert store.scalar("SELECT COUNT(*) FROM artists") == 2


def test_liked_counts_only_new_rows(store: Store) -> None:
    w = _writer(store)
    track = TrackRecord("Song", (ArtistRef("Ana"),), spotify_id=TRACK_ID)
    w.add_liked([LikedRecord(track), LikedRecord(track, "2020-01-01T00:00:00Z")])
    assert w.counts.liked == 1
    assert store.scalar("SELECT added_at FROM liked") == "2020-01-01T00:00:00Z"


def test_minute_play_twin_of_an_extended_play_counts_once(store: Store) -> None:
    w = _writer(store)
    extended = PlayRecord(
        "2024-05-01T10:15:42Z",
        180_000,
        "music",
        track_id=TRACK_ID,
        track_name="Song",
        artist_name="Ana",
    )
    account = PlayRecord(
        "2024-05-01T10:15:00Z", 180_000, "music", "minute", track_name="Song", artist_name="Ana"
    )
    other = PlayRecord(
        "2024-05-02T10:15:00Z", 1_000, "music", "minute", track_name="Song", artist_name="Ana"
    )
    add_plays(w, [account, other])
    add_plays(w, [extended])
    reconcile_plays(w, 0)
    assert store.scalar("SELECT COUNT(*) FROM plays") == 2
    # The remaining minute play was matched to the track by artist + title.
    assert store.scalar("SELECT COUNT(*) FROM plays WHERE track_id IS NULL") == 0


def test_same_play_twice_is_skipped(store: Store) -> None:
    w = _writer(store)
    play = PlayRecord(
        "2024-05-01T10:15:42Z",
        180_000,
        "music",
        track_id=TRACK_ID,
        track_name="Song",
        artist_name="Ana",
    )
    add_plays(w, [play, play])
    assert (w.counts.plays, w.counts.plays_skipped) == (1, 1)


def test_old_history_without_uris_and_new_with_uris_count_once(store: Store) -> None:
    w = _writer(store)
    old = PlayRecord(
        "2020-03-01T10:15:42Z",
        180_000,
        "music",
        track_name="Song",
        artist_name="Ana",
        album_name="A",
    )
    new = PlayRecord(
        "2020-03-01T10:15:42Z",
        180_000,
        "music",
        track_id=TRACK_ID,
        track_name="Song",
        artist_name="Ana",
        album_name="A",
    )
    add_plays(w, [old])
    add_plays(w, [new])
    reconcile_plays(w, 0)
    assert store.scalar("SELECT COUNT(*) FROM plays") == 1
    # ... and the URI-less play is linked to the track the newer export made known.
    assert store.scalar("SELECT COUNT(*) FROM plays WHERE track_id IS NOT NULL") == 1


def _refuse(store: Store, table: str) -> None:
    """A store file whose trigger silently drops new rows of ``table``."""
    store.conn.execute(
        f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} BEGIN SELECT RAISE(IGNORE); END"
    )


def _new_playlist(writer: LibraryWriter) -> int:
    return add_playlist(writer, PlaylistRecord("name:Mix", "Mix"))


@pytest.mark.parametrize(
    ("table", "write"),
    [
        pytest.param("tracks", lambda w: w.track_id(TrackRecord("Song", ())), id="track"),
        pytest.param("artists", lambda w: w.artist_id(ArtistRef("Ana")), id="artist"),
        pytest.param("albums", lambda w: w.album_id(AlbumRef("Album")), id="album"),
        pytest.param("playlists", _new_playlist, id="playlist"),
    ],
)
def test_a_row_the_store_did_not_add_raises_instead_of_taking_an_old_id(
    store: Store, table: str, write: Callable[[LibraryWriter], int]
) -> None:
    w = _writer(store)
    # An earlier row: SQLite's lastrowid would still name it after a dropped insert.
    w.track_id(TrackRecord("Earlier", (ArtistRef("Bo"),), album=AlbumRef("Before")))
    add_playlist(w, PlaylistRecord("name:Old", "Old"))
    _refuse(store, table)
    with pytest.raises(StoreError, match=f"^{table}: the store added no row"):
        write(w)
