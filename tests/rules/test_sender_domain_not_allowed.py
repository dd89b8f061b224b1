"""The ``sender-domain-not-allowed`` rule: a nomination from free webmail, a personal address or
a domain that is neither NHS/government nor the organisation's own goes to a person."""

from __future__ import annotations

import pytest

from parsing.model import Address, Classification
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


# --- A domain that is neither NHS/government nor the organisation's own ---------------------

ORGS = frozenset({"nhs.net", "nhs.uk", "gov.uk"})


def _org_ctx(make_parsed, addr: str, organisation: str | None,
             classification: Classification = Classification.NOMINATION) -> RuleContext:
    parsed = make_parsed(from_=Address(name="", addr=addr))
    return RuleContext(reading=CaseReading(organisation=organisation),
                       extraction=Extraction(classification=classification), parsed=parsed,
                       webmail_domains=WEBMAIL, organisation_domains=ORGS)


def test_an_interim_executive_writing_from_a_consultancy_hits(make_parsed) -> None:
    ctx = _org_ctx(make_parsed, "p.ashgrove@meridian-interim.co.uk",
                   "Fallowmead Hospitals NHS Trust")
    assert RULE.check(ctx).reason == (
        "The sender writes from meridian-interim.co.uk, which is neither an NHS or government "
        "domain nor recognisably Fallowmead Hospitals NHS Trust's own."
    )


def test_a_generic_word_alone_does_not_name_the_organisation(make_parsed) -> None:
    # "healthcare" is in the trust's name, but says nothing about which body owns the domain.
    ctx = _org_ctx(make_parsed, "k.obi@healthcare-interim.co.uk",
                   "Fallowmead Healthcare NHS Trust")
    assert RULE.check(ctx).hit is True


def test_no_organisation_read_means_the_domain_cannot_be_checked(make_parsed) -> None:
    ctx = _org_ctx(make_parsed, "p.ashgrove@meridian-interim.co.uk", None)
    assert RULE.check(ctx).reason.endswith(
        "nor recognisably the nominating organisation's own.")


@pytest.mark.parametrize(("addr", "organisation"), [
    ("ruth.castellan@larkhillhospice.example.org", "Larkhill Hospice"),  # a word of the name
    ("l.stratton@brookfieldhospitals.example", "Brookfield Independent Hospitals"),
    ("j.pargeter@larkspurhospice.org.uk", "Larkspur Hospice"),
    ("a.n.other@hcahealthcare.co.uk", "HCA Healthcare UK"),  # starts with a 3-letter word
    ("a.n.other@cqc.org.uk", "Care Quality Commission"),  # the initials
    ("a.n.other@staidans.org.uk", "St Aidan's Hospice"),  # possessive
    ("j.okonkwo@mgaa.gov.uk", "Medical Gases Assurance Agency"),  # government
    ("h.marsh@northshire.nhs.uk", "Somewhere Else NHS Trust"),  # NHS, whatever the name
    ("h.marsh@nhs.net", None),
])
def test_own_nhs_and_government_domains_pass(make_parsed, addr: str,
                                             organisation: str | None) -> None:
    assert RULE.check(_org_ctx(make_parsed, addr, organisation)).hit is False


def test_a_short_word_inside_another_word_does_not_name_the_organisation(make_parsed) -> None:
    # "ash" of Ash Vale is inside "cashflow", but the label does not start with it.
    ctx = _org_ctx(make_parsed, "m.ward@cashflowpartners.co.uk", "Ash Vale NHS Trust")
    assert RULE.check(ctx).hit is True


@pytest.mark.parametrize("classification", [Classification.AUTO_REPLY, Classification.OTHER])
def test_only_nominations_and_follow_ups_are_checked_for_the_domain(
        make_parsed, classification: Classification) -> None:
    ctx = _org_ctx(make_parsed, "p.ashgrove@meridian-interim.co.uk",
                   "Fallowmead Hospitals NHS Trust", classification)
    assert RULE.check(ctx).hit is False


@pytest.mark.parametrize("addr", [
    "m.fenwick@ouseburnvalley-nhs.co.uk", "m.fenwick@nhs-ouseburn.org",
    "m.fenwick@mail.ouseburnvalley.nhs.com", "m.fenwick@ouseburnvalleynhs.co.uk",
])
def test_a_domain_dressed_as_an_nhs_one_hits(make_parsed, addr: str) -> None:
    ctx = _org_ctx(make_parsed, addr, "Ouseburn Valley Hospitals NHS Trust")
    domain = addr.partition("@")[2]
    assert RULE.check(ctx).reason == (
        f"The sender writes from {domain}, which looks like an NHS domain but is not one "
        "(NHS organisations write from nhs.net or nhs.uk)."
    )


def test_an_nhs_body_on_a_domain_naming_it_still_hits(make_parsed) -> None:
    # A trust's name in a .co.uk domain is not the trust's: NHS bodies write from NHS domains.
    ctx = _org_ctx(make_parsed, "m.fenwick@ouseburnvalleyhospitals.co.uk",
                   "Ouseburn Valley Hospitals NHS Trust")
    assert RULE.check(ctx).reason == (
        "The sender writes from ouseburnvalleyhospitals.co.uk, which is neither an NHS or "
        "government domain nor recognisably Ouseburn Valley Hospitals NHS Trust's own."
    )


@pytest.mark.parametrize("addr", ["a.b@snhsc.co.uk", "a.b@kinhsley.org"])
def test_nhs_inside_a_longer_word_is_not_an_imitation(make_parsed, addr: str) -> None:
    # Letters n-h-s inside another word are not the word "nhs" (the hospice's own domain).
    ctx = _org_ctx(make_parsed, addr, "Kinhsley Hospice")
    assert "looks like an NHS domain" not in RULE.check(ctx).reason
