"""The ``guidance-not-confirmed`` rule: no (or a negated) confirmation that the Identifying
Patient Safety Specialists document was considered means asking the sender."""

from __future__ import annotations

from validation.models import CaseReading, Extraction, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.guidance_not_confirmed import GuidanceNotConfirmed

RULE = GuidanceNotConfirmed()
NOT_CONFIRMED = (
    "The email does not confirm that the Identifying Patient Safety Specialists document was "
    "considered."
)
NEGATED = (
    "The email says the Identifying Patient Safety Specialists document has not (yet) been "
    "considered."
)


def test_name_and_kind() -> None:
    assert RULE.name == "guidance-not-confirmed"
    assert RULE.kind == "missing"


def test_silence_hits_with_the_plain_wording() -> None:
    ctx = RuleContext(reading=CaseReading(guidance_confirmed=False), extraction=Extraction())
    assert RULE.check(ctx) == RuleOutcome(
        rule="guidance-not-confirmed", hit=True, kind="missing", reason=NOT_CONFIRMED,
        missing=["guidance_confirmation"],
    )


def test_negated_statement_hits_with_the_negated_wording() -> None:
    extraction = Extraction(guidance_confirmed=False, guidance_negated=True)
    ctx = RuleContext(reading=CaseReading(guidance_confirmed=False), extraction=extraction)
    assert RULE.check(ctx) == RuleOutcome(
        rule="guidance-not-confirmed", hit=True, kind="missing", reason=NEGATED,
        missing=["guidance_confirmation"],
    )


def test_reviewer_reevaluation_uses_the_plain_wording() -> None:
    ctx = RuleContext(reading=CaseReading(guidance_confirmed=False), extraction=None)
    assert RULE.check(ctx).reason == NOT_CONFIRMED


def test_confirmed_case_passes() -> None:
    ctx = RuleContext(reading=CaseReading(guidance_confirmed=True), extraction=Extraction())
    assert RULE.check(ctx) == RuleOutcome(rule="guidance-not-confirmed", hit=False, kind="missing")


def test_confirmation_from_an_earlier_message_counts() -> None:
    # A follow-up that only adds a phone number does not undo the earlier confirmation.
    ctx = RuleContext(
        reading=CaseReading(guidance_confirmed=True),
        extraction=Extraction(guidance_confirmed=False, guidance_negated=False),
    )
    assert RULE.check(ctx).hit is False
