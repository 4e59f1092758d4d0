"""Write the HTML twins in short-lived worker processes.

cmark-gfm, through cmarkgfm, never frees a page's parse tree or its HTML
buffer (upstream cmarkgfm issue #53): rendered in the build process, the
twins of a 50,000-track library hold ~3 GB until the build ends. Here a
forked worker renders a bounded number of pages and is then replaced, so
what it leaked goes back to the system; the build process goes on writing
Markdown meanwhile. The renderer reaches the workers through the fork, so
any object with ``write(root, md_path, markdown, *extra)`` will do.

(``multiprocessing.Pool``'s ``maxtasksperchild`` is not used: it forks new
workers from a helper thread, and a worker that must die with the build
dies when that thread ends, possibly holding the pool's queue lock.)
"""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any, Protocol

from linernotes.workers import process_pool

PAGES_PER_TASK = 32  # pages sent to a worker at once (one message, one result)
TASKS_PER_WORKER = 8  # then the pool is replaced: a worker leaks for at most 256 pages
MAX_QUEUED = 64  # tasks in flight before the writer waits (bounds what the queue holds)


class TwinRenderer(Protocol):
    def write(self, root: Path, md_path: str, markdown: str, /, *extra: Any) -> Path: ...


_renderer: TwinRenderer | None = None  # set before the fork; what every worker renders with


def _write_batch(root: Path, pages: list[tuple[str, str, tuple[Any, ...]]]) -> None:
    assert _renderer is not None, "HtmlTwins sets the renderer before forking"
    for md_path, markdown, extra in pages:
        _renderer.write(root, md_path, markdown, *extra)


class HtmlTwins:
    """Writes the HTML twin of each page through ``renderer`` in recycled workers.

    Has the renderer's ``write`` (minus its return value); ``finish`` waits
    for every twin and raises the first worker error. Every
    ``TASKS_PER_WORKER`` tasks per worker a new pool is forked (from this
    thread, so the workers still die with the build) and the old one ends
    once its tasks are done. Use it as a context manager: leaving it stops
    the workers. Without ``fork`` (not POSIX) the twins are written here.
    """

    def __init__(self, renderer: TwinRenderer, workers: int = 1) -> None:
        self.renderer = renderer
        self.workers = workers
        self._forks = os.name == "posix"
        self._batch: list[tuple[str, str, tuple[Any, ...]]] = []
        self._root: Path | None = None
        self._pending: deque[Future[None]] = deque()
        self._pools: list[Executor] = []
        self._sent = 0  # tasks sent to the newest pool

    def __enter__(self) -> HtmlTwins:
        return self

    def __exit__(self, *exc: object) -> None:
        global _renderer
        for pool in self._pools:
            pool.shutdown(wait=True, cancel_futures=True)
        self._pools = []
        _renderer = None

    def write(self, root: Path, md_path: str, markdown: str, /, *extra: Any) -> None:
        """Write (soon) the HTML twin of the page ``md_path`` under ``root``; ``extra``
        (picklable) goes to the renderer's ``write`` after the Markdown."""
        if not self._forks:
            self.renderer.write(root, md_path, markdown, *extra)
            return
        if self._root is not None and root != self._root:
            self._send()
        self._root = root
        self._batch.append((md_path, markdown, extra))
        if len(self._batch) >= PAGES_PER_TASK:
            self._send()

    def finish(self) -> None:
        """Wait until every twin is written; raise the first error of a worker."""
        self._send()
        while self._pending:
            self._pending.popleft().result()

    def _send(self) -> None:
        if not self._batch or self._root is None:
            return
        while self._pending and (len(self._pending) >= MAX_QUEUED or self._pending[0].done()):
            self._pending.popleft().result()
        self._pending.append(self._pool().submit(_write_batch, self._root, self._batch))
        self._batch = []
        self._sent += 1

    def _pool(self) -> Executor:
        """The newest pool, or a fresh one once it has had its share of tasks."""
        global _renderer
        if self._pools and self._sent < TASKS_PER_WORKER * self.workers:
            return self._pools[-1]
        if self._pools:
            self._pools[-1].shutdown(wait=False)  # its workers exit when its tasks are done
        _renderer = self.renderer
        self._pools.append(process_pool(self.workers))
        self._sent = 0
        return self._pools[-1]
