"""The ``replaced-person-not-in-register`` rule."""

from __future__ import annotations

from validation.models import CaseReading, NominationType, PersonReading, RuleOutcome
from validation.rules.base import RegisterFacts, RuleContext
from validation.rules.replaced_person_not_in_register import ReplacedPersonNotInRegister

RULE = ReplacedPersonNotInRegister()
READING = CaseReading(nomination_type=NominationType.REPLACEMENT,
                      replaced=[PersonReading(name="Sarah Whitfield")])


def test_name_and_kind() -> None:
    assert (RULE.name, RULE.kind) == ("replaced-person-not-in-register", "flag")


def test_not_found_hits() -> None:
    facts = RegisterFacts(organisations_loaded=True, specialists_loaded=True,
                          organisation_name="NHS Wessex Vale Integrated Care Board",
                          replaced_not_in_post=("Sarah Whitfield",))
    assert RULE.check(RuleContext(reading=READING, register=facts)) == RuleOutcome(
        rule="replaced-person-not-in-register", hit=True, kind="flag",
        reason="Sarah Whitfield is not in the register as a specialist in post at NHS Wessex "
               "Vale Integrated Care Board.")


def test_found_or_not_a_replacement_passes() -> None:
    facts = RegisterFacts(specialists_loaded=True)
    assert not RULE.check(RuleContext(reading=READING, register=facts)).hit
    first = READING.model_copy(update={"nomination_type": NominationType.FIRST})
    missing = RegisterFacts(specialists_loaded=True, replaced_not_in_post=("Sarah Whitfield",))
    assert not RULE.check(RuleContext(reading=first, register=missing)).hit


def test_roster_not_loaded_is_not_checked() -> None:
    facts = RegisterFacts(organisations_loaded=True, replaced_not_in_post=("Sarah Whitfield",))
    outcome = RULE.check(RuleContext(reading=READING, register=facts))
    assert (outcome.hit, outcome.reason) == (
        False, "Not checked: the register of specialists in post is not loaded.")
