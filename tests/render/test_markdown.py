from __future__ import annotations

import html
import re

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import given
from hypothesis import strategies as st

from linernotes.render.markdown import fmt_count, heading_anchor, img_tag, md_link, md_text, table
from linernotes.render.plan import relative_link
from linernotes.text import strip_controls
from tests.atlas_check import split_row
from tests.hostile import HOSTILE_NAMES

NO_LINK = "<!---->"


@given(st.lists(st.text(max_size=40), min_size=1, max_size=6))
def test_escaped_cells_keep_the_column_count(cells: list[str]) -> None:
    escaped = [md_text(c) for c in cells]
    rendered = table([f"h{i}" for i in range(len(cells))], "l" * len(cells), [escaped])
    body = rendered.split("\n")[2]
    assert len(split_row(body)) == len(cells)
    assert "\n" not in body


@given(st.text(max_size=60))
def test_escaped_text_has_no_raw_html(value: str) -> None:
    out = md_text(value).replace(NO_LINK, "")  # the one tag: an empty comment
    assert "<" not in out and ">" not in out


def test_examples() -> None:
    assert md_text("a|b") == "a\\|b"
    assert md_text("<script>") == "&lt;script&gt;"
    assert md_text("R&B\nline") == "R&amp;B line"
    assert md_text("$5 [x]") == "\\$5 \\[x\\]"
    assert md_link("A]b", "x/y.md") == "[A\\]b](x/y.md)"


def test_image_urls_are_checked() -> None:
    assert img_tag("https://i.scdn.co/image/ab") == (
        '<img src="https://i.scdn.co/image/ab" alt="" width="50" />'
    )
    assert img_tag('https://x/"onerror="x') == ""
    assert img_tag("javascript:alert(1)") == ""
    assert img_tag(None) == ""


def test_relative_links() -> None:
    assert relative_link("README.md", "playlists/README.md") == "playlists/README.md"
    page = "playlists/pop/clusters/README.md"
    assert relative_link(page, "artists/ana/overview.md") == "../../../artists/ana/overview.md"
    assert relative_link(page, "images/playlists/pop/clusters/clusters_scatter.png") == (
        "../../../images/playlists/pop/clusters/clusters_scatter.png"
    )
    assert relative_link("README.md", "artists/빅뱅/overview.md") == (
        "artists/%EB%B9%85%EB%B1%85/overview.md"
    )


def test_counts_read_as_words() -> None:
    assert fmt_count(1, "cluster") == "1 cluster"
    assert fmt_count(0, "cluster") == "0 clusters"
    assert fmt_count(1087, "track") == "1,087 tracks"
    assert fmt_count(2, "podcast episode") == "2 podcast episodes"


def test_heading_anchors_are_githubs() -> None:
    assert heading_anchor("Cluster #1") == "cluster-1"
    assert heading_anchor("0–9") == "09"
    assert heading_anchor("Top genres") == "top-genres"


# -- issue 10, class 9: names are text, never structure -------------------------------------

# Where a name stands on a page: alone on a line, in a list item, a numbered item,
# a quote, a heading, a table cell, a link's text.
CONTEXTS = (
    "{}",
    "- {}",
    "1. {}",
    "> {}",
    "# {}",
    "## Cluster in {}",
    "| a | b |\n|---|---|\n| {} | x |",
    "[{}](page.md)",
    "- [{}](page.md), {}",
)
NAMES = (
    *HOSTILE_NAMES,
    "# Heading",
    "#hashtag",
    "## two",
    "### three ###",
    "1986. A Year",
    "12) Twelve",
    "- - -",
    "* star",
    "+++",
    "===",
    "> > nested",
    "| table |",
    "www.example.com",
    "HTTPS://EXAMPLE.COM",
    "ftp://example.com",
    "x@y.org",
    "mailto:x@y.org",
    "user+tag@host.co.uk",
    "&amp; &#60;",
    "Song #1 #",
)


def _render(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def _visible(rendered: str) -> str:
    text = re.sub(r"<!---->", "", rendered)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("context", CONTEXTS)
def test_a_name_renders_as_its_own_text(context: str, name: str) -> None:
    plain = _render(context.format("plain", "plain"))
    hostile = _render(context.format(md_text(name), md_text(name)))
    tags = re.findall(r"<(/?[a-z0-9]+)", hostile)
    assert tags == re.findall(r"<(/?[a-z0-9]+)", plain), hostile  # no element of its own
    assert not re.search(r'href="(https?|ftp|mailto|xmpp):', hostile), hostile  # no autolink
    shown = " ".join(_visible(hostile).split())
    assert " ".join(strip_controls(name).split()) in shown


def test_md_text_examples_for_line_starts_and_links() -> None:
    assert md_text("# Heading") == "\\# Heading"
    assert md_text("1. One") == "1\\. One"
    assert md_text("- item") == "\\- item"
    assert md_text("Song #") == "Song \\#"
    assert md_text("C#") == "C#"
    assert md_text("see https://x.org") == "see https\\://x.org"
    assert md_text("www.x.org") == "www\\.x.org"
    assert md_text("me@x.org") == "me<!---->@x.org"
