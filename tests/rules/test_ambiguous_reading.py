"""The ``ambiguous-reading`` rule: an extraction with an ambiguity goes to a person."""

from __future__ import annotations

from parsing.model import Classification
from validation.models import Ambiguity, CaseReading, Extraction, RuleOutcome
from validation.rules.ambiguous_reading import AmbiguousReading
from validation.rules.base import RuleContext

RULE = AmbiguousReading()


def test_name_and_kind() -> None:
    assert (RULE.name, RULE.kind) == ("ambiguous-reading", "flag")


def test_an_ambiguity_names_its_field_without_the_values() -> None:
    amb = Ambiguity(field="nominees[0].phone", candidates=["+441134960180", "+441134960181"])
    extraction = Extraction(classification=Classification.NOMINATION, ambiguities=[amb])
    outcome = RULE.check(RuleContext(reading=CaseReading(), extraction=extraction))
    assert outcome == RuleOutcome(
        rule="ambiguous-reading", hit=True, kind="flag",
        reason="Could not decide: nominees[0].phone.", missing=[],
    )


def test_a_clear_reading_passes() -> None:
    extraction = Extraction(classification=Classification.NOMINATION)
    outcome = RULE.check(RuleContext(reading=CaseReading(), extraction=extraction))
    assert outcome.hit is False


def test_without_a_message_passes() -> None:
    assert RULE.check(RuleContext(reading=CaseReading())).hit is False
