"""Markdown primitives: escaping, links, images and tables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from linernotes.text import fold_whitespace

_SPECIAL = re.compile(r"([\\`*_\[\]|$~])")
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>|\\]+$")


def md_text(value: str) -> str:
    """Escape ``value`` for Markdown text and table cells: one line, no markup."""
    value = fold_whitespace(value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", value)


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
