"""The bucket itself: what the app writes there is private, and the bucket
is not public, against a real S3-compatible server (moto's)."""

from __future__ import annotations

import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from storages.backends.s3 import S3Storage

PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


def _public_grants(grants: list[dict]) -> list[dict]:
    return [g for g in grants if g["Grantee"].get("URI") in PUBLIC_GROUPS]


def test_default_storage_is_the_bucket(s3_storage):
    name = default_storage.save("checks/hello.txt", ContentFile(b"hello"))
    assert isinstance(default_storage._wrapped, S3Storage)
    with default_storage.open(name, "rb") as f:
        assert f.read() == b"hello"


def test_an_object_is_private_and_refused_unsigned(s3_server, s3_storage):
    name = default_storage.save("checks/private.pdf", ContentFile(b"%PDF-1.4 secret"))
    grants = s3_server.client().get_object_acl(Bucket=s3_storage, Key=name)["Grants"]
    assert grants and not _public_grants(grants)
    unsigned = requests.get(f"{s3_server.endpoint_url}/{s3_storage}/{name}", timeout=5)
    assert unsigned.status_code == 403
    assert b"secret" not in unsigned.content


def test_a_signed_url_is_short_lived(s3_storage):
    name = default_storage.save("checks/signed.pdf", ContentFile(b"%PDF-1.4 signed"))
    url = default_storage.url(name)
    assert "X-Amz-Expires=60" in url
    assert requests.get(url, timeout=5).content == b"%PDF-1.4 signed"


def test_a_second_file_of_one_name_does_not_replace_the_first(s3_storage):
    first = default_storage.save("checks/same.pdf", ContentFile(b"one"))
    second = default_storage.save("checks/same.pdf", ContentFile(b"two"))
    assert first != second
    with default_storage.open(first, "rb") as f:
        assert f.read() == b"one"


def test_the_bucket_is_not_public(s3_server, s3_storage):
    """moto does not refuse an anonymous listing itself, so this checks what a
    real S3 decides by: no public grant, no public policy, public access blocked."""
    client = s3_server.client()
    assert not _public_grants(client.get_bucket_acl(Bucket=s3_storage)["Grants"])
    block = client.get_public_access_block(Bucket=s3_storage)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    anonymous = s3_server.client(unsigned=True)
    try:
        status = anonymous.get_bucket_policy_status(Bucket=s3_storage)["PolicyStatus"]
    except anonymous.exceptions.ClientError as error:
        assert error.response["Error"]["Code"] in ("NoSuchBucketPolicy", "AccessDenied")
    else:
        assert not status["IsPublic"]
