"""Allow ``python -m linernotes``."""

from linernotes.cli import main

main()
