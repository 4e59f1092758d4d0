"""HTML twins written by short-lived worker processes (cmarkgfm leaks per page)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from linernotes.render import html_jobs
from linernotes.render.html import HtmlRenderer, html_name
from linernotes.render.html_jobs import HtmlTwins


def _pages(count: int) -> list[tuple[str, str]]:
    return [
        (f"artists/a-{n}.md" if n else "README.md", f"# Page {n}\n\n[home](../README.md) *{n}*\n")
        for n in range(count)
    ]


def test_twins_are_the_pages_the_renderer_writes_itself(tmp_path: Path) -> None:
    pages = _pages(100)
    (tmp_path / "w" / "artists").mkdir(parents=True)
    with HtmlTwins(HtmlRenderer(), workers=2) as twins:
        for md_path, text in pages:
            twins.write(tmp_path / "w", md_path, text)
        twins.finish()
    renderer = HtmlRenderer()
    for md_path, text in pages:
        written = (tmp_path / "w" / html_name(md_path)).read_text(encoding="utf-8")
        assert written == renderer.render(md_path, text)


class _Pids:
    """Writes the id of the process that rendered each page (and what it was given)."""

    def write(self, root: Path, md_path: str, markdown: str, *extra: object) -> Path:
        target = root / (md_path + ".pid")
        target.write_text(str(os.getpid()))
        (root / (md_path + ".extra")).write_text(repr((markdown, extra)))
        return target


def test_workers_are_replaced_after_a_bounded_number_of_pages(tmp_path: Path) -> None:
    per_worker = html_jobs.PAGES_PER_TASK * html_jobs.TASKS_PER_WORKER
    count = 3 * per_worker
    with HtmlTwins(_Pids(), workers=1) as twins:
        for n in range(count):
            twins.write(tmp_path, f"p{n}", "")
        twins.finish()
    pids = [int((tmp_path / f"p{n}.pid").read_text()) for n in range(count)]
    assert os.getpid() not in pids
    assert len(set(pids)) == 3
    assert all(pids.count(pid) == per_worker for pid in set(pids))


class _Broken:
    def write(self, root: Path, md_path: str, markdown: str) -> Path:
        raise OSError(f"disk full writing {md_path}")


def test_a_worker_error_reaches_the_caller(tmp_path: Path) -> None:
    with HtmlTwins(_Broken()) as twins:
        twins.write(tmp_path, "a.md", "# a\n")
        with pytest.raises(OSError, match=r"disk full writing a\.md"):
            twins.finish()


def test_extra_arguments_reach_the_renderer(tmp_path: Path) -> None:
    with HtmlTwins(_Pids()) as twins:
        twins.write(tmp_path, "a", "# a\n", {"figure.svg": "<svg/>"}, None)
        twins.write(tmp_path, "b", "# b\n")
        twins.finish()
    assert (tmp_path / "a.extra").read_text() == repr(("# a\n", ({"figure.svg": "<svg/>"}, None)))
    assert (tmp_path / "b.extra").read_text() == repr(("# b\n", ()))
