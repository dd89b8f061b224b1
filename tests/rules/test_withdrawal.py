"""The ``withdrawal`` rule: a message withdrawing a nomination goes to a person."""

from __future__ import annotations

from parsing.model import Classification
from validation.models import CaseReading, Extraction, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.withdrawal import Withdrawal

RULE = Withdrawal()


def test_name_and_kind() -> None:
    assert RULE.name == "withdrawal"
    assert RULE.kind == "flag"


def test_withdrawal_hits() -> None:
    extraction = Extraction(classification=Classification.FOLLOW_UP, withdrawal=True)
    ctx = RuleContext(reading=CaseReading(), extraction=extraction)
    assert RULE.check(ctx) == RuleOutcome(
        rule="withdrawal", hit=True, kind="flag",
        reason="The sender asks to withdraw or cancel the nomination.", missing=[],
    )


def test_ordinary_follow_up_passes() -> None:
    extraction = Extraction(classification=Classification.FOLLOW_UP, withdrawal=False)
    outcome = RULE.check(RuleContext(reading=CaseReading(), extraction=extraction))
    assert outcome == RuleOutcome(rule="withdrawal", hit=False, kind="flag")


def test_without_a_message_passes() -> None:
    assert RULE.check(RuleContext(reading=CaseReading())).hit is False
