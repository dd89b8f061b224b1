"""The ``withdrawal`` rule: The sender withdraws or cancels a nomination."""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class Withdrawal(Rule):
    name = "withdrawal"
    description = (
        "The sender withdraws or cancels a nomination."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.extraction is None or not ctx.extraction.withdrawal:
            return None
        return "The sender asks to withdraw or cancel the nomination.", []
