"""Render charts in worker processes, reusing any chart whose data is unchanged.

A chart is identified by the hash of its kind and data; a rendered chart is
kept in a cache folder beside the store, so a rebuild with the same data
copies the file instead of drawing it again. ``ChartRunner`` starts drawing
as soon as the first chart is asked for, so the workers draw while the pages
are still being written.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from linernotes.workers import process_pool

CACHE_VERSION = "3"  # 3: drawn with Pillow


@dataclass(frozen=True)
class ChartJob:
    """One chart to draw: ``kind`` is "scatter" or "years"; ``data`` its arrays and
    ``text`` its words (titles, axis names, legend)."""

    kind: str
    target: Path
    data: tuple[np.ndarray, ...]
    text: tuple[str, ...] = ()

    def digest(self) -> str:
        h = hashlib.sha256(f"{CACHE_VERSION}|{self.kind}".encode())
        h.update("\x1f".join(self.text).encode())
        for array in self.data:
            h.update(str(array.dtype).encode())
            h.update(str(array.shape).encode())
            h.update(np.ascontiguousarray(array).tobytes())
        return h.hexdigest()


def draw(job: ChartJob, path: Path) -> None:
    """Draw one chart into ``path`` (runs in a worker process)."""
    from linernotes.render import charts

    if job.kind == "scatter":
        charts.render_scatter(
            path, job.data[0], job.data[1].tolist(), job.data[2].tolist(), job.text
        )
    elif job.kind == "years":
        charts.render_year_histogram(path, job.data[0].tolist())
    else:
        raise ValueError(f"unknown chart kind {job.kind!r}")


class ChartRunner:
    """Draws charts in worker processes while the caller goes on writing pages.

    ``append`` copies a chart whose data is unchanged from ``cache`` at once, or
    hands it to a worker (forked on the first chart to draw); ``finish`` waits
    for every drawing. Use it as a context manager: leaving it stops the workers.
    """

    def __init__(
        self,
        cache: Path | None,
        progress: Callable[[int, int], None] | None = None,
        workers: int | None = None,
    ) -> None:
        self.cache = cache
        self.progress = progress
        self.workers = min(os.cpu_count() or 1, 4) if workers is None else workers
        self.total = 0  # charts asked for
        self.drawn = 0  # charts drawn anew (not copied from the cache)
        self.done = 0  # charts finished (copied or drawn)
        self._pool: Executor | None = None
        self._pending: deque[tuple[ChartJob, Path, Future[None]]] = deque()
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> ChartRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __len__(self) -> int:
        return self.total

    def extend(self, jobs: Iterable[ChartJob]) -> None:
        for job in jobs:
            self.append(job)

    def __iadd__(self, jobs: Iterable[ChartJob]) -> ChartRunner:  # ``jobs += [...]``
        self.extend(jobs)
        return self

    def append(self, job: ChartJob) -> None:
        """Copy ``job``'s chart from the cache or start drawing it."""
        self.total += 1
        job.target.parent.mkdir(parents=True, exist_ok=True)
        cached = self.cache / f"{job.digest()}.png" if self.cache is not None else None
        if cached is not None and cached.exists():
            shutil.copyfile(cached, job.target)
            self._tick()
            return
        path = cached or job.target
        self.drawn += 1
        if self.workers <= 1:
            _draw_atomically(job, path)
            self._drawn(job, path)
            return
        if self._pool is None:
            self._pool = process_pool(self.workers)
        self._pending.append((job, path, self._pool.submit(_draw_atomically, job, path)))
        while self._pending and self._pending[0][2].done():
            self._collect()

    def finish(self) -> int:
        """Wait for every chart; return how many were drawn anew."""
        while self._pending:
            self._collect()
        return self.drawn

    def _collect(self) -> None:
        job, path, future = self._pending.popleft()
        future.result()  # a worker's error is raised here
        self._drawn(job, path)

    def _drawn(self, job: ChartJob, path: Path) -> None:
        if path != job.target:
            shutil.copyfile(path, job.target)
        self._tick()

    def _tick(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)


def run_jobs(
    jobs: list[ChartJob], cache: Path | None, progress: Callable[[int, int], None] | None = None
) -> int:
    """Draw (or copy from ``cache``) every chart; return how many were drawn anew."""
    with ChartRunner(cache, progress, workers=min(len(jobs), os.cpu_count() or 1, 4)) as runner:
        for job in jobs:
            runner.append(job)
        return runner.finish()


def _draw_atomically(job: ChartJob, path: Path) -> None:
    """Draw into a temporary name then rename: a killed build never leaves half a PNG."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    draw(job, tmp)
    os.replace(tmp, path)
