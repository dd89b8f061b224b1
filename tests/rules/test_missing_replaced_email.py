"""The ``missing-replaced-email`` rule: a replacement must give the replaced person's email."""

from __future__ import annotations

import pytest

from validation.models import CaseReading, NominationType, PersonReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.missing_replaced_email import MissingReplacedEmail

RULE = MissingReplacedEmail()
PRIYA = PersonReading(name="Priya Shah", email="priya.shah@nhs.net", phone="+447700900123")
GARETH = PersonReading(name="Gareth Lloyd", email="gareth.lloyd@nhs.net", phone="+441134960456")


def _check(nomination_type: str | None, *replaced: PersonReading) -> RuleOutcome:
    reading = CaseReading(
        nomination_type=nomination_type, nominees=[PRIYA], replaced=list(replaced)
    )
    return RULE.check(RuleContext(reading=reading))


def test_name_and_kind() -> None:
    assert RULE.name == "missing-replaced-email"
    assert RULE.kind == "missing"


def test_named_replaced_person_without_email_hits() -> None:
    gareth = GARETH.model_copy(update={"email": None})
    assert _check(NominationType.REPLACEMENT, gareth) == RuleOutcome(
        rule="missing-replaced-email", hit=True, kind="missing",
        reason="No email address for Gareth Lloyd.", missing=["replaced[0].email"],
    )


def test_replacement_naming_nobody_asks_for_index_0() -> None:
    assert _check(NominationType.REPLACEMENT) == RuleOutcome(
        rule="missing-replaced-email", hit=True, kind="missing",
        reason="No email address for the person being replaced.",
        missing=["replaced[0].email"],
    )


def test_second_replaced_person_without_email_is_index_1() -> None:
    margaret = PersonReading(name="Margaret Osei", phone="+442079460789")
    outcome = _check(NominationType.REPLACEMENT, GARETH, margaret)
    assert outcome.missing == ["replaced[1].email"]
    assert outcome.reason == "No email address for Margaret Osei."


def test_replacement_with_the_email_passes() -> None:
    assert _check(NominationType.REPLACEMENT, GARETH) == RuleOutcome(
        rule="missing-replaced-email", hit=False, kind="missing"
    )


@pytest.mark.parametrize("nomination_type", ["first", "additional", None])
def test_not_a_replacement_passes(nomination_type: str | None) -> None:
    assert _check(nomination_type, GARETH.model_copy(update={"email": None})).hit is False
