"""Benchmark: what covers cost — time to check and resize one cover, and the atlas bytes
the demo's covers add.

usage: python bench/covers.py [--tracks N] [--plays N] [--repeat N]

Per cover: ``artwork.cover_sizes`` (decode, both sizes, JPEG encode) on a
photo-like 640 px JPEG (what Spotify's and Deezer's hosts serve), a 1200 px one
(a large Cover Art Archive thumbnail) and the demo's own art (drawing included),
medians of ``--repeat`` runs. Then the demo is built twice from one store — covers
local (copied into the atlas) and remote (linked) — and the bytes compared.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageFilter

from linernotes.artwork import CoverCache, cover_sizes
from linernotes.config import AtlasConfig, Config
from linernotes.demo import generate_demo
from linernotes.demo.artwork import draw_cover
from linernotes.pipeline import build, fill_demo_covers
from linernotes.sources.importer import import_paths
from linernotes.store import open_store


def photo(size: int) -> bytes:
    """A JPEG with a photo's entropy: blurred noise over a gradient, quality 90."""
    noise = Image.effect_noise((size, size), 40).convert("RGB")
    gradient = Image.linear_gradient("L").resize((size, size)).convert("RGB")
    image = Image.blend(noise, gradient, 0.6).filter(ImageFilter.GaussianBlur(1.2))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def tree_bytes(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracks", type=int, default=2000)
    parser.add_argument("--plays", type=int, default=80_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    print("one cover, checked and resized to 100 and 320 px (median):")
    for name, data in (("640 px photo JPEG", photo(640)), ("1200 px photo JPEG", photo(1200))):
        sizes = cover_sizes(data)
        ms = median_ms(lambda data=data: cover_sizes(data), args.repeat)
        small, large = (len(v) for v in sizes.values())
        kb = len(data) / 1024
        print(f"  {name:<20} {kb:6.0f} KB in  {ms:6.1f} ms  → {small} + {large} bytes")
    ms = median_ms(lambda: cover_sizes(draw_cover(3, "bench")), args.repeat)
    print(f"  {'demo art (drawn too)':<20} {'':>9}  {ms:6.1f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        layout = generate_demo(root / "export", tracks=args.tracks, plays=args.plays)
        with open_store(root / "db" / "library.db") as store:
            import_paths(store, list(layout.import_paths))
            albums = store.scalar("SELECT COUNT(*) FROM albums")
            started = time.perf_counter()
            fill_demo_covers(store, seed=7, tracks=args.tracks)
            filled = time.perf_counter() - started
            cache = CoverCache.beside(root / "db" / "library.db")
            cached = len(list(cache.folder.glob("*-100.jpg")))
            build(store, Config(), root / "local")
            remote = Config(atlas=AtlasConfig(covers="remote"))
            build(store, remote, root / "remote")
        print(
            f"demo ({args.tracks} tracks, {albums} albums): {cached} covers drawn and cached"
            f" in {filled:.1f} s ({filled / max(cached, 1) * 1000:.0f} ms per album)"
        )
        count, size = tree_bytes(root / "local" / "images" / "covers")
        jpgs = list((root / "local" / "images" / "covers").glob("*.jpg"))
        tiles = list((root / "local" / "images" / "covers").glob("*.svg"))
        print(
            f"  images/covers: {count} files ({len(jpgs)} JPEG, {len(tiles)} tiles),"
            f" {size / 1e6:.2f} MB"
        )
        local, remote_bytes = tree_bytes(root / "local")[1], tree_bytes(root / "remote")[1]
        print(
            f"  atlas: {local / 1e6:.1f} MB with local covers, {remote_bytes / 1e6:.1f} MB"
            f" remote: +{(local - remote_bytes) / 1e6:.2f} MB"
            f" ({(local - remote_bytes) / remote_bytes:.0%})"
        )


if __name__ == "__main__":
    main()
