"""Is a search result the track? Only a strong match is.

A track known only by its names is searched for by artist and title; a result
(a :class:`Candidate`) is taken for it only when

* its title agrees with the track's: folded as the importer folds names
  ("(feat. …)", case, width, curly quotes, dashes), then without the parts in
  brackets or after " - " (a remaster note, "From the film …"): the cores must
  be equal, and where both titles carry such a part, the parts must say the
  same beyond words that name the same recording (remaster, year, version…);
* no word that names another recording (live, karaoke, remix, instrumental,
  "originally performed by"…) appears in the extra parts of one title and not
  in the other's, nor in one artist name (a karaoke band) and not in the
  other's; and both are live recordings (by their title or album) or neither —
  of the same concert, where both albums are known: the same album, or titles
  that name the same concert ("Burn - Live In NYC") with theirs on an album that
  is not live itself (a deluxe edition, a best-of);
* the track's first artist is among its artists;
* where both durations are known, they differ by at most 3 seconds.

The best candidate by :func:`score` wins, the service's order breaking ties.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from linernotes.store.enrichment import TrackQuery
from linernotes.text import match_key, name_key

TOLERANCE_MS = 3000
# Words that make a result another recording of the song, or no recording of it.
_MARKERS = re.compile(
    r"\b(live|en vivo|ao vivo|karaoke|remix(?:ed)?|instrumental|acoustic|unplugged|cover"
    r"|tribute|originally performed|in the style of|made famous|re-?recorded|sped up"
    r"|slowed|a ?cappella|acapella|demo|reprise|lullaby|8-?bit|orchestral|piano version"
    r"|club mix|extended mix|radio mix|dub mix|mashup|medley|nightcore|alternate|alt take"
    r"|outtake|rehearsal|early version|rough mix|take \d+)\b"
)
# Words of a bracketed or " - " part that still name the same recording.
# fmt: off
_NEUTRAL = frozenset((
    "remaster", "remastered", "remasterizado", "digital", "digitally", "version", "single",
    "album", "radio", "edit", "mono", "stereo", "original", "explicit", "clean", "deluxe",
    "edition", "bonus", "track", "from", "the", "a", "of", "soundtrack", "motion", "picture",
    "mix",
))
# fmt: on
# Words of a live part that do not say which concert ("Live", "Live at", "Recorded in").
_LIVE_WORDS = frozenset(("live", "at", "in", "on", "recorded", "en", "vivo", "ao"))
_BRACKETS = re.compile(r"(?<=\S)\s*[(\[][^)\]]*[)\]]")
_DASH_PART = re.compile(r"\s+-\s+(.*)$")
_UNBRACKETED_FEAT = re.compile(r"\s+(?:feat\.?|ft\.?|featuring)\s.*$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_ARTIST_SPLIT = re.compile(r"\s*(?:,|&|\bfeat\.?|\bft\.?|\bx\b|\band\b|\bwith\b)\s*")


@dataclass(frozen=True)
class Candidate:
    """A search result: the service's id and what it says of the recording."""

    external_id: str
    title: str
    artists: tuple[str, ...]
    album: str = ""
    duration_ms: int | None = None
    isrc: str | None = None


@dataclass(frozen=True)
class Title:
    """A title split for comparison: its core, the words of its extra parts (those
    that do not name the same recording) and the markers among them ("live"…)."""

    core: str
    extra: frozenset[str]
    markers: frozenset[str]


def split_title(title: str) -> Title:
    """Fold ``title`` the importer's way and split off its bracketed and " - " parts."""
    folded = match_key("", title).split("\x1f", 1)[1]
    folded = _UNBRACKETED_FEAT.sub("", folded)
    parts = [m.group(0) for m in _BRACKETS.finditer(folded)]
    core = _BRACKETS.sub("", folded)
    dash = _DASH_PART.search(core)
    if dash:
        parts.append(dash.group(1))
        core = core[: dash.start()]
    words = {w for part in parts for w in name_key(part).split()}
    extra = frozenset(w for w in words if w not in _NEUTRAL and not _YEAR.match(w))
    return Title(name_key(core) or name_key(folded), extra, markers_in(" ".join(parts)))


def markers_in(text: str) -> frozenset[str]:
    """The words of ``text`` that name another recording ("live", "karaoke"…)."""
    return frozenset(m.group(1).replace("-", "") for m in _MARKERS.finditer(text.casefold()))


def artist_key(name: str) -> str:
    """An artist's comparison key: folded, without a leading "the"."""
    key = name_key(name)
    return key[4:] if key.startswith("the ") else key


def _artist_keys(names: Sequence[str]) -> set[str]:
    keys = {artist_key(n) for n in names}
    for name in names:
        keys.update(artist_key(part) for part in _ARTIST_SPLIT.split(name.casefold()) if part)
    return keys - {""}


def score(track: TrackQuery, candidate: Candidate) -> float | None:
    """How well ``candidate`` matches ``track`` (0.6–1.0), or None when it is not the
    track: 0.6 for title and artist, 0.2 more when the whole titles agree, 0.1 when
    the albums agree, 0.1 scaled by how close the durations are."""
    if not track.artists or not candidate.artists:
        return None
    ours, theirs = split_title(track.name), split_title(candidate.title)
    if ours.core != theirs.core:
        return None
    if ours.extra and theirs.extra and ours.extra != theirs.extra:
        return None
    if ours.markers != theirs.markers:
        return None  # "Song (Live at …)", "Song - Club Remix" for "Song"
    our_live = "live" in ours.markers | markers_in(track.album_name or "")
    if our_live != ("live" in theirs.markers | markers_in(candidate.album)):
        return None  # the song on a live album (the track's album unknown: not live)
    same_album = split_title(track.album_name or "").core == split_title(candidate.album).core
    other_album = bool(track.album_name and candidate.album and not same_album)
    if our_live and other_album and not _same_concert_by_title(ours, theirs, candidate.album):
        return None  # another concert
    our_names = markers_in(" ".join(a.name for a in track.artists))
    if our_names != markers_in(" ".join(candidate.artists)):
        return None  # "Karaoke Hits Band"
    if artist_key(track.artists[0].name) not in _artist_keys(candidate.artists):
        return None
    total = 0.6 + (0.2 if ours.extra == theirs.extra else 0.0)
    if track.album_name and candidate.album:
        total += 0.1 if same_album else 0.0
    if track.duration_ms and candidate.duration_ms:
        gap = abs(track.duration_ms - candidate.duration_ms)
        if gap > TOLERANCE_MS:
            return None
        total += 0.1 * (1 - gap / TOLERANCE_MS)
    return round(total, 3)


def _same_concert_by_title(ours: Title, theirs: Title, their_album: str) -> bool:
    """Both titles name the same concert ("Burn - Live In NYC"), and their album is no
    live album of its own: the recording on another release (a deluxe edition, a
    best-of), not the song at another concert."""
    named = ours.extra - _LIVE_WORDS
    return bool(named) and ours.extra == theirs.extra and "live" not in markers_in(their_album)


def best_match(
    track: TrackQuery, candidates: Sequence[Candidate]
) -> tuple[Candidate, float] | None:
    """The best-scoring strong match among ``candidates`` (the first of equals), or None."""
    best: tuple[Candidate, float] | None = None
    for candidate in candidates:
        found = score(track, candidate)
        if found is not None and (best is None or found > best[1]):
            best = (candidate, found)
    return best


def search_title(title: str) -> str:
    """The title to search for: without "(feat. …)" and without bracketed or " - "
    parts, which services spell in many ways (the match compares them after)."""
    plain = _UNBRACKETED_FEAT.sub("", _BRACKETS.sub("", title))
    plain = _DASH_PART.sub("", plain)
    plain = re.sub(r"\s*[(\[]\s*(?:feat\.?|ft\.?|with)\s[^)\]]*[)\]]", "", plain, flags=re.I)
    return plain.strip() or title.strip()
