"""Checking a release package against OCDS 1.1.5, offline.

The schemas ship in procurement/schemas/ (a copy of the team's shared
standards folder, with its README: Apache License 2.0, Open Contracting
Partnership). The package schema refers to the release schema by its URL; the
local file is registered under that URL, so nothing is fetched. Both are JSON
Schema draft 4. jsonschema checks "date-time" and "uri" only with optional
packages we do not depend on, so both checks are written out here.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
RELEASE_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _load(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def format_checker() -> FormatChecker:
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def is_datetime(value) -> bool:
        if not isinstance(value, str):
            return True
        if not RFC3339.match(value):
            return False
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        return True

    @checker.checks("uri", raises=ValueError)
    def is_uri(value) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("urn", "mailto"))

    return checker


@cache
def validator() -> Draft4Validator:
    release = DRAFT4.create_resource(_load("release-schema.json"))
    registry = Registry().with_resource(RELEASE_URL, release)
    return Draft4Validator(
        _load("release-package-schema.json"), registry=registry, format_checker=format_checker()
    )


def errors(package: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(package)'}: {e.message}"
        for e in validator().iter_errors(package)
    ]


@cache
def codes(codelist: str) -> frozenset[str]:
    with (SCHEMA_DIR / "codelists" / codelist).open(newline="", encoding="utf-8") as f:
        return frozenset(row["Code"] for row in csv.DictReader(f))
