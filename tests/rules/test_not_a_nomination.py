"""The ``not-a-nomination`` rule: person-to-person mail that names nobody goes to the team."""

from __future__ import annotations

from parsing.model import Classification
from validation.models import CaseReading, Extraction, PersonReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.not_a_nomination import NotANomination

RULE = NotANomination()
QUESTION = Extraction(classification=Classification.OTHER)
PRIYA = PersonReading(name="Priya Shah", email="priya.shah@nhs.net")


def test_name_and_kind() -> None:
    assert RULE.name == "not-a-nomination"
    assert RULE.kind == "flag"


def test_question_to_the_team_hits(make_parsed) -> None:
    parsed = make_parsed(
        subject="Question about the PSS training programme",
        classification=Classification.OTHER,
    )
    ctx = RuleContext(reading=CaseReading(), extraction=QUESTION, parsed=parsed)
    assert RULE.check(ctx) == RuleOutcome(
        rule="not-a-nomination", hit=True, kind="flag",
        reason="The message does not nominate anyone; it may need an answer from the team.",
        missing=[],
    )


def test_bulk_mail_is_not_flagged(make_parsed) -> None:
    parsed = make_parsed(classification=Classification.OTHER, is_bulk=True)
    ctx = RuleContext(reading=CaseReading(), extraction=QUESTION, parsed=parsed)
    assert RULE.check(ctx) == RuleOutcome(rule="not-a-nomination", hit=False, kind="flag")


def test_nomination_passes(make_parsed) -> None:
    extraction = Extraction(classification=Classification.NOMINATION)
    ctx = RuleContext(reading=CaseReading(), extraction=extraction, parsed=make_parsed())
    assert RULE.check(ctx).hit is False


def test_follow_up_naming_nobody_passes(make_parsed) -> None:
    extraction = Extraction(classification=Classification.FOLLOW_UP)
    parsed = make_parsed(classification=Classification.FOLLOW_UP)
    assert RULE.check(RuleContext(reading=CaseReading(), extraction=extraction,
                                  parsed=parsed)).hit is False


def test_other_mail_on_a_case_with_a_nominee_passes(make_parsed) -> None:
    parsed = make_parsed(classification=Classification.OTHER)
    ctx = RuleContext(reading=CaseReading(nominees=[PRIYA]), extraction=QUESTION, parsed=parsed)
    assert RULE.check(ctx).hit is False


def test_other_mail_on_a_case_with_a_replaced_person_passes(make_parsed) -> None:
    parsed = make_parsed(classification=Classification.OTHER)
    reading = CaseReading(replaced=[PersonReading(name="Gareth Lloyd")])
    assert RULE.check(RuleContext(reading=reading, extraction=QUESTION,
                                  parsed=parsed)).hit is False


def test_auto_reply_is_left_to_auto_reply(make_parsed) -> None:
    extraction = Extraction(classification=Classification.AUTO_REPLY)
    parsed = make_parsed(classification=Classification.AUTO_REPLY, is_auto_submitted=True)
    assert RULE.check(RuleContext(reading=CaseReading(), extraction=extraction,
                                  parsed=parsed)).hit is False


def test_without_a_message_passes() -> None:
    assert RULE.check(RuleContext(reading=CaseReading())).hit is False
