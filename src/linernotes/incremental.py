"""What a build takes from the builds before it.

Three layers, each keyed by exactly its inputs:

* the whole atlas: its key (``atlas_key``) names the program, every setting,
  the time zone, the store's content (``store.fingerprint``), the slugs, the
  cluster memberships of the last build and the covers in the cover cache;
  when it equals the key in the previous atlas's manifest, that atlas stays
  as it is (when files were added to it, its own files are linked into a
  staging folder and published): no analysis, no page (``reuse_atlas``);
* clusterings, kept beside the store (``caches.load_clusters``, see
  ``analysis.cluster_cache``) under a key of their feature matrix;
* HTML twins, PNG charts and covers, linked from the previous atlas when the key of
  their inputs is unchanged (``render.reuse``).

The facts of the plays are cached beside the store too
(``caches.history_facts``). This module imports no analysis: the CLI checks
the whole atlas before loading numpy, scikit-learn and matplotlib.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import msgspec

from linernotes.artwork import CoverCache
from linernotes.config import Config
from linernotes.model import ClusterMember, SlugRow
from linernotes.program import program_digest
from linernotes.render.publish import (
    MARKER,
    check_target,
    publish,
    remove_leftovers,
    resolve_target,
    staging_dir,
)
from linernotes.render.reuse import Manifest, atlas_files, link_whole, read_manifest
from linernotes.store import Store
from linernotes.store.clusters import read_cluster_members
from linernotes.store.fingerprint import content_fingerprint
from linernotes.store.slugs import read_slugs

log = logging.getLogger(__name__)

Slugs = dict[str, dict[str, str]]


def store_key(store: Store, config: Config) -> str:
    """The key of everything a build reads but the slugs: program, settings, time
    zone, the store's content and the covers in its cover cache."""
    h = hashlib.sha256(program_digest().encode())
    h.update(msgspec.json.encode(config, enc_hook=str))
    h.update(config.listening.zone().key.encode())
    h.update(content_fingerprint(store.conn).encode())
    if store.path is not None:
        h.update(_listing(CoverCache.beside(store.path).folder).encode())
    return h.hexdigest()


def atlas_key(store_part: str, slugs: Slugs, members: Iterable[ClusterMember]) -> str:
    """The key of a whole atlas: ``store_key``, the slugs its pages use and the
    cluster memberships its numbers followed (both as the store holds them once
    the build is published: the next build reads them)."""
    h = hashlib.sha256(store_part.encode())
    for kind in sorted(slugs):
        for key, slug in sorted(slugs[kind].items()):
            h.update(f"{kind}\x1f{key}\x1f{slug}\x1e".encode())
    rows = sorted((m.page_kind, m.page_key, m.track_id, m.number) for m in members)
    h.update(msgspec.json.encode(rows))
    return h.hexdigest()


def stored_members(store: Store) -> list[ClusterMember]:
    """The cluster memberships the store holds (those of the last published build)."""
    return [
        ClusterMember(kind, key, track, number)
        for (kind, key), numbers in read_cluster_members(store.conn).items()
        for track, number in numbers.items()
    ]


def with_new_slugs(known: Slugs, new: list[SlugRow]) -> Slugs:
    """The slugs the store holds once ``new`` is saved (an entity keeps its first slug)."""
    merged = {kind: dict(slugs) for kind, slugs in known.items()}
    for row in new:
        merged.setdefault(row.kind, {}).setdefault(row.entity_key, row.slug)
    return merged


def republish(store: Store, config: Config, out: Path) -> Manifest | None:
    """Publish the atlas in ``out`` again when nothing it was built from changed and
    return its manifest; None when it must be built (nothing was done)."""
    check_target(out)
    return reuse_if_unchanged(store, config, out)[1]


def reuse_if_unchanged(
    store: Store, config: Config, out: Path, *, cold: bool = False
) -> tuple[str, Manifest | None]:
    """``store_key`` of this build, and the manifest of the atlas in ``out`` when it
    was built from exactly these inputs and has been published again (else None,
    always when ``cold``)."""
    store_part = store_key(store, config)
    previous = resolve_target(out)
    manifest = None if cold else read_manifest(previous)
    key = atlas_key(store_part, read_slugs(store.conn), stored_members(store))
    if manifest is None or manifest.key != key:
        return store_part, None
    return store_part, manifest if reuse_atlas(previous, manifest, out) else None


def reuse_atlas(previous: Path, manifest: Manifest, out: Path) -> bool:
    """Keep the atlas in ``previous`` (the published ``out``) when it holds exactly
    the files of its manifest; when some were added, publish its own files again,
    linked; False (nothing changed) when a file of it has gone."""
    if (previous / MARKER).is_file() and atlas_files(previous) == manifest.files:
        remove_leftovers(out)
        return True  # already published: nothing to write
    staging = staging_dir(out)
    try:
        if not link_whole(previous, manifest, staging):
            log.info("%s: a file of the previous atlas is missing; building anew", previous)
            shutil.rmtree(staging, ignore_errors=True)
            return False
        publish(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return True


def _listing(folder: Path) -> str:
    """Name, size and time of every file in ``folder`` ("" when there is none)."""
    try:
        with os.scandir(folder) as entries:
            found = [(e.name, e.stat()) for e in entries if e.is_file()]
    except FileNotFoundError:
        return ""
    return "\n".join(f"{n}\t{s.st_size}\t{s.st_mtime_ns}" for n, s in sorted(found))
