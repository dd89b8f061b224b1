"""The ``sender-authentication-failed`` rule: the receiving server's failed DMARC/SPF verdict
sends the case to a person."""

from __future__ import annotations

from validation.models import CaseReading, Extraction, RuleOutcome
from validation.rules.base import RuleContext
from validation.rules.sender_authentication_failed import (
    SenderAuthenticationFailed,
    authentication_results,
)

RULE = SenderAuthenticationFailed()
# As Exchange Online (NHSmail) writes it: no authserv-id, comments, a trailing ';'.
EXCHANGE_FAIL = (
    "spf=fail (sender IP is 203.0.113.47) smtp.mailfrom=nhs.net; dkim=none (message not "
    "signed) header.d=none;dmarc=fail action=quarantine header.from=nhs.net;"
)
RFC_PASS = (
    "mx1.nhs.net; spf=pass smtp.mailfrom=nhs.net; dkim=pass header.d=nhs.net; "
    "dmarc=pass header.from=nhs.net"
)


def _ctx(parsed) -> RuleContext:
    return RuleContext(reading=CaseReading(), extraction=Extraction(), parsed=parsed)


def _with(make_parsed, *values: str):
    return make_parsed(headers={"authentication-results": values})


def test_name_and_kind() -> None:
    assert RULE.name == "sender-authentication-failed"
    assert RULE.kind == "flag"


def test_results_are_read_from_exchange_form() -> None:
    assert authentication_results(EXCHANGE_FAIL) == {
        "spf": [("fail", {"smtp.mailfrom": "nhs.net"})],
        "dkim": [("none", {"header.d": "none"})],
        "dmarc": [("fail", {"header.from": "nhs.net"})],
    }


def test_comments_and_quoted_strings_do_not_count() -> None:
    # RFC 8601 CFWS: "(dkim=pass ...)" is a comment, even nested; a quoted envelope local part
    # is the sender's text.
    assert authentication_results("mx; spf=fail (x (dkim=pass) y) smtp.mailfrom=a.b") == {
        "spf": [("fail", {"smtp.mailfrom": "a.b"})]
    }
    value = 'mx; spf=fail smtp.mailfrom="x;dkim=pass header.d=nhs.net"@nhs.net'
    assert set(authentication_results(value)) == {"spf"}


def test_dmarc_and_spf_failure_hits(make_parsed) -> None:
    assert RULE.check(_ctx(_with(make_parsed, EXCHANGE_FAIL))) == RuleOutcome(
        rule="sender-authentication-failed", hit=True, kind="flag",
        reason="The receiving mail system recorded a failed sender check (DMARC; SPF, with no "
               "DKIM signature of the sender's domain to vouch for it): the From address may be "
               "forged. Confirm with the organisation before accepting.",
        missing=[],
    )


def test_spf_fail_vouched_for_by_dkim_passes(make_parsed) -> None:
    # Forwarding breaks SPF; a valid DKIM signature still vouches for the domain.
    value = "mx; spf=fail smtp.mailfrom=nhs.net; dkim=pass header.d=nhs.net; dmarc=pass"
    assert RULE.check(_ctx(_with(make_parsed, value))).hit is False


def test_all_pass_passes(make_parsed) -> None:
    assert RULE.check(_ctx(_with(make_parsed, RFC_PASS))).hit is False


def test_only_the_topmost_header_counts(make_parsed) -> None:
    # Lower headers were written nearer the sender (and may be forged by them).
    assert RULE.check(_ctx(_with(make_parsed, RFC_PASS, EXCHANGE_FAIL))).hit is False
    assert RULE.check(_ctx(_with(make_parsed, EXCHANGE_FAIL, RFC_PASS))).hit is True


def test_a_dkim_pass_for_another_domain_does_not_excuse_spf(make_parsed) -> None:
    value = "mx; spf=fail smtp.mailfrom=nhs.net; dkim=pass header.d=bulk-sender.example; dmarc=none"
    assert RULE.check(_ctx(_with(make_parsed, value))).hit is True


def test_microsoft_composite_pass_vouches_for_forwarded_mail(make_parsed) -> None:
    # compauth=pass reason=130: an ARC override on legitimately forwarded mail.
    value = "spf=fail smtp.mailfrom=nhs.net; dkim=none; dmarc=fail; compauth=pass reason=130"
    assert RULE.check(_ctx(_with(make_parsed, value))).hit is False


def test_microsoft_composite_authentication_failure_hits(make_parsed) -> None:
    value = "spf=pass smtp.mailfrom=x.org; dkim=none; dmarc=none; compauth=fail reason=601"
    assert "DMARC" in RULE.check(_ctx(_with(make_parsed, value))).reason


def test_no_header_passes(make_parsed) -> None:
    assert RULE.check(_ctx(make_parsed())).hit is False


def test_without_a_message_passes() -> None:
    assert RULE.check(RuleContext(reading=CaseReading())).hit is False
