"""A corpus of hostile inputs, generated at test time (nothing large is committed):
zips (bombs, 20,000 entries, unsafe and control-character names, encrypted,
damaged), JSON (nested 100,000 deep, impossible values, wrong types), CSVs,
settings files and store files. Each maker writes into a folder and returns the
path to hand to linernotes."""

from __future__ import annotations

import json
import sqlite3
import struct
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

# -- zips --------------------------------------------------------------------------


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A + B from those of A and B (zlib's crc32_combine): the CRC of
    2 GiB of spaces without reading 2 GiB."""
    if length2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _gf2_square(even)
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def _repeated_crc(crc: int, length: int, times: int) -> int:
    """The CRC-32 of a block repeated ``times`` times (by doubling)."""
    result, result_length = 0, 0
    while times:
        if times & 1:
            result = crc32_combine(result, crc, length) if result_length else crc
            result_length += length
        crc, length = crc32_combine(crc, crc, length), length * 2
        times >>= 1
    return result


def write_raw_zip(path: Path, name: str, deflated: bytes, crc: int, size: int) -> Path:
    """A zip of one deflated entry, written by hand: sizes and CRC as given."""
    raw = name.encode()
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(deflated), size, len(raw), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        20,
        20,
        0,
        8,
        0,
        0,
        crc,
        len(deflated),
        size,
        len(raw),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    offset = len(local) + len(raw) + len(deflated)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central) + len(raw), offset, 0)
    path.write_bytes(local + raw + deflated + central + raw + end)
    return path


def zip_bomb(path: Path, *, gib: int = 2, name: str = "Streaming_History_Audio_2020.json") -> Path:
    """A ~2 MB zip whose one entry, named like a history file, unpacks to ``gib`` GiB
    of JSON (``[``, spaces, ``]``), honestly declared, with its true CRC."""
    chunk = b" " * (16 * 1024**2)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(b"[") + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(b"]") + compressor.flush()
    repeats = gib * 64
    crc = crc32_combine(
        zlib.crc32(b"["),
        _repeated_crc(zlib.crc32(chunk), len(chunk), repeats),
        repeats * len(chunk),
    )
    crc = crc32_combine(crc, zlib.crc32(b"]"), 1)
    size = 2 + repeats * len(chunk)
    return write_raw_zip(path, name, head + block * repeats + tail, crc, size)


def lying_zip_bomb(path: Path) -> Path:
    """One entry that declares 1,000 bytes and inflates to 1 GiB."""
    chunk = b"[" + b" " * (16 * 1024**2 - 1)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = block * 64 + compressor.flush()
    return write_raw_zip(path, "Streaming_History_Audio_2021.json", data, 0, 1000)


def many_entries(path: Path, count: int = 20_000, suffix: str = ".txt") -> Path:
    """A zip of ``count`` small junk entries."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(count):
            archive.writestr(f"junk/file_{number:05d}{suffix}", b"not an export")
    return path


def huge_declared(path: Path) -> Path:
    """Entries whose declared sizes add up to 64 TiB (a directory that lies)."""
    many_entries(path, 4, ".json")
    data = bytearray(path.read_bytes())
    start = data.find(b"PK\x01\x02")
    while start >= 0:
        data[start + 24 : start + 28] = struct.pack("<I", 0xFFFFFFFF)
        start = data.find(b"PK\x01\x02", start + 4)
    path.write_bytes(bytes(data))
    return path


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def unsafe_names(path: Path) -> Path:
    """Zip slip, absolute and drive paths, control characters and markup in names."""
    playlist = json.dumps(playlists_document(["ok"])).encode()
    return _zip(
        path,
        {
            "../evil.json": b"[]",
            "/abs.json": b"[]",
            "C:\\windows.json": b"[]",
            "a/../../b.json": b"[]",
            "title\x1b]0;pwned\x07\x1b[2J.json": b"{}",
            "bell\x07\x00nul.csv": b"Track Name\nx\n",
            "[bold red]markup[/bold red].json": b"{}",
            "[/].json": b"{}",
            "nested.zip": _zip_bytes({"Playlist1.json": playlist}),
            "MyData/Playlist1.json": playlist,
        },
    )


def _zip_bytes(entries: dict[str, bytes]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def symlink_entry(path: Path) -> Path:
    """An entry that is a symbolic link to /etc/passwd, named like a library file."""
    info = zipfile.ZipInfo("YourLibrary.json")
    info.external_attr = (0o120777 << 16) | 0x20
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(info, "/etc/passwd")
    return path


def encrypted_entry(path: Path) -> Path:
    """An entry flagged as encrypted (bit 0)."""
    _zip(path, {"YourLibrary.json": b'{"tracks": []}'})
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        data[start + offset] |= 1
    path.write_bytes(bytes(data))
    return path


def unknown_method(path: Path) -> Path:
    """An entry compressed with method 99 (AES, unknown to zipfile)."""
    _zip(path, {"Playlist1.json": b'{"playlists": []}'})
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = data.find(signature)
        data[start + offset : start + offset + 2] = struct.pack("<H", 99)
    path.write_bytes(bytes(data))
    return path


def truncated_zip(path: Path) -> Path:
    _zip(path, {"Playlist1.json": json.dumps(playlists_document(["a"])).encode()})
    path.write_bytes(path.read_bytes()[:-30])
    return path


def duplicate_entries(path: Path) -> Path:
    """Two entries of one name, different content."""
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as archive:
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": the point
        archive.writestr("Playlist1.json", json.dumps(playlists_document(["first"])))
        archive.writestr("Playlist1.json", json.dumps(playlists_document(["second"])))
    return path


# -- JSON ----------------------------------------------------------------------------

HOSTILE_NAMES = (
    "# Heading",
    "> quote",
    "- item",
    "+ plus",
    "1. numbered",
    "2) numbered",
    "---",
    "Song #",
    "see https://evil.example/x and www.evil.example",
    "write to me@evil.example",
    "<script>alert(1)</script>",
    "|pipes| in |cells|",
    "[link](javascript:alert(1))",
    "![img](https://evil.example/x.png)",
    "title\x1b]0;pwned\x07 bell\x07 clear\x1b[2J nul\x00 del\x7f c1\x9b",
    "rtl \u202eevil\u202c",
    "line\nbreak\rreturn\u2028sep",
    "`code` *em* _u_ ~~s~~ $x$",
    "x" * 5000,
)


def playlists_document(names: list[str] | tuple[str, ...]) -> dict[str, object]:
    """A ``Playlist1.json`` with one playlist per name, each with two tracks."""
    return {
        "playlists": [
            {
                "name": name,
                "lastModifiedDate": "2024-01-01",
                "description": name,
                "items": [
                    {
                        "track": {
                            "trackName": f"{name} track {n}",
                            "artistName": f"{name} artist",
                            "albumName": f"{name} album",
                            "trackUri": f"spotify:track:{(index * 7 + n):022d}",
                        },
                        "addedDate": "2024-01-02",
                    }
                    for n in range(2)
                ],
            }
            for index, name in enumerate(names)
        ]
    }


def history_rows(rows: list[tuple[str, int]], names: tuple[str, ...] = ("Song",)) -> bytes:
    """An extended history of (ts, ms_played) rows."""
    return json.dumps(
        [
            {
                "ts": ts,
                "ms_played": ms,
                "master_metadata_track_name": names[i % len(names)],
                "master_metadata_album_artist_name": "Artist",
                "master_metadata_album_album_name": "Album",
                "spotify_track_uri": f"spotify:track:{i:022d}",
            }
            for i, (ts, ms) in enumerate(rows)
        ]
    ).encode()


def account_rows(rows: list[tuple[str, int]]) -> bytes:
    """An account-data history of (endTime, msPlayed) rows."""
    return json.dumps(
        [
            {"endTime": end, "msPlayed": ms, "artistName": "Artist", "trackName": f"Song {i}"}
            for i, (end, ms) in enumerate(rows)
        ]
    ).encode()


IMPOSSIBLE_EXTENDED = [
    ("2021-13-45T99:99:99Z", 1000),
    ("2021-02-30T10:00:00Z", 1000),
    ("2021-01-01T25:00:00Z", 1000),
    ("2021-01-01T10:00:00Z", -5000),
    ("2021-01-01T10:00:01Z", 2**70),
    ("1800-01-01T10:00:00Z", 1000),
    ("2021-01-01T10:00:02Z", 1000),  # the one possible row
]
IMPOSSIBLE_ACCOUNT = [
    ("2021-02-30 25:61", 1000),
    ("2021-04-31 10:00", 1000),
    ("2021-01-01 10:00", -1),
    ("2021-01-01 10:01", 1000),  # the one possible row
]


def nested(depth: int) -> bytes:
    """A playlist file whose one item nests ``depth`` arrays in an audiobook field."""
    inner = b"[" * depth + b"]" * depth
    return (
        b'{"playlists": [{"name": "deep", "items": [{"audiobook": {"name": "x", "more": '
        + inner
        + b"}}]}]}"
    )


def write_json_corpus(folder: Path) -> list[Path]:
    """Every hostile JSON file, written into ``folder``."""
    files: dict[str, bytes] = {
        "nested/Playlist1.json": nested(100_000),
        "top-nested/Streaming_History_Audio_2020.json": b"[" * 100_000 + b"]" * 100_000,
        "impossible/Streaming_History_Audio_2021.json": history_rows(IMPOSSIBLE_EXTENDED),
        "impossible/StreamingHistory_music_0.json": account_rows(IMPOSSIBLE_ACCOUNT),
        "flood/StreamingHistory_music_1.json": account_rows(
            [("2021-05-05 10:00", 1000 + n) for n in range(1_000)]
        ),
        "names/Playlist1.json": json.dumps(playlists_document(HOSTILE_NAMES)).encode(),
        "wrong-types/Playlist1.json": b'{"playlists": "all of them"}',
        "wrong-types/Streaming_History_Audio_2019.json": b'[{"ts": 5, "ms_played": "x"}]',
        "utf16/YourLibrary.json": '{"tracks": [{"track": "é"}]}'.encode("utf-16"),
        "nan/Streaming_History_Audio_2018.json": b'[{"ts": "2018-01-01T00:00:00Z",'
        b' "ms_played": NaN}]',
        "truncated/Playlist1.json": json.dumps(playlists_document(["cut"])).encode()[:-20],
        "records/Streaming_History_Audio_2017.json": b"[" + b"{}," * 300_001 + b"{}]",
        "empty/Follow.json": b"",
        "null/YourLibrary.json": b"null",
        "bom/Playlist1.json": b"\xef\xbb\xbf" + json.dumps(playlists_document(["bom"])).encode(),
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


# -- CSV -----------------------------------------------------------------------------

CSV_HEADER = (
    "Track URI,Track Name,Artist Name(s),Album Name,Album Release Date,Track Duration (ms),"
    "Popularity,Added At,Danceability,Key,Mode,Tempo\n"
)


def csv_row(n: int, name: str = "Song", **values: str) -> str:
    """One Exportify row; ``values`` override duration, key, mode, popularity …"""
    cells = {
        "uri": f"spotify:track:{n:022d}",
        "name": name,
        "artists": "Artist",
        "album": "Album",
        "release": "2020-01-01",
        "duration": "200000",
        "popularity": "50",
        "added": "2024-01-01T10:00:00Z",
        "danceability": "0.5",
        "key": "5",
        "mode": "1",
        "tempo": "120",
        **values,
    }
    return ",".join(json.dumps(v) if "," in v else v for v in cells.values()) + "\n"


def write_csv_corpus(folder: Path) -> list[Path]:
    """Every hostile CSV, written into ``folder``."""
    impossible = CSV_HEADER + "".join(
        [
            csv_row(1, key="99"),
            csv_row(2, mode="-7"),
            csv_row(3, duration="-5000"),
            csv_row(4, popularity="1000"),
            csv_row(5, added="2021-13-45T99:99:99Z"),
            csv_row(6, release="2021-02-30"),
            csv_row(7, danceability="7.5"),
            csv_row(8),  # the one possible row
        ]
    )
    names = CSV_HEADER + "".join(
        csv_row(n, name.replace("\n", " ").replace("\r", " "))
        for n, name in enumerate(HOSTILE_NAMES)
    )
    nfc = unicodedata.normalize("NFC", "Café")
    nfd = unicodedata.normalize("NFD", "Café")
    files: dict[str, bytes] = {
        "impossible/values.csv": impossible.encode(),
        "names/hostile # names.csv": names.encode(),
        f"twins/{nfc}.csv": (CSV_HEADER + csv_row(20) + csv_row(21)).encode(),
        f"twins/{nfd}.csv": (CSV_HEADER + csv_row(22)).encode(),
        "huge-field/big.csv": (CSV_HEADER + csv_row(30, "x" * 200_000)).encode(),
        "nul/nul.csv": (CSV_HEADER + csv_row(31, "a\x00b")).encode(),
        "latin1/latin.csv": (CSV_HEADER + csv_row(32, "Café")).encode("latin-1"),
        "bare-cr/cr.csv": (CSV_HEADER + csv_row(33)).replace("\n", "\r").encode(),
        "formula/=cmd.csv": (CSV_HEADER + csv_row(34, "=cmd|' /C calc'!A0")).encode(),
        "rows/many.csv": (CSV_HEADER + "x,y\n" * 60_001).encode(),
        "header-only/only.csv": CSV_HEADER.encode(),
        "covers/images.csv": _images_csv().encode(),
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


def _images_csv() -> str:
    """Album image URLs a crafted CSV may hold: other schemes, a closed port, a
    server that is down, markup, a URL of 5,000 characters."""
    urls = (
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://127.0.0.1:9/cover.jpg",
        'https://i.scdn.co/image/x"onerror="alert(1)',
        "https://i.scdn.co/image/" + "a" * 5000,
        "ftp://example.org/cover.jpg",
        "",
    )
    rows = [
        f"spotify:track:{n + 40:022d},Song {n},Artist,Album {n},{json.dumps(url)}\n"
        for n, url in enumerate(urls)
    ]
    return "Track URI,Track Name,Artist Name(s),Album Name,Album Image URL\n" + "".join(rows)


# -- settings -------------------------------------------------------------------------

TOML_CASES: dict[str, str] = {
    "store-path-int": "[store]\npath = 5\n",
    "atlas-int": "atlas = 5\n",
    "seed-negative": "[clustering]\nseed = -1\n",
    "k-max-huge": "[clustering]\nk_max = 10000\n",
    "top-n-negative": "[atlas]\ntop_n = -5\n",
    "score-column-int": "[atlas]\nscore_column = 3\n",
    "unknown-section": "[nonsense]\nx = 1\n",
    "not-toml": "\x00\x01 this is [not toml",
    "deeply-nested": "x = " + "[" * 5000 + "]" * 5000 + "\n",
    "aliases-not-names": "[labels]\naliases = 5\n",
}

# -- store files ----------------------------------------------------------------------


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()


def damage_page(path: Path, page: int | None = None) -> None:
    """Overwrite one page in the middle of an SQLite file with garbage."""
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big") or 65536
    pages = len(data) // size
    target = page if page is not None else max(2, pages // 2)
    data[target * size : (target + 1) * size] = b"\xa5" * size
    path.write_bytes(bytes(data))


STORE_MAKERS: dict[str, Callable[[Path, Path], None]] = {}


def store_case(name: str) -> Callable[[Callable[[Path, Path], None]], Callable[[Path, Path], None]]:
    def register(maker: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
        STORE_MAKERS[name] = maker
        return maker

    return register


@store_case("empty-file")
def _empty(path: Path, good: Path) -> None:
    path.write_bytes(b"")


@store_case("foreign-sqlite")
def _foreign_case(path: Path, good: Path) -> None:
    _foreign(path)


@store_case("random-bytes")
def _random(path: Path, good: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


@store_case("truncated-store")
def _truncated(path: Path, good: Path) -> None:
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])


def damage_middle(path: Path) -> None:
    """Overwrite the middle third of an SQLite file's pages with garbage."""
    pages = path.stat().st_size // 4096
    for page in range(pages // 3, 2 * pages // 3 + 1):
        damage_page(path, page)


@store_case("damaged-pages")
def _damaged(path: Path, good: Path) -> None:
    path.write_bytes(good.read_bytes())
    damage_middle(path)


@store_case("newer-schema")
def _newer(path: Path, good: Path) -> None:
    path.write_bytes(good.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()


@store_case("a-folder")
def _folder(path: Path, good: Path) -> None:
    path.mkdir()


@store_case("header-only")
def _header(path: Path, good: Path) -> None:
    path.write_bytes(good.read_bytes()[:100])
