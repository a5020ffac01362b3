"""Sets up the test provider's database: its tables, a signing key (the
provider's own `creatersakey` management command), one confidential client
and the users given, all read from a JSON file:

    python -m tests.servers.oidc_provider.seed plan.json

with DJANGO_SETTINGS_MODULE=tests.servers.oidc_provider.settings.
"""

from __future__ import annotations

import json
import sys

import django


def main(plan_path: str) -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType

    with open(plan_path, encoding="utf-8") as handle:
        plan = json.load(handle)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("creatersakey")
    code, _ = ResponseType.objects.get_or_create(
        value="code", defaults={"description": "code (Authorization Code Flow)"}
    )
    client = Client(
        name=plan.get("client_name", "hubcommission"),
        client_type="confidential",
        client_id=plan["client_id"],
        client_secret=plan["client_secret"],
        jwt_alg="RS256",
        require_consent=plan.get("require_consent", True),
        reuse_consent=False,
    )
    client.redirect_uris = plan["redirect_uris"]
    client.save()
    client.response_types.add(code)
    User = get_user_model()
    for person in plan.get("users", []):
        user = User(
            username=person["username"],
            email=person["email"],
            first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""),
        )
        user.set_password(person["password"])
        user.save()


if __name__ == "__main__":
    main(sys.argv[1])
