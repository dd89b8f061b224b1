"""The ``nominee-is-sender`` rule: The proposed specialist sent the nomination themselves; it
should come from the executive director.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class NomineeIsSender(Rule):
    name = "nominee-is-sender"
    description = (
        "The proposed specialist sent the nomination themselves; it should come from the "
        "executive director."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.parsed is None or ctx.parsed.from_ is None or ctx.extraction is None:
            return None
        sender = ctx.parsed.from_.addr
        if any(p.email == sender for p in ctx.extraction.nominees):
            return "The nominee's own address sent this nomination, not the executive's.", []
        return None
