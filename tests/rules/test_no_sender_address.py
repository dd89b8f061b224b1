"""The ``no-sender-address`` rule: no From address means nobody can be asked, so a person looks."""

from __future__ import annotations

from parsing.model import Address
from validation.models import CaseReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.no_sender_address import NoSenderAddress

RULE = NoSenderAddress()
MISS = RuleOutcome(rule="no-sender-address", hit=False, kind="flag")


def test_missing_from_hits(make_parsed) -> None:
    ctx = RuleContext(reading=CaseReading(), parsed=make_parsed(from_=None))
    assert RULE.check(ctx) == RuleOutcome(
        rule="no-sender-address", hit=True, kind="flag",
        reason="The message has no From address (it may not be an email at all).")


def test_from_without_an_at_sign_hits(make_parsed) -> None:
    ctx = RuleContext(reading=CaseReading(),
                      parsed=make_parsed(from_=Address(name="Helen Marsh", addr="helen.marsh")))
    assert RULE.check(ctx).hit is True


def test_ordinary_sender_passes(make_parsed) -> None:
    assert RULE.check(RuleContext(reading=CaseReading(), parsed=make_parsed())) == MISS


def test_not_said_again_for_oversized_or_failed_messages(make_parsed) -> None:
    parsed = make_parsed(from_=None)
    assert RULE.check(RuleContext(reading=CaseReading(), parsed=parsed, oversized=True)) == MISS
    assert RULE.check(RuleContext(reading=CaseReading(), parsed=parsed,
                                  processing_error="RuntimeError")) == MISS


def test_no_parse_no_finding() -> None:
    assert RULE.check(RuleContext(reading=CaseReading())) == MISS
