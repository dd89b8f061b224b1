"""The ``nominee-is-sender`` rule: a self-nomination goes to a person."""

from __future__ import annotations

from parsing.model import Address
from validation.models import CaseReading, Extraction, PersonReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.nominee_is_sender import NomineeIsSender

RULE = NomineeIsSender()
PRIYA = PersonReading(name="Priya Shah", email="priya.shah@nhs.net", phone="+447700900123")
ADAM = PersonReading(name="Adam Clarke", email="adam.clarke@nhs.net", phone="+441134960123")


def _ctx(parsed, nominees=(), replaced=()) -> RuleContext:
    extraction = Extraction(nominees=list(nominees), replaced=list(replaced))
    reading = CaseReading(nominees=list(nominees), replaced=list(replaced))
    return RuleContext(reading=reading, extraction=extraction, parsed=parsed)


def test_name_and_kind() -> None:
    assert RULE.name == "nominee-is-sender"
    assert RULE.kind == "flag"


def test_self_nomination_hits(make_parsed) -> None:
    parsed = make_parsed(from_=Address(name="Shah, Priya", addr="priya.shah@nhs.net"))
    assert RULE.check(_ctx(parsed, nominees=[PRIYA])) == RuleOutcome(
        rule="nominee-is-sender", hit=True, kind="flag",
        reason="The nominee's own address sent this nomination, not the executive's.",
        missing=[],
    )


def test_second_nominee_as_sender_hits(make_parsed) -> None:
    parsed = make_parsed(from_=Address(name="Adam Clarke", addr="adam.clarke@nhs.net"))
    assert RULE.check(_ctx(parsed, nominees=[PRIYA, ADAM])).hit is True


def test_executive_sender_passes(make_parsed) -> None:
    parsed = make_parsed(from_=Address(name="Dr Helen Marsh", addr="helen.marsh@nhs.net"))
    assert RULE.check(_ctx(parsed, nominees=[PRIYA])) == RuleOutcome(
        rule="nominee-is-sender", hit=False, kind="flag"
    )


def test_outgoing_specialist_sending_their_replacement_passes(make_parsed) -> None:
    # The person being replaced is not the nominee.
    gareth = PersonReading(name="Gareth Lloyd", email="gareth.lloyd@nhs.net")
    parsed = make_parsed(from_=Address(name="Gareth Lloyd", addr="gareth.lloyd@nhs.net"))
    assert RULE.check(_ctx(parsed, nominees=[PRIYA], replaced=[gareth])).hit is False


def test_nominee_without_email_passes(make_parsed) -> None:
    parsed = make_parsed(from_=Address(name="Dr Helen Marsh", addr="helen.marsh@nhs.net"))
    no_email = PersonReading(name="Priya Shah")
    assert RULE.check(_ctx(parsed, nominees=[no_email])).hit is False


def test_no_from_or_no_extraction_passes(make_parsed) -> None:
    assert RULE.check(_ctx(make_parsed(from_=None), nominees=[PRIYA])).hit is False
    ctx = RuleContext(reading=CaseReading(nominees=[PRIYA]), parsed=make_parsed(
        from_=Address(name="", addr="priya.shah@nhs.net")))
    assert RULE.check(ctx).hit is False
