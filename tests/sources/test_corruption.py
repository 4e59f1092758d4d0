"""Damaged inputs: small real files (``$LINERNOTES_REALDATA``) corrupted at random.

Whatever happens to a file, importing it either raises a :class:`LinernotesError`
whose message is one line naming the file, or reports the file as imported,
unchanged or skipped; never another exception. After an error the store holds
nothing of the failing file: its sha256 is not in ``imports`` and no table grew.

Bugs found here are listed in ``KNOWN_BUGS``: the property tests tolerate them
(so that they keep looking for new ones) and ``test_known_bug`` reproduces each
one as a strict xfail. When a fix lands, that test passes, fails as XPASS, and
its entry must be removed from both places.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from linernotes.errors import LinernotesError
from linernotes.sources.importer import ImportReport, import_paths
from linernotes.store import Store, open_store

# Small real files of each kind (paths under $LINERNOTES_REALDATA).
SAMPLES = {
    "account": (
        "spotify_export/hobbies-w-erin__Spotify-Account-Data/StreamingHistory_audiobook_0.json"
    ),
    "playlists": "spotify_export/V-vincent2__Music_128_research/Playlist1.json",
    "library": "spotify_export/V-vincent2__Music_128_research/YourLibrary.json",
    "extended": "spotify_export/2rscrw8cmn-lang__needle/Streaming_History_Audio_2011.excerpt.json",
    "exportify": "exportify/LiamWhitenack__exportify-analysis/Bluey.csv",
}
# What the store holds before each example: other real files, one of each table.
BASE = (
    "spotify_export/lshatkin__What_I_Listen/MyData/endvideo.json",
    "spotify_export/romicalleja__Spotifydata/YourLibrary.json",
    "exportify/deadda7a__playlists/chill.csv",
)
TABLES = ("plays", "playlists", "playlist_items", "liked", "tracks", "artists", "albums")
SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- known bugs ---------------------------------------------------------------------------


# Exceptions that betray a known bug: the property tests tolerate them (and still
# check that the store is untouched) so that they keep looking for new ones. Empty
# now: every bug found so far is fixed, and reproduced below as a regression case.
KNOWN_BUGS: dict[str, Callable[[BaseException], bool]] = {}


def known_bug(exc: BaseException) -> str | None:
    """The name of the known bug ``exc`` shows, if any."""
    return next((name for name, match in KNOWN_BUGS.items() if match(exc)), None)


# -- the property every example must have ---------------------------------------------------


@pytest.fixture(scope="module")
def base_store(realdata: Path) -> Iterator[Store]:
    """A store holding BASE, copied into a fresh in-memory store for every example."""
    with open_store(None) as store:
        import_paths(store, [realdata / name for name in BASE])
        yield store


class Samples(dict[str, tuple[str, bytes]]):
    """Each sample's file name and bytes (short repr: Hypothesis prints its arguments)."""

    def __repr__(self) -> str:
        return f"Samples({sorted(self)})"


@pytest.fixture(scope="module")
def samples(realdata: Path) -> Samples:
    """Each sample's file name and bytes (copied into tmp dirs at test time)."""
    return Samples(
        {kind: (Path(name).name, (realdata / name).read_bytes()) for kind, name in SAMPLES.items()}
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corrupt")


@contextmanager
def copy_of(base: Store) -> Iterator[Store]:
    with open_store(None) as store:
        base.conn.backup(store.conn)
        yield store


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in TABLES}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_import(base: Store, path: Path, contents: list[bytes]) -> str:
    """Import ``path`` into a copy of ``base``; return "error", "ok" or a known bug.

    ``contents`` are the bytes the importer hashes for the damaged file(s): none
    of them may be recorded as imported after an error.
    """
    with copy_of(base) as store:
        before = _counts(store.conn)
        try:
            report = import_paths(store, [path])
        except LinernotesError as exc:
            message = str(exc)
            assert "\n" not in message and "\r" not in message, message
            assert str(path) in message, message
            outcome = "error"
        except Exception as exc:
            outcome = known_bug(exc) or ""
            if not outcome:
                raise
        else:
            _check_report(store, report)
            return "ok"
        imported = {r[0] for r in store.conn.execute("SELECT sha256 FROM imports")}
        assert not imported & {_digest(c) for c in contents}
        assert _counts(store.conn) == before
        return outcome


def _check_report(store: Store, report: ImportReport) -> None:
    assert report.files
    for result in report.files:
        assert result.status in {"imported", "unchanged", "skipped"}, result
        if result.status == "skipped":
            assert result.reason
    imported = [r for r in report.files if r.status == "imported"]
    assert store.scalar("SELECT COUNT(*) FROM imports") == len(imported) + len(BASE)


def _write(workdir: Path, name: str, data: bytes) -> Path:
    path = workdir / name
    path.write_bytes(data)
    return path


# -- corruptions ----------------------------------------------------------------------------

KINDS = st.sampled_from(sorted(SAMPLES))
# Bytes that are never valid UTF-8 where they stand.
INVALID_UTF8 = [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x80", b"\xe2\x82", b"\xf8\x88\x80\x80"]
# Values of the wrong type or out of range, for any field.
HOSTILE: list[Any] = [
    None,
    True,
    0,
    -1,
    2**63,
    2**64 - 1,
    1.5,
    1e308,
    "",
    "x",
    "²",
    "2024-13-45 99:99",
    "inf",
    "NaN",
    "1e400",
    "spotify:local:a:b:c:²",
    "spotify:track:0000000000000000000000",
    "\x00",
    "\u202e",
    [],
    {},
    [1, "a"],
    {"a": {"b": []}},
]


@st.composite
def byte_damage(draw: st.DrawFn, data: bytes) -> bytes:
    """Insert, overwrite or delete a few random bytes."""
    damaged = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["insert", "overwrite", "delete"]))
        at = draw(st.integers(0, len(damaged)))
        chunk = draw(st.binary(min_size=1, max_size=8))
        if op == "insert":
            damaged[at:at] = chunk
        elif op == "overwrite":
            damaged[at : at + len(chunk)] = chunk
        else:
            del damaged[at : at + len(chunk)]
    return bytes(damaged)


@st.composite
def utf8_damage(draw: st.DrawFn, data: bytes) -> bytes:
    """Put invalid UTF-8 where a letter was (inside a name or a key, mostly)."""
    letters = [i for i, b in enumerate(data) if chr(b).isalpha()]
    at = draw(st.sampled_from(letters))
    bad = draw(st.sampled_from(INVALID_UTF8))
    keep = draw(st.booleans())
    return data[:at] + bad + data[at + (0 if keep else 1) :]


def _json_slots(node: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in a JSON document."""
    slots: list[tuple[Any, Any]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        pairs = current.items() if isinstance(current, dict) else enumerate(current)
        for key, value in pairs:
            slots.append((current, key))
            if isinstance(value, dict | list):
                stack.append(value)
    return slots


@st.composite
def json_damage(draw: st.DrawFn, data: bytes) -> bytes:
    """Give a field a wrong value, or remove it; sometimes replace the whole document."""
    document = json.loads(data.decode("utf-8-sig"))
    if draw(st.integers(0, 19)) == 0:
        document = draw(st.sampled_from(HOSTILE))
    else:
        slots = _json_slots(document)
        for _ in range(draw(st.integers(1, 3))):
            container, key = slots[draw(st.integers(0, len(slots) - 1))]
            if draw(st.booleans()) and isinstance(container, dict):
                container.pop(key, None)
            elif isinstance(container, dict) or key < len(container):
                container[key] = draw(st.sampled_from(HOSTILE))
            slots = _json_slots(document)
            if not slots:
                break
    return json.dumps(document, ensure_ascii=draw(st.booleans())).encode()


@st.composite
def csv_damage(draw: st.DrawFn, data: bytes) -> bytes:
    """Put a wrong value in a cell, drop a column, or cut a row short."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["cell", "column", "short-row"]))
        row = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, max(len(rows[row]) - 1, 0)))
        if op == "cell" and rows[row]:
            rows[row][column] = str(draw(st.sampled_from(HOSTILE)))
        elif op == "column":
            rows = [[c for i, c in enumerate(r) if i != column] for r in rows]
        else:
            rows[row] = rows[row][:column]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# -- property tests ---------------------------------------------------------------------------


@pytest.mark.slow
@SETTINGS
@given(kind=KINDS, cut=st.floats(0, 1))
def test_truncated_file(
    base_store: Store, samples: Samples, workdir: Path, kind: str, cut: float
) -> None:
    name, data = samples[kind]
    damaged = data[: int(len(data) * cut)]
    event(check_import(base_store, _write(workdir, name, damaged), [damaged]))


@pytest.mark.slow
@SETTINGS
@given(kind=KINDS, draw=st.data())
def test_random_bytes(
    base_store: Store,
    samples: Samples,
    workdir: Path,
    kind: str,
    draw: st.DataObject,
) -> None:
    name, data = samples[kind]
    damaged = draw.draw(byte_damage(data))
    event(check_import(base_store, _write(workdir, name, damaged), [damaged]))


@pytest.mark.slow
@SETTINGS
@given(kind=KINDS, draw=st.data())
def test_invalid_utf8(
    base_store: Store,
    samples: Samples,
    workdir: Path,
    kind: str,
    draw: st.DataObject,
) -> None:
    name, data = samples[kind]
    damaged = draw.draw(utf8_damage(data))
    event(check_import(base_store, _write(workdir, name, damaged), [damaged]))


@pytest.mark.slow
@SETTINGS
@given(kind=KINDS, draw=st.data())
def test_wrong_types_and_missing_fields(
    base_store: Store,
    samples: Samples,
    workdir: Path,
    kind: str,
    draw: st.DataObject,
) -> None:
    name, data = samples[kind]
    damage = csv_damage if name.endswith(".csv") else json_damage
    damaged = draw.draw(damage(data))
    event(check_import(base_store, _write(workdir, name, damaged), [damaged]))


@pytest.mark.slow
@SETTINGS
@given(kind=KINDS, cut=st.floats(0, 1), draw=st.data())
def test_zip_holding_a_damaged_file_and_unsafe_entries(
    base_store: Store,
    samples: Samples,
    workdir: Path,
    kind: str,
    cut: float,
    draw: st.DataObject,
) -> None:
    name, data = samples[kind]
    damaged = draw.draw(st.sampled_from([data[: int(len(data) * cut)], data]))
    # Valid history files under unsafe names (bytes of their own: trailing blanks):
    # were they read, their plays would land.
    evil = {
        "../evil.json": samples["account"][1] + b"\n",
        "/abs.json": samples["extended"][1] + b"\n",
        "C:\\win.json": samples["extended"][1] + b"\n\n",
    }
    archive = _write(workdir, "my_spotify_data.zip", _zip({f"MyData/{name}": damaged, **evil}))
    outcome = check_import(base_store, archive, [damaged, *evil.values()])
    event(outcome)
    with copy_of(base_store) as store:
        if outcome != "ok":
            return
        report = import_paths(store, [archive])
        unsafe = {r.name.rpartition("!")[2]: (r.status, r.reason) for r in report.files}
        for entry in evil:
            assert unsafe[entry] == ("skipped", "unsafe path inside zip")
        imported = {r[0] for r in store.conn.execute("SELECT sha256 FROM imports")}
        assert not imported & {_digest(c) for c in evil.values()}


@SETTINGS
@given(kind=KINDS, draw=st.data())
def test_damaged_zip(
    base_store: Store,
    samples: Samples,
    workdir: Path,
    kind: str,
    draw: st.DataObject,
) -> None:
    name, data = samples[kind]
    archive = _zip({f"Spotify Account Data/{name}": data})
    if draw.draw(st.booleans()):
        damaged = archive[: draw.draw(st.integers(0, len(archive) - 1))]
    else:
        damaged = draw.draw(byte_damage(archive))
    outcome = check_import(
        base_store, _write(workdir, "my_spotify_data.zip", damaged), [data, damaged]
    )
    event(outcome)


@pytest.mark.parametrize(
    "content",
    [b"", b"\xef\xbb\xbf", b" \r\n\t", b"[]", b"{}", b"null", b"0", b"\x00" * 64],
    ids=["empty", "bom-only", "whitespace", "empty-list", "empty-object", "null", "zero", "nuls"],
)
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_degenerate_file(
    base_store: Store,
    samples: Samples,
    tmp_path: Path,
    kind: str,
    content: bytes,
) -> None:
    name = samples[kind][0]
    path = _write(tmp_path, name, content)
    assert check_import(base_store, path, [content]) in {"ok", "error"}
    if content in (b"", b"\xef\xbb\xbf", b" \r\n\t"):
        with copy_of(base_store) as store:
            report = import_paths(store, [path])
            # Nothing to read: skipped, never an error (the reason is "not a file
            # linernotes knows" today, though "empty file" would say more).
            assert [r.status for r in report.files] == ["skipped"]


# -- each known bug, reproduced ------------------------------------------------------------


def _history_with(field: str, value: Any, sample: bytes) -> bytes:
    rows = json.loads(sample)
    rows[0][field] = value
    return json.dumps(rows).encode()


def _bug_invalid_utf8(s: Samples) -> tuple[str, bytes]:
    name, data = s["account"]
    at = data.index(b"How to Keep House")  # inside the first audiobookName
    return name, data[:at] + b"\xff" + data[at:]


def _bug_damaged_deflate(s: Samples) -> tuple[str, bytes]:
    archive = bytearray(_zip({"YourLibrary.json": s["library"][1]}))
    archive[60] ^= 0xFF  # inside the deflate stream of the only entry
    return "my_spotify_data.zip", bytes(archive)


def _patched_zip(s: Samples, offset: int, value: bytes) -> tuple[str, bytes]:
    """A zip of YourLibrary.json whose central directory entry is patched at ``offset``."""
    archive = bytearray(_zip({"YourLibrary.json": s["library"][1]}))
    at = archive.index(b"PK\x01\x02") + offset
    archive[at : at + len(value)] = value
    return "my_spotify_data.zip", bytes(archive)


def _bug_zip_method(s: Samples) -> tuple[str, bytes]:
    return _patched_zip(s, 10, b"\x63\x00")  # compression method 99


def _bug_zip_encrypted(s: Samples) -> tuple[str, bytes]:
    return _patched_zip(s, 8, b"\x01\x00")  # general purpose flag: encrypted


def _bug_ms_played(s: Samples) -> tuple[str, bytes]:
    name, data = s["account"]
    return name, _history_with("msPlayed", 2**63, data)


def _bug_ms_played_extended(s: Samples) -> tuple[str, bytes]:
    name, data = s["extended"]
    return name, _history_with("ms_played", 2**64, data)


def _bug_followers(s: Samples) -> tuple[str, bytes]:
    name, data = s["playlists"]
    document = json.loads(data)
    document["playlists"][0]["numberOfFollowers"] = 2**63
    return name, json.dumps(document).encode()


def _csv_with_cell(s: Samples, header: str, value: str) -> bytes:
    rows = list(csv.reader(io.StringIO(s["exportify"][1].decode("utf-8-sig"), newline="")))
    rows[1][rows[0].index(header)] = value
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _bug_csv_inf(s: Samples) -> tuple[str, bytes]:
    return s["exportify"][0], _csv_with_cell(s, "Duration (ms)", "inf")


def _bug_csv_huge(s: Samples) -> tuple[str, bytes]:
    return s["exportify"][0], _csv_with_cell(s, "Popularity", "1e30")


def _bug_csv_quote(s: Samples) -> tuple[str, bytes]:
    name, data = s["exportify"]
    header, _, body = data.partition(b"\n")
    # A quote that opens and never closes swallows the rest of a long export.
    return name, header + b'\n"' + body.replace(b'"', b"") * 10


def _bug_local_seconds(s: Samples) -> tuple[str, bytes]:
    name, data = s["playlists"]
    document = json.loads(data)
    document["playlists"][0]["items"][0] = {
        "track": None,
        "episode": None,
        "localTrack": {"uri": "spotify:local:Artist:Album:Title:²"},
    }
    return name, json.dumps(document).encode()


@dataclass(frozen=True)
class Bug:
    """A reproduction of a bug the fuzzer found: damaged bytes, and what must happen
    now (``error``: one clear line naming the file; ``imported``: a clean import;
    ``row-skipped``: imported, the row with the impossible value skipped)."""

    make: Callable[[Samples], tuple[str, bytes]]
    expect: str
    found: str  # what happened before the fix


BUG_CASES = {
    "invalid-utf8-in-json-string": Bug(
        _bug_invalid_utf8, "error", "UnicodeDecodeError escaped export._decode"
    ),
    "damaged-deflate-stream-in-zip": Bug(
        _bug_damaged_deflate, "error", "zlib.error escaped inputs.InputFile.read"
    ),
    "zip-unknown-compression-method": Bug(
        _bug_zip_method, "error", "NotImplementedError escaped inputs.InputFile.read"
    ),
    "zip-encrypted-entry": Bug(
        _bug_zip_encrypted, "error", "RuntimeError 'password required' escaped InputFile.read"
    ),
    "msPlayed-2**63": Bug(_bug_ms_played, "row-skipped", "OverflowError from sqlite3"),
    "ms_played-2**64": Bug(
        _bug_ms_played_extended, "row-skipped", "OverflowError from msgspec.msgpack.encode"
    ),
    "numberOfFollowers-2**63": Bug(_bug_followers, "error", "OverflowError from sqlite3"),
    "csv-duration-inf": Bug(_bug_csv_inf, "error", "OverflowError from int(float('inf'))"),
    "csv-popularity-1e30": Bug(_bug_csv_huge, "error", "OverflowError from sqlite3"),
    "csv-unterminated-quote": Bug(
        _bug_csv_quote, "error", "_csv.Error 'field larger than field limit' escaped"
    ),
    # '²'.isdigit() is True but int('²') fails: an odd duration is unknown, not fatal.
    "local-file-seconds-superscript": Bug(
        _bug_local_seconds, "imported", "ValueError from int('²') in export.local_track"
    ),
}


@pytest.mark.parametrize("bug", list(BUG_CASES.values()), ids=list(BUG_CASES))
def test_found_bug_stays_fixed(
    base_store: Store, samples: Samples, tmp_path: Path, bug: Bug
) -> None:
    """A damaged file gives one clear error naming it (or imports cleanly)."""
    name, data = bug.make(samples)
    path = _write(tmp_path, name, data)
    with copy_of(base_store) as store:
        if bug.expect == "error":
            with pytest.raises(LinernotesError) as caught:
                import_paths(store, [path])
            assert str(path) in str(caught.value)
            assert "\n" not in str(caught.value)
        else:
            report = import_paths(store, [path])
            assert [f.status for f in report.files] == ["imported"]
            skipped = 1 if bug.expect == "row-skipped" else 0
            assert [f.rows_skipped for f in report.files] == [skipped]


@pytest.mark.parametrize("bug", list(BUG_CASES.values()), ids=list(BUG_CASES))
def test_found_bug_leaves_the_store_as_it_was(
    base_store: Store, samples: Samples, tmp_path: Path, bug: Bug
) -> None:
    """Whatever happens to a damaged file, nothing of it lands half-way."""
    name, data = bug.make(samples)
    outcome = check_import(base_store, _write(tmp_path, name, data), [data])
    assert outcome in {"error", "ok"}
