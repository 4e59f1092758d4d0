"""What can go wrong talking to the Spotify Web API, as domain errors."""

from __future__ import annotations

from datetime import datetime

from linernotes.errors import LinernotesError


class SpotifyError(LinernotesError):
    """The Web API refused or failed a request in a way a run cannot work around."""


class SpotifyAuthError(SpotifyError):
    """No usable login: never logged in, token revoked, or the login flow failed."""


class SpotifyUnavailableError(SpotifyError):
    """Spotify kept failing (5xx, network) beyond the retries allowed; try later."""


class QuotaError(SpotifyError):
    """Spotify asked us to wait longer than the configured cap (or the wait is not over).

    ``resume_after`` is the earliest UTC time at which a request may be sent.
    """

    def __init__(self, message: str, resume_after: datetime) -> None:
        super().__init__(message)
        self.resume_after = resume_after


class ForbiddenError(SpotifyError):
    """HTTP 403: a playlist the user may not read, or an endpoint removed in 2026."""

    def __init__(self, what: str, message: str) -> None:
        super().__init__(f"{what}: refused by Spotify (403: {message})")
        self.what = what
        self.reason = message


class NotFoundError(SpotifyError):
    """HTTP 404: the thing asked for does not exist (any more)."""


def format_time(moment: datetime) -> str:
    """Return ``moment`` as ``YYYY-MM-DD HH:MM:SS UTC`` (how messages show times)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
