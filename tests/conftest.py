from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection
from django.test.signals import setting_changed
from xdist.scheduler import LoadGroupScheduling

from demo.data import HUBS
from demo.management.commands.load_demo import Cast, Pipeline, build_hub

SPECS = {spec["slug"]: spec for spec in HUBS}
POLICY_SLUGS = sorted(SPECS)


def pytest_collection_modifyitems(config, items):
    on_postgres = connection.vendor == "postgresql"
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))


# --- on several cores (pytest-xdist: python3 dev.py test) --------------------
# Each worker is a process of its own with its own test database
# (test_<name>_gw0, _gw1, ...), its own demo copy (tests/demo_db.py), its own
# temporary folders and, below, its own MEDIA_ROOT. Live servers, mail servers
# and the like take free ports. Tests that start a real Celery worker give it a
# queue of its own (hubcommission-test-<random>), so two workers sharing a Redis
# database never take each other's tasks.


class FileOrGroupScheduling(LoadGroupScheduling):
    """`--dist loadgroup`, where a test without an `xdist_group` mark is grouped
    with its file (as `--dist loadfile` does) instead of going anywhere: a
    module's shared setup (the demo, a server, a browser) is then made once,
    on one worker. Marked tests (`@pytest.mark.xdist_group("name")`, e.g. the
    browser modules that only read the demo) share a worker across files."""

    def _split_scope(self, nodeid: str) -> str:
        if nodeid.rfind("@") > nodeid.rfind("]"):
            return super()._split_scope(nodeid)
        return nodeid.split("::", 1)[0]

    def _assign_work_unit(self, node) -> None:
        """The heaviest group left goes next, so no worker is left with a long
        one at the end while the others wait (a browser test weighs about
        eight others)."""
        heaviest = max(self.workqueue, key=lambda scope: _weight(self.workqueue[scope]))
        self.workqueue.move_to_end(heaviest, last=False)
        super()._assign_work_unit(node)


def _weight(nodeids) -> int:
    return sum(BROWSER_WEIGHT if nodeid.startswith("tests/browser/") else 1 for nodeid in nodeids)


BROWSER_WEIGHT = 8


def pytest_configure(config):
    """The run's id, chosen here so the controller knows it at the end (xdist
    would choose it itself): the workers share the demo's copy in a folder
    named by it (tests/demo_db.py)."""
    if not hasattr(config, "workerinput") and hasattr(config.option, "testrunuid"):
        config.option.testrunuid = config.option.testrunuid or uuid.uuid4().hex


def pytest_sessionfinish(session):
    """The controller removes the workers' shared demo copy when the run ends."""
    config = session.config
    if hasattr(config, "workerinput") or not getattr(config.option, "testrunuid", None):
        return
    from tests.demo_db import shared_copy_dir

    shutil.rmtree(shared_copy_dir(config.option.testrunuid), ignore_errors=True)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadgroup":
        return FileOrGroupScheduling(config, log)
    return None


@pytest.fixture(scope="session", autouse=True)
def _media_root_per_run(tmp_path_factory) -> Iterator[None]:
    """Uploads go to this run's (this worker's) temporary folder, not the
    checkout's private-media/ shared by every run. Set on the settings
    themselves: under override_settings, settings.SETTINGS_MODULE reads None,
    and the demo's guard (demo.guard) would no longer see the test settings."""
    saved, media = settings.MEDIA_ROOT, tmp_path_factory.mktemp("media")

    def set_media_root(value) -> None:
        settings.MEDIA_ROOT = value
        setting_changed.send(sender=None, setting="MEDIA_ROOT", value=value, enter=True)

    set_media_root(media)
    yield
    set_media_root(saved)


@pytest.fixture
def build():
    """Build one of the five seed hubs exactly as the demo configures it:
    `cast = build("herts")` gives the hub, its people and its partners."""

    def _build(slug: str) -> Cast:
        return build_hub(SPECS[slug])

    return _build


@pytest.fixture
def pipeline():
    """Drive a hub's commissions through the real services (for setup)."""
    return Pipeline


@pytest.fixture
def broker_down():
    """Celery for real (not eager), pointed at a port where nothing listens."""
    from config.celery import app

    keys = ("task_always_eager", "broker_url")
    saved = {key: app.conf[key] for key in keys}

    def forget_connections():
        app._pool = None
        app.amqp._producer_pool = None

    forget_connections()
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    yield
    app.conf.update(saved)
    forget_connections()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Every test starts with an empty cache: the database is rolled back or
    flushed between tests (and the demo copy restored with the same ids), but
    the in-memory cache would keep a standing or an unread count read in an
    earlier test (hubs.standing_cache)."""
    from django.core.cache import cache

    cache.clear()
