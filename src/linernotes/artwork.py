"""Album art: a downloaded image checked and resized (Pillow), and the cover cache.

``enrich`` downloads every cover once; :func:`cover_sizes` turns the bytes into
the sizes the pages show, and :class:`CoverCache` keeps them in
``<store folder>/cache/covers/``, named after the cover URL, from where every
build copies the ones it uses into the atlas (``images/covers/``) without
touching the network.

A file is refused with the reason (:class:`ArtworkError`) when it is not an
image (an HTML error page), cannot be decoded whole (truncated), or is too
large to decode safely (a "decompression bomb": a few KB claiming 50,000 ×
50,000 pixels) — checked from the header, before any pixel is decoded.
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from linernotes.errors import ArtworkError

# Pixel widths kept of every cover: Art cells are 50 px wide, the artist page's
# cover 160 px; twice that for high-density screens.
SMALL, LARGE = 100, 320
SIZES = (SMALL, LARGE)
QUALITY = 80  # JPEG quality: ~3 KB at 100 px, ~15 KB at 320 px
MAX_BYTES = 30_000_000  # larger than any real cover (a 3000 px JPEG is 2-5 MB)
MAX_PIXELS = 64_000_000  # 8000 × 8000; more is refused before decoding
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")  # what cover servers send; no exotic decoders
CACHE_FOLDER = Path("cache") / "covers"
_SRGB = ImageCms.createProfile("sRGB")
# Part of every file name: a change of sizes or encoding makes new names, never a mix.
_VERSION = "1"


def cover_key(url: str) -> str:
    """The name of a cover URL's files in the cache and the atlas (16 hex digits)."""
    return hashlib.sha256(f"{_VERSION}\x1f{url}".encode()).hexdigest()[:16]


def cover_file_name(url: str, size: int) -> str:
    """``<key>-<size>.jpg``: a cover's file of one size (the same in cache and atlas)."""
    return f"{cover_key(url)}-{size}.jpg"


def cover_sizes(data: bytes) -> dict[int, bytes]:
    """Return the image ``data`` as a JPEG of each of :data:`SIZES` (the longer side at
    most that many pixels, never enlarged; no metadata; the same bytes for the same input).

    Raises :class:`ArtworkError` saying why the data cannot be a cover.
    """
    if not data:
        raise ArtworkError("empty answer")
    if len(data) > MAX_BYTES:
        raise ArtworkError(f"too large ({len(data):,} bytes)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                _check_dimensions(image.size)
                image.draft("RGB", (LARGE, LARGE))  # JPEG: decode at 1/2, 1/4, 1/8 scale
                image.load()
                rgb = _to_rgb(image)
    except UnidentifiedImageError as exc:
        raise ArtworkError(f"not an image ({_sniff(data)})") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ArtworkError("too many pixels to decode safely (a decompression bomb)") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ArtworkError(f"unreadable image ({exc})") from exc
    large = _shrink(rgb, LARGE)
    return {size: _encode(_shrink(large, size)) for size in SIZES}


def _check_dimensions(size: tuple[int, int]) -> None:
    width, height = size
    if width < 1 or height < 1:
        raise ArtworkError(f"no pixels ({width} × {height})")
    if width * height > MAX_PIXELS:
        raise ArtworkError(f"too many pixels to decode safely ({width} × {height})")


def _to_rgb(image: Image.Image) -> Image.Image:
    """The first frame, turned upright (EXIF orientation), in sRGB when it carries a
    colour profile (a CMYK scan, Adobe RGB), transparency on white."""
    upright = _to_srgb(ImageOps.exif_transpose(image))
    if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        rgba = upright.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return upright.convert("RGB")


def _to_srgb(image: Image.Image) -> Image.Image:
    """``image`` converted by its embedded ICC profile to sRGB (the profile is not kept,
    so without this the colours of a CMYK or wide-gamut cover would shift)."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "CMYK"):
        return image
    try:
        converted = ImageCms.profileToProfile(
            image, ImageCms.ImageCmsProfile(io.BytesIO(profile)), _SRGB, outputMode="RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: the plain conversion will do
    return converted if converted is not None else image


def _shrink(image: Image.Image, size: int) -> Image.Image:
    """``image`` with its longer side at most ``size`` pixels (never enlarged)."""
    width, height = image.size
    scale = size / max(width, height)
    if scale >= 1.0:
        return image
    shape = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(shape, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=QUALITY, optimize=True)  # no EXIF, no ICC profile
    return out.getvalue()


def _sniff(data: bytes) -> str:
    """What a non-image answer looks like, for the refusal's reason."""
    head = data[:256].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "an HTML page"
    if head.startswith((b"{", b"[")):
        return "JSON"
    if head.startswith(b"<svg") or b"<svg" in head:
        return "an SVG, which is not supported"
    if head.startswith(b"<"):
        return "an XML or HTML document"
    return f"unknown format, first bytes {data[:8].hex()}"


@dataclass(frozen=True)
class CoverCache:
    """The folder of resized covers beside the store: ``<key>-<size>.jpg`` per cover URL."""

    folder: Path

    @classmethod
    def beside(cls, store_path: Path) -> CoverCache:
        """The cover cache of the store at ``store_path``."""
        return cls(store_path.parent / CACHE_FOLDER)

    def file(self, url: str, size: int) -> Path:
        """Where the cover of ``url`` at ``size`` pixels is (or would be) kept."""
        return self.folder / cover_file_name(url, size)

    def has(self, url: str) -> bool:
        """True when every size of the cover of ``url`` is in the cache."""
        return all(self.file(url, size).is_file() for size in SIZES)

    def save(self, url: str, images: dict[int, bytes]) -> None:
        """Keep ``images`` (as :func:`cover_sizes` gives them) for ``url``; each file is
        written whole or not at all, the largest last, so :meth:`has` never sees half."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for size in sorted(images):
            target = self.file(url, size)
            partial = target.with_name(f".{target.name}.{os.getpid()}.part")
            partial.write_bytes(images[size])
            os.replace(partial, target)
