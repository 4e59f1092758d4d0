"""Name search: only a strong match identifies a track (live, karaoke, covers, remixes,
the same title by another artist and durations 3 s apart are no matches)."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from linernotes.sources.providers import deezer, musicbrainz
from linernotes.sources.providers.matching import (
    Candidate,
    best_match,
    score,
    search_title,
    split_title,
)
from linernotes.sources.providers.musicbrainz_shapes import SearchAnswer
from linernotes.store.enrichment import ArtistQuery, TrackQuery


def _track(
    title: str, artist: str = "Fleetwood Mac", album: str | None = None, ms: int | None = None
) -> TrackQuery:
    return TrackQuery(1, title, None, None, None, album, ms, (ArtistQuery(1, artist),))


def _candidate(
    title: str, artist: str = "Fleetwood Mac", album: str = "", ms: int | None = None
) -> Candidate:
    return Candidate("x", title, (artist,), album, ms)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("Dreams - 2004 Remaster", "Dreams (Remastered 2004)"),
        ("Dreams", "DREAMS"),
        ("Don't Stop", "Don’t Stop"),
        ("Little Lies (feat. Someone)", "Little Lies"),
        ("Little Lies", "Little Lies [feat. Someone]"),
        ("Hold Me - feat. Someone", "Hold Me"),
        ("Songbird – Live", "Songbird (Live)"),
        ("Life is a Highway - From “Cars”/Soundtrack Version", "Life Is a Highway"),
    ],
)
def test_the_same_recording_spelled_otherwise_matches(ours: str, theirs: str) -> None:
    assert score(_track(ours), _candidate(theirs)) is not None


@pytest.mark.parametrize(
    ("theirs", "artist", "album"),
    [
        ("Dreams (Live at the Palace)", "Fleetwood Mac", ""),
        ("Dreams - Live", "Fleetwood Mac", ""),
        ("Dreams", "Fleetwood Mac", "Live in Berlin"),
        ("Dreams (Karaoke Version)", "Fleetwood Mac", ""),
        ("Dreams (Originally Performed by Fleetwood Mac)", "Karaoke Hits Band", ""),
        ("Dreams", "Karaoke Hits Band", ""),
        ("Dreams - Club Remix", "Fleetwood Mac", ""),
        ("Dreams (Instrumental)", "Fleetwood Mac", ""),
        ("Dreams - Alternate Take", "Fleetwood Mac", ""),
        ("Dreams (Take 2)", "Fleetwood Mac", ""),
        ("Dreams", "The Cranberries", ""),
        ("Dreams, Part 2", "Fleetwood Mac", ""),
        ("Dream", "Fleetwood Mac", ""),
    ],
)
def test_other_recordings_and_other_songs_do_not_match(
    theirs: str, artist: str, album: str
) -> None:
    assert score(_track("Dreams", album="Rumours"), _candidate(theirs, artist, album)) is None


def test_a_live_recording_matches_only_the_same_concert() -> None:
    ours = _track("Springtime", "John Fahey", "Live at The Matrix 1968")
    assert score(ours, _candidate("Springtime", "John Fahey", "Live in Berlin")) is None
    assert score(ours, _candidate("Springtime", "John Fahey", "Live at the Matrix 1968"))
    assert score(ours, _candidate("Springtime", "John Fahey", "The Yellow Princess")) is None


def test_a_live_recording_named_by_its_title_matches_on_another_release() -> None:
    # The live bonus track of a deluxe edition, found on a best-of.
    ours = _track("Burn - Live In NYC", "Norah Jones", "Day Breaks")
    assert score(ours, _candidate("Burn (Live in NYC)", "Norah Jones", "The Best of Norah Jones"))
    # The same title on a live album of another name, another concert, a bare "Live".
    assert score(ours, _candidate("Burn - Live In NYC", "Norah Jones", "Live in Berlin")) is None
    assert score(ours, _candidate("Burn - Live at the Palace", "Norah Jones", "Hits")) is None
    bare = _track("Burn - Live", "Norah Jones", "Day Breaks")
    assert score(bare, _candidate("Burn - Live", "Norah Jones", "The Best of Norah Jones")) is None


def test_parts_of_a_work_and_durations_tell_recordings_apart() -> None:
    assert score(_track("Suite - Part 1"), _candidate("Suite - Part 2")) is None
    ours = _track("Dreams", ms=257_000)
    assert score(ours, _candidate("Dreams", ms=259_900)) is not None
    assert score(ours, _candidate("Dreams", ms=260_500)) is None  # 3.5 s apart
    assert score(_track("Dreams"), _candidate("Dreams", ms=260_500)) is not None  # ours unknown


def test_the_best_candidate_wins_and_a_word_in_the_core_is_no_marker() -> None:
    ours = _track("Live Forever", "Oasis", "Definitely Maybe", 276_000)
    candidates = [
        _candidate("Live Forever (Live at Knebworth)", "Oasis", "Knebworth 1996", 290_000),
        _candidate("Live Forever", "Oasis", "Time Flies", 276_500),
        _candidate("Live Forever - Remastered", "Oasis", "Definitely Maybe", 276_200),
    ]
    found = best_match(ours, candidates)
    assert found is not None and found[0] is candidates[2] and found[1] >= 0.95
    assert split_title("Live Forever").markers == frozenset()


def test_what_is_searched_for() -> None:
    assert search_title("Dreams - 2004 Remaster") == "Dreams"
    assert search_title("Little Lies (feat. Someone)") == "Little Lies"
    assert search_title("(I Can't Get No) Satisfaction") == "(I Can't Get No) Satisfaction"
    track = _track('Say "Yes"', "Elliott Smith", "Either/Or")
    assert list(deezer.search_queries(track)) == [
        'artist:"Elliott Smith" track:"Say Yes" album:"Either/Or"',
        'artist:"Elliott Smith" track:"Say Yes"',
    ]
    assert musicbrainz.search_queries(track) == [
        'recording:"Say \\"Yes\\"" AND artist:"Elliott Smith"'
    ]


def test_a_real_musicbrainz_search_answer(realdata: Path) -> None:
    """RevsRev's saved search for Fleetwood Mac: live versions, a spelling of another
    song, two recordings of one title told apart by their length."""
    path = realdata / "providers/musicbrainz/RevsRev__musicbrainzws2/search_recording.json"
    body = path.read_bytes()
    rows = json.loads(body)["recordings"]
    found = msgspec.json.decode(body, type=SearchAnswer).recordings
    assert [r.id for r in found] == [r["id"] for r in rows]
    candidates = [musicbrainz.candidate(r, None) for r in found]

    def match(title: str, ms: int | None = None) -> str | None:
        best = best_match(_track(title, ms=ms), candidates)
        return best[0].external_id if best else None

    by_title = {(r["title"], r.get("length")): r["id"] for r in rows}
    # Every "Jumpin' at Shadows" listed is live (by its title, or on "Greatest Hits
    # Live"); "Jumping at Shadows" is spelled otherwise.
    assert match("Jumpin' at Shadows") is None
    assert match("Rattlesnake Shake") is None
    manalishi = [r for r in rows if r["title"] == "The Green Manalishi"]
    assert len(manalishi) == 2
    for recording in manalishi:
        assert match("The Green Manalishi", recording["length"]) == recording["id"]
    assert match("I Can't Hold Out") == by_title[("I Can’t Hold Out", 205000)]
    # Credited as "Fleetwood", the artist is Fleetwood Mac.
    assert match("Come Softly To Me") == by_title[("Come softly to me", 145826)]
