"""The ``ambiguous-reading`` rule: The email can be read more than one way (two numbers for one
person, a person whose role is not said); the candidates are shown side by side."""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class AmbiguousReading(Rule):
    name = "ambiguous-reading"
    description = (
        "The email can be read more than one way (two numbers for one person, a person whose "
        "role is not said); the candidates are shown side by side."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.extraction is None or not ctx.extraction.ambiguities:
            return None
        # Field paths only: the candidate values are on the case page, not in the reason.
        fields = sorted({a.field for a in ctx.extraction.ambiguities})
        return f"Could not decide: {', '.join(fields)}.", []
