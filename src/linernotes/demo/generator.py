"""Write the demo library: an invented person's Spotify export, Exportify CSVs and truth.

``generate_demo`` writes files in the real formats (see ``writers`` and
``exportify``) so the importers read them exactly like real data. The
catalogue is drawn from about twelve latent styles (``styles``); each
playlist mixes 2-5 of them, and ``demo-truth.json`` records which style every
track came from so tests can score the clustering (adjusted Rand index).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from linernotes.demo.catalogue import build_catalogue
from linernotes.demo.exportify import write_exportify
from linernotes.demo.history import iter_play_chunks, video_chunk
from linernotes.demo.persona import HISTORY_YEARS, build_persona
from linernotes.demo.truth import write_truth
from linernotes.demo.writers import write_histories, write_playlists, write_your_library
from linernotes.errors import DemoError

log = logging.getLogger(__name__)

MIN_TRACKS = 60  # fewer cannot give every style its artists, albums and playlists
MAX_YEARS = 18  # plays start no earlier than mid-2008, when Spotify launched
# Files a previous run may have left (a larger run writes more numbered files).
_OWN_FILES = {
    "account": ("YourLibrary.json", "Follow.json", "Playlist*.json", "StreamingHistory*.json"),
    "extended": ("Streaming_History_*.json",),
    "exportify": ("*.csv",),
}


@dataclass(frozen=True)
class DemoLayout:
    """Where ``generate_demo`` put each part of the demo library."""

    root: Path
    account_dir: Path
    extended_dir: Path
    exportify_dir: Path
    truth_path: Path

    @classmethod
    def under(cls, root: Path) -> DemoLayout:
        """Return the layout of a demo library rooted at ``root`` (nothing is created)."""
        return cls(
            root=root,
            account_dir=root / "Spotify Account Data",
            extended_dir=root / "Spotify Extended Streaming History",
            exportify_dir=root / "exportify",
            truth_path=root / "demo-truth.json",
        )

    @property
    def import_paths(self) -> tuple[Path, ...]:
        """The three folders to hand to the importer, in import order."""
        return (self.account_dir, self.extended_dir, self.exportify_dir)


def check_demo_arguments(*, seed: int, tracks: int, plays: int, years: int = HISTORY_YEARS) -> None:
    """Raise ``DemoError`` (one line) unless ``generate_demo`` can honour these arguments."""
    if not 1 <= years <= MAX_YEARS:
        raise DemoError(f"demo history must span 1 to {MAX_YEARS} years (got {years})")
    if tracks < MIN_TRACKS:
        raise DemoError(f"demo needs at least {MIN_TRACKS} tracks (got {tracks})")
    if plays < 0:
        raise DemoError(f"demo plays cannot be negative (got {plays})")
    if seed < 0:
        raise DemoError(f"demo seed cannot be negative (got {seed})")


def generate_demo(
    root: Path,
    *,
    seed: int = 7,
    tracks: int = 2000,
    plays: int = 80_000,
    years: int = HISTORY_YEARS,
) -> DemoLayout:
    """Write the demo library under ``root`` and return its layout.

    The same arguments always give byte-identical files. ``root`` is created
    if missing; files of an earlier run in the three folders are replaced.
    The plays span the last ``years`` years (ending mid-2026). Libraries above
    2,000 tracks get more and bigger playlists (about 1,000 at 50,000 tracks,
    a few of them over 1,000 tracks). Raises ``DemoError`` before touching
    ``root`` for fewer than ``MIN_TRACKS`` tracks, negative plays, a negative
    seed or a span outside 1-``MAX_YEARS`` years.
    """
    check_demo_arguments(seed=seed, tracks=tracks, plays=plays, years=years)
    started = time.perf_counter()
    layout = DemoLayout.under(Path(root))
    _prepare(layout)
    cat = build_catalogue(seed, tracks)
    person = build_persona(cat, seed, plays)
    write_your_library(layout.account_dir, cat, person)
    write_playlists(layout.account_dir, cat, person)
    written = write_histories(
        layout.account_dir,
        layout.extended_dir,
        cat,
        person,
        iter_play_chunks(cat, person, seed, plays, years),
        video_chunk(cat, person, seed),
    )
    write_exportify(layout.exportify_dir, cat, person)
    write_truth(layout.truth_path, cat, person, seed)
    log.info(
        "demo library: %d tracks, %d playlists, %d plays in %.1f s under %s",
        len(cat.tracks),
        len(person.playlists),
        written,
        time.perf_counter() - started,
        root,
    )
    return layout


def _prepare(layout: DemoLayout) -> None:
    folders = {
        "account": layout.account_dir,
        "extended": layout.extended_dir,
        "exportify": layout.exportify_dir,
    }
    for key, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        for pattern in _OWN_FILES[key]:
            for stale in sorted(folder.glob(pattern)):
                if stale.is_file():
                    stale.unlink()
