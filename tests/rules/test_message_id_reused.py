"""The ``message-id-reused`` rule: the same Message-ID with other content goes to a person."""

from __future__ import annotations

from validation.models import CaseReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.message_id_reused import MessageIdReused

RULE = MessageIdReused()


def test_name_and_kind() -> None:
    assert RULE.name == "message-id-reused"
    assert RULE.kind == "flag"


def test_reused_message_id_hits(make_parsed) -> None:
    ctx = RuleContext(reading=CaseReading(), parsed=make_parsed(), message_id_reused=True)
    assert RULE.check(ctx) == RuleOutcome(
        rule="message-id-reused", hit=True, kind="flag",
        reason="Another message with the same Message-ID but different content was received.",
        missing=[],
    )


def test_fresh_message_id_passes(make_parsed) -> None:
    ctx = RuleContext(reading=CaseReading(), parsed=make_parsed(), message_id_reused=False)
    assert RULE.check(ctx) == RuleOutcome(rule="message-id-reused", hit=False, kind="flag")
