"""A link and table checker for built atlases, used by the tests.

Independent of the renderer: it parses the Markdown files it finds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(([^)\s]+)\)")
IMG = re.compile(r'<img\s[^>]*src="([^"]+)"')
SEPARATOR = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")


def split_row(line: str) -> list[str]:
    """Split a GFM table row on pipes not escaped with a backslash."""
    s = line.strip()
    s = s[1:] if s.startswith("|") else s
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells, current, i = [], "", 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            current += s[i : i + 2]
            i += 2
            continue
        if s[i] == "|":
            cells.append(current.strip())
            current = ""
        else:
            current += s[i]
        i += 1
    cells.append(current.strip())
    return cells


@dataclass
class Report:
    pages: int = 0
    links: int = 0
    broken: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    bad_rows: list[str] = field(default_factory=list)
    tables: int = 0


def check_site(site: Path) -> Report:
    """Check every internal link and image, and every table row's width."""
    site = site.resolve()
    report = Report()
    for page in sorted(site.rglob("*.md")):
        report.pages += 1
        text = page.read_text(encoding="utf-8")
        for target in LINK.findall(text) + IMG.findall(text):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue
            report.links += 1
            dest = (page.parent / unquote(target.split("#")[0])).resolve()
            where = f"{page.relative_to(site)} → {target}"
            if not dest.is_relative_to(site):
                report.outside.append(where)
            elif not dest.is_file():
                report.broken.append(where)
        lines = text.split("\n")
        for i in range(len(lines) - 1):
            if lines[i].startswith("|") and SEPARATOR.match(lines[i + 1]):
                report.tables += 1
                width = len(split_row(lines[i]))
                j = i + 2
                while j < len(lines) and lines[j].startswith("|"):
                    if len(split_row(lines[j])) != width:
                        report.bad_rows.append(f"{page.relative_to(site)}:{j + 1}")
                    j += 1
    return report
