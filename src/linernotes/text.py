"""Text helpers shared by every layer: NFC, mojibake repair, match keys, scripts."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import ftfy

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w]+")
_FEAT = re.compile(r"\s*[\(\[]\s*(feat\.?|ft\.?|with)\s[^\)\]]*[\)\]]", re.IGNORECASE)
# ftfy's default fixes, minus the ones that change correct text (quotes, ligatures, width).
_FTFY = ftfy.TextFixerConfig(
    uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False, explain=False
)


def clean_text(value: str | None) -> str:
    """Return ``value`` repaired (mojibake), NFC-normalised and stripped; '' for None."""
    if not value:
        return ""
    if value.isascii():
        return value.strip()
    return _clean_unicode(value)


@lru_cache(maxsize=131072)
def _clean_unicode(value: str) -> str:
    return unicodedata.normalize("NFC", ftfy.fix_text(value, _FTFY)).strip()


def clean_optional(value: str | None) -> str | None:
    """Like :func:`clean_text` but keep ``None`` (and empty) as ``None``."""
    cleaned = clean_text(value)
    return cleaned or None


@lru_cache(maxsize=65536)
def name_key(value: str) -> str:
    """Return a loose comparison key: case-folded, accents kept, punctuation collapsed."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    return _PUNCT.sub(" ", folded).strip()


_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "´": "'",
        "`": "'",
        "“": '"',
        "”": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
    }
)


def _song_key(value: str) -> str:
    """Case, width, curly quotes, dashes and spacing folded; other punctuation kept
    ("In the Flesh?" and "In the Flesh" are two songs on The Wall)."""
    folded = unicodedata.normalize("NFKC", value).casefold().translate(_QUOTES)
    return _SPACES.sub(" ", folded).strip()


@lru_cache(maxsize=65536)
def match_key(artist: str, title: str) -> str:
    """Return the key that identifies a song without URI: artist + title, with
    "(feat. …)" / "(with …)" dropped."""
    return f"{_song_key(artist)}\x1f{_song_key(_FEAT.sub('', title))}"


def fold_whitespace(value: str) -> str:
    """Collapse every run of whitespace (newlines included) to one space."""
    return _SPACES.sub(" ", value).strip()


_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0400, 0x04FF, "cyrillic"),
    (0x0370, 0x03FF, "greek"),
    (0x1100, 0x11FF, "hangul"),
    (0x3130, 0x318F, "hangul"),
    (0xAC00, 0xD7AF, "hangul"),
    (0x3040, 0x30FF, "kana"),
    (0x4E00, 0x9FFF, "han"),
    (0x0E00, 0x0E7F, "thai"),
    (0x0900, 0x097F, "devanagari"),
)


def dominant_script(value: str) -> str:
    """Return the writing system of most letters in ``value`` (``latin`` when none)."""
    counts: dict[str, int] = {}
    for char in value:
        if not char.isalpha():
            continue
        code = ord(char)
        script = "latin" if code < 0x0250 else "other"
        for low, high, name in _SCRIPT_RANGES:
            if low <= code <= high:
                script = name
                break
        counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "latin"
    # Kana mixed with Han is Japanese: count it as kana.
    if counts.get("kana") and counts.get("han"):
        counts["kana"] += counts.pop("han")
    return max(sorted(counts), key=lambda s: counts[s])


@lru_cache(maxsize=131072)
def sort_key(value: str) -> tuple[str, str]:
    """Return the key that orders names as a reader expects: case and accents
    ignored first ("chill" beside "CHILL", "Über" among the u's), then the
    exact text, so the order is total and stable."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare, value
