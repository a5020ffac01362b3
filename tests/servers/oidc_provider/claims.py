"""What the test provider says about its users: their email (verified, unless
the user's last name says "unverified"), and their names."""

from __future__ import annotations


def userinfo(claims: dict, user) -> dict:
    claims["email"] = user.email
    claims["email_verified"] = user.last_name != "unverified"
    claims["given_name"] = user.first_name
    claims["family_name"] = "" if user.last_name == "unverified" else user.last_name
    claims["name"] = user.get_full_name()
    claims["preferred_username"] = user.username
    return claims
