"""linernotes: turn one person's music library into a cross-linked atlas."""

__version__ = "0.1.0"
