"""The ``organisation-closed`` rule: a named organisation closed without successor."""

from __future__ import annotations

from validation.models import CaseReading, RuleOutcome
from validation.rules.base import RegisterFacts, RuleContext
from validation.rules.organisation_closed import OrganisationClosed

RULE = OrganisationClosed()


def test_name_and_kind() -> None:
    assert (RULE.name, RULE.kind) == ("organisation-closed", "flag")


def test_closed_without_successor_hits() -> None:
    facts = RegisterFacts(organisations_loaded=True, closed_without_successor=(
        "Old Mill Hospitals NHS Trust closed on 31 March 2025"))
    assert RULE.check(RuleContext(reading=CaseReading(), register=facts)) == RuleOutcome(
        rule="organisation-closed", hit=True, kind="flag",
        reason="Old Mill Hospitals NHS Trust closed on 31 March 2025; ODS names no successor.")


def test_open_passes_and_nothing_loaded_is_not_checked() -> None:
    facts = RegisterFacts(organisations_loaded=True, organisation_code="RZA")
    assert not RULE.check(RuleContext(reading=CaseReading(), register=facts)).hit
    outcome = RULE.check(RuleContext(reading=CaseReading()))
    assert (outcome.hit, outcome.reason) == (
        False, "Not checked: no organisations are loaded from ODS.")
