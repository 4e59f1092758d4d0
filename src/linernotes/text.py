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


# Names longer than this are cut (with an ellipsis) where they enter the store: a
# real title is under 200 characters; a 50 MB one only bloats every page it is on.
NAME_LIMIT = 500
# C0 and C1 controls and DEL: never part of a name (a crafted one sets a terminal's
# title or clears its screen). Line and paragraph breaks become spaces.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]+")
_BREAKS = re.compile(r"[\t\n\x0b\x0c\r\x1c-\x1e\x85\u2028\u2029]+")


def clean_text(value: str | None, limit: int = NAME_LIMIT) -> str:
    """Return ``value`` repaired (mojibake), NFC-normalised, without control
    characters (breaks become spaces), stripped and cut to ``limit`` characters
    (the last one an ellipsis); '' for None."""
    if not value:
        return ""
    value = value[: limit * 4 + 64]  # bounded work, whatever comes in
    if value.isascii() and value.isprintable():
        text = value.strip()
    elif len(value) <= _CACHED_LENGTH:
        text = _clean_cached(value)
    else:
        text = _clean_unicode(value)
    return text if len(text) <= limit else _cut(text, limit)


# The caches below keep what names repeat (a history names the same few thousand
# songs): only short values, so that a file of long distinct names cannot fill
# memory with them.
_CACHED_LENGTH = 200


def _clean_unicode(value: str) -> str:
    # ftfy first: it reads C1 controls as the mojibake they usually are ("Ã\x89" is "É").
    text = unicodedata.normalize("NFC", ftfy.fix_text(value, _FTFY))
    return _CONTROLS.sub("", _BREAKS.sub(" ", text)).strip()


_clean_cached = lru_cache(maxsize=131072)(_clean_unicode)


def _cut(text: str, limit: int) -> str:
    """The first ``limit - 1`` characters and an ellipsis, not splitting a letter
    from its combining marks."""
    head = text[: limit - 1]
    while head and unicodedata.combining(head[-1]):
        head = head[:-1]
    return head.rstrip() + "…"


def strip_controls(value: str) -> str:
    """Return ``value`` without control characters (breaks become spaces), nothing
    else changed: for file names, which must stay recognisable."""
    if value.isprintable():
        return value
    return _CONTROLS.sub("", _BREAKS.sub(" ", value))


def clean_optional(value: str | None) -> str | None:
    """Like :func:`clean_text` but keep ``None`` (and empty) as ``None``."""
    cleaned = clean_text(value)
    return cleaned or None


def name_key(value: str) -> str:
    """Return a loose comparison key: case-folded, accents kept, punctuation collapsed."""
    return _name_key_cached(value) if len(value) <= _CACHED_LENGTH else _name_key(value)


def _name_key(value: str) -> str:
    folded = unicodedata.normalize("NFKC", value).casefold()
    return _PUNCT.sub(" ", folded).strip()


_name_key_cached = lru_cache(maxsize=65536)(_name_key)


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


def match_key(artist: str, title: str) -> str:
    """Return the key that identifies a song without URI: artist + title, with
    "(feat. …)" / "(with …)" dropped."""
    if len(artist) + len(title) <= _CACHED_LENGTH:
        return _match_key_cached(artist, title)
    return _match_key(artist, title)


def _match_key(artist: str, title: str) -> str:
    return f"{_song_key(artist)}\x1f{_song_key(_FEAT.sub('', title))}"


_match_key_cached = lru_cache(maxsize=65536)(_match_key)


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def for_terminal(value: str) -> str:
    """Return ``value`` safe to print on one terminal line: control characters
    (escape sequences, line breaks) and bidirectional overrides shown as
    ``\\xNN``/``\\uNNNN`` escapes instead of acting on the terminal."""
    return _UNPRINTABLE.sub(_escape, value)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


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
