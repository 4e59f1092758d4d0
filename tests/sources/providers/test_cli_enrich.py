"""``linernotes enrich`` and ``linernotes status`` on the command line (in process)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from linernotes.cli import main
from tests.sources.providers.conftest import DemoLibrary, Fakes
from tests.sources.providers.helpers import copy_store, strip_enrichment

SETTINGS = """
[providers]
deezer_rate = 500.0
reccobeats_rate = 500.0
"""


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["linernotes", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def folder(
    tiny_demo: DemoLibrary, tiny_fakes: Fakes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    copy_store(tiny_demo.db, tmp_path / "lib.db")
    strip_enrichment(tmp_path / "lib.db")
    (tmp_path / "linernotes.toml").write_text(SETTINGS, encoding="utf-8")
    for name, value in tiny_fakes.environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("LINERNOTES_LASTFM_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_enrich_then_status_shows_coverage_per_source(
    folder: Path,
    tiny_fakes: Fakes,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run(
        monkeypatch,
        capsys,
        "--db",
        "lib.db",
        "enrich",
        "--providers",
        "deezer,reccobeats",
        "--limit",
        "20",
    )
    assert code == 0, err
    assert "deezer: looked up 20 of 20 tracks" in out and "reccobeats: looked up 20 of 20" in out
    assert "coverage: " in out
    assert (folder / "http-cache" / "deezer.sqlite").is_file()
    assert not tiny_fakes.musicbrainz.requests  # not asked for
    code, out, _ = _run(monkeypatch, capsys, "--db", "lib.db", "status", "--json")
    info = json.loads(out)
    assert set(info["coverage_by_source"]) == {"label", "genre", "audio_features"}
    assert 0 < info["coverage_by_source"]["label"]["deezer"] <= info["coverage"]["label"]
    assert set(info["coverage_by_source"]["audio_features"]) <= {"deezer", "reccobeats"}
    code, out, _ = _run(monkeypatch, capsys, "--db", "lib.db", "status")
    assert "label by source: deezer" in out
    # How the tracks were identified: the demo's ISRCs come from its Exportify files.
    how = info["identification"]
    counts = [how[k] for k in ("isrc", "spotify_id", "name_search", "not_found", "not_asked")]
    assert how["isrc"] > 0 and sum(counts) <= info["tracks"]  # each track once, local aside
    assert f"ISRC from the import {how['isrc']:,}" in out

    asked = tiny_fakes.request_count()
    code, out, _ = _run(
        monkeypatch, capsys, "--db", "lib.db", "enrich", "--providers", "deezer", "--limit", "20"
    )
    assert code == 0 and tiny_fakes.request_count() > asked  # the next 20 tracks
    assert "deezer: looked up 20 of 20 tracks" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("enrich", "--providers", "napster"), "unknown provider napster"),
        (("enrich", "--providers", "lastfm"), "lastfm_api_key"),
        (("--db", "missing.db", "enrich"), "missing.db"),
    ],
    ids=["unknown-provider", "lastfm-without-key", "no-store"],
)
def test_enrich_errors_are_one_line(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    full = args if args[0] == "--db" else ("--db", "lib.db", *args)
    code, _, err = _run(monkeypatch, capsys, *full)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 1 and len(lines) == 1 and message in lines[0], err
