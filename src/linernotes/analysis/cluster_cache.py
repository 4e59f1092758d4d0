"""Clusterings kept between builds, each under a key of exactly its inputs.

A clustering is a pure function of its feature matrix (every field of it),
the clustering settings, the previous build's cluster numbers of its tracks
and the program (``program_digest``): a build that
meets the same key again takes the stored result instead of running KMeans.
The pipeline loads the cache from a file beside the store and saves what the
build used (``encode``/``decode``); analysis only calls ``get``.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

import msgspec
import numpy as np

from linernotes.analysis.clustering import Clustering
from linernotes.analysis.features import FeatureMatrix
from linernotes.config import ClusteringConfig
from linernotes.program import program_digest


class ClusterCache:
    """Clusterings by key: those of an earlier build (``known``) and this one's (``used``)."""

    def __init__(self, known: dict[str, Clustering] | None = None) -> None:
        self.known = known or {}
        self.used: dict[str, Clustering] = {}
        self.hits = 0

    def get(
        self,
        features: FeatureMatrix,
        config: ClusteringConfig,
        previous: Mapping[int, int] | None,
        compute: Callable[[FeatureMatrix, ClusteringConfig, Mapping[int, int] | None], Clustering],
    ) -> Clustering:
        """The clustering of ``features`` (numbered after ``previous``): the stored one
        when its key is known, else computed."""
        key = clustering_key(features, config, previous)
        found = self.used.get(key) or self.known.get(key)
        if found is None:
            found = compute(features, config, previous)
        else:
            self.hits += 1
        self.used[key] = found
        return found

    def encode(self) -> bytes:
        """This build's clusterings (only those: the file never grows stale entries)."""
        return msgspec.msgpack.encode(self.used, enc_hook=_encode_array)

    @classmethod
    def decode(cls, data: bytes) -> ClusterCache:
        """The cache ``encode`` wrote; raises ``msgspec.DecodeError`` or
        ``msgspec.ValidationError`` when the data is damaged or of another shape."""
        known = msgspec.msgpack.decode(data, type=dict[str, Clustering], dec_hook=_decode_array)
        return cls(known)


def clustering_key(
    features: FeatureMatrix, config: ClusteringConfig, previous: Mapping[int, int] | None = None
) -> str:
    """A hash of every field of ``features``, the settings, the previous build's
    numbers (``{track id: number}``) and the program."""
    h = hashlib.sha256(program_digest().encode())
    h.update(msgspec.json.encode(config))
    h.update(msgspec.json.encode(sorted((previous or {}).items())))
    for field in dataclasses.fields(features):
        h.update(f"\x1e{field.name}\x1f".encode())
        _hash_value(h, getattr(features, field.name))
    return h.hexdigest()


def _hash_value(h: Any, value: object) -> None:
    if isinstance(value, np.ndarray):
        h.update(f"{value.dtype}{value.shape}".encode())
        h.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, dict):
        for name in sorted(value):
            h.update(f"\x1d{name}\x1c".encode())
            _hash_value(h, value[name])
    else:
        h.update(msgspec.json.encode(value))


def _encode_array(value: object) -> Any:
    if isinstance(value, np.ndarray):
        return [str(value.dtype), list(value.shape), np.ascontiguousarray(value).tobytes()]
    raise NotImplementedError(f"cannot store {type(value).__name__} in the cluster cache")


def _decode_array(kind: type, value: Any) -> Any:
    if kind is np.ndarray:
        dtype, shape, data = value
        return np.frombuffer(data, dtype=np.dtype(dtype)).reshape(shape).copy()
    raise NotImplementedError(f"cannot read {kind} from the cluster cache")
