"""The ``missing-replaced-phone`` rule: a replacement must give the replaced person's number."""

from __future__ import annotations

import pytest

from validation.models import CaseReading, NominationType, PersonReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.missing_replaced_phone import MissingReplacedPhone

RULE = MissingReplacedPhone()
PRIYA = PersonReading(name="Priya Shah", email="priya.shah@nhs.net")
GARETH = PersonReading(name="Gareth Lloyd", email="gareth.lloyd@nhs.net", phone="+441134960456")


def _check(nomination_type: str | None, *replaced: PersonReading) -> RuleOutcome:
    reading = CaseReading(
        nomination_type=nomination_type, nominees=[PRIYA], replaced=list(replaced)
    )
    return RULE.check(RuleContext(reading=reading))


def test_name_and_kind() -> None:
    assert RULE.name == "missing-replaced-phone"
    assert RULE.kind == "missing"


def test_named_replaced_person_without_phone_hits() -> None:
    gareth = GARETH.model_copy(update={"phone": None})
    assert _check(NominationType.REPLACEMENT, gareth) == RuleOutcome(
        rule="missing-replaced-phone", hit=True, kind="missing",
        reason="No contact number for Gareth Lloyd.", missing=["replaced[0].phone"],
    )


def test_replacement_naming_nobody_asks_for_index_0() -> None:
    assert _check(NominationType.REPLACEMENT) == RuleOutcome(
        rule="missing-replaced-phone", hit=True, kind="missing",
        reason="No contact number for the person being replaced.",
        missing=["replaced[0].phone"],
    )


def test_nominee_lacking_a_phone_is_not_this_rules_business() -> None:
    # PRIYA (the nominee) has no phone; the replaced person has one.
    assert _check(NominationType.REPLACEMENT, GARETH) == RuleOutcome(
        rule="missing-replaced-phone", hit=False, kind="missing"
    )


@pytest.mark.parametrize("nomination_type", ["first", "additional", None])
def test_not_a_replacement_passes(nomination_type: str | None) -> None:
    assert _check(nomination_type).hit is False
