"""Deterministic demo library: an invented person's Spotify export, Exportify CSVs and truth.

``generate_demo`` writes files in the real formats (see ``demo_writers`` and
``demo_exportify``) so the importers read them exactly like real data. The
catalogue is drawn from about twelve latent styles (``demo_styles``); each
playlist mixes 2-5 of them, and ``demo-truth.json`` records which style every
track came from so tests can score the clustering (adjusted Rand index).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import msgspec

from linernotes.sources.demo_catalogue import Catalogue, build_catalogue
from linernotes.sources.demo_exportify import write_exportify
from linernotes.sources.demo_history import iter_play_chunks, video_chunk
from linernotes.sources.demo_library import Library, build_library
from linernotes.sources.demo_styles import FEATURES, STYLES
from linernotes.sources.demo_writers import write_histories, write_playlists, write_your_library

log = logging.getLogger(__name__)

MIN_TRACKS = 60
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


def generate_demo(
    root: Path, *, seed: int = 7, tracks: int = 2000, plays: int = 80_000
) -> DemoLayout:
    """Write the demo library under ``root`` and return its layout.

    The same arguments always give byte-identical files. ``root`` is created
    if missing; files of an earlier run in the three folders are replaced.
    Raises ``ValueError`` for fewer than ``MIN_TRACKS`` tracks or negative plays.
    """
    if tracks < MIN_TRACKS or plays < 0:
        raise ValueError(
            f"demo needs tracks >= {MIN_TRACKS} and plays >= 0 (got tracks={tracks}, plays={plays})"
        )
    started = time.perf_counter()
    layout = DemoLayout.under(Path(root))
    _prepare(layout)
    cat = build_catalogue(seed, tracks)
    lib = build_library(cat, seed, plays)
    write_your_library(layout.account_dir, cat, lib)
    write_playlists(layout.account_dir, cat, lib)
    written = write_histories(
        layout.account_dir,
        layout.extended_dir,
        cat,
        lib,
        iter_play_chunks(cat, lib, seed, plays),
        video_chunk(cat, lib, seed),
    )
    write_exportify(layout.exportify_dir, cat, lib)
    write_truth(layout.truth_path, cat, lib, seed)
    log.info(
        "demo library: %d tracks, %d playlists, %d plays in %.1f s under %s",
        len(cat.tracks),
        len(lib.playlists),
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


def truth_document(cat: Catalogue, lib: Library, seed: int) -> dict[str, object]:
    """Return the ground truth: styles, the style of every track, each playlist's styles."""
    return {
        "seed": seed,
        "styles": [
            {
                "id": s.id,
                "name": s.name,
                "family": s.family,
                "genres": list(s.genres),
                "era": list(s.era),
                "features": dict(zip(FEATURES, s.features, strict=True)),
            }
            for s in STYLES
        ],
        "track_style": {t.id: STYLES[cat.track_style(i)].id for i, t in enumerate(cat.tracks)},
        "playlists": [
            {
                "name": p.name,
                "styles": [STYLES[s].id for s in p.styles],
                "track_ids": [cat.tracks[i.ref].id for i in p.items if i.kind == "track"],
            }
            for p in lib.playlists
        ],
    }


def write_truth(path: Path, cat: Catalogue, lib: Library, seed: int) -> None:
    """Write ``demo-truth.json`` (indented, UTF-8)."""
    encoded = msgspec.json.encode(truth_document(cat, lib, seed))
    path.write_bytes(msgspec.json.format(encoded, indent=2))
