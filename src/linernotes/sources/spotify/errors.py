"""What can go wrong talking to the Spotify Web API, as domain errors.

A stop the next run resumes from (a quota, a long ``Retry-After``, repeated
5xx or network errors) is one of the shared :class:`linernotes.errors.StoppedError`
kinds, raised by the HTTP door (``linernotes.sources.http``).
"""

from __future__ import annotations

from linernotes.errors import LinernotesError


class SpotifyError(LinernotesError):
    """The Web API refused or failed a request in a way a run cannot work around."""


class SpotifyAuthError(SpotifyError):
    """No usable login: never logged in, token revoked, or the login flow failed."""


class ForbiddenError(SpotifyError):
    """HTTP 403: a playlist the user may not read, or an endpoint removed in 2026."""

    def __init__(self, what: str, message: str) -> None:
        super().__init__(f"{what}: refused by Spotify (403: {message})")
        self.what = what
        self.reason = message


class NotFoundError(SpotifyError):
    """HTTP 404: the thing asked for does not exist (any more)."""
