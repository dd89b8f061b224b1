"""The ``delivery-failure`` rule: delivery status notifications (bounces) are ignored."""

from __future__ import annotations

from parsing.model import Address, Classification
from validation.models import CaseReading, Extraction, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.delivery_failure import DeliveryFailure

RULE = DeliveryFailure()


def test_name_and_kind() -> None:
    assert RULE.name == "delivery-failure"
    assert RULE.kind == "ignore"


def test_bounce_hits(make_parsed) -> None:
    parsed = make_parsed(
        from_=Address(name="Mail Delivery System", addr="mailer-daemon@nhs.net"),
        subject="Undeliverable: [PSS-000123] Patient Safety Specialist nomination",
        classification=Classification.BOUNCE,
        bounce_recipients=("helen.marsh@nhs.net",),
        permanent_failure=True,
        return_path_empty=True,
    )
    ctx = RuleContext(
        reading=CaseReading(), extraction=Extraction(classification=Classification.BOUNCE),
        parsed=parsed,
    )
    assert RULE.check(ctx) == RuleOutcome(
        rule="delivery-failure", hit=True, kind="ignore",
        reason="Delivery status notification (RFC 3464).", missing=[],
    )


def test_nomination_passes(make_parsed) -> None:
    outcome = RULE.check(RuleContext(reading=CaseReading(), parsed=make_parsed()))
    assert outcome == RuleOutcome(rule="delivery-failure", hit=False, kind="ignore")


def test_auto_reply_is_not_a_bounce(make_parsed) -> None:
    parsed = make_parsed(classification=Classification.AUTO_REPLY, is_auto_submitted=True)
    assert RULE.check(RuleContext(reading=CaseReading(), parsed=parsed)).hit is False


def test_without_a_message_passes() -> None:
    assert RULE.check(RuleContext(reading=CaseReading())).hit is False
