"""Charity numbers, company numbers and school URNs in their regulators' formats."""

from __future__ import annotations

import pytest

from partners.identifiers import (
    charity_number_refusal,
    company_number_refusal,
    normalise_charity_number,
    normalise_company_number,
    school_urn_refusal,
)


@pytest.mark.parametrize(
    "number",
    [
        "1123456",
        "123456",
        "12345678",
        "1123456-1",
        "1123456-12",
        " 1123 456 ",
        "SC012345",
        "sc012345",
        "NIC100123",
        "NIC10012",
        "",
    ],
)
def test_charity_numbers_of_the_three_regulators_pass(number):
    assert charity_number_refusal(number) is None


@pytest.mark.parametrize(
    "number",
    ["12345", "123456789", "1123456-123", "SC12345", "SC0123456", "NI100123", "CC123456", "abc"],
)
def test_other_charity_numbers_are_refused_in_words(number):
    refusal = charity_number_refusal(number)
    assert refusal.rule == "charity_number_format"
    assert refusal.field == "charity_number"
    assert "6 to 8 digits in England and Wales" in refusal.message


def test_charity_numbers_are_kept_in_capitals_without_spaces():
    assert normalise_charity_number(" sc 012 345 ") == "SC012345"


@pytest.mark.parametrize(
    "number", ["01234567", "12345678", "SC123456", "oc123456", "NI 012345", "1234567", ""]
)
def test_company_numbers_pass(number):
    assert company_number_refusal(number) is None


@pytest.mark.parametrize(
    "number", ["1234", "123456789", "S1234567", "SCO12345", "ABC12345", "12-34-56"]
)
def test_other_company_numbers_are_refused_in_words(number):
    refusal = company_number_refusal(number)
    assert refusal.rule == "company_number_format"
    assert "8 characters" in refusal.message


def test_a_company_number_typed_without_its_leading_zeros_is_padded():
    assert normalise_company_number("1234567") == "01234567"
    assert normalise_company_number("sc 123456") == "SC123456"


@pytest.mark.parametrize(
    "urn,ok",
    [
        ("118234", True),
        (" 118234 ", True),
        ("11823", False),
        ("1182345", False),
        ("URN118", False),
        ("", True),
    ],
)
def test_school_urns_are_six_digits(urn, ok):
    refusal = school_urn_refusal(urn)
    assert (refusal is None) is ok
    if not ok:
        assert refusal.rule == "school_urn_format"
