"""Benchmark: ``enrich`` of a bare library at the services' published rates.

usage: python bench/enrich.py [--tracks N] [--scale S] [--names] [--keep DIR]

A demo library (the demo generator) is imported without its Exportify files,
as a bare Spotify export gives it: tracks with a Spotify id (``--names``: the
ids removed from the store, as an old export without URIs), no ISRC, label,
genre, cover or audio feature. Loopback fakes (tests/sources/providers) answer
with the real protocols and shapes; they know 97 % of the songs (Deezer misses
4 % of those, ReccoBeats 3 %), list decoys among search results, and enforce the
published limits: MusicBrainz one request a second (503 when faster), Deezer 50
requests per 5 s (error code 4 when more), ReccoBeats 5 a second (its limits
are unpublished: linernotes' default; 429 when faster). The MusicBrainz fake
lets a gap 5 % short of a second pass: requests sent a second apart reach a
loopback server on a busy machine with that much jitter. linernotes runs at its
default rates (MusicBrainz 1/s, Deezer 9/s, ReccoBeats 5/s).

Time for 5,000 tracks: the identification comes first, then the lookup
passes run at once (one lane per service), then the covers step (Cover Art
Archive lookups at 1/s, image downloads at 10/s from Deezer's image host).
Every pass's requests grow with the number of tracks (the demo keeps its share
of albums and artists per track), so the whole run's time is scaled by 5,000 /
N (and each pass's, shown from its start to its last answer).

``--scale S`` runs the fakes' limits and linernotes' rates S times faster and
divides the times by S, so that a large library is measured in minutes (e.g.
``--tracks 5000 --scale 5``) — on a machine with the CPU to answer that fast;
the line "the requests alone need" gives the time the requests take at the
published rates, whatever the machine. A run with S = 1 and fewer tracks
checks that the fakes' limits are never hit (no 503, no code 4, no 429).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fakes live with the tests

from tests.sources.providers.cover_fakes import CoverArtArchiveFake  # noqa: E402
from tests.sources.providers.fakes import (  # noqa: E402
    ARRIVAL_JITTER_FLOOR,
    DeezerFake,
    MusicBrainzFake,
    ReccoBeatsFake,
    serving,
)
from tests.sources.providers.world import build_world  # noqa: E402

from linernotes.artwork import CoverCache  # noqa: E402
from linernotes.config import ProvidersConfig  # noqa: E402
from linernotes.demo import generate_demo  # noqa: E402
from linernotes.sources.covers import CoversRun, fetch_covers, open_web  # noqa: E402
from linernotes.sources.importer import import_paths  # noqa: E402
from linernotes.sources.providers import open_providers  # noqa: E402
from linernotes.sources.providers.enrich import Enrichment, ProviderRun  # noqa: E402
from linernotes.store import Store, open_store  # noqa: E402
from linernotes.store.status import store_status  # noqa: E402

TARGET = 5000
RATES = {
    "musicbrainz_rate": 1.0,
    "deezer_rate": 9.0,
    "reccobeats_rate": 5.0,
    "coverartarchive_rate": 1.0,
    "covers_rate": 10.0,
}


def bare_store(root: Path, tracks: int, names: bool) -> tuple[Store, list[Path]]:
    """The demo's Spotify export (no Exportify) imported into a new store."""
    layout = generate_demo(root / "export", tracks=tracks, plays=tracks * 20)
    folders = [layout.account_dir, layout.extended_dir]
    store = open_store(root / "bench.db")
    import_paths(store, folders)
    if names:  # as an export without URIs: one track per artist and title, no id
        with store.transaction() as conn:
            conn.execute(
                "UPDATE tracks SET spotify_id = NULL WHERE id IN (SELECT MIN(id) FROM tracks"
                " GROUP BY match_key, is_local HAVING COUNT(*) = 1)"
            )
    return store, folders


def enrich(
    store: Store, config: ProvidersConfig, cache: Path
) -> tuple[list[tuple[ProviderRun, float]], float]:
    """Run enrich; return each pass with the seconds from its start to its last answer,
    and the seconds of the whole run (the lookup passes run at once)."""
    started: dict[int, float] = {}
    last: dict[int, float] = {}
    runs: list[ProviderRun] = []

    def on_start(run: ProviderRun) -> None:
        runs.append(run)
        started[id(run)] = last[id(run)] = time.perf_counter()

    def on_progress(run: ProviderRun) -> None:
        last[id(run)] = time.perf_counter()

    providers = open_providers(config, cache)
    begin = time.perf_counter()
    try:
        job = Enrichment(
            store, providers, config.source_order, on_start=on_start, on_progress=on_progress
        )
        job.run()
    finally:
        for provider in providers:
            provider.close()
    whole = time.perf_counter() - begin
    return [(run, last[id(run)] - started[id(run)]) for run in runs], whole


def covers(store: Store, config: ProvidersConfig, root: Path) -> tuple[list[CoversRun], float]:
    """The covers step of enrich (Cover Art Archive lookups, then downloads); its time."""
    archive, web = open_web(config, root / "http-cache")
    begin = time.perf_counter()
    try:
        runs = fetch_covers(store, CoverCache.beside(root / "bench.db"), archive, web)
    finally:
        archive.close()
        web.close()
    return runs, time.perf_counter() - begin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracks", type=int, default=400)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--names", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the store and cache here")
    args = parser.parse_args()
    scale = args.scale
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        store, folders = bare_store(root, args.tracks, args.names)
        stack.callback(store.close)
        world = build_world(*folders)
        mb = stack.enter_context(
            serving(
                MusicBrainzFake(
                    world.catalogue, strict_rate=True, min_gap=ARRIVAL_JITTER_FLOOR / scale
                ),
                "/ws/2/",
            )
        )
        dz = stack.enter_context(
            serving(
                DeezerFake(world.catalogue, knows=world.deezer_knows, quota=(50, 5.0 / scale)),
                "/",
            )
        )
        rb = stack.enter_context(
            serving(
                ReccoBeatsFake(world.catalogue, knows=world.reccobeats_knows, rate=5.0 * scale),
                "/v1/",
            )
        )
        caa = stack.enter_context(serving(CoverArtArchiveFake(world.catalogue), "/"))
        config = ProvidersConfig(
            musicbrainz_base=mb.base_url,
            deezer_base=dz.base_url,
            reccobeats_base=rb.base_url,
            coverartarchive_base=caa.base_url,
            contact="bench@linernotes.invalid",
        )
        config = replace(config, **{k: v * scale for k, v in RATES.items()})
        tracks = store_status(store.conn).tracks
        print(
            f"{tracks} tracks ({'names only' if args.names else 'Spotify ids'}),"
            f" {len(world.known)} songs known to the fakes, clock x{scale:g}"
        )
        passes, whole = enrich(store, config, root / "http-cache")
        for run, seconds in passes:
            real = seconds * scale
            print(
                f"  {run.name:<15} {run.planned:>5} planned, {run.requests:>5} requests:"
                f" {real:7.1f} s at real rates -> {real * TARGET / tracks / 60:5.1f} min"
                f" for {TARGET:,} tracks"
            )
        cover_runs, cover_time = covers(store, config, root)
        for cover_run in cover_runs:
            print(
                f"  {cover_run.stage:<15} {cover_run.planned:>5} planned,"
                f" {cover_run.requests:>5} requests"
            )
        print(
            f"  covers step: {cover_time * scale:.1f} s at real rates ->"
            f" {cover_time * scale * TARGET / tracks / 60:.1f} min for {TARGET:,} tracks"
        )
        whole += cover_time
        total = whole * scale * TARGET / tracks
        # The least time the requests need at the published rates (lookups at once).
        rates = {"reccobeats": 5.0, "deezer": 9.0, "musicbrainz": 1.0}
        ids = sum(r.requests for r, _ in passes if r.step == "identify") / rates["reccobeats"]
        lookups = max(
            (r.requests / rates.get(r.provider, 1.0) for r, _ in passes if r.step == "lookup"),
            default=0.0,
        )
        downloads = sum(r.requests for r in cover_runs) / 10.0  # one image host
        least = (ids + lookups + downloads) * TARGET / tracks
        print(
            f"limits hit: MusicBrainz {mb.replies.count(503)} (503), Deezer"
            f" {dz.replies.count(4)} (code 4), ReccoBeats {rb.replies.count(429)} (429)"
        )
        status = store_status(store.conn)
        shares = ", ".join(f"{k} {v:.0%}" for k, v in status.coverage.shares().items())
        print(f"coverage: {shares}")
        print(
            f"enrich of {TARGET:,} tracks at the published rates: {total / 60:.1f} min"
            f" (the requests alone need {least / 60:.1f} min)"
        )


if __name__ == "__main__":
    main()
