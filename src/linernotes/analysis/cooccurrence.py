"""Which tracks belong together in a person's own library: played in the same
listening sessions, kept in the same playlists, made by the same artist.

The co-occurrence of every pair of tracks is computed once per build for the whole
library (sparse matrices); a page takes the rows and columns of its own tracks and
turns them into a feature block (``listening_block``): the co-occurrence
normalised by each track's total, reduced with a truncated SVD to its main
directions (a spectral embedding), so tracks that keep company sit together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD

from linernotes.model import Playlist, TimedPlay

SESSION_GAP_S = 30 * 60  # a pause longer than this between two plays starts a new session
MIN_PLAY_MS = 30_000  # shorter plays are skips: they say what the person did not want
# What a group adds, spread over its pairs: a session 1, a playlist 1, an artist 0.5
# (an artist's tracks belong together, but less surely than what is played together).
PLAYLIST_WEIGHT = 1.0
ARTIST_WEIGHT = 0.5
COMPONENTS = 5  # main directions kept (4-6 measured on the demo; more adds mostly noise)
MIN_COVERAGE = 0.5  # share of a page's tracks that must co-occur with another of them


@dataclass(frozen=True)
class CoOccurrence:
    """How strongly each pair of tracks keeps company.

    ``pairs`` is the symmetric pair matrix of sessions and artists (zero diagonal);
    ``playlists`` the tracks × playlists incidence, whose product with its transpose
    is the pair matrix of the playlists (kept as incidence so that a playlist's own
    page can leave the playlist out: it links every pair of its tracks alike). Rows
    are tracks through ``row_of``."""

    row_of: dict[int, int]  # track id → row
    pairs: sparse.csr_matrix
    playlists: sparse.csr_matrix
    column_of: dict[int, int]  # playlist id → column of ``playlists``
    sessions: int  # listening sessions of two or more tracks

    def between(self, track_ids: Sequence[int], without: int | None = None) -> sparse.csr_matrix:
        """The co-occurrence among ``track_ids`` (rows and columns in that order),
        leaving out playlist ``without``."""
        rows = np.array([self.row_of.get(t, -1) for t in track_ids], dtype=np.int64)
        known = rows >= 0
        pick = sparse.csr_matrix(
            (np.ones(int(known.sum())), (np.flatnonzero(known), rows[known])),
            shape=(len(track_ids), len(self.row_of)),
        )
        members = (pick @ self.playlists).tocsc()
        if without in self.column_of:
            column = self.column_of[without]
            members.data[members.indptr[column] : members.indptr[column + 1]] = 0.0
        together = (pick @ self.pairs @ pick.T + members @ members.T).tocsr()
        together.setdiag(0)
        together.eliminate_zeros()
        return together


def build_cooccurrence(
    plays: Iterable[TimedPlay],
    playlists: Sequence[Playlist],
    artists_of: Mapping[int, Sequence[int]],
) -> CoOccurrence:
    """Return the co-occurrence of sessions (plays of 30 s or more, less than
    ``SESSION_GAP_S`` apart; ``plays`` oldest first), playlists and artists
    (``artists_of``: each track's credited artists)."""
    table = np.fromiter(plays, dtype=[("end", "i8"), ("ms", "i8"), ("track", "i8")])
    sessions = _sessions(table)
    lists = [np.array(p.track_ids, np.int64) for p in playlists]
    by_artist: dict[int, list[int]] = {}
    for track, artists in sorted(artists_of.items()):
        for artist in dict.fromkeys(artists):
            by_artist.setdefault(artist, []).append(track)
    credits = [np.array(t, np.int64) for t in by_artist.values() if len(t) > 1]
    groups = sessions + lists + credits
    ids = np.unique(np.concatenate(groups)) if groups else np.zeros(0, np.int64)
    company = sparse.hstack(
        [_incidence(sessions, 1.0, ids), _incidence(credits, ARTIST_WEIGHT, ids)]
    ).tocsr()
    pairs = (company @ company.T).tocsr()
    pairs.setdiag(0)
    pairs.eliminate_zeros()
    return CoOccurrence(
        {int(t): i for i, t in enumerate(ids.tolist())},
        pairs.astype(np.float32),
        _incidence(lists, PLAYLIST_WEIGHT, ids).astype(np.float32),
        {p.id: i for i, p in enumerate(playlists)},
        len(sessions),
    )


def _sessions(table: np.ndarray) -> list[np.ndarray]:
    """The distinct tracks of each session of two or more, from plays sorted by time."""
    if not len(table):
        return []
    start = table["end"] - table["ms"] // 1000
    gap = np.empty(len(table), bool)
    gap[0] = True
    gap[1:] = start[1:] - table["end"][:-1] > SESSION_GAP_S
    session = np.cumsum(gap) - 1
    heard = table["ms"] >= MIN_PLAY_MS
    pairs = np.unique(np.column_stack([session[heard], table["track"][heard]]), axis=0)
    if not len(pairs):
        return []
    bounds = np.flatnonzero(np.diff(pairs[:, 0])) + 1
    return [g for g in np.split(pairs[:, 1], bounds) if len(g) > 1]


def _incidence(groups: list[np.ndarray], weight: float, ids: np.ndarray) -> sparse.csr_matrix:
    """Tracks × groups, each entry sqrt(weight / (size - 1)): the product with its
    transpose gives every member of a group ``weight`` in all, spread over its pairs."""
    if not groups:
        return sparse.csr_matrix((len(ids), 0))
    sizes = np.array([len(g) for g in groups], dtype=np.int64)
    members = np.searchsorted(ids, np.concatenate(groups))
    columns = np.repeat(np.arange(len(groups)), sizes)
    values = np.repeat(np.sqrt(weight / np.maximum(sizes - 1, 1)), sizes)
    return sparse.csr_matrix((values, (members, columns)), shape=(len(ids), len(groups)))


def listening_block(
    together: CoOccurrence, track_ids: Sequence[int], seed: int, without: int | None = None
) -> np.ndarray | None:
    """Each track's place among the page's own tracks: the co-occurrence among
    ``track_ids`` normalised by each track's total within the page (so a page
    depends only on its own tracks), its ``COMPONENTS`` main directions (truncated
    SVD), each row scaled to unit length. NaN rows for tracks that never met
    another track of the page; None when fewer than ``MIN_COVERAGE`` of them did."""
    counts = together.between(track_ids, without)
    totals = np.asarray(counts.sum(axis=1)).ravel()
    met = totals > 0
    n = len(track_ids)
    if n < 4 or met.mean() < MIN_COVERAGE:
        return None
    scale = sparse.diags(1 / np.sqrt(np.where(met, totals, 1.0)))
    parts = min(COMPONENTS, n - 2)
    svd = TruncatedSVD(n_components=parts, algorithm="arpack", random_state=seed)
    embedding = svd.fit_transform(scale @ counts @ scale)
    embedding /= np.sqrt(np.maximum(svd.singular_values_, 1e-12))
    length = np.linalg.norm(embedding, axis=1)
    out = np.full((n, parts), np.nan)
    good = met & (length > 1e-12)
    out[good] = embedding[good] / length[good, None]
    return out
