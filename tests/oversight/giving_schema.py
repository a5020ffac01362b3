"""Validating 360Giving data offline against the shared schema (see the
standard folder's README for why each step is needed)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from functools import cache

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from oversight.models import STANDARD_DIR

GRANT_URLS = [
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json",
]


def _load(name: str) -> dict:
    return json.loads((STANDARD_DIR / name).read_text(encoding="utf-8"))


@cache
def grant_schema() -> dict:
    return _load("360-giving-schema.json")


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _format_checker() -> FormatChecker:
    """jsonschema checks "date-time" only with rfc3339-validator installed,
    which we do not depend on: the same check, written out."""
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def is_datetime(value) -> bool:
        if not isinstance(value, str):
            return True
        if not RFC3339.match(value):
            return False
        datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
        return True

    return checker


@cache
def package_validator() -> Draft202012Validator:
    grant = DRAFT202012.create_resource(grant_schema())
    registry = Registry().with_resources([(url, grant) for url in GRANT_URLS])
    return Draft202012Validator(
        _load("360-giving-package-schema.json"),
        registry=registry,
        format_checker=_format_checker(),
    )


def errors(package: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in package_validator().iter_errors(package)
    ]


def codes(codelist: str) -> set[str]:
    with (STANDARD_DIR / "codelists" / codelist).open(newline="", encoding="utf-8") as f:
        return {row["Code"] for row in csv.DictReader(f)}


def _title_path(title: str) -> list[str]:
    """'Recipient Org:Charity Number' → ['recipientOrganization', 0, 'charityNumber'],
    using only the schema's own titles."""
    schema = grant_schema()
    head, _, tail = title.partition(":")
    top = {v.get("title"): k for k, v in schema["properties"].items()}
    key = top[head] if head in top else {"Currency": "currency"}[head]
    if not tail:
        return [key]
    prop = schema["properties"][key]
    ref = (prop.get("items") or prop)["$ref"].rsplit("/", 1)[-1]
    inner = {v.get("title"): k for k, v in schema["$defs"][ref]["properties"].items()}
    path = [key, 0] if prop.get("type") == "array" else [key]
    return [*path, inner[tail]]


def csv_to_grants(text: str) -> list[dict]:
    """Unflatten a 360Giving CSV by its column titles (as 360Giving's own
    tools do), so the CSV can be validated like the JSON."""
    numbers = {"amountAwarded", "amountAppliedFor", "amountDisbursed"}
    grants = []
    for row in csv.DictReader(io.StringIO(text)):
        grant: dict = {}
        for title, value in row.items():
            if value == "":
                continue
            path = _title_path(title)
            value = float(value) if path[-1] in numbers else value
            if len(path) == 1:
                grant[path[0]] = value
            elif path[1] == 0:
                grant.setdefault(path[0], [{}])[0][path[2]] = value
            else:
                grant.setdefault(path[0], {})[path[1]] = value
        grants.append(grant)
    return grants
