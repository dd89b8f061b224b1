"""The ``cannot-ask-sender`` rule: Items are missing but the sender cannot be written to, so a
person must chase them.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class CannotAskSender(Rule):
    name = "cannot-ask-sender"
    description = (
        "Items are missing but the sender cannot be written to, so a person must chase them."
    )
    kind = "flag"
    needs_missing = True

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.reply_possible or not ctx.missing:
            return None
        return (
            "Items are missing, but the sender's address cannot be written to (an automatic, "
            "no-reply, invalid or our own address).",
            [],
        )
