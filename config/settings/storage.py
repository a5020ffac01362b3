"""Object storage: S3-compatible (django-storages) when S3_BUCKET is set, local
files under MEDIA_ROOT otherwise; and a shared cache when CACHE_URL is set.

Applied at the end of base.py by `extend(globals())`: this module adds to the
base settings (apps, middleware, its own names) and reads the environment
through config.env like the rest.

Every stored file (call documents, attachments, agreement PDFs, board packs)
is private: objects are written with the "private" ACL, the bucket is never
made public or listable, and files reach people only through the views that
check who is asking, which stream them from the bucket.
"""

from __future__ import annotations

from config.env import envbool, envint, envstr

S3_BACKEND = "storages.backends.s3.S3Storage"


def s3_storage(
    *,
    bucket: str,
    endpoint_url: str = "",
    access_key_id: str = "",
    secret_access_key: str = "",
    region: str = "",
    expire_seconds: int = 60,
    path_style: bool = True,
) -> dict:
    """The STORAGES entry for a private S3-compatible bucket (also used by the
    tests' own S3 server, so they run the settings production runs)."""
    options = {
        "bucket_name": bucket,
        "default_acl": "private",
        # A signed URL (if ever made) works for a minute, not the default hour.
        "querystring_auth": True,
        "querystring_expire": expire_seconds,
        # Two uploads with one name both survive: the second gets a suffix.
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "private, no-store"},
        # MinIO and most S3-compatible servers want /bucket/key, not a
        # bucket.host name the DNS does not know.
        "addressing_style": "path" if path_style else None,
        "signature_version": "s3v4",
    }
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    if access_key_id:
        options["access_key"] = access_key_id
        options["secret_key"] = secret_access_key
    if region:
        options["region_name"] = region
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def redis_cache(location: str, *, key_prefix: str = "hubcommission") -> dict:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": key_prefix,
    }


def extend(settings: dict) -> None:
    """Add this concern's settings to the base settings `settings` in place."""
    bucket = envstr("S3_BUCKET")
    if bucket:
        settings["STORAGES"] = {
            **settings["STORAGES"],
            "default": s3_storage(
                bucket=bucket,
                endpoint_url=envstr("S3_ENDPOINT_URL"),
                access_key_id=envstr("S3_ACCESS_KEY_ID"),
                secret_access_key=envstr("S3_SECRET_ACCESS_KEY"),
                region=envstr("S3_REGION"),
                expire_seconds=envint("S3_URL_EXPIRE_SECONDS", 60),
                path_style=envbool("S3_PATH_STYLE", True),
            ),
        }
    # Sign-in rate limits, lock-outs and the record of used one-time codes
    # live in the cache: web servers that share a database must share it too,
    # or a code used on one could be replayed on another. Only CACHE_URL turns
    # it on here (REDIS_URL alone keeps one process's memory, as tests and
    # `dev.py run` expect); production.py falls back to REDIS_URL.
    cache_url = envstr("CACHE_URL")
    if cache_url:
        settings["CACHES"] = {
            "default": redis_cache(
                cache_url, key_prefix=envstr("CACHE_KEY_PREFIX", "hubcommission")
            )
        }
