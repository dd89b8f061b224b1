"""The ``no-answer-after-chasers`` rule: We asked for the missing items and sent every
reminder allowed, with no answer."""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class NoAnswerAfterChasers(Rule):
    name = "no-answer-after-chasers"
    description = (
        "We asked for the missing items and sent every reminder allowed, with no answer."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if not ctx.no_answer_after_chasers:
            return None
        return ctx.no_answer_after_chasers, []
