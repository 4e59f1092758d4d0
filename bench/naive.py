"""The naive baseline: what a data scientist would write in an afternoon.

usage: python bench/naive.py EXPORT_FOLDER OUT_FOLDER

pandas reads the extended streaming history and every Exportify CSV; for each
playlist a KMeans k-sweep (k = 2..10, ``n_init=10``) scored by the full
silhouette picks the clusters, matplotlib draws a PCA scatter, and a Markdown
table lists the tracks with their cluster and play count. No genres, labels,
artists, indexes, links or HTML: the playlist part of the job only.
``bench/scale.py`` times it on the same library as linernotes.
Needs the ``bench`` extra (pandas, tabulate).
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

FEATURES = [
    "Danceability",
    "Energy",
    "Loudness",
    "Speechiness",
    "Acousticness",
    "Instrumentalness",
    "Liveness",
    "Valence",
    "Tempo",
]


def read_history(export: Path) -> pd.DataFrame:
    """Plays and minutes per track URI from the extended streaming history."""
    files = sorted(export.rglob("Streaming_History_Audio_*.json"))
    if not files:
        return pd.DataFrame(columns=["plays", "minutes"])
    history = pd.concat([pd.read_json(f) for f in files], ignore_index=True)
    history = history.dropna(subset=["spotify_track_uri"])
    grouped = history.groupby("spotify_track_uri")["ms_played"]
    return pd.DataFrame({"plays": grouped.size(), "minutes": grouped.sum() / 60_000})


def cluster(features: pd.DataFrame) -> tuple[list[int], pd.DataFrame]:
    """Best k by silhouette over k = 2..10; labels and a 2-D PCA of the scaled features."""
    scaled = StandardScaler().fit_transform(features)
    best_score, best_labels = -1.0, [0] * len(features)
    for k in range(2, min(10, len(features) - 1) + 1):
        labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(scaled)
        score = silhouette_score(scaled, labels)
        if score > best_score:
            best_score, best_labels = score, list(labels)
    coords = pd.DataFrame(PCA(n_components=2).fit_transform(scaled), columns=["x", "y"])
    return best_labels, coords


def playlist_page(csv_path: Path, plays: pd.DataFrame, out: Path) -> None:
    df = pd.read_csv(csv_path)
    df = df.merge(plays, left_on="Track URI", right_index=True, how="left")
    df[["plays", "minutes"]] = df[["plays", "minutes"]].fillna(0)
    df["cluster"] = ""
    with_features = df.dropna(subset=FEATURES)
    image = ""
    if len(with_features) >= 10:
        labels, coords = cluster(with_features[FEATURES])
        df.loc[with_features.index, "cluster"] = [f"#{label + 1}" for label in labels]
        fig, ax = plt.subplots(figsize=(7, 5))
        for label in sorted(set(labels)):
            rows = [i for i, value in enumerate(labels) if value == label]
            ax.scatter(coords.x[rows], coords.y[rows], s=12, label=f"cluster {label + 1}")
        ax.legend()
        ax.set_title(csv_path.stem)
        image = f"{csv_path.stem}.png"
        fig.savefig(out / image)
        plt.close(fig)
    table = df[["Track Name", "Artist Name(s)", "Album Name", "cluster", "plays", "minutes"]]
    text = f"# {csv_path.stem}\n\n"
    if image:
        text += f"![clusters]({image})\n\n"
    text += table.sort_values("plays", ascending=False).to_markdown(index=False) + "\n"
    (out / f"{csv_path.stem}.md").write_text(text, encoding="utf-8")


def main() -> None:
    export, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    plays = read_history(export)
    for csv_path in sorted(export.rglob("*.csv")):
        if "liked" not in csv_path.stem.lower():
            playlist_page(csv_path, plays, out)


if __name__ == "__main__":
    main()
