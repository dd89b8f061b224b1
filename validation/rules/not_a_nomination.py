"""The ``not-a-nomination`` rule: The message is not a nomination or a reply about one (for example
a question to the team).
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class NotANomination(Rule):
    name = "not-a-nomination"
    description = (
        "The message is not a nomination or a reply about one (for example a question to the team)."
    )
    kind = "flag"
    no_nomination = True

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        ex, parsed = ctx.extraction, ctx.parsed
        if ex is None or parsed is None or parsed.is_bulk:
            return None
        if ex.classification != "other" or ctx.reading.nominees or ctx.reading.replaced:
            return None
        return "The message does not nominate anyone; it may need an answer from the team.", []
