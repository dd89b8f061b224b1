"""The ``first-but-specialist-in-post`` rule."""

from __future__ import annotations

from validation.models import CaseReading, NominationType
from validation.rules.base import RegisterFacts, RuleContext
from validation.rules.first_but_specialist_in_post import FirstButSpecialistInPost

RULE = FirstButSpecialistInPost()
FIRST = CaseReading(nomination_type=NominationType.FIRST)


def test_name_and_kind() -> None:
    assert (RULE.name, RULE.kind) == ("first-but-specialist-in-post", "flag")


def test_first_with_someone_in_post_hits() -> None:
    facts = RegisterFacts(specialists_loaded=True, organisation_name="Coppergate Healthcare "
                          "NHS Trust", in_post=("Imogen Hale",))
    assert RULE.check(RuleContext(reading=FIRST, register=facts)).reason == (
        "A first nomination, but Coppergate Healthcare NHS Trust already has Imogen Hale in "
        "post.")


def test_additional_or_nobody_in_post_passes() -> None:
    facts = RegisterFacts(specialists_loaded=True, in_post=("Imogen Hale",))
    additional = CaseReading(nomination_type=NominationType.ADDITIONAL)
    assert not RULE.check(RuleContext(reading=additional, register=facts)).hit
    assert not RULE.check(RuleContext(reading=FIRST,
                                      register=RegisterFacts(specialists_loaded=True))).hit
    assert RULE.check(RuleContext(reading=FIRST)).reason.startswith("Not checked")
