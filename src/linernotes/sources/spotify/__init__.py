"""The Spotify Web API as a source: login, one rate-limited client, a resumable sync.

``auth`` logs in (PKCE) and keeps the token; ``client`` is the one entry point to
the API (spotipy on the shared HTTP door, ``linernotes.sources.http``);
``shapes`` types its JSON; ``sync`` runs the steps — its own, ``playlists`` and
``completion``, which share a ``context`` — to bring the library into the store
within development mode's 2026 limits.
"""
