"""The demo's ground truth (``demo-truth.json``): the style and sub-style behind every
track, and each playlist's styles.

Tests and ``bench/demo.py`` score the clustering against it (adjusted Rand
index: playlist pages against styles, genre pages against sub-styles); nothing
in the program reads it.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import numpy as np

from linernotes.demo.catalogue import Catalogue
from linernotes.demo.persona import Persona
from linernotes.demo.styles import FEATURES, STYLES
from linernotes.demo.substyles import SUB_STYLES


def truth_document(cat: Catalogue, person: Persona, seed: int) -> dict[str, object]:
    """Return the ground truth: styles and sub-styles, the style and sub-style of every
    track, each playlist's styles."""
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
        "sub_styles": [
            {
                "id": sub.id,
                "name": sub.name,
                "style": STYLES[sub.style].id,
                "genres": list(sub.genres),
                "era": list(sub.era),
                "features": dict(
                    zip(
                        FEATURES,
                        np.add(STYLES[sub.style].features, sub.offsets()).round(3).tolist(),
                        strict=True,
                    )
                ),
            }
            for sub in SUB_STYLES
        ],
        "track_style": {t.id: STYLES[cat.track_style(i)].id for i, t in enumerate(cat.tracks)},
        "track_sub_style": {
            t.id: SUB_STYLES[cat.track_sub_style(i)].id for i, t in enumerate(cat.tracks)
        },
        "playlists": [
            {
                "name": p.name,
                "styles": [STYLES[s].id for s in p.styles],
                "track_ids": [cat.tracks[i.ref].id for i in p.items if i.kind == "track"],
            }
            for p in person.playlists
        ],
    }


def write_truth(path: Path, cat: Catalogue, person: Persona, seed: int) -> None:
    """Write ``demo-truth.json`` (indented, UTF-8)."""
    encoded = msgspec.json.encode(truth_document(cat, person, seed))
    path.write_bytes(msgspec.json.format(encoded, indent=2))
