"""A real S3-compatible server for the tests: moto's standalone server, run as
a subprocess on a free port for the session.

    # in a conftest.py (imported there, they are the directory's fixtures):
    from tests.servers.s3 import s3_server, s3_storage  # noqa: F401

    # in a test module below it:
    def test_it_keeps_the_file(s3_storage):
        ...  # default storage is now a fresh, private bucket on that server

`s3_server` gives the running server (its endpoint, credentials and a boto3
client); `s3_storage` switches Django's default storage to a new bucket on it,
through the same `config.settings.storage.s3_storage` production uses, and
back at the end. `stopped_s3_endpoint()` is an address where nothing answers
(a storage that is down).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

ACCESS_KEY_ID = "hubcommission-test"
SECRET_ACCESS_KEY = "hubcommission-test-secret"
REGION = "eu-west-2"
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stopped_s3_endpoint() -> str:
    """An endpoint URL where no server listens."""
    return f"http://127.0.0.1:{free_port()}"


@dataclass
class S3Server:
    endpoint_url: str
    process: subprocess.Popen
    access_key_id: str = ACCESS_KEY_ID
    secret_access_key: str = SECRET_ACCESS_KEY
    region: str = REGION

    def client(self, *, unsigned: bool = False) -> Any:
        import boto3
        from botocore import UNSIGNED
        from botocore.config import Config

        config = Config(
            signature_version=UNSIGNED if unsigned else "s3v4",
            s3={"addressing_style": "path"},
        )
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=self.secret_access_key,
            region_name=self.region,
            config=config,
        )

    def create_bucket(self, name: str | None = None) -> str:
        """A new private bucket, public access blocked, as an operator makes it."""
        name = name or f"hc-test-{uuid.uuid4().hex[:12]}"
        client = self.client()
        client.create_bucket(
            Bucket=name,
            ACL="private",
            CreateBucketConfiguration={"LocationConstraint": self.region},
        )
        client.put_public_access_block(
            Bucket=name,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        return name

    def storage_setting(self, bucket: str) -> dict:
        from config.settings.storage import s3_storage as s3_entry

        return s3_entry(
            bucket=bucket,
            endpoint_url=self.endpoint_url,
            access_key_id=self.access_key_id,
            secret_access_key=self.secret_access_key,
            region=self.region,
        )

    def env(self, bucket: str) -> dict[str, str]:
        """The environment a web server needs to use `bucket` (config.settings.storage)."""
        return {
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_ACCESS_KEY_ID": self.access_key_id,
            "S3_SECRET_ACCESS_KEY": self.secret_access_key,
            "S3_REGION": self.region,
        }


def _wait_until_up(url: str, process: subprocess.Popen) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto's server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):  # noqa: S310 (our own)
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"moto's server did not answer at {url} in {START_TIMEOUT:.0f}s")


def start_s3_server() -> S3Server:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return S3Server(endpoint_url=url, process=process)


def stop_s3_server(server: S3Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server, running for the whole session."""
    server = start_s3_server()
    yield server
    stop_s3_server(server)


def _forget_storages() -> None:
    from django.core.files.storage import default_storage, storages
    from django.utils.functional import empty

    storages._backends = None
    storages._storages = {}
    default_storage._wrapped = empty


@pytest.fixture
def s3_storage(s3_server, settings):
    """Default storage is a fresh private bucket on `s3_server` for this test.
    Yields the bucket's name."""
    bucket = s3_server.create_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_setting(bucket)}
    _forget_storages()
    yield bucket
    # pytest-django's `settings` puts STORAGES back after this; the storages
    # made meanwhile must be forgotten too (Django's setting_changed does it,
    # and this makes sure).
    _forget_storages()
