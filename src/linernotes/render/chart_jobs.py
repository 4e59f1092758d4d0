"""Render charts in worker processes, reusing any chart whose data is unchanged.

A chart is identified by the hash of its kind and data; a rendered chart is
kept in a cache folder beside the store, so a rebuild with the same data
copies the file instead of drawing it again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from linernotes.workers import process_pool

CACHE_VERSION = "2"


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


def run_jobs(
    jobs: list[ChartJob], cache: Path | None, progress: Callable[[int, int], None] | None = None
) -> int:
    """Draw (or copy from ``cache``) every chart; return how many were drawn anew."""
    todo: list[tuple[ChartJob, Path]] = []
    done = 0
    for job in jobs:
        job.target.parent.mkdir(parents=True, exist_ok=True)
        cached = cache / f"{job.digest()}.png" if cache else None
        if cached is not None and cached.exists():
            shutil.copyfile(cached, job.target)
            done += 1
            if progress:
                progress(done, len(jobs))
        else:
            todo.append((job, cached or job.target))
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    for job, path in _draw_all(todo):
        if path != job.target:
            shutil.copyfile(path, job.target)
        done += 1
        if progress:
            progress(done, len(jobs))
    return len(todo)


def _draw_all(todo: list[tuple[ChartJob, Path]]) -> Iterator[tuple[ChartJob, Path]]:
    workers = min(len(todo), os.cpu_count() or 1, 4)
    if workers <= 1:
        for job, path in todo:
            _draw_atomically(job, path)
            yield job, path
        return
    with process_pool(workers) as pool:
        jobs, paths = zip(*todo, strict=True)
        for job, path, _ in zip(
            jobs, paths, pool.map(_draw_atomically, jobs, paths, chunksize=2), strict=True
        ):
            yield job, path


def _draw_atomically(job: ChartJob, path: Path) -> None:
    """Draw into a temporary name then rename: a killed build never leaves half a PNG."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    draw(job, tmp)
    os.replace(tmp, path)
