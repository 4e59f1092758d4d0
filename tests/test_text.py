from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linernotes.text import (
    NAME_LIMIT,
    clean_text,
    dominant_script,
    for_terminal,
    match_key,
    sort_key,
    strip_controls,
)


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


# -- issue 10, class 8: control characters never enter the store, nor reach a terminal -----


@given(st.text(max_size=80))
def test_clean_text_leaves_no_control_character(value: str) -> None:
    cleaned = clean_text(value)
    assert not any(unicodedata.category(c) == "Cc" for c in cleaned)
    assert "\u2028" not in cleaned and "\u2029" not in cleaned
    assert clean_text(cleaned) == cleaned


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("title\x1b]0;pwned\x07 rest", "title]0;pwned rest"),
        ("clear\x1b[2J screen", "clear screen"),  # ftfy drops a whole ANSI sequence
        ("nul\x00 del\x7f", "nul del"),
        ("two\nlines\r\nand\ttab", "two lines and tab"),
        ("para\u2028graph", "para graph"),
        ("Ã\x89dith Piaf", "Édith Piaf"),  # a C1 byte of mojibake is repaired, not dropped
    ],
)
def test_control_characters_are_stripped(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_for_terminal_shows_controls_as_escapes() -> None:
    shown = for_terminal("a\x1b]0;x\x07b\nc\u202ed")
    assert shown == "a\\x1b]0;x\\x07b\\x0ac\\u202ed"
    assert shown.isprintable()


def test_file_names_keep_everything_but_controls() -> None:
    assert strip_controls("Café\x1b[2J.csv") == "Café[2J.csv"
    assert strip_controls("plain.json") == "plain.json"


# -- issue 10, class 15: names are cut at a sane length ------------------------------------


def test_a_huge_name_is_cut_with_an_ellipsis() -> None:
    cut = clean_text("x" * 50_000_000)
    assert len(cut) == NAME_LIMIT and cut.endswith("…")
    assert clean_text("é" * 600) == "é" * (NAME_LIMIT - 1) + "…"
    # a letter is not parted from its accent
    combining = unicodedata.normalize("NFD", "e\u0301") * 600
    assert not unicodedata.combining(clean_text(combining)[-2])


def test_a_name_at_the_limit_is_kept_whole() -> None:
    assert clean_text("y" * NAME_LIMIT) == "y" * NAME_LIMIT
