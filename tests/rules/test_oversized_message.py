"""The ``oversized-message`` rule: a message over the size limit goes to a person."""

from __future__ import annotations

from validation.models import CaseReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.oversized_message import OversizedMessage

RULE = OversizedMessage()


def test_name_and_kind() -> None:
    assert RULE.name == "oversized-message"
    assert RULE.kind == "flag"


def test_oversized_hits(make_parsed) -> None:
    ctx = RuleContext(reading=CaseReading(), parsed=make_parsed(), oversized=True)
    assert RULE.check(ctx) == RuleOutcome(
        rule="oversized-message", hit=True, kind="flag",
        reason="The message is over the size limit; only its headers were stored.", missing=[],
    )


def test_normal_size_passes(make_parsed) -> None:
    ctx = RuleContext(reading=CaseReading(), parsed=make_parsed(), oversized=False)
    assert RULE.check(ctx) == RuleOutcome(rule="oversized-message", hit=False, kind="flag")
