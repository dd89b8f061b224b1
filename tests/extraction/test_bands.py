"""Agenda for Change bands: every way of writing them, and the look-alikes that are not bands."""

from __future__ import annotations

import pytest

from parsing.extract.bands import find_bands, normalise_band_value
from parsing.extract.titles import split_title_band


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("Band 8a", "8a"),
        ("band 8 A", "8a"),
        ("Band 8A", "8a"),
        ("AfC 8B", "8b"),
        ("AfC Band 8c", "8c"),
        ("Agenda for Change: 8C", "8c"),
        ("Agenda for Change Band 7", "7"),
        ("B8a", "8a"),
        ("Band 8 (a)", "8a"),
        ("Band 8 Range B", "8b"),
        ("band eight a", "8a"),
        ("Band 7", "7"),
        ("Band 9", "9"),
        ("(8b)", "8b"),
        ("graded locally at 8a equivalent", "8a"),
        ("equivalent to 8d", "8d"),
        ("VSM", "VSM"),
        ("paid on the very senior manager pay framework", "VSM"),
    ],
)
def test_band_forms(text: str, band: str) -> None:
    found = find_bands(text)
    assert [b.band for b in found] == [band]


@pytest.mark.parametrize(
    ("value", "band"),
    [("8c", "8c"), ("8 B", "8b"), ("Band 8a (pro rata)", "8a"), ("7", "7"), ("Grade: 8A", "8a")],
)
def test_label_values(value: str, band: str) -> None:
    found = normalise_band_value(value)
    assert found is not None and found.band == band


@pytest.mark.parametrize(
    "text",
    [
        "She worked on Ward 8A for two years",
        "8 years' experience",
        "call ext 8a",
        "Consultant",
        "Specialty Doctor on the medical pay scale",
        "room 8b",
    ],
)
def test_not_bands(text: str) -> None:
    assert [b.band for b in find_bands(text) if b.band] == []


def test_medical_pay_value_has_no_band() -> None:
    assert normalise_band_value("Consultant (medical pay scale)") is None


def test_range_is_kept_as_written_without_a_band() -> None:
    [b] = find_bands("Band 8a/8b (re-banding in progress)")
    assert b.band is None and b.raw == "Band 8a/8b"


@pytest.mark.parametrize(
    ("value", "title", "band"),
    [
        ("Patient Safety and Risk Manager, Band 8a", "Patient Safety and Risk Manager", "8a"),
        ("Deputy Director of Patient Safety, Band 8d", "Deputy Director of Patient Safety", "8d"),
        ("Head of Patient Safety (8b)", "Head of Patient Safety", "8b"),
        ("Head of Patient Safety", "Head of Patient Safety", None),
        ("Band 8b", None, "8b"),
    ],
)
def test_title_and_band_split(value: str, title: str | None, band: str | None) -> None:
    got_title, got_band = split_title_band(value)
    assert got_title == title
    assert (got_band.band if got_band else None) == band


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("Grade: Band 8a/8b (post currently being re-banded; Sam is on 8a)", "8a"),
        ("Band 8a/8b (being re-evaluated; Nadia is currently paid at 8a)", "8a"),
        ("AfC band 8b-8c, substantively 8b", "8b"),
        ("Band 8a/8b (re-banding in progress; she is currently banded at 8b)", "8b"),
        ("Band 8a/8b", None),
        ("Band 8a/8b (re-banding in progress)", None),
    ],
)
def test_range_resolved_only_by_an_explicit_current_band(text: str, band: str | None) -> None:
    found = find_bands(text)[0]
    assert found.band == band
    assert found.raw.lower().startswith("band") or found.raw.lower().startswith("afc")


def test_current_band_on_another_line_does_not_resolve_a_range() -> None:
    [found, *_] = find_bands("Band 8a/8b\nOur previous PSS is on 8b")
    assert found.band is None


@pytest.mark.parametrize(
    ("value", "title", "band"),
    [
        ("Head of Patient Safety, 8a/8b", "Head of Patient Safety", None),
        ("Head of Patient Safety (8a/8b)", "Head of Patient Safety", None),
        ("Head of Patient Safety (8a/8b; she is on 8a)", "Head of Patient Safety", "8a"),
        ("Head of Patient Safety, 8b", "Head of Patient Safety", "8b"),
    ],
)
def test_bare_range_in_a_title_value_is_one_unresolved_band(
    value: str, title: str, band: str | None
) -> None:
    got_title, got_band = split_title_band(value)
    assert got_title == title
    assert got_band is not None and got_band.band == band


def test_bare_range_value_resolved_by_current_band() -> None:
    found = normalise_band_value("8a/8b (currently 8b while the post is re-banded)")
    assert found is not None and (found.band, found.raw) == ("8b", "8a/8b")
    bare = normalise_band_value("8a/8b")
    assert bare is not None and bare.band is None
