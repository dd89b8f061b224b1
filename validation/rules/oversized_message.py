"""The ``oversized-message`` rule: The message is larger than the size limit, so only its headers
were kept and it was not read.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class OversizedMessage(Rule):
    name = "oversized-message"
    description = (
        "The message is larger than the size limit, so only its headers were kept and it was not "
        "read."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if not ctx.oversized:
            return None
        return "The message is over the size limit; only its headers were stored.", []
