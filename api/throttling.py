"""Requests counted per token in the default cache (Redis in production),
API_RATE_LIMIT at most, e.g. "120/minute"; a request without a working token
is counted by its address."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self) -> str:
        # Read when asked, not when the class is defined: tests and operators
        # change it through settings.
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view) -> str:
        token = request.auth
        ident = f"t{token.pk}" if isinstance(token, ApiToken) else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
