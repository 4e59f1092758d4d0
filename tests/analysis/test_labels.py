from __future__ import annotations

import pytest

from linernotes.analysis.labels import LabelFolder, label_key, split_label


@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        ("Generation Now/Atlantic", ["Generation Now", "Atlantic"]),
        ("Rhino / Warner Records", ["Rhino", "Warner Records"]),
        ("Moonhill Records, Kestrel Sound", ["Moonhill Records", "Kestrel Sound"]),
        ("Sony Music Entertainment, Inc.", ["Sony Music Entertainment, Inc."]),
        ("Universal Music Spain S.L.", ["Universal Music Spain S.L."]),
        ("", []),
    ],
    ids=["slash", "spaced-slash", "comma", "company-suffix", "dotted-suffix", "empty"],
)
def test_split_label(raw: str, parts: list[str]) -> None:
    assert split_label(raw) == parts


def test_alias_spellings_fold_into_the_most_used_one() -> None:
    raw = [
        "Moonhill Records",
        "Moonhill Records",
        "MOONHILL RECORDS",
        "Moonhill Rec.",
        "Moonhill Records LLC",
        "Kestrel Sound",
    ]
    folder = LabelFolder(raw)
    assert {folder.fold(r)[0] for r in raw[:5]} == {"Moonhill Records"}
    assert folder.aliases_of("Moonhill Records") == [
        "MOONHILL RECORDS",
        "Moonhill Rec.",
        "Moonhill Records LLC",
    ]
    assert folder.fold("Kestrel Sound") == ["Kestrel Sound"]


def test_builtin_and_user_aliases() -> None:
    folder = LabelFolder(
        ["Universal Records", "Universal Music LLC", "Tiny Label"], {"Tiny Label": "Big Label"}
    )
    assert folder.fold("Universal Records") == ["Universal Music"]
    assert folder.fold("Universal Music LLC") == ["Universal Music"]
    assert folder.fold("Tiny Label") == ["Big Label"]


def test_label_key_keeps_a_one_word_name() -> None:
    assert label_key("Records") == "records"
    assert label_key("Ninja Tune Ltd.") == "ninja tune"
