"""Listening figures computed straight from export files with the plain ``json``
module, independently of linernotes, and a reader for the tables of its pages.

A play counts at its end time in the person's time zone; "minutes" are whole
minutes of the summed milliseconds; streams that agree on time, milliseconds,
artist and title are one (as in the conformance tests).
"""

from __future__ import annotations

import html
import json
import re
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tests.atlas_check import split_row


@dataclass(frozen=True)
class Play:
    end: datetime  # local time
    ms: int
    track: str  # the track URI, or "artist|title" when there is none
    title: str
    artist: str


def extended_music(files: Iterable[Path], zone: zoneinfo.ZoneInfo) -> list[Play]:
    """Music streams of extended-history files (not podcasts, audiobooks or empty rows)."""
    plays, seen = [], set()
    for path in files:
        for row in json.loads(path.read_text("utf-8")):
            if row.get("episode_name") or row.get("spotify_episode_uri"):
                continue
            if row.get("audiobook_title") or row.get("audiobook_uri"):
                continue
            title, artist = (
                row.get("master_metadata_track_name"),
                row.get("master_metadata_album_artist_name"),
            )
            if not (row.get("spotify_track_uri") or title):
                continue
            key = (row["ts"], row["ms_played"], (artist or "").casefold(), (title or "").casefold())
            if key in seen:
                continue
            seen.add(key)
            end = datetime.fromisoformat(row["ts"].replace("Z", "+00:00")).astimezone(zone)
            track = row.get("spotify_track_uri") or f"{artist}|{title}"
            plays.append(Play(end, row["ms_played"], track, title or "", artist or ""))
    return plays


def account_music(files: Iterable[Path], zone: zoneinfo.ZoneInfo) -> list[Play]:
    """Music streams of account-data files (``endTime`` is UTC, to the minute)."""
    plays, seen = [], set()
    for path in files:
        for row in json.loads(path.read_text("utf-8")):
            key = (row["endTime"], row["msPlayed"], row["artistName"].casefold(),
                   row["trackName"].casefold())  # fmt: skip
            if key in seen:
                continue
            seen.add(key)
            end = datetime.strptime(row["endTime"], "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
            track = f"{row['artistName'].casefold()}|{row['trackName'].casefold()}"
            plays.append(
                Play(
                    end.astimezone(zone),
                    row["msPlayed"],
                    track,
                    row["trackName"],
                    row["artistName"],
                )
            )
    return plays


def top_tracks(plays: Iterable[Play], year: int, n: int) -> list[tuple[str, int]]:
    """``(title, whole minutes)`` of the ``n`` tracks listened to longest in ``year``."""
    ms: dict[str, int] = defaultdict(int)
    titles: dict[str, str] = {}
    for play in plays:
        if play.end.year == year:
            ms[play.track] += play.ms
            titles[play.track] = play.title
    ranked = sorted(ms, key=lambda t: -ms[t])[:n]
    return [(titles[t], ms[t] // 60_000) for t in ranked]


def hour_cells(plays: Iterable[Play]) -> dict[tuple[int, int], int]:
    """Milliseconds per (weekday, hour) of local end time, Monday = 0."""
    cells: dict[tuple[int, int], int] = defaultdict(int)
    for play in plays:
        cells[(play.end.weekday(), play.end.hour)] += play.ms
    return cells


def first_heard(plays: Iterable[Play], artist: str) -> str:
    """The local date of the first stream of a track by ``artist``."""
    return min(p.end for p in plays if p.artist == artist).date().isoformat()


def page_title(markdown: str) -> str:
    """The page's ``# title`` (after any front matter), unescaped."""
    found = re.search(r"^# (.*)$", markdown, re.M)
    assert found, markdown[:200]
    return unescape(found.group(1))


def unescape(text: str) -> str:
    """A Markdown cell as plain text: links dropped to their text, escapes undone."""
    text = re.sub(r"\[((?:[^\]\\]|\\.)*)\]\([^)]*\)", r"\1", text)
    return html.unescape(re.sub(r"\\(.)", r"\1", text))


def table_after(markdown: str, *headings: str) -> list[list[str]]:
    """The rows (header first) of the first table after the given headings, in order."""
    lines = markdown.split("\n")
    at = 0
    for heading in headings:
        at = lines.index(heading, at) + 1
    while not lines[at].startswith("|"):
        at += 1
    rows = []
    while at < len(lines) and lines[at].startswith("|"):
        if not re.match(r"^\|(\s*:?-+:?\s*\|)+$", lines[at]):
            rows.append(split_row(lines[at]))
        at += 1
    return rows


def minutes(cell: str) -> int:
    return int(cell.replace(",", ""))
