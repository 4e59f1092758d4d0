"""Charts drawn by worker processes while pages are still being written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linernotes.render.chart_jobs import ChartJob, ChartRunner, draw


def _jobs(folder: Path, count: int) -> list[ChartJob]:
    rng = np.random.default_rng(5)
    jobs = []
    for n in range(count):
        if n % 2:
            data: tuple[np.ndarray, ...] = (rng.integers(1960, 2024, 40),)
            jobs.append(ChartJob("years", folder / f"years-{n}.png", data))
        else:
            coords, labels = rng.normal(size=(30, 2)), rng.integers(1, 4, 30)
            data = (coords, labels, np.array([1, 2, 3]))
            text = (f"Clusters in {n}", "", "", "Cluster 1", "Cluster 2", "Cluster 3")
            jobs.append(ChartJob("scatter", folder / f"s/scatter-{n}.png", data, text))
    return jobs


def test_workers_draw_what_this_process_draws(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path / "atlas", 6)
    seen: list[tuple[int, int]] = []
    with ChartRunner(None, lambda done, total: seen.append((done, total)), workers=2) as runner:
        runner.append(jobs[0])
        runner.extend(jobs[1:3])
        runner += jobs[3:]
        assert runner.finish() == 6
    for job in jobs:
        here = tmp_path / "here.png"
        draw(job, here)
        assert job.target.read_bytes() == here.read_bytes()
    assert len(seen) == 6 and seen[-1] == (6, 6)
    assert not list((tmp_path / "atlas").rglob(".*.tmp"))


def test_a_chart_with_unchanged_data_is_copied_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with ChartRunner(cache, workers=2) as runner:
        for job in _jobs(tmp_path / "first", 4):
            runner.append(job)
        assert runner.finish() == 4
    assert len(list(cache.glob("*.png"))) == 4
    again = _jobs(tmp_path / "second", 5)  # the same four and one more
    with ChartRunner(cache, workers=2) as runner:
        for job in again:
            runner.append(job)
        assert runner.finish() == 1
        assert len(runner) == 5
    for old, new in zip(_jobs(tmp_path / "first", 4), again, strict=False):
        assert old.target.read_bytes() == new.target.read_bytes()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_worker_error_reaches_the_caller(tmp_path: Path, workers: int) -> None:
    bad = ChartJob("pie", tmp_path / "pie.png", (np.arange(3),))
    with (
        pytest.raises(ValueError, match="unknown chart kind 'pie'"),
        ChartRunner(None, workers=workers) as runner,
    ):
        runner.append(bad)
        runner.finish()
