"""Fixtures: a small demo library, its catalogue and the loopback fakes (four providers,
the Cover Art Archive and an image host)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from linernotes.config import ProvidersConfig
from linernotes.demo import DemoLayout, generate_demo
from linernotes.sources.importer import import_paths
from linernotes.store import open_store
from tests.sources.providers.catalogue import FakeCatalogue, read_catalogue
from tests.sources.providers.cover_fakes import CoverArtArchiveFake, ImageHostFake
from tests.sources.providers.fakes import (
    LASTFM_KEY,
    DeezerFake,
    FakeService,
    LastFmFake,
    MusicBrainzFake,
    ReccoBeatsFake,
    serving,
)

FAST = {
    "musicbrainz_rate": 2000.0,
    "deezer_rate": 2000.0,
    "reccobeats_rate": 2000.0,
    "lastfm_rate": 2000.0,
    "coverartarchive_rate": 2000.0,
    "covers_rate": 2000.0,
}


@dataclass(frozen=True)
class DemoLibrary:
    """The small demo, imported once: its store keeps the demo's own labels, genres
    and features (source 'exportify'); the fakes serve the same facts."""

    root: Path
    layout: DemoLayout
    db: Path
    catalogue: FakeCatalogue


@pytest.fixture(scope="session")
def demo_library(tmp_path_factory: pytest.TempPathFactory) -> DemoLibrary:
    root = tmp_path_factory.mktemp("providers-demo")
    layout = generate_demo(root / "export", tracks=300, plays=5000)
    db = root / "demo.db"
    with open_store(db) as store:
        import_paths(store, list(layout.import_paths))
    return DemoLibrary(root, layout, db, read_catalogue(layout.exportify_dir))


@pytest.fixture(scope="session")
def tiny_demo(tmp_path_factory: pytest.TempPathFactory) -> DemoLibrary:
    """A 60-track demo for runs that go through the command line several times."""
    root = tmp_path_factory.mktemp("providers-tiny-demo")
    layout = generate_demo(root / "export", tracks=60, plays=1000)
    db = root / "demo.db"
    with open_store(db) as store:
        import_paths(store, list(layout.import_paths))
    return DemoLibrary(root, layout, db, read_catalogue(layout.exportify_dir))


@dataclass
class Fakes:
    musicbrainz: MusicBrainzFake
    deezer: DeezerFake
    reccobeats: ReccoBeatsFake
    lastfm: LastFmFake
    coverartarchive: CoverArtArchiveFake
    images: ImageHostFake

    @property
    def services(self) -> tuple[FakeService, ...]:
        return (
            self.musicbrainz,
            self.deezer,
            self.reccobeats,
            self.lastfm,
            self.coverartarchive,
            self.images,
        )

    def request_count(self) -> int:
        return sum(len(s.requests) for s in self.services)

    def config(self, *, fast: bool = True, **changes: object) -> ProvidersConfig:
        """Providers pointed at the fakes (fast rates unless ``fast`` is False)."""
        config = ProvidersConfig(
            musicbrainz_base=self.musicbrainz.base_url,
            deezer_base=self.deezer.base_url,
            reccobeats_base=self.reccobeats.base_url,
            lastfm_base=self.lastfm.base_url,
            coverartarchive_base=self.coverartarchive.base_url,
            contact="tests@linernotes.invalid",
        )
        return replace(config, **({**FAST, **changes} if fast else changes))

    def environment(self) -> dict[str, str]:
        """The environment variables that point a linernotes process at the fakes."""
        return {
            "LINERNOTES_MUSICBRAINZ_BASE": self.musicbrainz.base_url,
            "LINERNOTES_DEEZER_BASE": self.deezer.base_url,
            "LINERNOTES_RECCOBEATS_BASE": self.reccobeats.base_url,
            "LINERNOTES_LASTFM_BASE": self.lastfm.base_url,
            "LINERNOTES_COVERARTARCHIVE_BASE": self.coverartarchive.base_url,
        }


def start_fakes(stack: ExitStack, catalogue: FakeCatalogue) -> Fakes:
    """Serve the fakes of ``catalogue`` until ``stack`` closes."""
    return Fakes(
        stack.enter_context(serving(MusicBrainzFake(catalogue), "/ws/2/")),
        stack.enter_context(serving(DeezerFake(catalogue), "/")),
        stack.enter_context(serving(ReccoBeatsFake(catalogue), "/v1/")),
        stack.enter_context(serving(LastFmFake(catalogue, LASTFM_KEY), "/2.0/")),
        stack.enter_context(serving(CoverArtArchiveFake(catalogue), "/")),
        stack.enter_context(serving(ImageHostFake(), "/")),
    )


@pytest.fixture
def fakes(demo_library: DemoLibrary) -> Iterator[Fakes]:
    """The fakes, knowing the small demo."""
    with ExitStack() as stack:
        yield start_fakes(stack, demo_library.catalogue)


@pytest.fixture
def tiny_fakes(tiny_demo: DemoLibrary) -> Iterator[Fakes]:
    """The fakes, knowing the tiny demo."""
    with ExitStack() as stack:
        yield start_fakes(stack, tiny_demo.catalogue)
