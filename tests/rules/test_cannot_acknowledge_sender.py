"""``cannot-acknowledge-sender``: a complete nomination from an address we cannot write to
(e.g. a non-ASCII local part, which needs SMTPUTF8) is never accepted silently."""

from __future__ import annotations

from parsing.model import Classification
from validation.chain import evaluate
from validation.models import Action, CaseReading, NominationType, PersonReading
from validation.rules import RuleContext, rule_by_name

RULE = rule_by_name("cannot-acknowledge-sender")
COMPLETE = CaseReading(
    nomination_type=NominationType.FIRST, guidance_confirmed=True,
    nominees=[PersonReading(name="Maya Patel", email="maya.patel@nhs.net",
                            phone="+447700900611")])


def test_complete_but_unanswerable_goes_to_review(make_parsed) -> None:
    verdict = evaluate(RuleContext(reading=COMPLETE, parsed=make_parsed(), reply_possible=False))
    assert verdict.action == Action.REVIEW
    assert [f.rule for f in verdict.flags] == ["cannot-acknowledge-sender"]
    assert evaluate(RuleContext(reading=COMPLETE, parsed=make_parsed())).action == Action.ACCEPT


def test_missing_items_are_cannot_ask_senders_not_this(make_parsed) -> None:
    ctx = RuleContext(reading=CaseReading(), parsed=make_parsed(), reply_possible=False,
                      missing=("nominees[0].phone",))
    assert RULE.check(ctx).hit is False


def test_automatic_mail_is_not_flagged(make_parsed) -> None:
    for parsed in (make_parsed(classification=Classification.AUTO_REPLY),
                   make_parsed(classification=Classification.BOUNCE)):
        assert RULE.check(RuleContext(reading=COMPLETE, parsed=parsed,
                                      reply_possible=False)).hit is False
