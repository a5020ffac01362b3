"""`Authorization: Bearer <key>`: the only way into the API.

No header at all is left to DRF (401, asking for a bearer token); a header
with a key that is unknown, revoked or expired is refused (401) in words.
"""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from api.services import token_for_key

KEYWORD = b"bearer"


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send the key as 'Authorization: Bearer <key>'.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("That is not an API key.") from None
        token = token_for_key(key)
        if token is None:
            raise AuthenticationFailed("That API key is not valid: unknown, revoked or expired.")
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
