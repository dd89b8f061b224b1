"""The ``sender-domain-not-allowed`` rule: a nomination from free webmail goes to a person."""

from __future__ import annotations

from parsing.model import Address
from validation.models import CaseReading, Extraction, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.sender_domain_not_allowed import SenderDomainNotAllowed

RULE = SenderDomainNotAllowed()
WEBMAIL = frozenset({"gmail.com", "googlemail.com", "hotmail.co.uk", "outlook.com"})


def _ctx(parsed, webmail: frozenset[str] = WEBMAIL) -> RuleContext:
    return RuleContext(
        reading=CaseReading(), extraction=Extraction(), parsed=parsed, webmail_domains=webmail,
    )


def test_name_and_kind() -> None:
    assert RULE.name == "sender-domain-not-allowed"
    assert RULE.kind == "flag"


def test_gmail_sender_hits(make_parsed) -> None:
    parsed = make_parsed(from_=Address(name="Helen Marsh", addr="helen.marsh.home@gmail.com"))
    assert RULE.check(_ctx(parsed)) == RuleOutcome(
        rule="sender-domain-not-allowed", hit=True, kind="flag",
        reason="The sender writes from a free webmail domain (gmail.com), not an NHS address.",
        missing=[],
    )


def test_reason_names_the_actual_domain(make_parsed) -> None:
    parsed = make_parsed(from_=Address(name="", addr="m.osei@hotmail.co.uk"))
    assert RULE.check(_ctx(parsed)).reason == (
        "The sender writes from a free webmail domain (hotmail.co.uk), not an NHS address."
    )


def test_nhs_net_sender_passes(make_parsed) -> None:
    parsed = make_parsed(from_=Address(name="Dr Helen Marsh", addr="helen.marsh@nhs.net"))
    assert RULE.check(_ctx(parsed)) == RuleOutcome(
        rule="sender-domain-not-allowed", hit=False, kind="flag"
    )


def test_trust_domain_passes(make_parsed) -> None:
    parsed = make_parsed(from_=Address(name="", addr="claire.pemberton@harbourside.nhs.uk"))
    assert RULE.check(_ctx(parsed)).hit is False


def test_domain_list_comes_from_configuration(make_parsed) -> None:
    # With no webmail domains configured, nothing is refused on that ground.
    parsed = make_parsed(from_=Address(name="Helen Marsh", addr="helen.marsh.home@gmail.com"))
    assert RULE.check(_ctx(parsed, webmail=frozenset())).hit is False


def test_gmail_as_part_of_a_longer_domain_passes(make_parsed) -> None:
    parsed = make_parsed(from_=Address(name="", addr="helen.marsh@notgmail.com"))
    assert RULE.check(_ctx(parsed)).hit is False


def test_no_from_address_passes(make_parsed) -> None:
    assert RULE.check(_ctx(make_parsed(from_=None))).hit is False


def test_without_a_message_passes() -> None:
    ctx = RuleContext(reading=CaseReading(), webmail_domains=WEBMAIL)
    assert RULE.check(ctx).hit is False


def test_a_sender_who_says_the_address_is_personal_hits(make_parsed) -> None:
    from parsing.model import BodyText

    body = "Please excuse me writing from my personal email - I cannot get into NHSmail."
    parsed = make_parsed(from_=Address(name="A R", addr="a.r72@homemail.example"),
                         body=BodyText(full=body, new=body, signature="", quoted=""))
    orgs = frozenset({"nhs.net", "nhs.uk"})
    ctx = RuleContext(reading=CaseReading(), extraction=Extraction(), parsed=parsed,
                      webmail_domains=WEBMAIL, organisation_domains=orgs)
    assert RULE.check(ctx).reason == (
        "The sender says they write from a personal address (homemail.example), not their "
        "organisation's."
    )
    # The same words from an NHS address are an NHS address.
    nhs = make_parsed(from_=Address(name="A R", addr="a.r@nhs.net"),
                      body=BodyText(full=body, new=body, signature="", quoted=""))
    ctx = RuleContext(reading=CaseReading(), extraction=Extraction(), parsed=nhs,
                      webmail_domains=WEBMAIL, organisation_domains=orgs)
    assert RULE.check(ctx).hit is False
