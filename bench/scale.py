"""Benchmark: linernotes on a big library, whole processes, against a naive script.

usage: python bench/scale.py [--size 2k|10k|50k] [--runs N] [--library DIR] [--no-naive]

Writes (once, cached on disk by size, seed and generator version) a demo
library of the given size with the demo generator, then, ``--runs`` times in
a fresh folder, runs the real ``linernotes`` command as a subprocess:

  import      cold import of the whole export (account data, history, CSVs)
  build       cold build (empty chart cache, no earlier atlas)
  rebuild     the same build again, nothing changed
  +1 import   import one new Exportify playlist (80 tracks already known)
  +1 build    the build after it

and the naive baseline (``bench/naive.py``) on the same files. It prints
medians (and ranges) of wall time, CPU time (all processes), the largest
single process's peak RSS and the sampled peaks of the whole process tree's
summed RSS and PSS (with psutil, from the ``bench`` extra; PSS splits the
pages forked workers share), the load average before each step, and the
ratios naive / linernotes cold (import + build) and naive / (+1 import +
build). The subprocesses import ``linernotes`` as this Python does: set
PYTHONPATH to a copy of ``src`` to measure a snapshot while editing.
Goals (issue "Scale"): 50k cold <= 120 s, no-change <= 5 s, +1 playlist
<= 10 s, peak <= 1 GB, naive / cold >= 2, naive / +1 >= 25.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from linernotes.demo import DemoLayout, generate_demo

HERE = Path(__file__).resolve().parent
# size → (tracks, plays, years of history)
SIZES = {"2k": (2_000, 80_000, 3), "10k": (10_000, 500_000, 5), "50k": (50_000, 2_000_000, 10)}
STEPS = ("import", "build", "rebuild", "+1 import", "+1 build")
NEW_PLAYLIST = "bench_new_playlist.csv"


@dataclass(frozen=True)
class Measure:
    """One whole-process run: wall and CPU seconds, peak RSS in MiB, load before."""

    wall: float
    cpu: float
    rss: float  # the largest single process (wait4's ru_maxrss)
    tree: float  # the whole process tree's summed RSS, sampled (forked pages count twice)
    pss: float  # the whole process tree's summed PSS (shared pages split), sampled
    load: float  # 1-minute load average just before the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="2k")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--library", type=Path, help="an existing export folder to import")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "linernotes-bench")
    parser.add_argument("--work", type=Path, help="keep each run's store and atlas in DIR/run-N")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    parser.add_argument(
        "--steps",
        default=",".join(STEPS),
        help="steps to run, comma-separated (import always does; no build makes rebuild cold)",
    )
    parser.add_argument("--json", type=Path, help="also write every measure as JSON")
    args = parser.parse_args()
    library = args.library or cached_library(args.cache, args.size, args.seed)
    extra = new_playlist(library, args.cache / "extra" / _key(library))
    print(f"library: {library}  ({_describe(library)})", flush=True)
    results: dict[str, list[Measure]] = {}
    only = {"import", *args.steps.split(",")}
    for run in range(args.runs):
        with _run_folder(args.work, run) as work:
            for step, measure in run_linernotes(library, extra, work, only):
                results.setdefault(step, []).append(measure)
                _print_one(run, step, measure)
            if not args.no_naive:
                measure = run_naive(library, work / "naive")
                results.setdefault("naive", []).append(measure)
                _print_one(run, "naive", measure)
    report(results, args.size, args.runs)
    if args.json:
        args.json.write_text(
            json.dumps({k: [asdict(m) for m in v] for k, v in results.items()}, indent=1)
        )


@contextmanager
def _run_folder(keep: Path | None, run: int) -> Iterator[Path]:
    """A fresh folder for one run: ``keep/run-N`` (kept) or a temporary one."""
    if keep is None:
        with tempfile.TemporaryDirectory() as tmp:
            yield Path(tmp)
        return
    folder = keep / f"run-{run + 1}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    yield folder


def cached_library(cache: Path, size: str, seed: int) -> Path:
    """Return the export folder of this size and seed, generating it the first time."""
    tracks, plays, years = SIZES[size]
    folder = cache / f"{size}-seed{seed}-{_generator_version()}"
    if not (folder / "complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating the {size} library into {folder} …", flush=True)
        started = time.perf_counter()
        generate_demo(folder / "export", seed=seed, tracks=tracks, plays=plays, years=years)
        (folder / "complete").write_text(f"{time.perf_counter() - started:.1f} s\n")
    return folder / "export"


def _generator_version() -> str:
    """A hash of the demo generator's source: a changed generator makes a new library."""
    import linernotes.demo

    h = hashlib.sha256()
    for path in sorted(Path(linernotes.demo.__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:10]


def _key(library: Path) -> str:
    return hashlib.sha256(str(library.resolve()).encode()).hexdigest()[:10]


def new_playlist(library: Path, folder: Path) -> Path | None:
    """Write one new Exportify playlist of 80 known tracks (40 from each of two CSVs)."""
    sources = sorted(p for p in library.rglob("*.csv") if "liked" not in p.name.lower())
    if len(sources) < 2:
        return None
    target = folder / NEW_PLAYLIST
    if target.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[list[str]] = []
    for source in (sources[0], sources[len(sources) // 2]):
        with source.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            rows += [row for _, row in zip(range(40), reader, strict=False)]
    with target.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return folder


def _describe(library: Path) -> str:
    layout = DemoLayout.under(library)
    csvs = len(list(layout.exportify_dir.glob("*.csv"))) if layout.exportify_dir.exists() else 0
    size = sum(p.stat().st_size for p in library.rglob("*") if p.is_file()) / 1024**2
    return f"{csvs} Exportify CSVs, {size:,.0f} MiB"


def _import_paths(library: Path) -> list[Path]:
    layout = DemoLayout.under(library)
    present = [p for p in layout.import_paths if p.exists()]
    return present or [library]


def run_linernotes(
    library: Path, extra: Path | None, work: Path, only: set[str]
) -> Iterator[tuple[str, Measure]]:
    """The five steps (those in ``only``) on a fresh store in ``work``, as each ends."""
    cli = [sys.executable, "-m", "linernotes", "--db", str(work / "library.db")]
    build = [*cli, "build", "--out", str(work / "site")]
    steps = [
        ("import", [*cli, "import", *map(str, _import_paths(library))]),
        ("build", build),
        ("rebuild", build),
    ]
    if extra is not None:
        steps += [("+1 import", [*cli, "import", str(extra)]), ("+1 build", build)]
    for name, command in steps:
        if name in only:
            yield name, measure(command, work)


def run_naive(library: Path, out: Path) -> Measure:
    return measure([sys.executable, str(HERE / "naive.py"), str(library), str(out)], out.parent)


def measure(command: list[str], cwd: Path) -> Measure:
    """Run ``command`` to its end; raise SystemExit with its output if it fails."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINERNOTES_")}
    env["PYTHONHASHSEED"] = "0"
    load = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    sampler = _TreeSampler(proc.pid)
    output = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    tree, pss = sampler.stop()
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(command)}\n{output.decode()[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    rss = usage.ru_maxrss / 1024
    return Measure(wall, cpu, rss, max(tree, rss), pss, load)


class _TreeSampler:
    """Samples the summed RSS and PSS of a process and its descendants every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.peak = 0.0
        self.peak_pss = 0.0
        self._done = threading.Event()
        try:
            import psutil
        except ImportError:
            return
        self._thread = threading.Thread(target=self._run, args=(psutil, pid), daemon=True)
        self._thread.start()

    def _run(self, psutil: object, pid: int) -> None:
        try:
            root = psutil.Process(pid)  # type: ignore[attr-defined]
        except Exception:
            return
        while not self._done.wait(0.2):
            rss = pss = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    rss += proc.memory_info().rss
                    pss += _pss(proc.pid)
            except Exception:  # a process ended between listing and reading
                continue
            self.peak = max(self.peak, rss / 1024**2)
            self.peak_pss = max(self.peak_pss, pss / 1024**2)

    def stop(self) -> tuple[float, float]:
        self._done.set()
        if hasattr(self, "_thread"):
            self._thread.join()
        return self.peak, self.peak_pss


def _pss(pid: int) -> int:
    """Proportional set size in bytes (Linux), 0 where unknown."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def _print_one(run: int, step: str, m: Measure) -> None:
    print(
        f"  run {run + 1} {step:<10} {m.wall:7.1f} s wall {m.cpu:7.1f} s cpu "
        f"{m.rss:6.0f} MiB max process {m.tree:6.0f} MiB tree RSS {m.pss:6.0f} MiB tree PSS"
        f"  (load {m.load:.1f})",
        flush=True,
    )


def report(results: dict[str, list[Measure]], size: str, runs: int) -> None:
    """Print the medians of every step and the ratios to the naive script."""
    print(f"\n{size}: medians of {runs} runs (range)")
    print(
        f"{'step':<11}{'wall s':>18}{'cpu s':>9}{'max proc MiB':>14}{'tree RSS':>10}"
        f"{'tree PSS':>10}{'load':>7}"
    )
    for step in (*STEPS, "naive"):
        if step not in results:
            continue
        ms = results[step]
        walls = [m.wall for m in ms]
        print(
            f"{step:<11}{_median(walls):8.1f} ({min(walls):.1f}-{max(walls):.1f})"
            f"{_median([m.cpu for m in ms]):9.1f}{max(m.rss for m in ms):14.0f}"
            f"{max(m.tree for m in ms):10.0f}{max(m.pss for m in ms):10.0f}"
            f"{_median([m.load for m in ms]):7.1f}"
        )
    cold = _sum_median(results, ("import", "build"))
    print(f"cold (import + build) {cold:.1f} s")
    small = _sum_median(results, ("+1 import", "+1 build"))
    if small:
        print(f"+1 playlist (import + build) {small:.1f} s")
    if "naive" in results:
        naive = _median([m.wall for m in results["naive"]])
        print(f"naive / linernotes cold: {naive / cold:.2f}  (goal >= 2 at 50k)")
        if small:
            print(f"naive / +1 playlist:     {naive / small:.2f}  (goal >= 25)")


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def _sum_median(results: dict[str, list[Measure]], steps: tuple[str, ...]) -> float:
    """Median over runs of the summed wall time of ``steps`` (0 if any is missing)."""
    if not all(step in results for step in steps):
        return 0.0
    per_run = zip(*(results[step] for step in steps), strict=True)
    return _median([sum(m.wall for m in run) for run in per_run])


if __name__ == "__main__":
    main()
