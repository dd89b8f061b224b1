"""The ``reply-bounced`` rule: a reply of ours that came back undeliverable goes to a person."""

from __future__ import annotations

from validation.models import CaseReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.reply_bounced import ReplyBounced

RULE = ReplyBounced()


def test_name_and_kind() -> None:
    assert RULE.name == "reply-bounced"
    assert RULE.kind == "flag"


def test_bounced_reply_hits() -> None:
    ctx = RuleContext(reading=CaseReading(), reply_bounced=True)
    assert RULE.check(ctx) == RuleOutcome(
        rule="reply-bounced", hit=True, kind="flag",
        reason="A reply we sent on this case was returned undeliverable.", missing=[],
    )


def test_no_bounce_passes() -> None:
    ctx = RuleContext(reading=CaseReading(), reply_bounced=False)
    assert RULE.check(ctx) == RuleOutcome(rule="reply-bounced", hit=False, kind="flag")
