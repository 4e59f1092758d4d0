"""What the steps of a sync share (:class:`SyncContext`) and what a sync reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from linernotes.clock import utc_now, utc_stamp
from linernotes.errors import StoppedError
from linernotes.model import Source, TrackRecord
from linernotes.sources.spotify.client import SpotifyClient
from linernotes.sources.spotify.shapes import ArtistObject, artist_ref, pick_image
from linernotes.store import Store
from linernotes.store.spotify_state import SyncState
from linernotes.store.writer import LibraryWriter

SOURCE: Source = "spotify"
Progress = Callable[[str, int, int | None], None]


@dataclass
class SyncReport:
    """What one sync did; ``stopped`` is the error that ended it early (resumable)."""

    user: str | None = None
    liked_new: int = 0
    playlists_synced: int = 0
    playlists_unchanged: int = 0
    not_readable: list[str] = field(default_factory=list)
    explain_not_readable: bool = False
    followed: int = 0
    top_entries: int = 0
    recent_new: int = 0
    completed: int = 0
    not_found: int = 0
    to_complete: int = 0
    budget_left: int | None = None
    skipped: list[str] = field(default_factory=list)
    requests: int = 0
    stopped: StoppedError | None = None
    resume_after: datetime | None = None


class SyncContext:
    """What the steps of one sync share: the store, the client, the clock, the report."""

    def __init__(
        self,
        store: Store,
        client: SpotifyClient,
        *,
        budget: int,
        now: Callable[[], datetime] = utc_now,
        on_progress: Progress | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.budget = budget
        self.now = now
        self.at = utc_stamp(now())
        self.report = SyncReport()
        self.user_id: str | None = None
        self._progress = on_progress

    def progress(self, stage: str, done: int, total: int | None = None) -> None:
        """Tell the caller how far a step is."""
        if self._progress is not None:
            self._progress(stage, done, total)

    def state(self) -> SyncState:
        """Return the sync state on the store's connection."""
        return SyncState(self.store.conn, self.at)

    def writer(self) -> LibraryWriter:
        """Return a writer for one transaction (its row cache dies with it)."""
        return LibraryWriter(self.store.conn, SOURCE, self.at)

    def write_track(self, writer: LibraryWriter, record: TrackRecord) -> int:
        """Write a track from the API; its Spotify album replaces a name-only album."""
        row = writer.track_id(record)
        if record.album is not None and record.album.spotify_id and not record.is_local:
            self.state().prefer_album(row, writer.album_id(record.album))
        return row

    def write_artist(self, writer: LibraryWriter, artist: ArtistObject) -> int | None:
        """Write an artist from the API (with its picture); return its row id."""
        ref = artist_ref(artist)
        if ref is None:
            return None
        row = writer.artist_id(ref)
        image = pick_image(artist.images)
        if image:
            self.state().set_artist_image(row, image)
        return row
