"""Analysis: read the store, fold labels and genres, score, cluster."""
