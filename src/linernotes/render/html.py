"""The same atlas as a static HTML site: every Markdown page gets an HTML twin
beside it (``README.md`` → ``index.html``, ``overview.md`` → ``overview.html``),
with links between pages pointing at the HTML twins."""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options
from jinja2 import Environment, PackageLoader, select_autoescape

_HREF = re.compile(r'href="(?![a-z][a-z0-9+.-]*:)([^"#]*?)\.md(#[^"]*)?"')
_H1 = re.compile(r"<h1>(.*?)</h1>", re.S)
_TAGS = re.compile(r"<[^>]+>")


def html_name(md_path: str) -> str:
    """The HTML twin of a Markdown page path."""
    folder, name = posixpath.split(md_path)
    twin = "index.html" if name == "README.md" else name[:-3] + ".html"
    return posixpath.join(folder, twin) if folder else twin


class HtmlRenderer:
    """Turns the atlas's Markdown into HTML pages (autoescaped Jinja2 layout).

    GitHub's own renderer (cmark-gfm) reads the Markdown, so the HTML site shows
    what GitHub shows; being C, it is ~15x faster than a Python parser here. The
    Markdown holds raw HTML only where linernotes wrote it (cover ``<img>`` with
    checked URLs, ``<details>``); every name in it is already escaped, so raw
    HTML may pass (and GFM's tag filter still disarms ``<script>`` and friends).
    """

    def __init__(self) -> None:
        env = Environment(
            loader=PackageLoader("linernotes.render", "templates"),
            autoescape=select_autoescape(["html"]),
            keep_trailing_newline=True,
        )
        self._template = env.get_template("page.html")

    def render(self, md_path: str, markdown: str) -> str:
        """Return the HTML page for the Markdown page at ``md_path``."""
        body = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
        body = _HREF.sub(lambda m: f'href="{_twin_link(m.group(1))}{m.group(2) or ""}"', body)
        title = _H1.search(body)
        plain = html.unescape(_TAGS.sub("", title.group(1))) if title else "linernotes"
        depth = md_path.count("/")
        return self._template.render(title=plain, body=body, home="../" * depth + "index.html")

    def write(self, root: Path, md_path: str, markdown: str) -> Path:
        """Render and write the HTML twin of one page; return its path."""
        target = root / html_name(md_path)
        target.write_text(self.render(md_path, markdown), encoding="utf-8", newline="\n")
        return target


def _twin_link(stem: str) -> str:
    """``../a/README`` (a link without ``.md``) → ``../a/index.html``."""
    folder, name = posixpath.split(stem)
    twin = "index.html" if name == "README" else f"{name}.html"
    return posixpath.join(folder, twin) if folder else twin
