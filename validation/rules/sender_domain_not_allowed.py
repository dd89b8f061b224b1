"""The ``sender-domain-not-allowed`` rule: The nomination comes from a free webmail address rather
than an organisation's mail system.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class SenderDomainNotAllowed(Rule):
    name = "sender-domain-not-allowed"
    description = (
        "The nomination comes from a free webmail address rather than an organisation's mail "
        "system."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.parsed is None or ctx.parsed.from_ is None:
            return None
        domain = ctx.parsed.from_.domain
        if domain not in ctx.webmail_domains:
            return None
        return f"The sender writes from a free webmail domain ({domain}), not an NHS address.", []
