"""Loopback fakes of the Cover Art Archive and of an image host (real HTTP, real shapes).

``CoverArtArchiveFake`` answers like coverartarchive.org: ``GET /release/<mbid>``
redirects (307) to archive.org's ``/download/mbid-<mbid>/index.json``, the listing
``{"images": [{"approved", "back", "comment", "edit", "front", "id", "image",
"thumbnails": {"250", "500", "1200", "small", "large"}, "types"}], "release"}``
(the shape of the CAA specification and of the API's answers quoted in clients);
a thumbnail URL (``http://…/release/<mbid>/<id>-500.jpg``) redirects (307) to the
file on archive.org (``/download/mbid-<mbid>/mbid-<mbid>-<id>_thumb500.jpg``). A
release without art, or unknown, is a 404. The listing puts a back cover first:
the client must take the one marked ``front``.

``ImageHostFake`` serves ``/image/<name>``: a JPEG drawn from the name, or one of
the bad answers registered with :meth:`ImageHostFake.bad` — an HTML error page
with status 200, a truncated JPEG, a "decompression bomb", a 403, a 404 — and
``/moved/<name>`` redirects to ``/image/<name>``.
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

from tests.sources.providers.catalogue import FakeCatalogue, mbid, numeric_id
from tests.sources.providers.fakes import FakeService, Reply, Request, dumps

HTML_ERROR = (
    b"<!DOCTYPE html><html><head><title>Error</title></head>"
    b"<body><h1>Something went wrong</h1></body></html>"
)


def jpeg(name: str, size: int = 640) -> bytes:
    """A JPEG of ``size`` pixels square, its colour drawn from ``name``."""
    seed = numeric_id("colour:" + name)
    colour = (seed % 256, (seed >> 8) % 256, (seed >> 16) % 256)
    image = Image.new("RGB", (size, size), colour)
    image.paste((255 - colour[0], 128, colour[2]), (size // 4, size // 4, size // 2, size // 2))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG claiming ``width`` × ``height`` pixels with next to no data: a bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


BAD = {
    "html": Reply(200, HTML_ERROR, {"Content-Type": "text/html"}),
    "truncated": Reply(200, jpeg("truncated")[:1500], {"Content-Type": "image/jpeg"}),
    "bomb": Reply(200, png_header_only(60_000, 60_000), {"Content-Type": "image/png"}),
    "big": Reply(200, png_header_only(9_000, 9_000), {"Content-Type": "image/png"}),
    "forbidden": Reply(403, b"<Error><Code>AccessDenied</Code></Error>"),
    "missing": Reply(404, b"<Error><Code>NoSuchKey</Code></Error>"),
}


class ImageHostFake(FakeService):
    """``/image/<name>`` (a JPEG, or a bad answer for the names in ``bad``) and
    ``/moved/<name>`` (a 302 to ``/image/<name>``)."""

    name = "images"

    def __init__(self) -> None:
        super().__init__()
        self.bad: dict[str, Reply] = {}

    def url(self, name: str) -> str:
        return f"{self.base_url}image/{name}"

    def answer(self, request: Request) -> Reply:
        kind, _, name = request.path.strip("/").partition("/")
        if kind == "moved":
            return Reply(302, b"", {"Location": self.url(name)})
        if kind != "image" or not name:
            return Reply(404, b"not here")
        if name in self.bad:
            return self.bad[name]
        return Reply(200, jpeg(name), {"Content-Type": "image/jpeg"})


class CoverArtArchiveFake(FakeService):
    """The Cover Art Archive for the catalogue's albums (the releases the MusicBrainz fake
    gives them); ``without_art`` lists album ids whose release has no image (a 404)."""

    name = "coverartarchive"

    def __init__(self, catalogue: FakeCatalogue, without_art: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.releases = {
            mbid("release", t.album_id): t.album_id
            for t in catalogue.tracks.values()
            if t.album_id not in without_art
        }

    def image_id(self, release: str, side: str = "front") -> int:
        return numeric_id(f"caa:{side}:{release}")

    def answer(self, request: Request) -> Reply:
        parts = request.path.strip("/").split("/")
        if parts[0] == "release" and len(parts) == 2 and parts[1] in self.releases:
            return self._redirect(f"download/mbid-{parts[1]}/index.json")
        if parts[0] == "release" and len(parts) == 3 and parts[1] in self.releases:
            image, _, size = parts[2].removesuffix(".jpg").partition("-")
            file = f"mbid-{parts[1]}-{image}" + (f"_thumb{size}" if size else "")
            return self._redirect(f"download/mbid-{parts[1]}/{file}.jpg")
        if parts[0] == "download" and len(parts) == 3:
            release = parts[1].removeprefix("mbid-")
            if release in self.releases and parts[2] == "index.json":
                return Reply(200, dumps(self._listing(release)))
            if release in self.releases and parts[2].endswith(".jpg"):
                return Reply(200, jpeg(parts[2], 500), {"Content-Type": "image/jpeg"})
        return Reply(404, b"Not Found", {"Content-Type": "text/plain"})

    def _redirect(self, path: str) -> Reply:
        return Reply(307, b"", {"Location": self.base_url + path})

    def _listing(self, release: str) -> dict[str, object]:
        return {
            "images": [self._image(release, "back"), self._image(release, "front")],
            "release": f"https://musicbrainz.org/release/{release}",
        }

    def _image(self, release: str, side: str) -> dict[str, object]:
        image = self.image_id(release, side)
        url = f"{self.base_url}release/{release}/{image}"
        return {
            "approved": True,
            "back": side == "back",
            "comment": "",
            "edit": 17030291,
            "front": side == "front",
            "id": image,
            "image": f"{url}.jpg",
            "thumbnails": {
                "1200": f"{url}-1200.jpg",
                "250": f"{url}-250.jpg",
                "500": f"{url}-500.jpg",
                "large": f"{url}-500.jpg",
                "small": f"{url}-250.jpg",
            },
            "types": [side.capitalize()],
        }
