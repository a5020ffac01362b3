"""Which address a provider vouches for, from the claims it sent."""

from __future__ import annotations

from accounts.sso import provider_claims, verified_email


def test_google_says_so_in_email_verified():
    claims = provider_claims({"userinfo": {"email": "Ann@Herts.gov.uk", "email_verified": True}})
    assert verified_email(claims) == "ann@herts.gov.uk"


def test_entra_says_so_only_in_its_id_token():
    # Entra ID's userinfo answer has the address but no word on verification;
    # its ID token carries xms_edov when the app asks for it.
    data = {
        "userinfo": {"sub": "abc", "email": "ann@herts.gov.uk"},
        "id_token": {"sub": "abc", "email": "ann@herts.gov.uk", "xms_edov": True},
    }
    assert verified_email(provider_claims(data)) == "ann@herts.gov.uk"


def test_an_address_nobody_verified_is_not_used():
    data = {"userinfo": {"email": "ann@herts.gov.uk"}, "id_token": {"email": "ann@herts.gov.uk"}}
    assert verified_email(provider_claims(data)) == ""
    unverified = {"id_token": {"email": "ann@herts.gov.uk", "email_verified": False}}
    assert verified_email(provider_claims(unverified)) == ""


def test_the_signed_id_token_wins_over_userinfo():
    data = {
        "userinfo": {"email": "ann@herts.gov.uk", "email_verified": True},
        "id_token": {"email": "ann@herts.gov.uk", "email_verified": False},
    }
    assert verified_email(provider_claims(data)) == ""
