"""The ``contradictory-nomination-type`` rule: two nomination types in one email go to a person."""

from __future__ import annotations

from validation.models import CaseReading, Extraction, NominationType, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.contradictory_nomination_type import ContradictoryNominationType

RULE = ContradictoryNominationType()
FIRST, REPLACEMENT, ADDITIONAL = (
    NominationType.FIRST, NominationType.REPLACEMENT, NominationType.ADDITIONAL,
)


def _ctx(*stated: NominationType) -> RuleContext:
    return RuleContext(reading=CaseReading(), extraction=Extraction(stated_types=list(stated)))


def test_name_and_kind() -> None:
    assert RULE.name == "contradictory-nomination-type"
    assert RULE.kind == "flag"


def test_replacement_and_additional_hits() -> None:
    assert RULE.check(_ctx(REPLACEMENT, ADDITIONAL)) == RuleOutcome(
        rule="contradictory-nomination-type", hit=True, kind="flag",
        reason="The email states more than one nomination type: replacement and additional.",
        missing=[],
    )


def test_types_are_named_in_the_order_stated() -> None:
    assert RULE.check(_ctx(ADDITIONAL, FIRST)).reason == (
        "The email states more than one nomination type: additional and first."
    )


def test_same_type_stated_twice_is_no_contradiction() -> None:
    outcome = RULE.check(_ctx(REPLACEMENT, REPLACEMENT))
    assert outcome == RuleOutcome(rule="contradictory-nomination-type", hit=False, kind="flag")


def test_repeated_type_is_named_once() -> None:
    assert RULE.check(_ctx(FIRST, ADDITIONAL, FIRST)).reason == (
        "The email states more than one nomination type: first and additional."
    )


def test_one_type_passes() -> None:
    assert RULE.check(_ctx(FIRST)).hit is False


def test_no_type_passes() -> None:
    assert RULE.check(_ctx()).hit is False


def test_without_a_message_passes() -> None:
    assert RULE.check(RuleContext(reading=CaseReading(nomination_type=FIRST))).hit is False
