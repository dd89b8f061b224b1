"""The ``reply-to-elsewhere`` rule: an organisation's message asking for replies at webmail."""

from __future__ import annotations

from parsing.model import Address
from validation.models import CaseReading, Extraction, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.reply_to_elsewhere import ReplyToElsewhere

RULE = ReplyToElsewhere()
WEBMAIL = frozenset({"gmail.com", "outlook.com"})
NHS = Address(name="Rachel Summerhayes", addr="rachel.summerhayes@nhs.net")


ORGS = frozenset({"nhs.net", "nhs.uk"})


def _ctx(parsed) -> RuleContext:
    return RuleContext(reading=CaseReading(), extraction=Extraction(), parsed=parsed,
                       webmail_domains=WEBMAIL, organisation_domains=ORGS)


def test_name_and_kind() -> None:
    assert RULE.name == "reply-to-elsewhere"
    assert RULE.kind == "flag"


def test_nhs_sender_with_webmail_reply_to_hits(make_parsed) -> None:
    parsed = make_parsed(from_=NHS, reply_to=(Address(name="", addr="r.s.nhs@outlook.com"),))
    assert RULE.check(_ctx(parsed)) == RuleOutcome(
        rule="reply-to-elsewhere", hit=True, kind="flag",
        reason="The message comes from nhs.net but asks for replies at a free webmail domain "
               "(outlook.com).",
        missing=[],
    )


def test_reply_to_a_colleague_at_the_organisation_passes(make_parsed) -> None:
    parsed = make_parsed(from_=NHS, reply_to=(Address(name="PA", addr="pa.office@nhs.net"),))
    assert RULE.check(_ctx(parsed)).hit is False


def test_no_reply_to_passes(make_parsed) -> None:
    assert RULE.check(_ctx(make_parsed(from_=NHS))).hit is False


def test_webmail_sender_is_left_to_the_domain_rule(make_parsed) -> None:
    parsed = make_parsed(from_=Address(name="", addr="helen@gmail.com"),
                         reply_to=(Address(name="", addr="helen2@outlook.com"),))
    assert RULE.check(_ctx(parsed)).hit is False


def test_without_a_message_passes() -> None:
    assert RULE.check(RuleContext(reading=CaseReading(), webmail_domains=WEBMAIL)).hit is False


def test_look_alike_domain_hits(make_parsed) -> None:
    trust = Address(name="Helen Marsh", addr="helen.marsh@northshire.nhs.uk")
    parsed = make_parsed(from_=trust,
                         reply_to=(Address(name="", addr="helen.marsh@northshire-nhs.uk"),))
    assert RULE.check(_ctx(parsed)).reason == (
        "The message comes from northshire.nhs.uk but asks for replies at another domain "
        "(northshire-nhs.uk)."
    )


def test_pa_on_nhs_net_for_a_trust_executive_passes(make_parsed) -> None:
    trust = Address(name="Helen Marsh", addr="helen.marsh@northshire.nhs.uk")
    parsed = make_parsed(from_=trust, reply_to=(Address(name="PA", addr="pa.marsh@nhs.net"),))
    assert RULE.check(_ctx(parsed)).hit is False
