"""Mail through any provider (django-anymail), health checks, structured logs
and error reports.

Applied at the end of base.py by `extend(globals())`: this module adds to the
base settings (apps, middleware, its own names) and reads the environment
through config.env like the rest.
"""

from __future__ import annotations


def extend(settings: dict) -> None:
    """Add this concern's settings to the base settings `settings` in place."""
