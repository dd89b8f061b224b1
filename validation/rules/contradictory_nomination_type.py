"""The ``contradictory-nomination-type`` rule: The email states more than one nomination type (for
example replacement and additional).
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class ContradictoryNominationType(Rule):
    name = "contradictory-nomination-type"
    description = (
        "The email states more than one nomination type (for example replacement and additional)."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.extraction is None:
            return None
        stated = list(dict.fromkeys(ctx.extraction.stated_types))
        if len(stated) < 2:
            return None
        return f"The email states more than one nomination type: {' and '.join(stated)}.", []
