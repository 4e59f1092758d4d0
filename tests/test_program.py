"""The program's digest: part of every cache key, so it must follow the runtime."""

from __future__ import annotations

import platform
from importlib import metadata

from linernotes import __version__
from linernotes.program import _runtime, program_digest


def test_the_digest_names_the_version_and_is_stable() -> None:
    digest = program_digest()
    assert digest.startswith(f"{__version__}-") and len(digest) == len(__version__) + 17
    program_digest.cache_clear()
    assert program_digest() == digest


def test_the_runtime_names_python_and_the_libraries() -> None:
    lines = _runtime().splitlines()
    assert lines[0] == f"python {platform.python_version()}"
    assert f"numpy {metadata.version('numpy')}" in lines
    assert f"matplotlib {metadata.version('matplotlib')}" in lines
    assert not any(line.startswith(("pytest ", "pandas ")) for line in lines)  # extras
