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

# RFC 8601 section 2.2: resinfo = ";" methodspec *propspec; methodspec = method ["/" version] "="
# result. Read per ";"-separated resinfo, with comments and quoted strings (which the sender can
# fill, e.g. a quoted envelope local part) removed first.
_METHOD = re.compile(r"^\s*([a-z][a-z0-9_-]*)\s*(?:/\s*\d+\s*)?=\s*([a-z]+)", re.IGNORECASE)
_PROP = re.compile(r"\b(header\.d|header\.i|header\.from|smtp\.mailfrom)\s*=\s*([^\s;]+)",
                   re.IGNORECASE)
_INNER_COMMENT = re.compile(r"\([^()]*\)")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_MAX_VALUE = 8000


def _strip_cfws(value: str) -> str:
    value = _QUOTED.sub('""', value[:_MAX_VALUE])
    for _ in range(50):  # nested comments, innermost first
        stripped = _INNER_COMMENT.sub(" ", value)
        if stripped == value:
            break
        value = stripped
    return value.replace("(", " ").replace(")", " ")


def authentication_results(value: str) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """The results in one Authentication-Results header value, per method (lower-case):
    ``{"spf": [("fail", {"smtp.mailfrom": "nhs.net"})], "dkim": [("pass", {"header.d": …})]}``.
    The authserv-id, when present, is skipped (it has no ``=``)."""
    found: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for resinfo in _strip_cfws(value).split(";"):
        m = _METHOD.match(resinfo)
        if m is None:
            continue
        props = {k.lower(): v.lower().strip('"') for k, v in _PROP.findall(resinfo[m.end() :])}
        found.setdefault(m.group(1).lower(), []).append((m.group(2).lower(), props))
    return found


def _aligned(domain: str, from_domain: str) -> bool:
    """DMARC relaxed alignment (RFC 7489 section 3.1): same organisational domain, roughly."""
    return bool(domain) and (from_domain == domain or from_domain.endswith("." + domain)
                             or domain.endswith("." + from_domain))


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
        from_domain = ctx.parsed.from_.domain if ctx.parsed.from_ else ""
        verdicts = {k: [r for r, _p in v] for k, v in results.items()}
        if "pass" in verdicts.get("compauth", []):
            # Microsoft's composite verdict (with ARC for forwarded mail) vouches for the sender.
            return None
        aligned_dkim = any(
            r == "pass" and _aligned(p.get("header.d", ""), from_domain)
            for r, p in results.get("dkim", [])
        )
        failed: list[str] = []
        if "fail" in verdicts.get("dmarc", []) or "fail" in verdicts.get("compauth", []):
            failed.append("DMARC")
        if "fail" in verdicts.get("spf", []) and not aligned_dkim and "pass" not in verdicts.get(
            "dmarc", []
        ):
            failed.append("SPF, with no DKIM signature of the sender's domain to vouch for it")
        if not failed:
            return None
        return (
            "The receiving mail system recorded a failed sender check ("
            + "; ".join(failed)
            + "): the From address may be forged. Confirm with the organisation before accepting.",
            [],
        )
