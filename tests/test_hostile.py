"""Every hostile input of the corpus (``tests/hostile.py``) through every command:
import, status, build, enrich (providers unreachable) and demo. Each run ends in
a success or one clear error line with exit code 1 or 2: never a traceback, an
unforeseen error, or a control character on the terminal. The atlas built from
the hostile store has no broken link, no name turned into structure or a link."""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from linernotes.store import open_store
from tests import hostile
from tests.atlas_check import check_site
from tests.clirun import Outcome, run_child, run_in_process

pytestmark = pytest.mark.slow


class _Unavailable(BaseHTTPRequestHandler):
    """Every provider, down for the day: 503 with a Retry-After of a day."""

    def do_GET(self) -> None:
        self.send_response(503)
        self.send_header("Retry-After", "86400")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def unreachable() -> Iterator[dict[str, str]]:
    """Provider addresses that answer nothing useful: one down for the day, the
    others a closed port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unavailable)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    down = f"http://127.0.0.1:{server.server_address[1]}/"
    yield {
        "LINERNOTES_MUSICBRAINZ_BASE": down,
        "LINERNOTES_DEEZER_BASE": down,
        "LINERNOTES_RECCOBEATS_BASE": down,
        "LINERNOTES_LASTFM_BASE": down,
        "LINERNOTES_COVERARTARCHIVE_BASE": down,
    }
    server.shutdown()
    server.server_close()


@dataclass
class Corpus:
    root: Path
    inputs: list[Path]
    good: Path  # a small valid export file
    store: Path  # a store holding the good file


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("hostile")
    zips = root / "zips"
    zips.mkdir()
    inputs = [
        hostile.zip_bomb(zips / "bomb.zip"),
        hostile.lying_zip_bomb(zips / "lying-bomb.zip"),
        hostile.many_entries(zips / "many.zip"),
        hostile.many_entries(zips / "many-json.zip", 2_000, ".json"),
        hostile.huge_declared(zips / "huge-declared.zip"),
        hostile.unsafe_names(zips / "unsafe-names.zip"),
        hostile.symlink_entry(zips / "symlink.zip"),
        hostile.encrypted_entry(zips / "encrypted.zip"),
        hostile.unknown_method(zips / "method-99.zip"),
        hostile.truncated_zip(zips / "truncated.zip"),
        hostile.duplicate_entries(zips / "duplicates.zip"),
    ]
    (zips / "empty.zip").write_bytes(b"")
    (zips / "not-a.zip").write_bytes(b"PK\x03\x04 this is no zip")
    inputs += [zips / "empty.zip", zips / "not-a.zip"]
    inputs += hostile.write_json_corpus(root / "json")
    inputs += hostile.write_csv_corpus(root / "csv")
    good = root / "good" / "Playlist1.json"
    good.parent.mkdir()
    good.write_text(json.dumps(hostile.playlists_document(["Good", "Music"])), encoding="utf-8")
    store = root / "good" / "library.db"
    from linernotes.sources.importer import import_paths

    with open_store(store) as s:
        import_paths(s, [good])
    return Corpus(root, inputs, good, store)


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unreachable: dict[str, str]) -> Path:
    """A working folder with the providers unreachable and crash logs kept inside."""
    for name, value in unreachable.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("LINERNOTES_LASTFM_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _clean(outcomes: list[Outcome]) -> list[str]:
    return [f"{' '.join(o.args)[:120]}: {p}" for o in outcomes for p in o.problems()]


def test_every_hostile_input_through_every_command(
    corpus: Corpus, place: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(place / "hostile.db")
    shutil.copy(corpus.store, db)
    outcomes = [run_in_process(capsys, "--db", db, "import", str(p)) for p in corpus.inputs]
    outcomes.append(run_in_process(capsys, "--db", db, "import", *map(str, corpus.inputs[5:8])))
    for args in (("status",), ("status", "--json"), ("build", "--out", "site"), ("enrich",)):
        outcomes.append(run_in_process(capsys, "--db", db, *args))
    assert _clean(outcomes) == []
    by_input = {o.args[-1]: o for o in outcomes if o.args[2] == "import"}
    assert by_input[str(corpus.root / "zips" / "bomb.zip")].code == 1
    assert "refusing a file" in by_input[str(corpus.root / "zips" / "bomb.zip")].err
    assert by_input[str(corpus.root / "json" / "names" / "Playlist1.json")].code == 0
    status = json.loads(outcomes[-3].out)
    reasons = {row["reason"] for row in status["rows_skipped"]}
    assert any("not a real date" in reason for reason in reasons)
    _check_hostile_atlas(place / "site")


def _check_hostile_atlas(site: Path) -> None:
    """The atlas of the hostile store: whole, and every name still plain text."""
    report = check_site(site)
    assert report.pages > 5 and not report.broken and not report.bad_rows
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert len(re.findall(r"<h1[ >]", html)) == 1, page
        assert "<script>" not in html and 'href="mailto:' not in html, page
        assert not re.search(r'href="https?://(www\.)?evil', html), page
        assert not re.search(r"<li>\s*<(h\d|ol|ul|blockquote|hr)", html), page
        assert not any(c in html for c in ("\x1b", "\x07", "\x00")), page
    for page in site.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert "x" * 501 not in text, f"{page}: a name longer than 500 characters"


@pytest.mark.parametrize("case", sorted(hostile.STORE_MAKERS))
def test_hostile_store_file_through_every_command(
    corpus: Corpus, place: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    path = place / "store.db"
    hostile.STORE_MAKERS[case](path, corpus.store)
    before = _fingerprint(path)
    runs = [
        ("status",),
        ("status", "--json"),
        ("build", "--out", "site"),
        ("enrich",),
        ("import", str(corpus.good)),
    ]
    outcomes = [run_in_process(capsys, "--db", str(path), *args) for args in runs]
    assert _clean(outcomes) == []
    if case == "damaged-pages":
        # Every command reading the damaged page says so. An import that reads only
        # sound pages succeeds: the file is checked after an unclean stop only
        # (tests/store/test_db.py), not at every open.
        assert [o.code for o in outcomes[:4]] == [1] * 4
        assert all("damaged" in o.err for o in outcomes[:4])
    elif case != "empty-file":  # an empty file becomes a store on import, as a new one would
        assert [o.code for o in outcomes] == [1] * len(runs)
        assert _fingerprint(path) == before  # refused: not even switched to WAL


def _fingerprint(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


@pytest.mark.parametrize("case", sorted(hostile.TOML_CASES))
def test_hostile_settings_through_every_command(
    corpus: Corpus, place: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    settings = place / "bad.toml"
    settings.write_text(hostile.TOML_CASES[case], encoding="utf-8")
    db = place / "lib.db"
    shutil.copy(corpus.store, db)
    runs = [
        ("import", str(corpus.good)),
        ("status",),
        ("build", "--out", "site"),
        ("enrich",),
        ("demo", "--tracks", "60", "--plays", "0"),
    ]
    outcomes = [
        run_in_process(capsys, "--config", str(settings), "--db", str(db), *args) for args in runs
    ]
    assert _clean(outcomes) == []


@pytest.mark.parametrize(
    "args",
    [("--tracks", "10"), ("--tracks", "-5"), ("--plays", "-1"), ("--seed", "-1"), ("--out", "")],
)
def test_hostile_demo_arguments(
    place: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    outcome = run_in_process(capsys, "demo", *args)
    assert outcome.problems() == []
    assert outcome.code != 0


def test_hostile_corpus_in_child_processes(corpus: Corpus, tmp_path: Path) -> None:
    """One input of each kind through a real process: nothing printed by a worker
    process, an atexit hook or the interpreter escapes the checks above."""
    db = tmp_path / "lib.db"
    shutil.copy(corpus.store, db)
    picks = [
        corpus.root / "zips" / "bomb.zip",
        corpus.root / "zips" / "unsafe-names.zip",
        corpus.root / "json" / "nested" / "Playlist1.json",
        corpus.root / "csv" / "nul" / "nul.csv",
    ]
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    outcomes = [run_child("--db", str(db), "import", str(p), cwd=tmp_path, env=env) for p in picks]
    outcomes.append(run_child("--db", str(db), "status", cwd=tmp_path, env=env))
    foreign = tmp_path / "foreign.db"
    hostile.STORE_MAKERS["foreign-sqlite"](foreign, corpus.store)
    outcomes.append(run_child("--db", str(foreign), "build", cwd=tmp_path, env=env))
    assert _clean(outcomes) == []
    assert [o.code for o in outcomes] == [1, 0, 1, 0, 0, 1]
