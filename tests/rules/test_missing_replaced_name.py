"""The ``missing-replaced-name`` rule: a replacement must name the person being replaced."""

from __future__ import annotations

import pytest

from validation.models import CaseReading, NominationType, PersonReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.missing_replaced_name import MissingReplacedName

RULE = MissingReplacedName()
PRIYA = PersonReading(name="Priya Shah", email="priya.shah@nhs.net", phone="+447700900123")
GARETH = PersonReading(name="Gareth Lloyd", email="gareth.lloyd@nhs.net", phone="+441134960456")


def _check(nomination_type: str | None, *replaced: PersonReading) -> RuleOutcome:
    reading = CaseReading(
        nomination_type=nomination_type, nominees=[PRIYA], replaced=list(replaced)
    )
    return RULE.check(RuleContext(reading=reading))


def test_name_and_kind() -> None:
    assert RULE.name == "missing-replaced-name"
    assert RULE.kind == "missing"


def test_replacement_naming_nobody_asks_for_index_0() -> None:
    assert _check(NominationType.REPLACEMENT) == RuleOutcome(
        rule="missing-replaced-name", hit=True, kind="missing",
        reason="No name for the person being replaced.", missing=["replaced[0].name"],
    )


def test_replaced_person_known_only_by_email_hits() -> None:
    outcome = _check(NominationType.REPLACEMENT, PersonReading(email="gareth.lloyd@nhs.net"))
    assert outcome.missing == ["replaced[0].name"]
    assert outcome.reason == "No name for the person being replaced."


def test_replacement_with_the_name_passes() -> None:
    assert _check(NominationType.REPLACEMENT, GARETH) == RuleOutcome(
        rule="missing-replaced-name", hit=False, kind="missing"
    )


@pytest.mark.parametrize("nomination_type", ["first", "additional", None])
def test_not_a_replacement_passes(nomination_type: str | None) -> None:
    assert _check(nomination_type).hit is False
