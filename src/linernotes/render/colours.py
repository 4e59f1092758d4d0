"""The colours every chart shares: one per cluster, grey for tracks in no
cluster, and a text grey that reads on a light and on a dark page alike."""

from __future__ import annotations

PALETTE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")
OUTLIER = "#9a9a9a"
# Text of charts seen as image files (GitHub, Obsidian): about 4.3:1 against
# white and against GitHub's dark background; the HTML twin draws its charts
# inline in the page's own text colour instead.
TEXT_GREY = "#787c82"


def cluster_colour(number: int) -> str:
    """The colour of cluster ``number`` (1-based); grey for 0 or below (the tracks
    that fit no cluster)."""
    return PALETTE[(number - 1) % len(PALETTE)] if number >= 1 else OUTLIER
