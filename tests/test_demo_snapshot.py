"""The demo restored from the session's copy (tests/demo_db.py) is the demo
the loader made: every table holds the same rows, new rows take the next ids,
the demo's people sign in as after a load, and a file a test deleted comes
back.

The demo is committed once for the module (loaded if this is the session's
first use of it, restored otherwise) and emptied at the end; each test runs in
a transaction that is rolled back, so what a test restores or adds goes away.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.contrib.auth import authenticate, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command

from accounts import mfa
from agreements.models import Agreement
from commissioning.models import Commission, TransitionLog
from demo.data import DEMO_PASSWORD, DEMO_TOTP_SECRET
from hubs.models import Hub
from notices.models import Notification
from tests import demo_db
from tests.factories import HubFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(scope="module")
def snapshot(django_db_setup, django_db_blocker) -> Iterator[demo_db.Snapshot]:
    with django_db_blocker.unblock():
        yield demo_db.load_demo()
        demo_db.flush()


def test_the_copy_holds_the_loaded_demo(snapshot):
    hubs = Hub._meta.db_table
    assert snapshot.counts[hubs] == 5
    assert snapshot.counts[Commission._meta.db_table] > 0
    assert snapshot.counts[User._meta.db_table] > 0
    # the counts were taken from the database, not the copy: every table is in both
    assert set(snapshot.counts) == set(snapshot.tables)


def test_a_restore_brings_back_every_row_of_every_table_and_every_sequence(snapshot):
    # something for the restore to put back, and something to undo
    assert Notification.objects.exists()
    Notification.objects.all().delete()
    User.objects.filter(email__startswith="approver@").update(first_name="Changed")

    demo_db.restore(snapshot)

    assert demo_db.row_counts() == snapshot.counts
    again = demo_db.take()
    assert again.counts == snapshot.counts
    for table, content in snapshot.tables.items():
        assert again.tables[table] == content, table
    assert again.sequences == snapshot.sequences


def test_rows_made_after_a_restore_take_the_next_ids(snapshot):
    demo_db.restore(snapshot)
    highest_user = User.objects.order_by("-pk").values_list("pk", flat=True).first()
    highest_hub = Hub.objects.order_by("-pk").values_list("pk", flat=True).first()

    user, hub = UserFactory(), HubFactory()

    assert user.pk > highest_user
    assert hub.pk > highest_hub
    log = TransitionLog.objects.order_by("-pk").first()
    assert log is not None  # the demo's histories came back


def test_the_demo_people_sign_in_as_after_a_load(snapshot):
    demo_db.restore(snapshot)

    officer = authenticate(username="officer@leics.demo", password=DEMO_PASSWORD)
    assert officer is not None
    approver = User.objects.get(email="approver@leics.demo")
    authenticator = Authenticator.objects.get(user=approver, type=Authenticator.Type.TOTP)
    assert mfa.has_totp(approver)
    # the demo's secret, which sign_in_as and the README's demo_code use
    # (decrypted, not checked with a code: a checked code counts as used)
    assert decrypt(authenticator.data["secret"]) == DEMO_TOTP_SECRET


def test_a_file_the_demo_names_comes_back_if_a_test_deleted_it(snapshot):
    agreement = Agreement.objects.order_by("pk").first()
    agreement.pdf.save("snapshot-test.pdf", ContentFile(b"%PDF-1.7 demo"), save=True)
    name, storage = agreement.pdf.name, agreement.pdf.storage
    try:
        with_file = demo_db.take()
        storage.delete(name)

        demo_db.restore(with_file)

        assert storage.exists(name)
        with storage.open(name, "rb") as f:
            assert f.read() == b"%PDF-1.7 demo"
    finally:
        storage.delete(name)


def test_flush_leaves_the_database_as_manage_py_flush_does(snapshot):
    def content_types():
        return list(ContentType.objects.order_by("pk").values_list("pk", "app_label", "model"))

    try:
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()
        by_django, types_by_django = demo_db.row_counts(), content_types()
        demo_db.restore(snapshot)

        demo_db.flush()

        assert demo_db.row_counts() == by_django
        assert content_types() == types_by_django
        left = {table for table, count in by_django.items() if count}
        # What a flush leaves: content types, permissions, and the standing data
        # that post_migrate writes again (procurement/standing_data.py).
        assert left == {
            ContentType._meta.db_table,
            "auth_permission",
            "procurement_noticethreshold",
            "procurement_bankholiday",
        }
        assert HubFactory().pk == 1  # the id sequences start again
    finally:
        # Sequences are not rolled back with the test: put the demo's back.
        demo_db.restore(snapshot)


def test_the_workers_of_a_run_share_one_copy(snapshot, monkeypatch, tmp_path):
    """The first worker to need the demo writes its copy for the run; a second
    restores from that file instead of running the loader."""
    monkeypatch.setattr(demo_db.tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("PYTEST_XDIST_TESTRUNUID", "run-of-this-test")
    fresh = dataclasses.replace(snapshot, files=[])  # as the demo makes it: no files
    monkeypatch.setattr(demo_db, "take_fresh", lambda using="default": fresh)
    demo_db.shared_or_fresh()  # what load_demo calls when this worker has no copy
    path = demo_db.shared_copy_path()
    assert path.startswith(str(tmp_path / "hubcommission-demo-run-of-this-test"))
    assert os.path.exists(path)

    def loader_runs(using="default"):
        raise AssertionError("the second worker ran the loader")

    monkeypatch.setattr(demo_db, "take_fresh", loader_runs)
    Notification.objects.all().delete()  # for the restore to put back

    second = demo_db.shared_or_fresh()

    assert demo_db.row_counts() == snapshot.counts
    assert second.tables == snapshot.tables
    assert second.key == demo_db.snapshot_key()


def test_outside_xdist_there_is_no_shared_copy(monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_TESTRUNUID", raising=False)
    assert demo_db.shared_copy_path() is None
