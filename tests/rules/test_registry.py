"""The rule registry (:data:`validation.rules.RULES`) and the chain that runs it
(:func:`validation.chain.evaluate`)."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest

from parsing.model import Address, Classification
from validation.chain import Verdict, evaluate
from validation.models import (
    Action,
    CaseReading,
    Extraction,
    Flag,
    NominationType,
    PersonReading,
    RuleOutcome,
)
from validation.rules import RULES, Rule, RuleContext, rule_by_name

KEBAB = re.compile(r"^[a-z]+(-[a-z]+)*$")
WEBMAIL = frozenset({"gmail.com", "hotmail.co.uk"})
PRIYA = PersonReading(name="Priya Shah", email="priya.shah@nhs.net", phone="+447700900123")
NAMES = [rule.name for rule in RULES]


# --- The registry ---------------------------------------------------------------------------


def test_rule_names_are_unique() -> None:
    assert len(NAMES) == len(set(NAMES))


@pytest.mark.parametrize("name", NAMES)
def test_rule_name_is_kebab_case(name: str) -> None:
    assert KEBAB.match(name), name


@pytest.mark.parametrize("rule", RULES, ids=NAMES)
def test_rule_has_a_one_sentence_description(rule: Rule) -> None:
    text = rule.description
    assert text == text.strip()
    assert text[:1].isupper()
    assert text.endswith(".")
    # One sentence: no full stop, question or exclamation mark followed by another sentence.
    assert not re.search(r"[.!?]\s+\S", text), text
    assert "\n" not in text


@pytest.mark.parametrize("rule", RULES, ids=NAMES)
def test_rule_kind_is_one_of_the_three(rule: Rule) -> None:
    assert rule.kind in ("missing", "flag", "ignore")


@pytest.mark.parametrize("rule", RULES, ids=NAMES)
def test_rule_module_is_named_after_the_rule(rule: Rule) -> None:
    module = type(rule).__module__
    assert module == "validation.rules." + rule.name.replace("-", "_")
    # The module docstring repeats the description; the two must not drift apart.
    doc = " ".join((sys.modules[module].__doc__ or "").split())
    assert doc == f"The ``{rule.name}`` rule: {rule.description}"


def test_every_rule_module_is_registered() -> None:
    package = importlib.import_module("validation.rules")
    folder = Path(package.__file__).parent
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__", "base"}
    assert modules == {name.replace("-", "_") for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_rule_by_name_finds_each_rule(name: str) -> None:
    rule = rule_by_name(name)
    assert rule.name == name
    assert rule in RULES


def test_rule_by_name_refuses_an_unknown_name() -> None:
    with pytest.raises(KeyError):
        rule_by_name("sender-authentication-failed-typo")
    with pytest.raises(KeyError):
        rule_by_name("missing_nominee_phone")


def test_design_examples_that_exist_are_registered() -> None:
    for name in ("missing-nominee-phone", "guidance-not-confirmed", "sender-domain-not-allowed",
                 "contradictory-nomination-type", "attachment-only", "unparseable-message",
                 "possible-duplicate-nomination"):
        assert rule_by_name(name).name == name


# --- The chain ------------------------------------------------------------------------------


def _complete_reading() -> CaseReading:
    return CaseReading(
        nomination_type=NominationType.FIRST,
        nominees=[PRIYA],
        guidance_confirmed=True,
        organisation="Northshire Hospitals NHS Foundation Trust",
    )


def _nomination_ctx(make_parsed, reading: CaseReading, **kwargs) -> RuleContext:
    extraction = Extraction(
        classification=Classification.NOMINATION,
        nomination_type=reading.nomination_type,
        nominees=reading.nominees,
        replaced=reading.replaced,
        guidance_confirmed=reading.guidance_confirmed,
        organisation=reading.organisation,
    )
    parsed = kwargs.pop("parsed", None) or make_parsed()
    return RuleContext(
        reading=reading, extraction=extraction, parsed=parsed, webmail_domains=WEBMAIL, **kwargs
    )


def test_every_rule_runs_in_registry_order(make_parsed) -> None:
    verdict = evaluate(_nomination_ctx(make_parsed, _complete_reading()))
    assert len(verdict.outcomes) == len(RULES)
    assert [o.rule for o in verdict.outcomes] == NAMES


def test_complete_nomination_is_accepted(make_parsed) -> None:
    verdict = evaluate(_nomination_ctx(make_parsed, _complete_reading()))
    assert verdict.action == Action.ACCEPT
    assert verdict.flags == ()
    assert verdict.missing == ()
    assert not any(o.hit for o in verdict.outcomes)


def test_missing_items_lead_to_a_request(make_parsed) -> None:
    reading = _complete_reading().model_copy(
        update={"nominees": [PRIYA.model_copy(update={"phone": None})],
                "guidance_confirmed": False}
    )
    verdict = evaluate(_nomination_ctx(make_parsed, reading))
    assert verdict.action == Action.REQUEST_MISSING
    assert verdict.missing == ("guidance_confirmation", "nominees[0].phone")
    assert verdict.flags == ()


def test_missing_items_are_sorted_across_rules(make_parsed) -> None:
    # An empty replacement: every person field of both roles, plus the guidance.
    reading = CaseReading(nomination_type=NominationType.REPLACEMENT)
    verdict = evaluate(_nomination_ctx(make_parsed, reading))
    assert verdict.action == Action.REQUEST_MISSING
    assert verdict.missing == (
        "guidance_confirmation",
        "nominees[0].email",
        "nominees[0].name",
        "nominees[0].phone",
        "replaced[0].email",
        "replaced[0].name",
        "replaced[0].phone",
    )


class _Missing(Rule):
    """A test rule that reports fixed missing items."""

    kind = "missing"
    description = "A test rule."

    def __init__(self, name: str, items: list[str]) -> None:
        self.name = name
        self._items = items

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        return ("test", list(self._items)) if self._items else None


class _Fixed(Rule):
    """A test rule of a given kind that always hits with a fixed reason."""

    description = "A test rule."

    def __init__(self, name: str, kind: str, reason: str) -> None:
        self.name = name
        self.kind = kind
        self._reason = reason

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        return (self._reason, [])


def test_missing_items_are_deduplicated_and_sorted() -> None:
    rules = (
        _Missing("first-test", ["nominees[0].phone", "guidance_confirmation"]),
        _Missing("second-test", ["guidance_confirmation", "nomination_type"]),
    )
    verdict = evaluate(RuleContext(reading=CaseReading()), rules)
    assert verdict.missing == ("guidance_confirmation", "nomination_type", "nominees[0].phone")
    assert verdict.action == Action.REQUEST_MISSING


def test_missing_items_of_rules_that_passed_are_not_counted() -> None:
    rules = (_Missing("quiet-test", []), _Missing("loud-test", ["nomination_type"]))
    verdict = evaluate(RuleContext(reading=CaseReading()), rules)
    assert verdict.missing == ("nomination_type",)


def test_flag_beats_missing(make_parsed) -> None:
    verdict = evaluate(_nomination_ctx(make_parsed, CaseReading(), oversized=True))
    assert verdict.action == Action.REVIEW
    assert verdict.flags == (
        Flag(rule="oversized-message",
             reason="The message is over the size limit; only its headers were stored."),
    )
    # The missing items are still recorded for the reviewer.
    assert "nomination_type" in verdict.missing


def test_flags_keep_registry_order_and_every_reason(make_parsed) -> None:
    gmail = make_parsed(from_=Address(name="Helen Marsh", addr="helen.marsh.home@gmail.com"))
    ctx = _nomination_ctx(
        make_parsed, _complete_reading(), parsed=gmail, reply_bounced=True, oversized=True,
        duplicate_of=("PSS-000041",),
    )
    verdict = evaluate(ctx)
    assert verdict.action == Action.REVIEW
    assert verdict.flags == (
        Flag(rule="oversized-message",
             reason="The message is over the size limit; only its headers were stored."),
        Flag(rule="sender-domain-not-allowed",
             reason="The sender writes from a free webmail domain (gmail.com), "
                    "not an NHS address."),
        Flag(rule="possible-duplicate-nomination",
             reason="The nominee's email address also appears in PSS-000041."),
        Flag(rule="reply-bounced",
             reason="A reply we sent on this case was returned undeliverable."),
    )


def test_flags_follow_the_order_of_the_rules_given() -> None:
    rules = (_Fixed("zulu-test", "flag", "z"), _Fixed("alpha-test", "flag", "a"))
    verdict = evaluate(RuleContext(reading=CaseReading()), rules)
    assert [f.rule for f in verdict.flags] == ["zulu-test", "alpha-test"]


def test_ignore_beats_flag_and_missing(make_parsed) -> None:
    # An out-of-office from a webmail address on an empty case: ignore, ask nothing.
    parsed = make_parsed(
        from_=Address(name="Helen Marsh", addr="helen.marsh.home@gmail.com"),
        classification=Classification.AUTO_REPLY,
        is_auto_submitted=True,
    )
    ctx = RuleContext(
        reading=CaseReading(),
        extraction=Extraction(classification=Classification.AUTO_REPLY),
        parsed=parsed,
        webmail_domains=WEBMAIL,
    )
    verdict = evaluate(ctx)
    assert verdict.action == Action.IGNORE
    assert verdict.missing == ()
    hit = {o.rule for o in verdict.outcomes if o.hit}
    assert {"auto-reply", "sender-domain-not-allowed"} <= hit
    # Nothing is asked of automatic mail, so the missing-item rules do not apply at all.
    assert not any(o.hit for o in verdict.outcomes if o.kind == "missing")


def test_ignore_rule_with_fixed_rules_empties_missing() -> None:
    rules = (
        _Missing("ask-test", ["nominees[0].phone"]),
        _Fixed("flag-test", "flag", "doubtful"),
        _Fixed("ignore-test", "ignore", "automatic"),
    )
    verdict = evaluate(RuleContext(reading=CaseReading()), rules)
    assert verdict.action == Action.IGNORE
    assert verdict.missing == ()
    assert len(verdict.outcomes) == 3


def test_bulk_mail_is_ignored_not_flagged_as_not_a_nomination(make_parsed) -> None:
    parsed = make_parsed(classification=Classification.OTHER, is_bulk=True)
    ctx = RuleContext(reading=CaseReading(), extraction=Extraction(), parsed=parsed)
    verdict = evaluate(ctx)
    assert verdict.action == Action.IGNORE
    assert "not-a-nomination" not in [f.rule for f in verdict.flags]


def test_verdict_outcomes_are_rule_outcomes(make_parsed) -> None:
    verdict = evaluate(_nomination_ctx(make_parsed, _complete_reading()))
    assert isinstance(verdict, Verdict)
    assert all(isinstance(o, RuleOutcome) for o in verdict.outcomes)
    assert {o.rule: o.kind for o in verdict.outcomes} == {r.name: r.kind for r in RULES}
