"""The app as base.py makes it, plus one page that fails (tests/ops/boom_urls.py)."""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "tests.ops.boom_urls"
