"""``linernotes sync``: the person's library from the Web API into the store, resumably.

Steps, in order: who is logged in, Liked Songs, playlists, followed artists,
top items, recently played, then completing export-only tracks. Each unit
(a page of Liked Songs, a playlist, a step) lands in one transaction together
with the state saying it is done, so a run stopped by the quota, by failures
or by Ctrl-C resumes where it stopped and ends with the same store as a run
that never stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from linernotes.clock import utc_now
from linernotes.config import SpotifyConfig
from linernotes.errors import QuotaError, StoppedError
from linernotes.model import LikedRecord, TrackRecord
from linernotes.sources.spotify.auth import TokenFile, auth_manager
from linernotes.sources.spotify.client import TIME_RANGES, SpotifyClient
from linernotes.sources.spotify.completion import complete_tracks
from linernotes.sources.spotify.context import Progress, SyncContext, SyncReport
from linernotes.sources.spotify.errors import ForbiddenError, SpotifyAuthError
from linernotes.sources.spotify.playlists import sync_playlists
from linernotes.sources.spotify.shapes import (
    ArtistObject,
    PlayHistoryObject,
    SavedTrackObject,
    TrackObject,
    artist_ref,
    track_record,
)
from linernotes.store import Store
from linernotes.store.spotify_state import SyncState

log = logging.getLogger(__name__)

TOP_REFRESH = timedelta(hours=20)  # top items change slowly: at most one refresh a day


def read_resume_after(store: Store) -> datetime | None:
    """Return the time before which no request may be sent (None when free to go)."""
    with store.transaction() as conn:
        value = SyncState(conn, "").get("resume_after")
    return datetime.fromisoformat(value) if value else None


def connect(
    store: Store,
    spotify_config: SpotifyConfig,
    token: TokenFile,
    *,
    now: Callable[[], datetime] = utc_now,
    backoff: float = 0.5,
) -> SpotifyClient:
    """Return a client for the logged-in user that honours the store's resume time.

    Raises :class:`SpotifyAuthError` when nobody is logged in.
    """
    if token.get_cached_token() is None:
        raise SpotifyAuthError("not logged in to Spotify: run 'linernotes login' first")
    return SpotifyClient(
        spotify_config,
        auth_manager(spotify_config, token),
        resume_after=read_resume_after(store),
        now=now,
        backoff=backoff,
    )


class SpotifySync(SyncContext):
    """One run of the sync: its steps, in order, on the shared context."""

    def run(self, *, complete: bool = True) -> SyncReport:
        """Run every step; a quota stop or repeated failures end the run early with
        everything fetched so far saved (``report.stopped``)."""
        steps: list[tuple[str, Callable[[], None]]] = [
            ("GET /me", self._me),
            ("GET /me/tracks", self._liked),
            ("GET /me/playlists", lambda: sync_playlists(self)),
            ("GET /me/following", self._follows),
            ("GET /me/top", self._top),
            ("GET /me/player/recently-played", self._recent),
        ]
        if complete:
            steps.append(("GET /tracks/{id}", lambda: complete_tracks(self)))
        try:
            self._clear_passed_wait()
            for endpoint, step in steps:
                self._step(endpoint, step)
        except StoppedError as exc:
            self.report.stopped = exc
            if isinstance(exc, QuotaError) and exc.resume_after is not None:
                self.report.resume_after = exc.resume_after
                with self.store.transaction():
                    self.state().put("resume_after", exc.resume_after.isoformat())
        finally:
            self.report.requests = self.client.sent
        return self.report

    def _clear_passed_wait(self) -> None:
        resume = self.client.resume_after
        if resume is not None and self.now() >= resume:
            with self.store.transaction():
                self.state().delete("resume_after")
            self.client.resume_after = None

    def _step(self, endpoint: str, step: Callable[[], None]) -> None:
        try:
            step()
        except ForbiddenError as exc:
            log.info("%s", exc)
            with self.store.transaction():
                self.state().record_skipped(endpoint, exc.reason)
            self.report.skipped.append(
                f"{endpoint}: refused by Spotify (403: {exc.reason}) — skipped; development-mode"
                " apps may no longer use it"
            )
            return
        with self.store.transaction():
            self.state().clear_skipped(endpoint)

    # -- steps ---------------------------------------------------------------------------

    def _me(self) -> None:
        user = self.client.me()
        self.user_id = user.id
        self.report.user = user.display_name or user.id
        if user.id:
            with self.store.transaction():
                state = self.state()
                known = state.get("user_id")
                if known and known != user.id:
                    log.warning("logged in as %s; earlier syncs were of %s", user.id, known)
                state.put("user_id", user.id)

    def _liked(self) -> None:
        state = self.state()
        watermark = state.get("liked_watermark")
        offset, top = _liked_progress(state.get("liked_progress"))
        while True:
            self.progress("Liked Songs", offset)
            page = self.client.saved_tracks(offset)
            records: list[LikedRecord] = []
            done = False
            for saved in page.entries(SavedTrackObject):
                added = saved.added_at
                if added and (top is None or added > top):
                    top = added
                if watermark and added and added <= watermark:
                    done = True  # the first already-known like: the rest is known too
                    break
                record = track_record(saved.track) if saved.track else None
                if record is not None and record.spotify_id:
                    records.append(LikedRecord(record, added))
            next_offset = None if done else page.next_offset()
            if next_offset is not None and next_offset <= offset:
                next_offset = None
            with self.store.transaction():
                writer = self.writer()
                for liked in records:
                    self.write_track(writer, liked.track)
                writer.add_liked(records)
                if next_offset is None:
                    if top:
                        state.put("liked_watermark", max(top, watermark or ""))
                    state.delete("liked_progress")
                else:
                    state.put("liked_progress", f"{next_offset}|{top or ''}")
            self.report.liked_new += writer.counts.liked
            if next_offset is None:
                return
            offset = next_offset

    def _follows(self) -> None:
        first = self.client.followed_artists(None)
        artists = list(first.entries(ArtistObject))
        signature = f"{first.total}|" + ",".join(a.id or "" for a in artists)
        state = self.state()
        if state.get("follows_signature") == signature:
            return  # same count, same first page: nothing changed
        after, seen = first.next_cursor(), set()
        while after and after not in seen:
            seen.add(after)
            page = self.client.followed_artists(after)
            artists.extend(page.entries(ArtistObject))
            after = page.next_cursor()
        with self.store.transaction():
            writer = self.writer()
            refs = [r for r in (artist_ref(a) for a in artists) if r is not None]
            for artist in artists:
                self.write_artist(writer, artist)
            writer.add_follows(refs)
            state.put("follows_signature", signature)
        self.report.followed = len(refs)

    def _top(self) -> None:
        state = self.state()
        last = state.get("top_fetched_at")
        if last and self.now() - datetime.fromisoformat(last) < TOP_REFRESH:
            return
        pages = {
            (kind, time_range): self.client.top(kind, time_range)
            for kind in ("tracks", "artists")
            for time_range in TIME_RANGES
        }
        with self.store.transaction():
            writer = self.writer()
            for (kind, time_range), page in pages.items():
                rows: list[int] = []
                if kind == "tracks":
                    for track in page.entries(TrackObject):
                        record = track_record(track)
                        if record is not None and record.spotify_id:
                            rows.append(self.write_track(writer, record))
                else:
                    for artist in page.entries(ArtistObject):
                        row = self.write_artist(writer, artist)
                        if row is not None:
                            rows.append(row)
                state.replace_top(kind, time_range, rows)
                self.report.top_entries += len(rows)
            state.put("top_fetched_at", self.now().isoformat())

    def _recent(self) -> None:
        state = self.state()
        after = state.get("recent_after")
        page = self.client.recently_played(int(after) if after else None)
        plays: list[tuple[str, TrackRecord, str | None]] = []
        for entry in page.entries(PlayHistoryObject):
            record = track_record(entry.track) if entry.track else None
            if record is not None and record.spotify_id and entry.played_at:
                plays.append(
                    (entry.played_at, record, entry.context.uri if entry.context else None)
                )
        if not plays:
            return
        newest = max(_unix_ms(played_at) for played_at, _, _ in plays)
        with self.store.transaction():
            writer = self.writer()
            rows = [(p, self.write_track(writer, r), c) for p, r, c in plays]
            self.report.recent_new += state.add_recent(rows)
            state.put("recent_after", str(max(newest, int(after or 0))))


def _liked_progress(value: str | None) -> tuple[int, str | None]:
    if not value:
        return 0, None
    offset, _, top = value.partition("|")
    return (int(offset) if offset.isdigit() else 0), (top or None)


def _unix_ms(played_at: str) -> int:
    moment = datetime.fromisoformat(played_at.replace("Z", "+00:00"))
    return int(moment.timestamp() * 1000)


def sync_spotify(
    store: Store,
    client: SpotifyClient,
    *,
    budget: int,
    complete: bool = True,
    now: Callable[[], datetime] = utc_now,
    on_progress: Progress | None = None,
) -> SyncReport:
    """Sync the logged-in user's library into ``store``; return what was done.

    A stop for the quota or for repeated failures is not raised: it is in
    ``report.stopped`` (with ``report.resume_after`` for the quota), after
    everything fetched has been saved. Raises :class:`SpotifyAuthError` when
    the login is missing or refused.
    """
    sync = SpotifySync(store, client, budget=budget, now=now, on_progress=on_progress)
    return sync.run(complete=complete)
