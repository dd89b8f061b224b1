"""The ``sender-authentication-failed`` rule: The receiving mail system recorded that the sender's
domain did not authenticate this message (DMARC, or SPF without DKIM), so the From address may
be forged.
"""

from __future__ import annotations

import re

from validation.rules.base import Rule, RuleContext

# Source: the topmost ``Authentication-Results`` header (RFC 8601), the one the last receiving
# server added; results lower down were written by servers nearer the sender and are not trusted.
# Exchange Online (NHSmail) writes the header without the authentication service identifier that
# RFC 8601 section 2.2 requires ("spf=fail (…) smtp.mailfrom=nhs.net; dkim=none …;dmarc=fail …"),
# which strict parsers such as ``authres`` reject, so the ``method=result`` pairs are read directly.

# RFC 8601 section 2.2: methodspec = method [ "/" version ] "=" result; comments in parentheses.
_METHOD_RESULT = re.compile(r"(?:^|[\s;])(spf|dkim|dmarc|compauth)\s*(?:/\s*\d+\s*)?=\s*([a-z]+)",
                            re.IGNORECASE)
_COMMENT = re.compile(r"\([^()]*\)")


def authentication_results(value: str) -> dict[str, list[str]]:
    """The results per method (lower-case) in one Authentication-Results header value, e.g.
    ``{"spf": ["fail"], "dkim": ["none"], "dmarc": ["fail"]}``."""
    found: dict[str, list[str]] = {}
    for m in _METHOD_RESULT.finditer(_COMMENT.sub(" ", value)[:4000]):
        found.setdefault(m.group(1).lower(), []).append(m.group(2).lower())
    return found


class SenderAuthenticationFailed(Rule):
    name = "sender-authentication-failed"
    description = (
        "The receiving mail system recorded that the sender's domain did not authenticate this "
        "message (DMARC, or SPF without DKIM), so the From address may be forged."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.parsed is None:
            return None
        value = ctx.parsed.header("Authentication-Results")
        if not value:
            return None
        results = authentication_results(value)
        dmarc, spf, dkim = (results.get(k, []) for k in ("dmarc", "spf", "dkim"))
        failed: list[str] = []
        if "fail" in dmarc or "fail" in results.get("compauth", []):
            failed.append("DMARC")
        if "fail" in spf and "pass" not in dkim and "pass" not in dmarc:
            failed.append("SPF, with no DKIM signature to vouch for it")
        if not failed:
            return None
        return (
            "The receiving mail system recorded a failed sender check ("
            + "; ".join(failed)
            + "): the From address may be forged. Confirm with the organisation before accepting.",
            [],
        )
