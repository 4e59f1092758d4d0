"""The hand-written SVG bar charts: a value on every bar, round years under them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from linernotes.render.colours import TEXT_GREY
from linernotes.render.svg_charts import listening_svg, year_histogram_svg


def test_every_year_gets_a_bar_and_round_years_a_label() -> None:
    years = [1955, 1955, 1962, 1980, 2024]
    svg = year_histogram_svg(years)
    ET.fromstring(svg)  # well formed
    bars = re.findall(r"<title>(\d{4}): (\d+) tracks</title>", svg)
    assert [int(y) for y, _ in bars] == list(range(1955, 2025))
    assert sum(int(n) for _, n in bars) == len(years)
    labels = [int(t) for t in re.findall(r'text-anchor="middle">(\d{4})</text>', svg)]
    assert labels and len(labels) < 20
    step = labels[1] - labels[0]
    assert step in (5, 10, 20) and all(y % step == 0 for y in labels)


def test_text_is_grey_as_a_file_and_names_what_it_shows() -> None:
    svg = listening_svg({"2023": 1200, "2024": 0})
    root = ET.fromstring(svg)
    assert root.get("fill") == TEXT_GREY and root.get("class") == "chart"
    assert root.get("aria-label") == "Minutes listened per year"
    assert "<title>2023: 1,200 min</title>" in svg
    assert ">1,200</text>" in svg  # the peak, with its thousands separator
