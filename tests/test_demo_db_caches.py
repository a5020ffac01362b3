"""A restored demo and the caches of content types agree: a restore puts
back the copy's content-type ids without post_migrate, so it empties
Django's cache and guardian's itself (tests/demo_db.py). Without that, a
module restoring the demo after another module's flush on the same worker
got guardian's MixedContentTypeError from every hub-scoped admin page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from guardian.shortcuts import _get_ct_cached, get_objects_for_user

from hubs.models import Hub
from tests import demo_db


@pytest.mark.django_db(transaction=True)
def test_a_restored_demo_agrees_with_guardians_cache_of_content_types():
    demo_db.load_demo()
    # A transactional test's flush: content types made again, with new ids
    # (the sequences are not reset)
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    _get_ct_cached("hubs", "configure_hub")  # guardian keeps those
    demo_db.load_demo()  # restored: the copy's ids
    admin = get_user_model().objects.get(email="hubadmin@kent.demo")
    hubs = get_objects_for_user(admin, "hubs.configure_hub", klass=Hub, accept_global_perms=False)
    assert [hub.slug for hub in hubs] == ["kent"]
    demo_db.flush()
