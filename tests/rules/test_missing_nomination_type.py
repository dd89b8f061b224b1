"""The ``missing-nomination-type`` rule: no first/replacement/additional means asking the sender."""

from __future__ import annotations

import pytest

from validation.models import CaseReading, Extraction, NominationType, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.missing_nomination_type import MissingNominationType

RULE = MissingNominationType()


def test_name_and_kind() -> None:
    assert RULE.name == "missing-nomination-type"
    assert RULE.kind == "missing"


def test_no_type_hits() -> None:
    ctx = RuleContext(reading=CaseReading(nomination_type=None), extraction=Extraction())
    assert RULE.check(ctx) == RuleOutcome(
        rule="missing-nomination-type", hit=True, kind="missing",
        reason=(
            "The email does not say whether the new Patient Safety Specialist is the first, "
            "a replacement or additional."
        ),
        missing=["nomination_type"],
    )


@pytest.mark.parametrize("nomination_type", ["first", "replacement", "additional"])
def test_any_type_passes(nomination_type: str) -> None:
    ctx = RuleContext(reading=CaseReading(nomination_type=NominationType(nomination_type)))
    assert RULE.check(ctx) == RuleOutcome(
        rule="missing-nomination-type", hit=False, kind="missing"
    )


def test_type_given_in_an_earlier_message_counts() -> None:
    # The reading is the merged case; the latest message need not repeat the type.
    ctx = RuleContext(
        reading=CaseReading(nomination_type=NominationType.FIRST),
        extraction=Extraction(nomination_type=None),
    )
    assert RULE.check(ctx).hit is False
