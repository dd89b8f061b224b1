"""The ``cannot-acknowledge-sender`` rule: Nothing is missing, but the sender cannot be written
to, so no acknowledgement can be sent and a person must confirm the nomination.
"""

from __future__ import annotations

from parsing.model import Classification
from validation.rules.base import Rule, RuleContext


class CannotAcknowledgeSender(Rule):
    name = "cannot-acknowledge-sender"
    description = (
        "Nothing is missing, but the sender cannot be written to, so no acknowledgement can be "
        "sent and a person must confirm the nomination."
    )
    kind = "flag"
    needs_missing = True

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        # Missing items: cannot-ask-sender says it. Automatic mail gets no reply anyway.
        if ctx.reply_possible or ctx.missing or ctx.parsed is None:
            return None
        if ctx.parsed.is_bulk or ctx.parsed.classification in (
                Classification.AUTO_REPLY, Classification.BOUNCE):
            return None
        return (
            "The sender's address cannot be written to (an automatic, no-reply, invalid, "
            "non-ASCII or our own address), so no acknowledgement can be sent.",
            [],
        )
