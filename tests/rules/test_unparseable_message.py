"""The ``unparseable-message`` rule: a message that could not be read goes to a person."""

from __future__ import annotations

from validation.models import CaseReading, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.unparseable_message import UnparseableMessage

RULE = UnparseableMessage()


def test_name_and_kind() -> None:
    assert RULE.name == "unparseable-message"
    assert RULE.kind == "flag"


def test_processing_error_hits_with_the_error_in_words() -> None:
    ctx = RuleContext(reading=CaseReading(), processing_error="the MIME tree could not be walked")
    assert RULE.check(ctx) == RuleOutcome(
        rule="unparseable-message", hit=True, kind="flag",
        reason="The message could not be processed (the MIME tree could not be walked).",
        missing=[],
    )


def test_unreadable_message_names_at_most_three_defects(make_parsed) -> None:
    parsed = make_parsed(
        unreadable=True,
        defects=(
            "multipart without closing boundary",
            "undecodable base64 body",
            "unknown charset x-unknown",
            "missing header/body separator",
        ),
    )
    outcome = RULE.check(RuleContext(reading=CaseReading(), parsed=parsed))
    assert outcome.hit is True
    assert outcome.kind == "flag"
    assert outcome.reason == (
        "No readable text could be got from the message (multipart without closing boundary; "
        "undecodable base64 body; unknown charset x-unknown)."
    )
    assert outcome.missing == []


def test_unreadable_message_without_defects(make_parsed) -> None:
    parsed = make_parsed(unreadable=True)
    outcome = RULE.check(RuleContext(reading=CaseReading(), parsed=parsed))
    assert outcome.reason == "No readable text could be got from the message (no readable text)."


def test_processing_error_wins_over_unreadable(make_parsed) -> None:
    parsed = make_parsed(unreadable=True, defects=("undecodable base64 body",))
    ctx = RuleContext(reading=CaseReading(), parsed=parsed, processing_error="database timeout")
    assert RULE.check(ctx).reason == "The message could not be processed (database timeout)."


def test_readable_message_passes(make_parsed) -> None:
    parsed = make_parsed(defects=("header line folded oddly",))
    outcome = RULE.check(RuleContext(reading=CaseReading(), parsed=parsed))
    assert outcome == RuleOutcome(rule="unparseable-message", hit=False, kind="flag")


def test_without_a_message_passes() -> None:
    assert RULE.check(RuleContext(reading=CaseReading())).hit is False


def test_an_oversized_message_is_not_also_called_unparseable(make_parsed) -> None:
    # Only the header block of an oversized message is parsed, so it has no readable text;
    # that is the oversized-message rule's finding, not this one's.
    ctx = RuleContext(reading=CaseReading(), parsed=make_parsed(unreadable=True), oversized=True)
    assert RULE.check(ctx) == RuleOutcome(rule="unparseable-message", hit=False, kind="flag")
