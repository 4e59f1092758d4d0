"""The Spotify Web API as a source: login, one rate-limited client, a resumable sync.

``auth`` logs in (PKCE) and keeps the token; ``client`` is the one door to the
API; ``shapes`` types its JSON; ``sync``, ``playlists`` and ``completion`` bring
the library into the store within development mode's 2026 limits.
"""
