"""The ``unknown-case-reference`` rule: a Subject quoting an unknown case, or someone else's,
goes to a person."""

from __future__ import annotations

from validation.models import CaseReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.unknown_case_reference import UnknownCaseReference

RULE = UnknownCaseReference()


def test_name_and_kind() -> None:
    assert RULE.name == "unknown-case-reference"
    assert RULE.kind == "flag"


def test_foreign_reference_hits(make_parsed) -> None:
    parsed = make_parsed(
        subject="RE: [PSS-000999] Patient Safety Specialist nomination",
        case_references=("PSS-000999",),
    )
    ctx = RuleContext(reading=CaseReading(), parsed=parsed, foreign_case_reference="PSS-000999")
    assert RULE.check(ctx) == RuleOutcome(
        rule="unknown-case-reference", hit=True, kind="flag",
        reason=(
            "The subject quotes PSS-000999, which is unknown or belongs to another sender's "
            "case; it was not merged into it."
        ),
        missing=[],
    )


def test_known_reference_passes(make_parsed) -> None:
    # The pipeline sets foreign_case_reference only for an unknown or foreign reference.
    parsed = make_parsed(case_references=("PSS-000123",))
    ctx = RuleContext(reading=CaseReading(), parsed=parsed, foreign_case_reference=None)
    assert RULE.check(ctx) == RuleOutcome(rule="unknown-case-reference", hit=False, kind="flag")
