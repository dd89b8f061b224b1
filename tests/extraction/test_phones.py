"""UK telephone numbers: every written form normalised to E.164, and the things that are not
phone numbers (references, dates, codes, IDs, postcodes) left alone."""

from __future__ import annotations

import pytest

from parsing.extract.phones import find_phones, parse_phone


@pytest.mark.parametrize(
    ("text", "e164", "extension"),
    [
        ("07700 900123", "+447700900123", None),
        ("07700900123", "+447700900123", None),
        ("07700 900 123", "+447700900123", None),
        ("+44 (0)7700 900123", "+447700900123", None),
        ("+44(0)7700 900123", "+447700900123", None),
        ("+44 7700 900123", "+447700900123", None),
        ("0044 7700 900123", "+447700900123", None),
        ("(020) 7946 0123", "+442079460123", None),
        ("020 7946 0123", "+442079460123", None),
        ("0113 496 0123", "+441134960123", None),
        ("0117 496 0342", "+441174960342", None),
        ("0113 496 0123 ext 4567", "+441134960123", "4567"),
        ("0113 496 0123 x4567", "+441134960123", "4567"),
        ("0113 496 0123 extn. 4567", "+441134960123", "4567"),
        ("0113 496 0123, ext. 4567", "+441134960123", "4567"),
        ("0121 496 0000, extension 5521", "+441214960000", "5521"),
        ("01632 960123", "+441632960123", None),
    ],
)
def test_formats_normalise_to_e164(text: str, e164: str, extension: str | None) -> None:
    found = parse_phone(f"Tel: {text}")
    assert found is not None
    assert found.e164 == e164
    assert found.extension == extension


def test_switchboard_with_extension_keeps_both_apart() -> None:
    [pm] = find_phones("She can be reached via switchboard 0113 496 0000 ext 1234.")
    assert (pm.e164, pm.extension, pm.kind) == ("+441134960000", "1234", "switchboard")


def test_several_numbers_on_one_line_in_order() -> None:
    found = find_phones("T: 0117 496 0600 | M: 07700 900650")
    assert [p.e164 for p in found] == ["+441174960600", "+447700900650"]


def test_number_at_sentence_end_is_read_without_the_full_stop() -> None:
    [pm] = find_phones("He can be contacted on 0117 496 0342.")
    assert pm.raw == "0117 496 0342"


@pytest.mark.parametrize(
    "text",
    [
        "Incident INC-0113496012 was closed.",
        "Our case reference is PSS-000231.",
        "The meeting is on 2025-01-13.",
        "The meeting is on 13/01/2025.",
        "The meeting is on 01/02/2025.",
        "NHS number 943 476 5919",
        "NHS number: 0134 496 0123",
        "Ref: 01134960123",
        "Budget code 0113496012",
        "Cost centre 01134960",
        "ODS code RTK",
        "Infirmary Road, Northshire NS1 4AB",
        "Fax: 0113 496 0199",
        "bleep 1234",
        "Datix ID 0113496099",
        "Salary £55,690 to £62,682",
    ],
)
def test_not_phone_numbers(text: str) -> None:
    assert find_phones(text) == []


def test_phone_word_after_an_identifier_word_wins() -> None:
    [pm] = find_phones("Case PSS-000231; her number is 0113 496 0123")
    assert pm.e164 == "+441134960123"
