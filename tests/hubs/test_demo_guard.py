"""The demo's accounts are made only where DEBUG is on (issue 13, low): its
site administrator's password and authenticator secret are in the README, so
load_demo and national_dataset refuse on a server. The test settings allow
them; here the settings are those of a server run on the base settings."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from hubs.models import Hub

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def on_a_server(settings):
    settings.DEBUG = False
    settings.SETTINGS_MODULE = "config.settings.base"
    return settings


def test_the_demo_refuses_to_load_with_debug_off(on_a_server):
    with pytest.raises(CommandError, match="runs only with DEBUG on"):
        call_command("load_demo", "--quiet")

    assert not User.objects.exists()
    assert not Hub.objects.exists()


def test_the_national_dataset_refuses_with_debug_off(on_a_server):
    with pytest.raises(CommandError, match="runs only with DEBUG on"):
        call_command("national_dataset", "--hubs", "1", "--allow-sqlite")

    assert not User.objects.exists()


def test_debug_on_or_an_explicit_setting_allows_the_demo(on_a_server):
    from demo.guard import demo_allowed

    assert not demo_allowed()
    on_a_server.DEBUG = True
    assert demo_allowed()
    on_a_server.DEBUG = False
    on_a_server.DEMO_ALLOWED = True
    assert demo_allowed()


def test_an_explicit_setting_refuses_the_demo_even_with_debug_on(on_a_server):
    from demo.guard import demo_allowed

    on_a_server.DEBUG = True
    on_a_server.DEMO_ALLOWED = False
    assert not demo_allowed()


def test_the_test_settings_allow_the_demo(settings):
    from demo.guard import demo_allowed

    assert settings.SETTINGS_MODULE == "config.settings.test"
    assert not settings.DEBUG
    assert demo_allowed()
