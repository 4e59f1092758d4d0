"""Web API responses typed at the edge, and turned into domain records.

Every field is optional: development-mode apps get objects without
``genres``, ``popularity``, ``label`` or ``followers`` since 2026-02, playlist
objects carry ``items`` where they used to carry ``tracks``, and playlist
entries ``item`` where they had ``track`` (OpenAPI spec 2026.5.31,
``PlaylistTrackObject`` / ``SimplifiedPlaylistObject``). Older answers
(``shared/realdata/web_api``) still decode: a release date given as an object
(JMPerez fixtures), ``&amp;`` in ``next`` links (rrosenlof, 2020), episodes with
``"episode": true``. Pages keep their entries raw (``Any``) so that one odd
entry is skipped and logged instead of failing the page.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import msgspec

from linernotes.model import AlbumRef, ArtistRef, ItemKind, PlaylistItem, TrackRecord, spotify_id
from linernotes.sources.export import local_track
from linernotes.text import clean_optional, clean_text

log = logging.getLogger(__name__)

T = TypeVar("T")


class Image(msgspec.Struct):
    url: str | None = None
    width: int | None = None
    height: int | None = None


class ArtistObject(msgspec.Struct):
    id: str | None = None
    name: str | None = None
    uri: str | None = None
    genres: list[str] | None = None
    images: list[Image] | None = None


class AlbumObject(msgspec.Struct):
    id: str | None = None
    name: str | None = None
    uri: str | None = None
    release_date: str | dict[str, Any] | None = None
    images: list[Image] | None = None
    artists: list[ArtistObject] | None = None
    label: str | None = None


class ExternalIds(msgspec.Struct):
    isrc: str | None = None


class TrackObject(msgspec.Struct):
    id: str | None = None
    name: str | None = None
    uri: str | None = None
    type: str | None = None
    episode: bool | None = None
    album: AlbumObject | None = None
    artists: list[ArtistObject] | None = None
    duration_ms: int | None = None
    explicit: bool | None = None
    external_ids: ExternalIds | None = None
    disc_number: int | None = None
    track_number: int | None = None
    popularity: int | None = None
    is_local: bool | None = None


class UserObject(msgspec.Struct):
    id: str | None = None
    display_name: str | None = None


class PlaylistTrackObject(msgspec.Struct):
    added_at: str | None = None
    added_by: UserObject | None = None
    is_local: bool | None = None
    item: TrackObject | None = None
    track: TrackObject | None = None  # before 2026: the same object under its old name


class ItemsRef(msgspec.Struct):
    href: str | None = None
    total: int | None = None


class PlaylistObject(msgspec.Struct):
    id: str | None = None
    name: str | None = None
    owner: UserObject | None = None
    collaborative: bool | None = None
    snapshot_id: str | None = None
    description: str | None = None
    items: ItemsRef | None = None
    tracks: ItemsRef | None = None  # before 2026

    @property
    def total(self) -> int | None:
        """How many entries the playlist has, from whichever key the answer used."""
        ref = self.items or self.tracks
        return ref.total if ref else None


class SavedTrackObject(msgspec.Struct):
    added_at: str | None = None
    track: TrackObject | None = None


class ContextObject(msgspec.Struct):
    uri: str | None = None
    type: str | None = None


class PlayHistoryObject(msgspec.Struct):
    track: TrackObject | None = None
    played_at: str | None = None
    context: ContextObject | None = None


class Cursors(msgspec.Struct):
    after: str | int | None = None
    before: str | int | None = None


class Page(msgspec.Struct):
    """An offset page (``PagingObject``) or a cursor page (``CursorPagingObject``)."""

    items: list[Any] | None = None
    next: str | None = None
    total: int | None = None
    offset: int | None = None
    limit: int | None = None
    cursors: Cursors | None = None

    def entries(self, kind: type[T]) -> Iterator[T]:
        """Yield the entries that decode as ``kind``; log and skip the others."""
        for raw in self.items or ():
            if raw is None:
                continue
            try:
                yield msgspec.convert(raw, kind, strict=False)
            except msgspec.ValidationError as exc:
                log.warning("skipped an entry Spotify sent in an unexpected shape: %s", exc)

    def next_offset(self) -> int | None:
        """Return the offset of the next page (from ``next``), or None on the last page."""
        if not self.next:
            return None
        query = _query(self.next)
        if "offset" in query and query["offset"].isdigit():
            return int(query["offset"])
        return (self.offset or 0) + (self.limit or len(self.items or ()))

    def next_cursor(self) -> str | None:
        """Return the ``after`` cursor of the next page, or None on the last page."""
        if not self.next:
            return None
        after = _query(self.next).get("after")
        if after is None and self.cursors is not None and self.cursors.after is not None:
            after = str(self.cursors.after)
        return after


class FollowedArtists(msgspec.Struct):
    artists: Page | None = None


def _query(url: str) -> dict[str, str]:
    # rrosenlof/spotify-json 2020-playlist.json: "next" came HTML-escaped ("&amp;").
    query = parse_qs(urlsplit(html.unescape(url)).query)
    return {key: values[0] for key, values in query.items() if values}


# -- records ----------------------------------------------------------------------------


def artist_ref(artist: ArtistObject) -> ArtistRef | None:
    """Return the artist as a record (None without a name)."""
    name = clean_text(artist.name)
    if not name:
        return None
    genres = tuple(g for g in (clean_text(g) for g in artist.genres or ()) if g)
    return ArtistRef(name, spotify_id(artist.id or artist.uri, "artist"), genres)


def _artists(artists: list[ArtistObject] | None) -> tuple[ArtistRef, ...]:
    return tuple(ref for ref in (artist_ref(a) for a in artists or ()) if ref is not None)


def pick_image(images: list[Image] | None) -> str | None:
    """Return the URL of the smallest image at least 300 px wide, else the first one.

    Spotify lists 640, 300 and 64 px covers, widest first; 300 px is sharp in
    the atlas's tables (50 px) and pages (160 px) even on dense screens.
    """
    usable = [i for i in images or () if i.url]
    wide = [i for i in usable if i.width is not None and i.width >= 300]
    if wide:
        return min(wide, key=lambda i: i.width or 0).url
    return usable[0].url if usable else None


def _release_date(value: str | dict[str, Any] | None) -> str | None:
    if isinstance(value, dict):  # early API: {"year": 1981, "month": 12, "day": null}
        parts: list[str] = []
        for key in ("year", "month", "day"):
            number = value.get(key)
            if not isinstance(number, int):
                break
            parts.append(f"{number:02d}" if parts else str(number))
        return "-".join(parts) or None
    return clean_optional(value)


def album_ref(album: AlbumObject) -> AlbumRef | None:
    """Return the album as a record (None without a name)."""
    name = clean_text(album.name)
    if not name:
        return None
    label = clean_optional(album.label)
    return AlbumRef(
        name=name,
        spotify_id=spotify_id(album.id or album.uri, "album"),
        artists=_artists(album.artists),
        release_date=_release_date(album.release_date),
        image_url=pick_image(album.images),
        labels=(label,) if label else (),
    )


def track_record(track: TrackObject) -> TrackRecord | None:
    """Return a music track as a record; None for episodes and nameless entries."""
    if track.type not in (None, "track") or track.episode:
        return None
    if track.is_local or (track.uri or "").startswith("spotify:local:"):
        return local_track(track.uri or "")
    name = clean_text(track.name)
    if not name:
        return None
    isrc = track.external_ids.isrc if track.external_ids else None
    return TrackRecord(
        name=name,
        artists=_artists(track.artists),
        spotify_id=spotify_id(track.id or track.uri),
        album=album_ref(track.album) if track.album else None,
        duration_ms=track.duration_ms,
        explicit=track.explicit,
        isrc=isrc.strip().upper() if isrc and isrc.strip() else None,
        disc_number=track.disc_number,
        track_number=track.track_number,
        popularity=track.popularity,
        is_local=False,
    )


def playlist_item(entry: PlaylistTrackObject) -> PlaylistItem | None:
    """Return one playlist entry; None for an entry whose track is gone (``null``)."""
    obj = entry.item or entry.track
    if obj is None:
        return None
    title = clean_text(obj.name)
    if obj.type in ("episode", "chapter", "audiobook") or obj.episode:
        spoken: ItemKind = "audiobook" if obj.type in ("chapter", "audiobook") else "episode"
        return PlaylistItem(spoken, title=title, added_at=entry.added_at)
    record = track_record(obj)
    if record is None and entry.is_local:
        record = local_track(obj.uri or "")
    if record is None:
        return None
    kind: ItemKind = "local" if record.is_local else "track"
    added_by = entry.added_by.id if entry.added_by else None
    return PlaylistItem(kind, record, title=record.name, added_at=entry.added_at, added_by=added_by)
