"""Markdown primitives: escaping, links, images and tables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from linernotes.text import fold_whitespace, strip_controls

_SPECIAL = re.compile(r"([\\`*_\[\]|$~])")
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>|\\]+$")
# What Markdown reads as structure at the start of a line (a heading, a list
# item, a setext underline, a numbered item), and a closing run of '#' that a
# heading would drop. '>' and '<' are escaped as entities already.
_LINE_START = re.compile(r"^(?:[#+=-]|(\d{1,9})(?=[.)]))")
_CLOSING_HASHES = re.compile(r"(?<= )(#+)$")
# What GFM turns into links by itself: "scheme://", "www." and e-mail addresses.
_SCHEME = re.compile(r"(?<=[A-Za-z0-9]):(?=//)")
_WWW = re.compile(r"(?i)\b(www)\.")
_EMAIL_AT = re.compile(r"(?<=[A-Za-z0-9.+_-])@(?=[A-Za-z0-9_-])")
# cmark-gfm finds e-mail addresses in the text after escapes are undone (``a\@b.c``
# is still a link): only another node between the parts stops it. An empty HTML
# comment renders as nothing and leaves the text as it was.
_NO_LINK = "<!---->"


def md_text(value: str) -> str:
    """Escape ``value`` for Markdown text and table cells: one line, no markup.

    Names are text, never structure: what Markdown would read as a heading, a
    list, a quote, a rule or a link (GFM autolinks) comes out literally, wherever
    the text stands (at the start of a line, in a list item, in a heading).
    """
    value = fold_whitespace(strip_controls(value))
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _SPECIAL.sub(r"\\\1", value)
    value = _LINE_START.sub(_escape_start, value)
    value = _CLOSING_HASHES.sub(r"\\\1", value)
    value = _WWW.sub(r"\1\\.", _SCHEME.sub(r"\\:", value))
    return _EMAIL_AT.sub(_NO_LINK + "@", value)


def _escape_start(match: re.Match[str]) -> str:
    digits = match.group(1)
    return f"{digits}\\" if digits else "\\" + match.group()


def md_link(text: str, target: str) -> str:
    """Return ``[text](target)`` with the text escaped (target must be a safe path or URL)."""
    return f"[{md_text(text)}]({target})"


def md_optional_link(text: str, target: str | None) -> str:
    """A link when there is a page to go to, otherwise plain escaped text."""
    return md_link(text, target) if target else md_text(text)


def safe_url(url: str | None) -> str | None:
    """Return ``url`` when it is a plain http(s) URL that cannot break a page."""
    if url and _SAFE_URL.match(url.strip()):
        return url.strip()
    return None


def img_tag(url: str | None, width: int = 50) -> str:
    """An ``<img>`` for a table cell, or '' when there is no safe URL."""
    safe = safe_url(url)
    return f'<img src="{safe}" alt="" width="{width}" />' if safe else ""


def path_target(relative: str) -> str:
    """Percent-encode a relative page path for use as a link target."""
    return quote(relative, safe="/._-~")


def table(header: Sequence[str], align: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Return a GFM table; ``align`` holds 'l' or 'r' per column; cells are already escaped."""
    marks = {"l": ":---", "r": "---:"}
    lines = [_row(header), "|" + "|".join(marks[a] for a in align) + "|"]
    lines += [_row(row) for row in rows]
    return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    return "|" + "|".join(f" {c} " if c else " " for c in cells) + "|"


def fmt_int(value: int) -> str:
    """Thousands separated with a comma."""
    return f"{value:,}"


def fmt_minutes(ms: int) -> str:
    """Listening time as every page shows it (and as Score counts it): whole minutes,
    thousands separated — ``fmt_minutes(90_061_000)`` is ``'1,501'``."""
    return fmt_int(ms // 60_000)


def fmt_share(part: int, whole: int) -> str:
    """A share in whole per cent (``'37%'``), or ``''`` when ``whole`` is 0."""
    return f"{100 * part / whole:.0f}%" if whole else ""


def fmt_duration(ms: int) -> str:
    """Human duration: '7 h 32 min' or '12 min'."""
    minutes = ms // 60_000
    hours, minutes = divmod(minutes, 60)
    return f"{hours:,} h {minutes} min" if hours else f"{minutes} min"


def fmt_count(value: int, word: str, plural: str | None = None) -> str:
    """``1 cluster``, ``2 clusters``, ``1,087 tracks``: the number and its noun."""
    noun = word if value == 1 else (plural or word + "s")
    return f"{value:,} {noun}"


def heading_anchor(heading: str) -> str:
    """The anchor GitHub (and the HTML twin) give a heading: lower case,
    punctuation dropped, spaces as hyphens ("0–9" → "09", "Cluster #1" → "cluster-1")."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
