"""Helpers of the provider tests: stores to enrich, runs, a comparable dump of a store."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from linernotes.clock import utc_stamp
from linernotes.config import ProvidersConfig
from linernotes.model import AlbumRef, ArtistRef, TrackRecord
from linernotes.sources.http import RetryPolicy
from linernotes.sources.providers import open_providers
from linernotes.sources.providers.enrich import Enrichment, EnrichReport
from linernotes.store import Store, open_store
from linernotes.store.writer import LibraryWriter
from tests.sources.providers.catalogue import FakeTrack

# Retries without the real waits (the tests would sleep for seconds otherwise).
QUICK_RETRIES = RetryPolicy(retries=3, backoff=0.01, retry_after_cap=5.0, timeout=10.0)
ENRICHED_TABLES = (
    "album_labels",
    "artist_genres",
    "track_genres",
    "audio_features",
    "track_identities",
    "album_external_ids",
)


def copy_store(source: Path, target: Path) -> Path:
    """Copy a store with SQLite's backup API (WAL content included)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def strip_enrichment(db: Path) -> None:
    """Remove every label, genre and audio feature: what enrich must bring back."""
    with open_store(db) as store, store.transaction() as conn:
        for table in (*ENRICHED_TABLES, "labels", "genres"):
            conn.execute(f"DELETE FROM {table}")


def store_with(db: Path | None, tracks: Sequence[FakeTrack], source: str = "export") -> Store:
    """A store holding ``tracks`` (names, ids, ISRCs, albums; no label, genre or feature)."""
    store = open_store(db)
    with store.transaction() as conn:
        writer = LibraryWriter(conn, source, utc_stamp())
        for track in tracks:
            artists = tuple(ArtistRef(a.name, a.spotify_id) for a in track.artists)
            album = AlbumRef(
                track.album_name, track.album_id, artists[:1], release_date=track.release_date
            )
            writer.track_id(
                TrackRecord(
                    track.name,
                    artists,
                    spotify_id=track.spotify_id,
                    album=album,
                    duration_ms=track.duration_ms,
                    isrc=track.isrc,
                )
            )
    return store


def enrich(
    store: Store,
    config: ProvidersConfig,
    cache_dir: Path,
    names: Sequence[str] | None = None,
    *,
    limit: int | None = None,
    policy: RetryPolicy = QUICK_RETRIES,
) -> EnrichReport:
    """Run enrich through the library API, closing the providers afterwards."""
    providers = open_providers(config, cache_dir, names, policy=policy)
    try:
        return Enrichment(store, providers, config.source_order, limit=limit).run()
    finally:
        for provider in providers:
            provider.close()


def dump(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every provider value and lookup, by names and Spotify ids (no row ids, no times)."""
    queries = {
        "album_labels": "SELECT a.spotify_id, a.name, l.name, x.position, x.source FROM"
        " album_labels AS x JOIN albums AS a ON a.id = x.album_id JOIN labels AS l"
        " ON l.id = x.label_id",
        "track_genres": "SELECT t.spotify_id, g.name, x.position, x.source FROM track_genres"
        " AS x JOIN tracks AS t ON t.id = x.track_id JOIN genres AS g ON g.id = x.genre_id",
        "artist_genres": "SELECT a.spotify_id, a.name, g.name, x.position, x.source FROM"
        " artist_genres AS x JOIN artists AS a ON a.id = x.artist_id JOIN genres AS g"
        " ON g.id = x.genre_id",
        "audio_features": "SELECT t.spotify_id, x.source, x.danceability, x.energy, x.key,"
        " x.loudness, x.mode, x.speechiness, x.acousticness, x.instrumentalness, x.liveness,"
        " x.valence, x.tempo, x.time_signature FROM audio_features AS x JOIN tracks AS t"
        " ON t.id = x.track_id",
        "track_gain": "SELECT t.spotify_id, x.source, x.gain FROM track_gain AS x JOIN tracks"
        " AS t ON t.id = x.track_id",
        "track_lookups": "SELECT t.spotify_id, x.provider, x.status, x.external_id FROM"
        " track_lookups AS x JOIN tracks AS t ON t.id = x.track_id",
        "artist_lookups": "SELECT a.spotify_id, a.name, x.provider, x.status, x.external_id"
        " FROM artist_lookups AS x JOIN artists AS a ON a.id = x.artist_id",
        "track_identities": "SELECT t.spotify_id, t.name, x.source, x.method, x.status,"
        " x.external_id, x.isrc, x.duration_ms, x.score FROM track_identities AS x JOIN tracks"
        " AS t ON t.id = x.track_id",
        "album_external_ids": "SELECT a.spotify_id, a.name, a.image_url, x.source,"
        " x.external_id FROM album_external_ids AS x JOIN albums AS a ON a.id = x.album_id",
    }
    return {name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in queries.items()}
