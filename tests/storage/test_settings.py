"""config/settings/storage.py: nothing set keeps local files and one
process's cache; S3_BUCKET and CACHE_URL switch to the bucket and Redis."""

from __future__ import annotations

import pytest

from config.settings import storage

LOCAL = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
S3_ENV = {
    "S3_BUCKET": "hub-files",
    "S3_ENDPOINT_URL": "http://s3:9000",
    "S3_ACCESS_KEY_ID": "key-id",
    "S3_SECRET_ACCESS_KEY": "key-secret",
    "S3_REGION": "eu-west-2",
}


@pytest.fixture
def clean_env(monkeypatch):
    for name in (*S3_ENV, "CACHE_URL", "CACHE_KEY_PREFIX", "S3_URL_EXPIRE_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def extended() -> dict:
    settings = {"STORAGES": {**LOCAL}}
    storage.extend(settings)
    return settings


def test_nothing_set_keeps_local_files_and_the_process_cache(clean_env):
    settings = extended()
    assert settings["STORAGES"] == LOCAL
    assert "CACHES" not in settings


def test_a_bucket_makes_every_file_private_in_it(clean_env):
    for name, value in S3_ENV.items():
        clean_env.setenv(name, value)
    settings = extended()
    default = settings["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "hub-files"
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True and options["querystring_expire"] == 60
    assert options["file_overwrite"] is False
    assert (options["endpoint_url"], options["region_name"]) == ("http://s3:9000", "eu-west-2")
    assert (options["access_key"], options["secret_key"]) == ("key-id", "key-secret")
    assert settings["STORAGES"]["staticfiles"] == LOCAL["staticfiles"]


def test_cache_url_gives_every_server_one_redis_cache(clean_env):
    clean_env.setenv("CACHE_URL", "redis://cache:6379/1")
    cache = extended()["CACHES"]["default"]
    assert cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/1",
        "KEY_PREFIX": "hubcommission",
    }
