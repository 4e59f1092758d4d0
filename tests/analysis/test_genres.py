from __future__ import annotations

import pytest

from linernotes.analysis.genres import genre_family, normalize_genre


@pytest.mark.parametrize(
    ("genre", "family"),
    [
        ("k-pop", "pop"),
        ("korean pop", "pop"),
        ("korean r&b", "r&b"),
        ("city pop", "pop"),
        ("indie rock", "rock"),
        ("shoegaze", "rock"),
        ("pop punk", "rock"),
        ("trap", "hip hop"),
        ("boom bap", "hip hop"),
        ("deep house", "electronic"),
        ("drum and bass", "electronic"),
        ("bebop", "jazz"),
        ("nu jazz", "jazz"),
        ("bossa nova", "jazz"),
        ("reggaeton", "latin"),
        ("indie folk", "folk"),
        ("chanson", "folk"),
        ("baroque", "classical"),
        ("neo soul", "r&b"),
        ("death metal", "metal"),
        ("vaporwave", "vaporwave"),
    ],
)
def test_family(genre: str, family: str) -> None:
    assert genre_family(genre) == family


def test_overrides_and_synonyms() -> None:
    assert genre_family("bossa nova", {"bossa nova": "latin"}) == "latin"
    assert normalize_genre("  Hip-Hop ") == "hip hop"
    assert normalize_genre("K Pop") == "k-pop"
    assert normalize_genre("chill", {"Chill": "chillout"}) == "chillout"
