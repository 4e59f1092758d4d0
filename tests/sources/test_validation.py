"""Impossible values are not stored (issue 10, class 10): the row is skipped, with
the reason, and counted in ``status``. Twin file names stay two sources (class 14)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linernotes.sources.importer import import_paths
from linernotes.sources.validate import RowRejected, check_date, play_problem
from linernotes.store import Store
from linernotes.store.skipped import skipped_rows
from tests import hostile


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _stored(store: Store, sql: str) -> list[object]:
    return [row[0] for row in store.conn.execute(sql)]


def test_impossible_plays_of_an_extended_history_are_skipped(store: Store, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "Streaming_History_Audio_2021.json",
        hostile.history_rows(hostile.IMPOSSIBLE_EXTENDED),
    )
    report = import_paths(store, [path])
    assert [(f.status, f.rows_skipped) for f in report.files] == [("imported", 6)]
    assert _stored(store, "SELECT ts FROM plays") == ["2021-01-01T10:00:02Z"]
    assert _stored(store, "SELECT MIN(ms_played) FROM plays") == [1000]
    rows = {row.reason: row for row in skipped_rows(store.conn)}
    assert rows["'ts' is not a real time of day"].example == "'2021-13-45T99:99:99Z'"
    assert rows["'ts' is not a real date"].first_at == "entry 2"
    assert rows["'ms_played' is not a possible duration"].rows == 2
    assert sum(row.rows for row in rows.values()) == 6


def test_impossible_plays_of_account_data_are_skipped(store: Store, tmp_path: Path) -> None:
    path = _write(
        tmp_path, "StreamingHistory_music_0.json", hostile.account_rows(hostile.IMPOSSIBLE_ACCOUNT)
    )
    report = import_paths(store, [path])
    assert report.files[0].rows_skipped == 3
    assert _stored(store, "SELECT ts FROM plays") == ["2021-01-01T10:01:00Z"]
    examples = {row.example for row in skipped_rows(store.conn)}
    assert examples == {"'2021-02-30 25:61'", "'2021-04-31 10:00'", "-1"}


def test_impossible_exportify_rows_are_skipped(store: Store, tmp_path: Path) -> None:
    corpus = hostile.write_csv_corpus(tmp_path / "csv")
    path = next(p for p in corpus if p.name == "values.csv")
    report = import_paths(store, [path])
    assert report.files[0].rows_skipped == 7
    assert _stored(store, "SELECT COUNT(*) FROM playlist_items") == [1]
    assert _stored(store, "SELECT key FROM audio_features") == [5]
    reasons = sorted(row.reason for row in skipped_rows(store.conn))
    assert reasons == sorted(
        [
            "'key' out of range -1 to 11",
            "'mode' out of range 0 to 1",
            "'duration' out of range 0 to 1,099,511,627,776",
            "'popularity' out of range 0 to 100",
            "'Added At' is not a real time of day",
            "'Album Release Date' is not a real date",
            "'danceability' out of range 0 to 1",
        ]
    )


def test_a_playlist_item_added_on_an_impossible_day_is_skipped(
    store: Store, tmp_path: Path
) -> None:
    document = hostile.playlists_document(["Mix"])
    items = document["playlists"][0]["items"]  # type: ignore[index]
    items[0]["addedDate"] = "2021-02-30"
    path = _write(tmp_path, "Playlist1.json", json.dumps(document).encode())
    assert import_paths(store, [path]).files[0].rows_skipped == 1
    assert _stored(store, "SELECT COUNT(*) FROM playlist_items") == [1]
    assert skipped_rows(store.conn)[0].first_at == "playlist 'Mix', item 1"


def test_a_flood_of_plays_in_one_minute_is_cut(store: Store, tmp_path: Path) -> None:
    rows = [("2021-05-05 10:00", 1000 + n) for n in range(1000)]
    path = _write(tmp_path, "StreamingHistory_music_0.json", hostile.account_rows(rows))
    assert import_paths(store, [path]).files[0].rows_skipped == 800
    assert _stored(store, "SELECT COUNT(*) FROM plays") == [200]


def test_skipped_rows_are_counted_in_status(tmp_path: Path) -> None:
    from tests.clirun import run_child

    path = _write(
        tmp_path,
        "Streaming_History_Audio_2021.json",
        hostile.history_rows(hostile.IMPOSSIBLE_EXTENDED),
    )
    assert run_child("--db", "l.db", "import", str(path), cwd=tmp_path).code == 0
    status = run_child("--db", "l.db", "status", "--json", cwd=tmp_path)
    assert sum(row["rows"] for row in json.loads(status.out)["rows_skipped"]) == 6
    text = run_child("--db", "l.db", "status", cwd=tmp_path).out
    assert "rows skipped (impossible values): 6" in text


@pytest.mark.parametrize(
    "value",
    ["2021-01-01", "2021-01", "2021", "0000", "1970-01-01T00:00:00Z", "2024-02-29", None, ""],
)
def test_real_dates_pass(value: str | None) -> None:
    check_date(value, "date")


@pytest.mark.parametrize("value", ["2021-13-01", "2021-02-29", "2021-00", "yesterday", "2021-1"])
def test_impossible_dates_are_rejected(value: str) -> None:
    with pytest.raises(RowRejected):
        check_date(value, "date")


@given(st.datetimes(), st.integers(min_value=0, max_value=2**40))
def test_every_real_moment_is_a_possible_play(moment: object, ms: int) -> None:
    ts = moment.strftime("%Y-%m-%dT%H:%M:%SZ")  # type: ignore[attr-defined]
    year_ok = 1990 <= moment.year <= 2100  # type: ignore[attr-defined]
    assert (play_problem(ts, ms, "ts", "ms") is None) == year_ok


# -- class 14: file names that differ only in normalisation are two sources -----------------


def test_nfc_and_nfd_twins_are_two_playlists(store: Store, tmp_path: Path) -> None:
    corpus = hostile.write_csv_corpus(tmp_path / "csv")
    twins = sorted(p for p in corpus if p.parent.name == "twins")
    assert len(twins) == 2 and twins[0].name != twins[1].name
    assert unicodedata.normalize("NFC", twins[0].name) == unicodedata.normalize(
        "NFC", twins[1].name
    )
    report = import_paths(store, twins)
    assert [f.status for f in report.files] == ["imported", "imported"]
    rows = store.conn.execute(
        "SELECT p.name, COUNT(i.position) FROM playlists AS p"
        " JOIN playlist_items AS i ON i.playlist_id = p.id GROUP BY p.id ORDER BY 2"
    ).fetchall()
    assert rows == [("Café", 1), ("Café", 2)]
    assert all(not f.notes for f in report.files)


def test_a_csv_merged_into_a_known_playlist_says_so(store: Store, tmp_path: Path) -> None:
    document = hostile.playlists_document(["Road Trip"])
    export = _write(tmp_path, "Playlist1.json", json.dumps(document).encode())
    csv = _write(
        tmp_path,
        "Road_Trip.csv",
        (hostile.CSV_HEADER + hostile.csv_row(0, "Road Trip track 0")).encode(),
    )
    report = import_paths(store, [export, csv])
    notes = [note for f in report.files for note in f.notes]
    assert notes == ["merged into the playlist 'Road Trip' from the account data"]
    assert _stored(store, "SELECT COUNT(*) FROM playlists") == [1]
