"""The ``reply-to-elsewhere`` rule: Replies would go to a free webmail address (Reply-To) although
the message comes from an organisation's address.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext

# Replies follow Reply-To (RFC 5322 section 3.6.2), so a nomination "from" an NHS address with a
# Reply-To on gmail.com would send our acknowledgement and requests, with the nominee's details,
# to someone else. A person checks first.


class ReplyToElsewhere(Rule):
    name = "reply-to-elsewhere"
    description = (
        "Replies would go to a free webmail address (Reply-To) although the message comes "
        "from an organisation's address."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        parsed = ctx.parsed
        if parsed is None or parsed.from_ is None or not parsed.reply_to:
            return None
        if parsed.from_.domain in ctx.webmail_domains:
            return None  # sender-domain-not-allowed already says so
        for target in parsed.reply_to:
            if target.domain in ctx.webmail_domains and target.domain != parsed.from_.domain:
                return (
                    f"The message comes from {parsed.from_.domain} but asks for replies at a "
                    f"free webmail domain ({target.domain}).",
                    [],
                )
        return None
