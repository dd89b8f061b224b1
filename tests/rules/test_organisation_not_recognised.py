"""The ``organisation-not-recognised`` rule: with ODS organisations loaded, a nomination whose
organisation matches none (or two) goes to a person; with none loaded it is not checked."""

from __future__ import annotations

from validation.models import CaseReading, NominationType, PersonReading, RuleOutcome
from validation.rules.base import RegisterFacts, RuleContext
from validation.rules.organisation_not_recognised import OrganisationNotRecognised

RULE = OrganisationNotRecognised()
READING = CaseReading(nomination_type=NominationType.FIRST,
                      nominees=[PersonReading(name="Priya Shah")],
                      organisation="Northshire Hospitals")


def test_name_and_kind() -> None:
    assert (RULE.name, RULE.kind) == ("organisation-not-recognised", "flag")


def test_not_loaded_is_not_checked() -> None:
    assert RULE.check(RuleContext(reading=READING)) == RuleOutcome(
        rule="organisation-not-recognised", hit=False, kind="flag",
        reason="Not checked: no organisations are loaded from ODS.")


def test_no_match_hits() -> None:
    facts = RegisterFacts(organisations_loaded=True, organisation_text="Northshire Hospitals")
    assert RULE.check(RuleContext(reading=READING, register=facts)).reason == (
        "No organisation in the ODS register matches “Northshire Hospitals”.")


def test_two_candidates_hit_naming_both() -> None:
    facts = RegisterFacts(organisations_loaded=True, organisation_text="Northshire Hospitals",
                          ambiguous=("Northshire Hospitals NHS Foundation Trust",
                                     "Northshire Hospitals NHS Trust"))
    assert RULE.check(RuleContext(reading=READING, register=facts)).reason == (
        "“Northshire Hospitals” could be any of Northshire Hospitals NHS Foundation Trust, "
        "Northshire Hospitals NHS Trust.")


def test_a_match_or_no_nomination_passes() -> None:
    matched = RegisterFacts(organisations_loaded=True, organisation_code="RZA")
    assert not RULE.check(RuleContext(reading=READING, register=matched)).hit
    empty = RegisterFacts(organisations_loaded=True)
    assert not RULE.check(RuleContext(reading=CaseReading(), register=empty)).hit
