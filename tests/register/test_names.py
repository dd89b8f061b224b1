"""Organisation names: ODS capitals in proper case, and the keys aliases match by."""

from __future__ import annotations

import pytest

from register.names import core_key, match_key, proper_case


@pytest.mark.parametrize(("ods", "shown"), [
    ("NORTHSHIRE HOSPITALS NHS FOUNDATION TRUST", "Northshire Hospitals NHS Foundation Trust"),
    ("NHS WESTERBY AND TAMSWORTH INTEGRATED CARE BOARD",
     "NHS Westerby and Tamsworth Integrated Care Board"),
    ("ST ALDHELM'S INDEPENDENT HOSPITAL", "St Aldhelm's Independent Hospital"),
    ("Already Mixed Case NHS Trust", "Already Mixed Case NHS Trust"),
])
def test_proper_case(ods: str, shown: str) -> None:
    assert proper_case(ods) == shown


@pytest.mark.parametrize("alias", [
    "Harbourside Mental Health NHS Foundation Trust",
    "HARBOURSIDE MENTAL HEALTH NHS FOUNDATION TRUST",
    "Harbourside MH NHS FT",
    "Harbourside Mental Health NHS FT",
])
def test_aliases_share_the_key_of_the_ods_name(alias: str) -> None:
    assert match_key(alias) == "harbourside mental health nhs foundation trust"


def test_ampersand_is_and_and_icb_is_spelt_out() -> None:
    assert match_key("NHS Westerby & Tamsworth ICB") == match_key(
        "NHS WESTERBY AND TAMSWORTH INTEGRATED CARE BOARD")
    assert match_key("MH&W NHS FT") == "mental health and wellbeing nhs foundation trust"


def test_core_key_drops_the_generic_words() -> None:
    assert core_key("NHS Wessex Vale ICB") == "wessex vale"
    assert core_key("Northshire Hospitals") == core_key(
        "NORTHSHIRE HOSPITALS NHS FOUNDATION TRUST") == "northshire hospitals"
