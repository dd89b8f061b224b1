"""The ``possible-duplicate-nomination`` rule: a nominee already in another case goes to
a person."""

from __future__ import annotations

from validation.models import CaseReading, PersonReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.possible_duplicate_nomination import PossibleDuplicateNomination

RULE = PossibleDuplicateNomination()
PRIYA = PersonReading(name="Priya Shah", email="priya.shah@nhs.net", phone="+447700900123")


def test_name_and_kind() -> None:
    assert RULE.name == "possible-duplicate-nomination"
    assert RULE.kind == "flag"


def test_one_other_case_hits() -> None:
    ctx = RuleContext(reading=CaseReading(nominees=[PRIYA]), duplicate_of=("PSS-000041",))
    assert RULE.check(ctx) == RuleOutcome(
        rule="possible-duplicate-nomination", hit=True, kind="flag",
        reason="The nominee's email address also appears in PSS-000041.", missing=[],
    )


def test_several_other_cases_are_all_named() -> None:
    ctx = RuleContext(
        reading=CaseReading(nominees=[PRIYA]), duplicate_of=("PSS-000041", "PSS-000057"),
    )
    assert RULE.check(ctx).reason == (
        "The nominee's email address also appears in PSS-000041, PSS-000057."
    )


def test_no_other_case_passes() -> None:
    ctx = RuleContext(reading=CaseReading(nominees=[PRIYA]), duplicate_of=())
    assert RULE.check(ctx) == RuleOutcome(
        rule="possible-duplicate-nomination", hit=False, kind="flag"
    )
