"""A small library built by hand, for unit tests of analysis and pages without a
store or the demo: three planted styles of twelve tracks, hostile names, labels
with an alias, a liked share and some listening."""

from __future__ import annotations

from dataclasses import dataclass

from linernotes.analysis.atlas import Analysis, analyse
from linernotes.analysis.library import build_library
from linernotes.analysis.listening import build_listening
from linernotes.config import Config
from linernotes.model import (
    AUDIO_FEATURES,
    Playlist,
    PlaylistEntry,
    Sourced,
    SourcedFeatures,
    StoredAlbum,
    StoredArtist,
    StoredLibrary,
    StoredTrack,
    TrackYear,
)
from linernotes.render.context import Context
from linernotes.render.plan import SitePlan, plan_site

# Per style: genre, label string (as a source spells it), year, audio features.
STYLES = (
    ("shoegaze", "Sub Pop Records", "1991-05-01", dict(energy=0.9, acousticness=0.05, tempo=150.0)),
    ("ambient", "Warp Records", "2005-02-02", dict(energy=0.1, acousticness=0.6, tempo=70.0)),
    ("k-pop", "SM Entertainment", "2018-08-08", dict(energy=0.6, acousticness=0.2, tempo=115.0)),
)
PER_STYLE = 12
HOSTILE_TRACK = "Pipe | <b>bold</b> [x](y) *star*"
HOSTILE_ARTIST = "A&B <script>"


@dataclass(frozen=True)
class Built:
    """The fixture library analysed and planned, with what tests compare against."""

    stored: StoredLibrary
    analysis: Analysis
    plan: SitePlan
    ctx: Context
    style_of: dict[int, int]  # track id → planted style


def _features(style: int, i: int) -> tuple[float | None, ...]:
    base = STYLES[style][3]
    values = {name: None for name in AUDIO_FEATURES}
    values.update({k: v + 0.01 * (i % 4) for k, v in base.items()})
    values["danceability"] = 0.5 + 0.01 * i
    return tuple(values.values())


def stored_library() -> tuple[StoredLibrary, dict[int, int]]:
    """The hand-made library as the store would give it, and the planted styles."""
    artists: dict[int, StoredArtist] = {}
    albums: dict[int, StoredAlbum] = {}
    tracks: dict[int, StoredTrack] = {}
    style_of: dict[int, int] = {}
    for style, (genre, label, date, _) in enumerate(STYLES):
        for n in range(2):
            aid = 1 + style * 2 + n
            name = HOSTILE_ARTIST if aid == 1 else f"Artist {aid}"
            genres = (Sourced("exportify", genre),)
            artists[aid] = StoredArtist(aid, name, f"{aid:022d}", aid == 2, genres)
            albums[aid] = StoredAlbum(
                aid, f"Album {aid}", None, date, None, (aid,), (Sourced("exportify", label),)
            )
        for i in range(PER_STYLE):
            tid = 1 + style * PER_STYLE + i
            aid = 1 + style * 2 + i % 2
            name = HOSTILE_TRACK if tid == 1 else f"Song {tid}"
            features = (SourcedFeatures("exportify", _features(style, i)),)
            tracks[tid] = StoredTrack(
                tid, name, f"{tid:022d}", aid, (aid,), 200_000 + tid * 1000, False, False,
                liked=tid % 3 == 0, features=features,
            )  # fmt: skip
            style_of[tid] = style
    # One release spelled differently by another album of the same label.
    albums[2] = StoredAlbum(
        2, "Album 2", None, "1992-01-01", None, (2,), (Sourced("exportify", "Sub Pop"),)
    )
    everything = tuple(sorted(tracks))
    quiet = tuple(t for t in everything if style_of[t] == 1)
    playlists = [_playlist(1, "Everything", everything), _playlist(2, "Quiet Evenings", quiet)]
    return StoredLibrary(artists, albums, tracks, playlists), style_of


def _playlist(pid: int, name: str, track_ids: tuple[int, ...]) -> Playlist:
    entries = tuple(
        PlaylistEntry("track", t, "", f"2024-01-{1 + t % 28:02d}T00:00:00Z") for t in track_ids
    )
    return Playlist(pid, f"name:{name}", name, None, None, None, entries, track_ids)


def listening_rows() -> list[TrackYear]:
    """Track 5 most listened, then track 2; others never played."""
    return [(5, 2023, 600_000, 3), (5, 2024, 300_000, 1), (2, 2024, 120_000, 2)]


def build(config: Config | None = None) -> Built:
    """Analyse and plan the fixture library."""
    config = config or Config()
    stored, style_of = stored_library()
    analysis = analyse(build_library(stored, config), build_listening(listening_rows()), config)
    plan = plan_site(analysis, config.atlas, {})
    return Built(stored, analysis, plan, Context(analysis, plan, config), style_of)
