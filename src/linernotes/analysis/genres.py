"""Genre names: normalise spellings and give each micro-genre a family."""

from __future__ import annotations

import re
from collections.abc import Mapping

BUILTIN_SYNONYMS: dict[str, str] = {
    "hiphop": "hip hop",
    "hip-hop": "hip hop",
    "rnb": "r&b",
    "r'n'b": "r&b",
    "r and b": "r&b",
    "rhythm and blues": "r&b",
    "k pop": "k-pop",
    "kpop": "k-pop",
    "j pop": "j-pop",
    "jpop": "j-pop",
    "electronica": "electronic",
    "d&b": "drum and bass",
    "dnb": "drum and bass",
    "drum & bass": "drum and bass",
    "drum n bass": "drum and bass",
    "drum'n'bass": "drum and bass",
    "r & b": "r&b",
    "rock & roll": "rock and roll",
    "rock n roll": "rock and roll",
    "rock'n'roll": "rock and roll",
    # Deezer's album genres (its own coarse taxonomy).
    "rap/hip hop": "hip hop",
    "hip hop/rap": "hip hop",
    "latin music": "latin",
    "films/games": "soundtrack",
    "soul & funk": "soul",
}
# First match wins: more specific families before "pop" and "rock".
FAMILY_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("metal", ("metal", "metalcore", "djent")),
    ("hip hop", ("hip hop", "rap", "trap", "drill", "boom bap", "grime")),
    ("r&b", ("r&b", "soul", "funk", "motown")),
    ("jazz", ("jazz", "bebop", "swing", "bossa")),
    (
        "classical",
        (
            "classical",
            "baroque",
            "opera",
            "orchestra",
            "choral",
            "romantic era",
            "chamber",
            "symphon",
            "minimalism",
        ),
    ),
    (
        "electronic",
        (
            "house",
            "techno",
            "edm",
            "electro",
            "ambient",
            "drum and bass",
            "dubstep",
            "trance",
            "idm",
            "synthwave",
            "downtempo",
            "electronic",
            "garage",
        ),
    ),
    (
        "latin",
        (
            "reggaeton",
            "latin",
            "cumbia",
            "salsa",
            "bachata",
            "samba",
            "tango",
            "mpb",
            "urbano",
            "corrido",
        ),
    ),
    ("folk", ("folk", "singer-songwriter", "chanson", "americana", "acoustic")),
    ("country", ("country", "bluegrass")),
    ("reggae", ("reggae", "dancehall", "ska", "dub")),
    ("blues", ("blues",)),
    ("rock", ("rock", "punk", "shoegaze", "grunge", "emo", "new wave", "indie", "alternative")),
    ("pop", ("pop", "idol", "schlager", "disco")),
)


def normalize_genre(name: str, synonyms: Mapping[str, str] | None = None) -> str:
    """Return the canonical spelling of a genre (lower case, synonyms applied)."""
    key = re.sub(r"\s+", " ", name.strip().casefold())
    table = {
        **BUILTIN_SYNONYMS,
        **{k.casefold(): v.casefold() for k, v in (synonyms or {}).items()},
    }
    return table.get(key, key)


def genre_family(genre: str, families: Mapping[str, str] | None = None) -> str:
    """Return the family of a (normalised) genre: "korean pop" → "pop"."""
    overrides = {k.casefold(): v.casefold() for k, v in (families or {}).items()}
    if genre in overrides:
        return overrides[genre]
    padded = f" {genre.replace('-', ' ')} "
    for family, keywords in FAMILY_KEYWORDS:
        for keyword in keywords:
            if f" {keyword}" in padded or genre == keyword:
                return family
    return genre
