"""The ``message-id-reused`` rule: Another stored message has the same Message-ID but different
content.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class MessageIdReused(Rule):
    name = "message-id-reused"
    description = (
        "Another stored message has the same Message-ID but different content."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if not ctx.message_id_reused:
            return None
        return "Another message with the same Message-ID but different content was received.", []
