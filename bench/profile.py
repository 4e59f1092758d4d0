"""Profile one cold build: where the time goes (py-spy) and when each core and
each megabyte is used (a per-process timeline).

usage: python bench/profile.py STORE [--py-spy FILE] [--every SECONDS] [--html/--no-html]

Copies ``STORE`` (a library.db, e.g. from ``bench/scale.py --work``) into a
temporary folder, so the build is cold (no chart cache, no earlier atlas),
and runs ``linernotes build`` there. Every ``--every`` seconds it records the
CPU used by the build process and by its workers and their memory, and
prints the timeline. With ``--py-spy FILE`` the build runs under ``py-spy
record --subprocesses`` (from the ``bench`` extra) writing collapsed stacks
to FILE, and the functions with most samples are printed: by their own
samples and by samples under them.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--py-spy", dest="pyspy", type=Path, help="write collapsed stacks here")
    parser.add_argument("--rate", type=int, default=50, help="py-spy samples per second")
    parser.add_argument("--every", type=float, default=5.0)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "library.db"
        shutil.copyfile(args.store, db)
        command = [sys.executable, "-m", "linernotes", "--db", str(db), "build"]
        command += ["--out", str(Path(tmp) / "site")]
        if args.pyspy:
            spy = Path(sys.executable).with_name("py-spy")
            command = [str(spy), "record", "--subprocesses", "--format", "raw"]
            command += ["--rate", str(args.rate), "-o", str(args.pyspy), "--", *command]
        rows = timeline(command, Path(tmp), args.every)
    print_timeline(rows)
    if args.pyspy:
        print_top(args.pyspy, args.top)


def timeline(command: list[str], cwd: Path, every: float) -> list[tuple[float, ...]]:
    """Run ``command``; every ``every`` s: (t, main CPU %, workers CPU %, main RSS,
    tree PSS, workers)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL)
    root = psutil.Process(proc.pid)
    cpu: dict[int, float] = {}
    rows = []
    while proc.poll() is None:
        time.sleep(every)
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        pythons = [p for p in tree if _is_python(p)]
        if not pythons:
            continue
        main, workers = pythons[0], pythons[1:]
        used = {p.pid: _cpu(p) for p in pythons}
        delta = {pid: value - cpu.get(pid, 0.0) for pid, value in used.items()}
        cpu.update(used)
        rows.append(
            (
                time.perf_counter() - started,
                100 * delta[main.pid] / every,
                100 * sum(delta[p.pid] for p in workers) / every,
                _rss(main) / 1024**2,
                sum(_pss(p.pid) for p in pythons) / 1024**2,
                len(workers),
            )
        )
    return rows


def _is_python(proc: psutil.Process) -> bool:
    try:
        return "python" in proc.name()
    except psutil.Error:
        return False


def _cpu(proc: psutil.Process) -> float:
    try:
        times = proc.cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


def _rss(proc: psutil.Process) -> int:
    try:
        return int(proc.memory_info().rss)
    except psutil.Error:
        return 0


def _pss(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    lines = text.splitlines()
    return next((int(line.split()[1]) * 1024 for line in lines if line[:4] == "Pss:"), 0)


def print_timeline(rows: list[tuple[float, ...]]) -> None:
    header = ("t s", 6), ("main %", 8), ("workers %", 10), ("main RSS MiB", 14)
    print("".join(f"{name:>{width}}" for name, width in header) + "  tree PSS MiB  n")
    for t, main, workers, rss, pss, n in rows:
        print(f"{t:6.0f}{main:8.0f}{workers:10.0f}{rss:14.0f}{pss:14.0f}{n:3.0f}")
    load = os.getloadavg()
    print(f"load average now {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


def print_top(stacks: Path, top: int) -> None:
    """The functions with most samples, own and inclusive, from py-spy's raw output."""
    own: collections.Counter[str] = collections.Counter()
    under: collections.Counter[str] = collections.Counter()
    total = 0
    for line in stacks.read_text(encoding="utf-8", errors="replace").splitlines():
        frames, _, count = line.rpartition(" ")
        if not frames or not count.isdigit():
            continue
        n = int(count)
        total += n
        names = [_short(frame) for frame in frames.split(";")]
        own[names[-1]] += n
        for name in set(names[1:]):  # the first frame names the process
            under[name] += n
    print(f"\n{total} samples; own samples:")
    for name, n in own.most_common(top):
        print(f"  {100 * n / total:5.1f} %  {name}")
    print("samples under (linernotes functions):")
    mine = [(name, n) for name, n in under.most_common() if "linernotes" in name]
    for name, n in mine[:top]:
        print(f"  {100 * n / total:5.1f} %  {name}")


def _short(frame: str) -> str:
    """``render_site (linernotes/render/site.py:95)`` → ``render_site (…/render/site.py)``."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "src/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{name} ({path})"


if __name__ == "__main__":
    main()
