"""The ``missing-nominee-phone`` rule: a new specialist without a contact number means asking."""

from __future__ import annotations

from validation.models import CaseReading, PersonReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.missing_nominee_phone import MissingNomineePhone

RULE = MissingNomineePhone()
PRIYA = PersonReading(name="Priya Shah", email="priya.shah@nhs.net", phone="+447700900123")
ZOE = PersonReading(name="Zoë Hartley-Brown", email="zoe.hartley-brown@nhs.net")


def _check(*nominees: PersonReading) -> RuleOutcome:
    return RULE.check(RuleContext(reading=CaseReading(nominees=list(nominees))))


def test_name_and_kind() -> None:
    assert RULE.name == "missing-nominee-phone"
    assert RULE.kind == "missing"


def test_second_of_two_nominees_lacking_a_phone_is_index_1() -> None:
    assert _check(PRIYA, ZOE) == RuleOutcome(
        rule="missing-nominee-phone", hit=True, kind="missing",
        reason="No contact number for Zoë Hartley-Brown.", missing=["nominees[1].phone"],
    )


def test_first_nominee_lacking_a_phone_is_index_0() -> None:
    outcome = _check(ZOE, PRIYA)
    assert outcome.missing == ["nominees[0].phone"]
    assert outcome.reason == "No contact number for Zoë Hartley-Brown."


def test_no_nominee_at_all_asks_for_index_0() -> None:
    assert _check() == RuleOutcome(
        rule="missing-nominee-phone", hit=True, kind="missing",
        reason="No contact number for the new specialist.", missing=["nominees[0].phone"],
    )


def test_nameless_nominee_is_called_the_new_specialist() -> None:
    outcome = _check(PersonReading(email="a.clarke@nhs.net"))
    assert outcome.reason == "No contact number for the new specialist."


def test_extension_alone_is_not_a_phone() -> None:
    outcome = _check(PRIYA.model_copy(update={"phone": None, "phone_extension": "4471"}))
    assert outcome.missing == ["nominees[0].phone"]


def test_nominee_with_phone_passes() -> None:
    landline = PersonReading(name="Adam Clarke", email="adam.clarke@nhs.net",
                             phone="+442079460123")
    assert _check(PRIYA, landline) == RuleOutcome(
        rule="missing-nominee-phone", hit=False, kind="missing"
    )
