"""Listening Score and Rank from the streaming history.

Score is defined once, here: the whole minutes a track was played (music
plays only, skips included for the time they ran). Rank is the track's place
in all-time listening by that measure (1 = most listened); a track never
played has neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from linernotes.model import TrackYear

SCORE_FOOTNOTE = (
    "Score = minutes listened, from your streaming history (music only; "
    "podcasts, audiobooks and videos are not counted)."
)
RANK_FOOTNOTE = "Rank = place in your all-time listening by minutes played (1 = most listened)."


@dataclass
class Listening:
    """Per-track listening totals and the all-time ranking."""

    ms_by_track: dict[int, int] = field(default_factory=dict)
    plays_by_track: dict[int, int] = field(default_factory=dict)
    ms_by_track_year: dict[int, dict[int, int]] = field(default_factory=dict)
    rank_by_track: dict[int, int] = field(default_factory=dict)

    def score(self, track_id: int) -> int | None:
        """Minutes listened (None when never played)."""
        ms = self.ms_by_track.get(track_id)
        return None if not ms else ms // 60_000

    def rank(self, track_id: int) -> int | None:
        """All-time rank (None when never played)."""
        return self.rank_by_track.get(track_id)


def build_listening(rows: Iterable[TrackYear]) -> Listening:
    """Sum music listening per track (and per track and year) and rank the tracks."""
    listening = Listening()
    per_year: dict[int, dict[int, int]] = defaultdict(dict)
    for track, year, ms, plays in rows:
        listening.ms_by_track[track] = listening.ms_by_track.get(track, 0) + ms
        listening.plays_by_track[track] = listening.plays_by_track.get(track, 0) + plays
        per_year[track][year] = ms
    listening.ms_by_track_year = dict(per_year)
    ordered = sorted(
        (t for t, ms in listening.ms_by_track.items() if ms > 0),
        key=lambda t: (-listening.ms_by_track[t], -listening.plays_by_track[t], t),
    )
    listening.rank_by_track = {track: i for i, track in enumerate(ordered, start=1)}
    return listening
