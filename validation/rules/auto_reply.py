"""The ``auto-reply`` rule: The message is an automatic reply (out of office); it gets no reply and
changes nothing.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class AutoReply(Rule):
    name = "auto-reply"
    description = (
        "The message is an automatic reply (out of office); it gets no reply and changes nothing."
    )
    kind = "ignore"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.parsed is None or ctx.parsed.classification != "auto_reply":
            return None
        return "Automatic reply (RFC 3834 Auto-Submitted or out-of-office).", []
