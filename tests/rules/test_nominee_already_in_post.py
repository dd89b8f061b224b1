"""The ``nominee-already-in-post`` rule."""

from __future__ import annotations

from validation.models import CaseReading, PersonReading
from validation.rules.base import RegisterFacts, RuleContext
from validation.rules.nominee_already_in_post import NomineeAlreadyInPost

RULE = NomineeAlreadyInPost()
READING = CaseReading(nominees=[PersonReading(name="Imogen Hale", email="imogen.hale@nhs.net")])


def test_name_and_kind() -> None:
    assert (RULE.name, RULE.kind) == ("nominee-already-in-post", "flag")


def test_in_post_elsewhere_hits() -> None:
    facts = RegisterFacts(specialists_loaded=True, nominees_in_post=(
        ("Imogen Hale", "Coppergate Healthcare NHS Trust"),))
    assert RULE.check(RuleContext(reading=READING, register=facts)).reason == (
        "Imogen Hale is already a specialist in post at Coppergate Healthcare NHS Trust.")


def test_new_person_passes_and_not_loaded_is_not_checked() -> None:
    assert not RULE.check(RuleContext(reading=READING,
                                      register=RegisterFacts(specialists_loaded=True))).hit
    outcome = RULE.check(RuleContext(reading=READING))
    assert (outcome.hit, outcome.reason) == (
        False, "Not checked: the register of specialists in post is not loaded.")
