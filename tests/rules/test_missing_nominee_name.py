"""The ``missing-nominee-name`` rule: a new specialist without a name means asking the sender."""

from __future__ import annotations

from validation.models import CaseReading, NominationType, PersonReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.missing_nominee_name import MissingNomineeName

RULE = MissingNomineeName()
PRIYA = PersonReading(name="Priya Shah", email="priya.shah@nhs.net", phone="+447700900123")


def _check(*nominees: PersonReading) -> RuleOutcome:
    return RULE.check(RuleContext(reading=CaseReading(nominees=list(nominees))))


def test_name_and_kind() -> None:
    assert RULE.name == "missing-nominee-name"
    assert RULE.kind == "missing"


def test_no_nominee_at_all_asks_for_index_0() -> None:
    assert _check() == RuleOutcome(
        rule="missing-nominee-name", hit=True, kind="missing",
        reason="No name for the new specialist.", missing=["nominees[0].name"],
    )


def test_nominee_known_only_by_email_hits() -> None:
    assert _check(PersonReading(email="a.clarke@nhs.net")) == RuleOutcome(
        rule="missing-nominee-name", hit=True, kind="missing",
        reason="No name for the new specialist.", missing=["nominees[0].name"],
    )


def test_second_nominee_without_name_is_index_1() -> None:
    outcome = _check(PRIYA, PersonReading(email="a.clarke@nhs.net", phone="+441134960123"))
    assert outcome.missing == ["nominees[1].name"]
    assert outcome.reason == "No name for the new specialist."


def test_named_nominee_passes() -> None:
    assert _check(PRIYA) == RuleOutcome(rule="missing-nominee-name", hit=False, kind="missing")


def test_replaced_people_do_not_count() -> None:
    reading = CaseReading(
        nomination_type=NominationType.REPLACEMENT,
        nominees=[PRIYA],
        replaced=[PersonReading(email="gareth.lloyd@nhs.net")],
    )
    assert RULE.check(RuleContext(reading=reading)).hit is False
