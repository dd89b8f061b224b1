"""The ``reply-bounced`` rule: A reply we sent on this case could not be delivered."""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class ReplyBounced(Rule):
    name = "reply-bounced"
    description = (
        "A reply we sent on this case could not be delivered."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if not ctx.reply_bounced:
            return None
        return "A reply we sent on this case was returned undeliverable.", []
