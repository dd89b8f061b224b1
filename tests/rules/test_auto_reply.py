"""The ``auto-reply`` rule: out-of-office and other RFC 3834 automatic replies are ignored."""

from __future__ import annotations

from parsing.model import Classification
from validation.models import CaseReading, Extraction, RuleOutcome
from validation.rules.auto_reply import AutoReply
from validation.rules.base import RuleContext

RULE = AutoReply()
REASON = "Automatic reply (RFC 3834 Auto-Submitted or out-of-office)."


def test_name_and_kind() -> None:
    assert RULE.name == "auto-reply"
    assert RULE.kind == "ignore"


def test_out_of_office_hits(make_parsed) -> None:
    parsed = make_parsed(
        subject="Automatic reply: Patient Safety Specialist nomination",
        classification=Classification.AUTO_REPLY,
        is_auto_submitted=True,
        headers={"auto-submitted": ("auto-replied",)},
    )
    ctx = RuleContext(
        reading=CaseReading(),
        extraction=Extraction(classification=Classification.AUTO_REPLY),
        parsed=parsed,
    )
    assert RULE.check(ctx) == RuleOutcome(
        rule="auto-reply", hit=True, kind="ignore", reason=REASON, missing=[]
    )


def test_ordinary_nomination_passes(make_parsed) -> None:
    ctx = RuleContext(reading=CaseReading(), extraction=Extraction(), parsed=make_parsed())
    assert RULE.check(ctx) == RuleOutcome(rule="auto-reply", hit=False, kind="ignore")


def test_bounce_is_left_to_delivery_failure(make_parsed) -> None:
    parsed = make_parsed(classification=Classification.BOUNCE)
    outcome = RULE.check(RuleContext(reading=CaseReading(), parsed=parsed))
    assert outcome.hit is False
    assert outcome.reason == ""


def test_reviewer_reevaluation_without_a_message_passes() -> None:
    outcome = RULE.check(RuleContext(reading=CaseReading()))
    assert outcome.hit is False
