"""django-axes' lock-out check, first among the authentication backends."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out account before any backend checks its password.

    Every sign-in page passes the request. Code that authenticates without
    one (a shell, a script, a test) has no client to lock out, so it goes on
    to the other backends instead of failing as django-axes would.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
