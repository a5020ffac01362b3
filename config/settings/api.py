"""The REST API under /api/v1/ (Django REST Framework, drf-spectacular).

Applied at the end of base.py by `extend(globals())`: this module adds to the
base settings (apps, middleware, its own names) and reads the environment
through config.env like the rest.

Only per-person tokens sign in here (api.authentication: `Authorization:
Bearer <key>`), never the session cookie, so the API needs no CSRF token and
a page's session cannot be used to call it. Each token's requests are
counted in the default cache (api.throttling): API_RATE_LIMIT, e.g.
"120/minute".
"""

from __future__ import annotations

from config.env import envstr


def extend(settings: dict) -> None:
    """Add this concern's settings to the base settings `settings` in place."""
    settings["INSTALLED_APPS"] = [
        *settings["INSTALLED_APPS"],
        "rest_framework",
        "drf_spectacular",
        "api",
    ]
    settings["API_RATE_LIMIT"] = envstr("API_RATE_LIMIT", "120/minute")
    settings["REST_FRAMEWORK"] = {
        "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
        "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
        "PAGE_SIZE": 25,
        "DEFAULT_SCHEMA_CLASS": "api.schema.HubSchema",
        "EXCEPTION_HANDLER": "api.errors.exception_handler",
        "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    }
    settings["SPECTACULAR_SETTINGS"] = {
        "TITLE": "hubcommission API",
        "DESCRIPTION": (
            "Read a hub's commissions, partners, calls, agreements, payments, reports and "
            "register; submit a partner's report; record an instalment paid. Every request "
            "carries `Authorization: Bearer <key>`, a key a hub admin issues in the admin "
            "(API tokens). A key works in its own hub only: any other hub is a 404."
        ),
        "VERSION": "1",
        "SERVE_INCLUDE_SCHEMA": False,
        "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
        "SERVE_AUTHENTICATION": [],
        "SCHEMA_PATH_PREFIX": r"/api/v1",
        "COMPONENT_SPLIT_REQUEST": True,
        "ENUM_NAME_OVERRIDES": {
            "AgreementStatusEnum": "agreements.models.AgreementStatus",
            "InstalmentStatusEnum": "agreements.models.InstalmentStatus",
            "ReportStatusEnum": "monitoring.models.ReportStatus",
        },
    }
