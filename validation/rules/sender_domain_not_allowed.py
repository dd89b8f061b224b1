"""The ``sender-domain-not-allowed`` rule: The nomination comes from a free webmail or personal
address rather than an organisation's mail system.
"""

from __future__ import annotations

import re

from validation.rules.base import Rule, RuleContext, within_domains

# The sender says so: "Please excuse me writing from my personal email".
_PERSONAL = re.compile(
    r"(?i)\b(?:my|a)\s+(?:own\s+)?(?:personal|private|home)\s+(?:e-?mail|address|account|inbox)"
)


class SenderDomainNotAllowed(Rule):
    name = "sender-domain-not-allowed"
    description = (
        "The nomination comes from a free webmail or personal address rather than an "
        "organisation's mail system."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.parsed is None or ctx.parsed.from_ is None:
            return None
        domain = ctx.parsed.from_.domain
        if domain in ctx.webmail_domains:
            return (
                f"The sender writes from a free webmail domain ({domain}), not an NHS address.",
                [],
            )
        if not within_domains(domain, ctx.organisation_domains) and _PERSONAL.search(
            ctx.parsed.body.new[:20_000]
        ):
            return (
                f"The sender says they write from a personal address ({domain}), not their "
                "organisation's.",
                [],
            )
        return None
