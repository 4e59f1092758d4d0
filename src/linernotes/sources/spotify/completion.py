"""Completing export-only tracks: one ``GET /tracks/{id}`` at a time, within a daily budget.

The export names a track (title, one artist, album name, URI) but has no cover,
no release date, no full credits and no ISRC (which the open-data providers
need). Since 2026-02 there is no batch ``GET /tracks?ids=`` for
development-mode apps, so each track costs a request: the most listened tracks
go first, at most ``daily_budget`` a day (UTC), and every track looked up is
remembered, so the work spreads over as many days as it needs and resumes
where it stopped.
"""

from __future__ import annotations

import logging

import msgspec

from linernotes.sources.spotify.context import SyncContext
from linernotes.sources.spotify.errors import NotFoundError
from linernotes.sources.spotify.shapes import track_record

log = logging.getLogger(__name__)


def complete_tracks(sync: SyncContext) -> None:
    """Look up export-only tracks, most listened first, until the day's budget is spent."""
    state = sync.state()
    day = sync.now().date().isoformat()
    used = int(state.get("budget_used") or 0) if state.get("budget_day") == day else 0
    pending = state.tracks_to_complete()
    sync.report.to_complete = len(pending)
    sync.report.budget_left = max(0, sync.budget - used)
    for number, spotify_id in enumerate(pending, start=1):
        if used >= sync.budget:
            log.info("daily budget of %d track lookups spent", sync.budget)
            break
        sync.progress("completing tracks", number, len(pending))
        try:
            found = sync.client.track(spotify_id)
        except NotFoundError:
            found = None
        record = track_record(found) if found is not None else None
        used += 1
        with sync.store.transaction():
            if record is not None:
                # Relinking may answer with another id: the row to complete is ours.
                record = msgspec.structs.replace(record, spotify_id=spotify_id)
                sync.write_track(sync.writer(), record)
            state.check_track(spotify_id, "completed" if record is not None else "not_found")
            state.put("budget_day", day)
            state.put("budget_used", str(used))
        if record is None:
            sync.report.not_found += 1
        else:
            sync.report.completed += 1
        sync.report.to_complete -= 1
        sync.report.budget_left = max(0, sync.budget - used)
