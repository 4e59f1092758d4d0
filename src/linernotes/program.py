"""Which program wrote a derived file: the version, a digest of the package's own
files (code, migrations, templates, static files) and the versions of Python and
of the libraries it runs on, so that any change to linernotes, released or not,
or to what draws its charts and clusters its tracks, makes every cached result
and reused page stale."""

from __future__ import annotations

import hashlib
import platform
import re
from functools import cache
from importlib import metadata
from pathlib import Path

import linernotes

_SKIPPED = {"__pycache__"}


@cache
def program_digest() -> str:
    """``<version>-<16 hex digits>``: the same for the same files, whatever their dates."""
    root = Path(linernotes.__file__).parent
    h = hashlib.sha256(_runtime().encode())
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_dir() or _SKIPPED.intersection(relative.parts) or path.suffix == ".pyc":
            continue
        h.update(relative.as_posix().encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return f"{linernotes.__version__}-{h.hexdigest()[:16]}"


def _runtime() -> str:
    """Python's version and each runtime dependency's installed version."""
    found = [f"python {platform.python_version()}"]
    try:
        requirements = metadata.requires("linernotes") or []
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        requirements = []
    for requirement in requirements:
        if "extra ==" in requirement:
            continue
        name = re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return "\n".join(found)
