"""The ``possible-duplicate-nomination`` rule: The nominee already appears in another case or in
the register.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class PossibleDuplicateNomination(Rule):
    name = "possible-duplicate-nomination"
    description = (
        "The nominee already appears in another case or in the register."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if not ctx.duplicate_of:
            return None
        return f"The nominee's email address also appears in {', '.join(ctx.duplicate_of)}.", []
