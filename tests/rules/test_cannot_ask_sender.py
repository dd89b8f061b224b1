"""The ``cannot-ask-sender`` rule: missing items with nobody to ask go to a person."""

from __future__ import annotations

from validation.chain import evaluate
from validation.models import Action, CaseReading, NominationType, PersonReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.cannot_ask_sender import CannotAskSender

RULE = CannotAskSender()
REASON = ("Items are missing, but the sender's address cannot be written to (an automatic, "
          "no-reply, invalid or our own address).")


def test_hits_when_items_are_missing_and_no_reply_is_possible() -> None:
    ctx = RuleContext(reading=CaseReading(), reply_possible=False, missing=("nominees[0].phone",))
    assert RULE.check(ctx) == RuleOutcome(rule="cannot-ask-sender", hit=True, kind="flag",
                                          reason=REASON)


def test_passes_when_the_sender_can_be_asked_or_nothing_is_missing() -> None:
    assert RULE.check(RuleContext(reading=CaseReading(), missing=("nominees[0].phone",))).hit is False
    assert RULE.check(RuleContext(reading=CaseReading(), reply_possible=False)).hit is False


def test_the_chain_gives_it_the_missing_items_and_sends_the_case_to_review(make_parsed) -> None:
    reading = CaseReading(
        nomination_type=NominationType.FIRST, guidance_confirmed=True,
        nominees=[PersonReading(name="Maya Patel", email="maya.patel@nhs.net")])
    verdict = evaluate(RuleContext(reading=reading, parsed=make_parsed(), reply_possible=False))
    assert verdict.action == Action.REVIEW
    assert verdict.missing == ("nominees[0].phone",)
    assert [f.rule for f in verdict.flags] == ["cannot-ask-sender"]
    able = evaluate(RuleContext(reading=reading, parsed=make_parsed()))
    assert able.action == Action.REQUEST_MISSING
