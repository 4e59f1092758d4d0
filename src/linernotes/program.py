"""Which program wrote a derived file: the version and a digest of the package's
own files (code, migrations, templates, static files), so that any change to
linernotes, released or not, makes every cached result and reused page stale."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import linernotes

_SKIPPED = {"__pycache__"}


@cache
def program_digest() -> str:
    """``<version>-<16 hex digits>``: the same for the same files, whatever their dates."""
    root = Path(linernotes.__file__).parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_dir() or _SKIPPED.intersection(relative.parts) or path.suffix == ".pyc":
            continue
        h.update(relative.as_posix().encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return f"{linernotes.__version__}-{h.hexdigest()[:16]}"
