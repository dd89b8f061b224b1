"""The ``unparseable-message`` rule: The message could not be read, so a person must look at the
stored original.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class UnparseableMessage(Rule):
    name = "unparseable-message"
    description = (
        "The message could not be read, so a person must look at the stored original."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.oversized:
            # Not read on purpose: oversized-message explains it.
            return None
        if ctx.processing_error:
            return f"The message could not be processed ({ctx.processing_error}).", []
        if ctx.parsed is not None and ctx.parsed.unreadable:
            defects = "; ".join(ctx.parsed.defects[:3]) or "no readable text"
            return f"No readable text could be got from the message ({defects}).", []
        return None
