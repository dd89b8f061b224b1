"""The ``bulk-mail`` rule: newsletters and mailing-list mail are ignored."""

from __future__ import annotations

from parsing.model import Address, Classification
from validation.models import CaseReading, Extraction, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.bulk_mail import BulkMail

RULE = BulkMail()


def test_name_and_kind() -> None:
    assert RULE.name == "bulk-mail"
    assert RULE.kind == "ignore"


def test_list_mail_hits(make_parsed) -> None:
    parsed = make_parsed(
        from_=Address(name="Patient Safety Bulletin", addr="bulletin@lists.england.example"),
        subject="Patient Safety Bulletin: March",
        classification=Classification.OTHER,
        is_bulk=True,
        headers={"list-id": ("<bulletin.lists.england.example>",)},
    )
    ctx = RuleContext(reading=CaseReading(), extraction=Extraction(), parsed=parsed)
    assert RULE.check(ctx) == RuleOutcome(
        rule="bulk-mail", hit=True, kind="ignore",
        reason="Bulk or mailing-list mail (List-Id, List-Unsubscribe or Precedence header).",
        missing=[],
    )


def test_bulk_flag_decides_even_when_classified_as_nomination(make_parsed) -> None:
    # A nomination forwarded through a list is still list mail: no reply to a list.
    parsed = make_parsed(classification=Classification.NOMINATION, is_bulk=True)
    assert RULE.check(RuleContext(reading=CaseReading(), parsed=parsed)).hit is True


def test_person_to_person_mail_passes(make_parsed) -> None:
    parsed = make_parsed(classification=Classification.OTHER, is_bulk=False)
    outcome = RULE.check(RuleContext(reading=CaseReading(), parsed=parsed))
    assert outcome == RuleOutcome(rule="bulk-mail", hit=False, kind="ignore")


def test_without_a_message_passes() -> None:
    assert RULE.check(RuleContext(reading=CaseReading())).hit is False
