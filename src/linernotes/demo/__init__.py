"""The demo: an invented person's Spotify export, written in the real file formats.

A source of files, not a consumer of the store: ``generate_demo`` writes the
account data, extended history and Exportify CSVs that the importers then
read exactly like a real export, plus ``demo-truth.json`` for tests. It
imports nothing from linernotes but ``linernotes.errors``.
"""

from __future__ import annotations

from linernotes.demo.generator import MIN_TRACKS, DemoLayout, check_demo_arguments, generate_demo

__all__ = ["MIN_TRACKS", "DemoLayout", "check_demo_arguments", "generate_demo"]
