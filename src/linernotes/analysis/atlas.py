"""Run every analysis the atlas needs: memberships, clusters and descriptions."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from linernotes.analysis.clustering import Clustering, cluster_tracks
from linernotes.analysis.cooccurrence import CoOccurrence
from linernotes.analysis.describe import describe_clusters
from linernotes.analysis.features import FeatureMatrix, build_features
from linernotes.analysis.library import Library
from linernotes.analysis.listening import Listening
from linernotes.config import Config
from linernotes.model import ClusterMember, Playlist

# Last build's memberships: {(page kind, page key): {track id: cluster number}}.
Memberships = Mapping[tuple[str, str], Mapping[int, int]]


@dataclass(frozen=True)
class ClusterSet:
    """The clusters of one playlist or genre, with a description per cluster."""

    clustering: Clustering
    features: FeatureMatrix
    descriptions: tuple[str, ...]  # one short line per cluster, in cluster order

    def memberships(self) -> dict[int, int]:
        """``{track id: cluster number}`` (0 = odd one out)."""
        return self.clustering.memberships(self.features.track_ids)


@dataclass
class Analysis:
    """Memberships and clusters, computed once per build."""

    library: Library
    listening: Listening
    tracks_by_artist: dict[int, list[int]]
    tracks_by_label: dict[str, list[int]]
    tracks_by_genre: dict[str, list[int]]
    playlist_clusters: dict[int, ClusterSet]
    genre_clusters: dict[str, ClusterSet]
    together: CoOccurrence | None = None  # the listening co-occurrence clustered on

    def cluster_members(self) -> list[ClusterMember]:
        """Every track's cluster on every cluster page, for the next build to follow."""
        keys = {p.id: p.key for p in self.library.playlists}
        pages = [("playlist", keys[p], c) for p, c in self.playlist_clusters.items()]
        pages += [("genre", g, c) for g, c in self.genre_clusters.items()]
        return [
            ClusterMember(kind, key, track, number)
            for kind, key, clusters in pages
            for track, number in clusters.memberships().items()
        ]

    @cached_property
    def playlists_by_track(self) -> dict[int, tuple[int, ...]]:
        """``{track id: ids of the playlists holding it}``, built once: an artist's,
        label's or genre's playlists are found from its tracks, never by scanning
        every playlist for every entity."""
        index: dict[int, list[int]] = defaultdict(list)
        for playlist in self.library.playlists:
            for track in playlist.track_ids:  # each track once per playlist
                index[track].append(playlist.id)
        return {track: tuple(ids) for track, ids in index.items()}

    @cached_property
    def playlists_by_id(self) -> dict[int, Playlist]:
        return {p.id: p for p in self.library.playlists}

    def playlists_with(self, track_ids: Iterable[int]) -> Counter[int]:
        """How many of ``track_ids`` (distinct) each playlist holds; playlists holding
        none are absent."""
        index = self.playlists_by_track
        return Counter(p for t in set(track_ids) for p in index.get(t, ()))


def analyse(
    library: Library,
    listening: Listening,
    config: Config,
    *,
    together: CoOccurrence | None = None,
    previous: Memberships | None = None,
    progress: Callable[[str], None] | None = None,
) -> Analysis:
    """Compute memberships for every artist, label and genre, and cluster every
    playlist and genre that is big enough: on the tracks' features and, given
    ``together``, on the person's listening; numbered after ``previous``."""
    previous = previous or {}
    by_artist: dict[int, list[int]] = defaultdict(list)
    by_label: dict[str, list[int]] = defaultdict(list)
    by_genre: dict[str, list[int]] = defaultdict(list)
    for track in sorted(library.tracks.values(), key=lambda t: t.id):
        for artist in dict.fromkeys(track.artist_ids):
            by_artist[artist].append(track.id)
        for label in library.labels_of(track):
            by_label[label].append(track.id)
        for genre in track.genres:
            by_genre[genre].append(track.id)
    minimum = config.atlas.cluster_page_min_tracks
    playlist_sets = {}
    for playlist in library.playlists:
        if len(playlist.track_ids) >= minimum:
            playlist_sets[playlist.id] = cluster_set(
                library,
                playlist.track_ids,
                config,
                together=together,
                without=playlist.id,
                previous=previous.get(("playlist", playlist.key)),
            )
            if progress:
                progress(playlist.name)
    genre_sets = {}
    for genre, ids in sorted(by_genre.items()):
        if len(ids) >= max(minimum, config.atlas.genre_clusters_min_tracks):
            genre_sets[genre] = cluster_set(
                library, ids, config, together=together, previous=previous.get(("genre", genre))
            )
            if progress:
                progress(genre)
    return Analysis(
        library,
        listening,
        dict(by_artist),
        dict(by_label),
        dict(by_genre),
        playlist_sets,
        genre_sets,
        together,
    )


def cluster_set(
    library: Library,
    track_ids: Sequence[int],
    config: Config,
    *,
    together: CoOccurrence | None = None,
    without: int | None = None,
    previous: Mapping[int, int] | None = None,
) -> ClusterSet:
    """Build features, cluster and describe one set of tracks. ``together`` adds the
    listening block (leaving out playlist ``without``, the page's own); ``previous``
    (``{track id: number}`` of the last build) keeps cluster numbers stable."""
    tracks = [library.tracks[t] for t in track_ids]
    features = build_features(
        library, tracks, together, without=without, seed=config.clustering.seed
    )
    clustering = cluster_tracks(features, config.clustering, previous)
    return ClusterSet(clustering, features, describe_clusters(library, features, clustering))
