"""Run the command line in this process (fast) or in a child process (faithful), and
judge the outcome: a success, or one clear line; never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from linernotes.cli import main

CONTROL = ("\x1b", "\x07", "\x00", "\x9b")


@dataclass(frozen=True)
class Outcome:
    """What a command did: its exit code and what it printed."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def problems(self) -> list[str]:
        """Everything that makes this outcome unclean (empty when it is clean)."""
        found = []
        if self.code not in (0, 1, 2):
            found.append(f"exit code {self.code}")
        if "Traceback" in self.err or "Traceback" in self.out:
            found.append("a traceback")
        if "full trace is in" in self.err or "trace could not be saved" in self.err:
            found.append("an unforeseen error: " + self.err.strip()[:300])
        errors = [line for line in self.err.splitlines() if line.startswith("error:")]
        if self.code == 1 and len(errors) != 1:
            found.append(f"{len(errors)} error lines: {self.err[-300:]!r}")
        if any(c in self.out + self.err for c in CONTROL):
            found.append("control characters reached the terminal")
        return found


def run_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> Outcome:
    """Run ``linernotes args`` through :func:`main` in this process."""
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "argv", ["linernotes", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return Outcome(args, code, out, err)


def run_child(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Outcome:
    """Run ``python -m linernotes args`` in a child process."""
    done = subprocess.run(
        [sys.executable, "-m", "linernotes", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=600,
        env={**os.environ, **(env or {})},
    )
    return Outcome(args, done.returncode, done.stdout, done.stderr)
