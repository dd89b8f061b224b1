"""The ``question-for-the-team`` rule: a nomination that also asks the team something goes to a
person, who answers it."""

from __future__ import annotations

from parsing.model import Classification
from validation.models import CaseReading, Extraction, PersonReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.question_for_the_team import QuestionForTheTeam

RULE = QuestionForTheTeam()
PRIYA = PersonReading(name="Priya Shah", email="priya.shah@nhs.net", phone="+447700900123")
QUESTION = "Separately, could you tell me whether the level 3 training is funded nationally?"


def _ctx(make_parsed, questions, classification=Classification.NOMINATION) -> RuleContext:
    extraction = Extraction(
        classification=classification, nominees=[PRIYA], questions=list(questions)
    )
    return RuleContext(
        reading=CaseReading(nominees=[PRIYA]), extraction=extraction, parsed=make_parsed()
    )


def test_name_and_kind() -> None:
    assert RULE.name == "question-for-the-team"
    assert RULE.kind == "flag"


def test_a_question_hits_with_the_question_as_reason(make_parsed) -> None:
    assert RULE.check(_ctx(make_parsed, [QUESTION])) == RuleOutcome(
        rule="question-for-the-team",
        hit=True,
        kind="flag",
        reason=f"The sender asks the team: “{QUESTION}”",
        missing=[],
    )


def test_several_questions_are_counted(make_parsed) -> None:
    outcome = RULE.check(_ctx(make_parsed, [QUESTION, "Is there a forum?", "Who runs it?"]))
    assert outcome.hit is True
    assert outcome.reason.endswith("(and 2 more questions)")


def test_a_long_question_is_cut(make_parsed) -> None:
    outcome = RULE.check(_ctx(make_parsed, ["Could you tell me whether " + "x" * 400 + "?"]))
    assert outcome.hit is True
    assert len(outcome.reason) < 260
    assert "…" in outcome.reason


def test_a_follow_up_with_a_question_hits(make_parsed) -> None:
    assert RULE.check(_ctx(make_parsed, [QUESTION], Classification.FOLLOW_UP)).hit is True


def test_no_question_passes(make_parsed) -> None:
    assert RULE.check(_ctx(make_parsed, [])) == RuleOutcome(
        rule="question-for-the-team", hit=False, kind="flag"
    )


def test_not_a_nomination_is_left_to_its_own_rule(make_parsed) -> None:
    assert RULE.check(_ctx(make_parsed, [QUESTION], Classification.OTHER)).hit is False


def test_no_extraction_passes() -> None:
    assert RULE.check(RuleContext(reading=CaseReading(nominees=[PRIYA]))).hit is False
