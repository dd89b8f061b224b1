"""The ``missing-nominee-email`` rule: a new specialist without an email address means asking."""

from __future__ import annotations

from validation.models import CaseReading, PersonReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.missing_nominee_email import MissingNomineeEmail

RULE = MissingNomineeEmail()
PRIYA = PersonReading(name="Priya Shah", email="priya.shah@nhs.net", phone="+447700900123")
ADAM = PersonReading(name="Adam Clarke", email="adam.clarke@nhs.net", phone="+441134960123")


def _check(*nominees: PersonReading) -> RuleOutcome:
    return RULE.check(RuleContext(reading=CaseReading(nominees=list(nominees))))


def test_name_and_kind() -> None:
    assert RULE.name == "missing-nominee-email"
    assert RULE.kind == "missing"


def test_nominee_without_email_hits() -> None:
    priya = PRIYA.model_copy(update={"email": None})
    assert _check(priya) == RuleOutcome(
        rule="missing-nominee-email", hit=True, kind="missing",
        reason="No email address for Priya Shah.", missing=["nominees[0].email"],
    )


def test_empty_string_email_counts_as_missing() -> None:
    priya = PRIYA.model_copy(update={"email": ""})
    assert _check(priya).missing == ["nominees[0].email"]


def test_no_nominee_at_all_asks_for_index_0() -> None:
    assert _check() == RuleOutcome(
        rule="missing-nominee-email", hit=True, kind="missing",
        reason="No email address for the new specialist.", missing=["nominees[0].email"],
    )


def test_two_nominees_both_without_email_are_both_named() -> None:
    outcome = _check(
        PRIYA.model_copy(update={"email": None}), ADAM.model_copy(update={"email": None})
    )
    assert outcome.reason == "No email address for Priya Shah, Adam Clarke."
    assert outcome.missing == ["nominees[0].email", "nominees[1].email"]


def test_only_the_nominee_lacking_email_is_listed() -> None:
    outcome = _check(PRIYA, ADAM.model_copy(update={"email": None}))
    assert outcome.reason == "No email address for Adam Clarke."
    assert outcome.missing == ["nominees[1].email"]


def test_nominees_with_email_pass() -> None:
    assert _check(PRIYA, ADAM) == RuleOutcome(
        rule="missing-nominee-email", hit=False, kind="missing"
    )
