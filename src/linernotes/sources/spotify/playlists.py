"""The playlists step of a sync: owned and collaborative playlists with their items.

Since 2026-02 a development-mode app reads ``/playlists/{id}/items`` only for
playlists the user owns or collaborates on (OpenAPI spec 2026.5.31: "A 403
Forbidden status code will be returned if the user is neither the owner nor a
collaborator"). Followed playlists are therefore not asked for at all: they are
recorded as not readable (and a 403 on one we did ask for is recorded the same
way); their contents come from the account-data export. A playlist whose
``snapshot_id`` did not change since its last complete fetch costs nothing.
Pages of a long playlist are staged in the store as they come, so a run stopped
half-way resumes at the next page.
"""

from __future__ import annotations

import html
import logging

from linernotes.model import PlaylistItem, PlaylistRecord
from linernotes.sources.spotify.context import SyncContext
from linernotes.sources.spotify.errors import ForbiddenError
from linernotes.sources.spotify.shapes import PlaylistObject, PlaylistTrackObject, playlist_item
from linernotes.store.playlists import add_playlist
from linernotes.text import clean_optional, clean_text

log = logging.getLogger(__name__)


def sync_playlists(sync: SyncContext) -> None:
    """List the user's playlists and bring each readable, changed one into the store."""
    listing = _list_playlists(sync)
    newly_unreadable: list[str] = []
    for number, playlist in enumerate(listing, start=1):
        sync.progress("playlists", number, len(listing))
        assert playlist.id is not None
        name = clean_text(playlist.name) or "Untitled playlist"
        owner = playlist.owner.id if playlist.owner else None
        readable = sync.user_id is None or owner == sync.user_id or bool(playlist.collaborative)
        if not readable:
            newly_unreadable.append(name)
            _record_not_readable(sync, playlist, name)
            continue
        snapshot = playlist.snapshot_id or ""
        if snapshot and sync.state().synced_snapshot(playlist.id) == snapshot:
            sync.report.playlists_unchanged += 1
            continue
        try:
            # An empty playlist needs no request: the listing says it has 0 items.
            items = [] if playlist.total == 0 else _fetch_items(sync, playlist.id, snapshot)
        except ForbiddenError as exc:
            log.info("%s", exc)
            newly_unreadable.append(name)
            _record_not_readable(sync, playlist, name)
            continue
        _write_playlist(sync, playlist, name, snapshot, items)
        sync.report.playlists_synced += 1
    sync.report.not_readable = newly_unreadable
    if newly_unreadable:
        with sync.store.transaction():
            state = sync.state()
            if state.get("not_readable_explained") is None:
                sync.report.explain_not_readable = True
                state.put("not_readable_explained", sync.at)


def _list_playlists(sync: SyncContext) -> list[PlaylistObject]:
    listing: list[PlaylistObject] = []
    offset: int | None = 0
    while offset is not None:
        page = sync.client.my_playlists(offset)
        listing.extend(p for p in page.entries(PlaylistObject) if p.id)
        following = page.next_offset()
        offset = following if following is not None and following > offset else None
    return listing


def _owner(playlist: PlaylistObject) -> tuple[str | None, str | None]:
    if playlist.owner is None:
        return None, None
    return playlist.owner.id, clean_optional(playlist.owner.display_name)


def _record_not_readable(sync: SyncContext, playlist: PlaylistObject, name: str) -> None:
    assert playlist.id is not None
    owner_id, owner_name = _owner(playlist)
    with sync.store.transaction():
        state = sync.state()
        row = state.link_playlist(playlist.id, name, owner_name or owner_id)
        state.record_playlist(
            playlist.id,
            name,
            owner=(owner_id, owner_name),
            collaborative=bool(playlist.collaborative),
            total=playlist.total,
            status="not_readable",
            playlist_row=row,
        )


def _fetch_items(sync: SyncContext, playlist_id: str, snapshot: str) -> list[PlaylistItem]:
    with sync.store.transaction():
        items, offset = sync.state().staged_items(playlist_id, snapshot)
    while offset is not None:
        page = sync.client.playlist_items(playlist_id, offset)
        got = [
            item
            for item in (playlist_item(e) for e in page.entries(PlaylistTrackObject))
            if item is not None
        ]
        following = page.next_offset()
        if following is not None and following <= offset:
            following = None
        if offset == 0 and following is None:
            return got  # one page: nothing to stage
        with sync.store.transaction():
            sync.state().stage_page(playlist_id, snapshot, offset, following, got)
        items.extend(got)
        offset = following
    return items


def _write_playlist(
    sync: SyncContext,
    playlist: PlaylistObject,
    name: str,
    snapshot: str,
    items: list[PlaylistItem],
) -> None:
    assert playlist.id is not None
    owner_id, owner_name = _owner(playlist)
    description = clean_optional(html.unescape(playlist.description or ""))
    record = PlaylistRecord(
        key=f"spotify:{playlist.id}",
        name=name,
        items=tuple(items),
        spotify_id=playlist.id,
        description=description,
        owner=owner_name or owner_id,
    )
    with sync.store.transaction():
        state = sync.state()
        # Linked first, so that add_playlist finds the export's copy by Spotify id.
        state.link_playlist(playlist.id, name, owner_name or owner_id)
        writer = sync.writer()
        for item in items:
            if item.track is not None:
                sync.write_track(writer, item.track)
        row = add_playlist(writer, record)
        state.record_playlist(
            playlist.id,
            name,
            owner=(owner_id, owner_name),
            collaborative=bool(playlist.collaborative),
            total=playlist.total,
            status="synced",
            snapshot_id=snapshot,
            playlist_row=row,
        )
        state.drop_pages(playlist.id)
