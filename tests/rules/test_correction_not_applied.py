"""The ``correction-not-applied`` rule: a follow-up that says it corrects a detail but changed
nothing goes to a person, so the case is not left accepted with the value said to be wrong."""

from __future__ import annotations

from validation.models import CaseReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.correction_not_applied import CorrectionNotApplied

RULE = CorrectionNotApplied()


def test_name_and_kind() -> None:
    assert (RULE.name, RULE.kind) == ("correction-not-applied", "flag")


def test_an_unapplied_correction_hits() -> None:
    assert RULE.check(RuleContext(reading=CaseReading(), correction_unapplied=True)) == (
        RuleOutcome(rule="correction-not-applied", hit=True, kind="flag", reason=(
            "The message says it corrects a detail, but no value of the case could be read "
            "from it; the case still holds what was sent before."), missing=[]))


def test_otherwise_passes() -> None:
    assert RULE.check(RuleContext(reading=CaseReading())).hit is False
