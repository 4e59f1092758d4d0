"""Album art: an image is resized to the atlas's sizes, a bad one refused with a reason."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from linernotes import artwork
from linernotes.artwork import LARGE, SIZES, SMALL, CoverCache, cover_key, cover_sizes
from linernotes.errors import ArtworkError
from tests.sources.providers.cover_fakes import HTML_ERROR, jpeg, png_header_only


def _encoded(mode: str, size: tuple[int, int], fmt: str, **save: object) -> bytes:
    colour: object = {"RGB": (200, 30, 40), "RGBA": (200, 30, 40, 0), "L": 128, "P": 3}[mode]
    image = Image.new(mode, size, colour)  # type: ignore[arg-type]
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize(
    ("data", "shape"),
    [
        pytest.param(jpeg("a", 640), (640, 640), id="spotify-640-jpeg"),
        pytest.param(_encoded("RGB", (1200, 800), "PNG"), (1200, 800), id="wide-png"),
        pytest.param(_encoded("RGBA", (500, 500), "PNG"), (500, 500), id="transparent-png"),
        pytest.param(_encoded("L", (3000, 3000), "JPEG"), (3000, 3000), id="grey-3000-jpeg"),
        pytest.param(_encoded("P", (300, 300), "GIF"), (300, 300), id="gif"),
        pytest.param(_encoded("RGB", (64, 64), "WEBP"), (64, 64), id="tiny-webp"),
    ],
)
def test_an_image_becomes_a_jpeg_of_each_size_never_enlarged(
    data: bytes, shape: tuple[int, int]
) -> None:
    sizes = cover_sizes(data)
    assert set(sizes) == set(SIZES)
    for size, encoded in sizes.items():
        image = _open(encoded)
        assert image.format == "JPEG" and image.mode == "RGB"
        longest = min(size, max(shape))
        assert max(image.size) == longest
        ratio = shape[0] / shape[1]
        assert abs(image.size[0] / image.size[1] - ratio) < 0.02
        assert "exif" not in image.info and "icc_profile" not in image.info


def test_transparency_is_laid_on_white() -> None:
    small = _open(cover_sizes(_encoded("RGBA", (200, 200), "PNG"))[SMALL])
    assert all(channel > 245 for channel in small.getpixel((50, 50)))  # type: ignore[union-attr]


def test_exif_orientation_is_applied_and_dropped() -> None:
    image = Image.new("RGB", (400, 200), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    large = _open(cover_sizes(out.getvalue())[LARGE])
    assert large.size == (160, 320)
    assert not large.getexif()


def test_a_colour_profile_is_applied_then_dropped() -> None:
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    tagged = _encoded("RGB", (300, 300), "JPEG", icc_profile=srgb, quality=95)
    small = _open(cover_sizes(tagged)[SMALL])
    assert "icc_profile" not in small.info
    red, green, blue = small.getpixel((50, 50))  # type: ignore[misc]
    assert abs(red - 200) < 8 and green < 45 and blue < 55
    cmyk = io.BytesIO()
    Image.new("CMYK", (200, 200), (0, 255, 255, 0)).save(cmyk, "JPEG")
    assert _open(cover_sizes(cmyk.getvalue())[SMALL]).mode == "RGB"


def test_the_same_image_gives_the_same_bytes() -> None:
    data = jpeg("same", 640)
    assert cover_sizes(data) == cover_sizes(bytes(data))


def test_files_stay_small() -> None:
    photo = Image.effect_noise((640, 640), 60).convert("RGB")  # the worst case: noise
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=95)
    sizes = cover_sizes(out.getvalue())
    assert len(sizes[SMALL]) < 12_000 and len(sizes[LARGE]) < 90_000


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(HTML_ERROR, "not an image (an HTML page)", id="html-error-page"),
        pytest.param(b'{"error": "not found"}', "not an image (JSON)", id="json"),
        pytest.param(b"", "empty", id="empty"),
        pytest.param(jpeg("t")[:1200], "unreadable image", id="truncated-jpeg"),
        pytest.param(_encoded("RGB", (300, 300), "PNG")[:300], "unreadable image", id="cut-png"),
        pytest.param(png_header_only(60_000, 60_000), "too many pixels", id="bomb"),
        pytest.param(png_header_only(9_000, 9_000), "9000 × 9000", id="81-megapixels"),
        pytest.param(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG", id="svg"),
        pytest.param(_encoded("RGB", (8, 8), "BMP"), "not an image", id="bmp-not-accepted"),
    ],
)
def test_a_bad_file_is_refused_with_its_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ArtworkError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        cover_sizes(data)


def test_more_bytes_than_any_cover_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(artwork, "MAX_BYTES", 1000)
    with pytest.raises(ArtworkError, match="too large"):
        cover_sizes(jpeg("x", 640))


def test_the_cache_keeps_every_size_under_the_urls_key(tmp_path: Path) -> None:
    cache = CoverCache.beside(tmp_path / "library.db")
    url = "https://i.scdn.co/image/ab67616d0000b273aaaa"
    assert cache.folder == tmp_path / "cache" / "covers"
    assert not cache.has(url)
    cache.save(url, cover_sizes(jpeg("k")))
    assert cache.has(url)
    assert sorted(p.name for p in cache.folder.iterdir()) == [
        f"{cover_key(url)}-{SMALL}.jpg",
        f"{cover_key(url)}-{LARGE}.jpg",
    ]
    cache.file(url, LARGE).unlink()  # half a cover is no cover
    assert not cache.has(url)
    assert cover_key(url) != cover_key(url + "x") and len(cover_key(url)) == 16
