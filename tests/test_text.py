from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linernotes.text import clean_text, dominant_script, match_key, sort_key


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("BeyoncÃ©", "Beyoncé"),
        ("Ã‰dith Piaf", "Édith Piaf"),
        ("ðŸ’š liked", "💚 liked"),
        ("Sigur RÃ³s", "Sigur Rós"),
    ],
    ids=["e-acute", "capital-e", "emoji", "o-acute"],
)
def test_mojibake_is_repaired(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    "correct",
    [
        "São Paulo",
        "Ærøskøbing",
        "방탄소년단",
        "יום שישי",
        "“Quoted”",
        "ﬁne ligature",
        "ＡＢＣ",
        "Motörhead",
        "Ça va",
        "naïve café",
    ],
)
def test_correct_text_is_untouched(correct: str) -> None:
    assert clean_text(correct) == unicodedata.normalize("NFC", correct)


def test_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Café Noir")
    assert clean_text(decomposed) == "Café Noir"


# Control characters excluded: ftfy reads C1 controls as mojibake, and a repair of
# a repair may differ; names never hold them.
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=50))
def test_clean_text_is_nfc_and_idempotent(value: str) -> None:
    once = clean_text(value)
    assert unicodedata.normalize("NFC", once) == once
    assert clean_text(once) == once


def test_match_key_folds_case_quotes_dashes_and_features() -> None:
    assert match_key("The Beatles", "Let It Be") == match_key("the beatles", "LET  IT BE")
    assert match_key("Ana", "Don’t Stop – Live") == match_key("ana", "Don't Stop - Live")
    assert match_key("Ana", "Song (feat. Bo)") == match_key("Ana", "Song")
    assert match_key("Nova", "Song") != match_key("Nova", "Other Song")
    # Other punctuation makes another song: both are on Pink Floyd's The Wall.
    assert match_key("Pink Floyd", "In the Flesh?") != match_key("Pink Floyd", "In the Flesh")


@pytest.mark.parametrize(
    ("title", "script"),
    [
        ("봄날", "hangul"),
        ("夜に駆ける", "kana"),
        ("月亮代表我的心", "han"),
        ("שיר", "hebrew"),
        ("Été", "latin"),
        ("123 !!", "latin"),
    ],
)
def test_dominant_script(title: str, script: str) -> None:
    assert dominant_script(title) == script


def test_sort_key_orders_names_as_a_reader_expects() -> None:
    names = ["Valentines day tunes", "church songs", "CON", "Commute", "Chill", "CHILL", "Über"]
    names += ["Uber", "zebra"]
    assert sorted(names, key=sort_key) == [
        "CHILL", "Chill", "church songs", "Commute", "CON",
        "Uber", "Über", "Valentines day tunes", "zebra",
    ]  # fmt: skip
