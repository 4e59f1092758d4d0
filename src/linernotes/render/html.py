"""The same atlas as a static HTML site: every Markdown page gets an HTML twin
beside it (``README.md`` → ``index.html``, ``overview.md`` → ``overview.html``),
with links between pages pointing at the HTML twins.

The twin adds what only a browser can use: breadcrumbs and a search box in the
page header, charts drawn inline (so they follow the colour scheme and show
values on hover), tables that scroll inside their box and sort by any column,
anchors on headings and on the rows a cluster map points at, and the page's
``<title>``/``og:`` tags. Scripts and styles are files under ``assets/``.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from linernotes.render.markdown import heading_anchor, md_text
from linernotes.render.plan import relative_link

ASSETS = "assets"
_HREF = re.compile(r'href="(?![a-z][a-z0-9+.-]*:)([^"#]*?)\.md(#[^"]*)?"')
_H1 = re.compile(r"<h1>(.*?)</h1>", re.S)
_TAGS = re.compile(r"<[^>]+>")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_TITLE = re.compile(r'^title: (".*")$', re.M)
_CRUMBS = re.compile(r"^\[Home\]\([^)\s]*\)(?: › .*)?$", re.M)
_HEADING = re.compile(r"<(h[2-4])>(.*?)</\1>", re.S)
_TABLE = re.compile(r"<table>.*?</table>", re.S)
_ROW = re.compile(r"<tr>")
_DETAILS_LIST = re.compile(r"(<details>.*?<ol>)(.*?)(</ol>)", re.S)
_ITEM = re.compile(r"<li>")
_IMG_SRC = re.compile(r'<img src="([^"]+?(?<!\.svg))"')  # link previews show no SVG
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


@dataclass(frozen=True)
class TwinExtras:
    """What the HTML twin of one page shows beyond its Markdown.

    ``figures`` maps a site path of an image the Markdown shows to the HTML drawn
    in its place (an inline chart); ``table_rows`` gives ids to the rows of the
    page's tables and ``list_items`` to the items of its lists in ``<details>``
    (one sequence per table or list, in page order); ``image`` is the site path
    or URL of the picture a shared link shows (``og:image``).
    """

    figures: Mapping[str, str] = field(default_factory=dict)
    table_rows: Sequence[Sequence[str]] = ()
    list_items: Sequence[Sequence[str]] = ()
    image: str | None = None


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

    def render(self, md_path: str, markdown: str, extras: TwinExtras | None = None) -> str:
        """Return the HTML page for the Markdown page at ``md_path``."""
        extras = extras or TwinExtras()
        title, markdown = _split_front_matter(markdown)
        crumbs, markdown = _split_crumbs(markdown)
        body = _links_to_twins(_to_html(markdown))
        image = _og_image(md_path, extras.image, body)
        body = _draw_figures(md_path, body, extras.figures)
        body = _tag_rows(body, extras.table_rows, extras.list_items)
        body = _TABLE.sub(lambda m: f'<div class="table-scroll">{m.group(0)}</div>', body)
        body = _anchor_headings(body)
        heading = _H1.search(body)
        plain = _plain(heading.group(1)) if heading else "linernotes"
        root = "../" * md_path.count("/")
        if crumbs is None and md_path != "README.md":  # a page that gives no trail
            crumbs = f"[Home]({root}README.md) › {md_text(title or plain)}"
        return self._template.render(
            title=title or plain,
            body=Markup(body),
            crumbs=Markup(_crumbs_html(crumbs)),
            root=root,
            home=None if md_path == "README.md" else root + "index.html",
            image=image,
            description=_description(body),
            assets=root + ASSETS + "/",
        )

    def write(
        self, root: Path, md_path: str, markdown: str, extras: TwinExtras | None = None
    ) -> Path:
        """Render and write the HTML twin of one page; return its path."""
        target = root / html_name(md_path)
        target.write_text(self.render(md_path, markdown, extras), encoding="utf-8", newline="\n")
        return target


def _to_html(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def _links_to_twins(body: str) -> str:
    return _HREF.sub(lambda m: f'href="{_twin_link(m.group(1))}{m.group(2) or ""}"', body)


def _twin_link(stem: str) -> str:
    """``../a/README`` (a link without ``.md``) → ``../a/index.html``."""
    folder, name = posixpath.split(stem)
    twin = "index.html" if name == "README" else f"{name}.html"
    return posixpath.join(folder, twin) if folder else twin


def _plain(fragment: str) -> str:
    return html.unescape(_TAGS.sub("", fragment)).strip()


def _split_front_matter(markdown: str) -> tuple[str | None, str]:
    """``(title, rest)``: the front matter is for Obsidian, never shown raw."""
    match = _FRONT_MATTER.match(markdown)
    if not match:
        return None, markdown
    title = _TITLE.search(match.group(1))
    value = json.loads(title.group(1)) if title else None
    return (value if isinstance(value, str) else None), markdown[match.end() :]


def _split_crumbs(markdown: str) -> tuple[str | None, str]:
    """The breadcrumbs line (just under the title) and the page without it."""
    match = _CRUMBS.search(markdown, 0, 2000)
    if not match or markdown[: match.start()].count("\n") > 3:
        return None, markdown
    return match.group(0), markdown[: match.start()] + markdown[match.end() + 1 :]


def _crumbs_html(crumbs: str | None) -> str:
    """``<a>Home</a> › … › <span aria-current="page">Clusters</span>``."""
    if crumbs is None:
        return '<span aria-current="page">Home</span>'
    inline = _links_to_twins(_to_html(crumbs)).strip().removeprefix("<p>").removesuffix("</p>")
    steps = inline.split(" › ")
    if not steps[-1].startswith("<a "):
        steps[-1] = f'<span aria-current="page">{steps[-1]}</span>'
    return '<span class="sep" aria-hidden="true">›</span>'.join(steps)


def _draw_figures(md_path: str, body: str, figures: Mapping[str, str]) -> str:
    """Put each figure in place of the paragraph that shows its image."""
    for path, figure in figures.items():
        src = re.escape(relative_link(md_path, path))
        shown = re.search(rf'<p><img src="{src}" alt="[^"]*" /></p>', body)
        if shown:
            body = body[: shown.start()] + figure + body[shown.end() :]
    return body


def _tag_rows(body: str, tables: Sequence[Sequence[str]], lists: Sequence[Sequence[str]]) -> str:
    """Give ids to the body rows of the page's tables and to the items of its
    lists in ``<details>``, in page order (only when the counts agree)."""
    if tables and len(_TABLE.findall(body)) == len(tables):
        parts = iter(tables)
        body = _TABLE.sub(lambda m: _ids(m.group(0), next(parts), _ROW, "<tr", skip=1), body)
    if lists and len(_DETAILS_LIST.findall(body)) == len(lists):
        items = iter(lists)
        body = _DETAILS_LIST.sub(
            lambda m: m.group(1) + _ids(m.group(2), next(items), _ITEM, "<li") + m.group(3), body
        )
    return body


def _ids(
    fragment: str, ids: Sequence[str], tag: re.Pattern[str], opening: str, skip: int = 0
) -> str:
    """Add ``id="…"`` to each opening ``tag`` after the first ``skip`` (a header row)."""
    count = -1

    def add(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        index = count - skip
        if 0 <= index < len(ids):
            return f'{opening} id="{html.escape(ids[index])}">'
        return match.group(0)

    return tag.sub(add, fragment)


def _anchor_headings(body: str) -> str:
    """``<h2 id="cluster-1">``: the anchors GitHub gives, so ``#a`` links work here too."""
    seen: dict[str, int] = {}

    def add(match: re.Match[str]) -> str:
        anchor = heading_anchor(_plain(match.group(2))) or "section"
        n = seen.get(anchor, 0)
        seen[anchor] = n + 1
        unique = anchor if n == 0 else f"{anchor}-{n}"
        return f'<{match.group(1)} id="{unique}">{match.group(2)}</{match.group(1)}>'

    return _HEADING.sub(add, body)


def _og_image(md_path: str, image: str | None, body: str) -> str | None:
    """The picture of a shared link: the page's own choice, else its first image."""
    if image:
        return image if re.match(r"^https?://", image) else relative_link(md_path, image)
    first = _IMG_SRC.search(body)
    return html.unescape(first.group(1)) if first else None


def _description(body: str) -> str:
    """The first paragraph above the page's first section, as plain text (a
    shared link's summary); '' when there is none."""
    for match in _PARAGRAPH.finditer(body.split("<h2", 1)[0]):
        text = " ".join(_plain(match.group(1)).split())
        if text:
            return text if len(text) <= 200 else text[:199].rstrip() + "…"
    return ""
