"""The ``question-for-the-team`` rule: The sender also asks the team a question that a person needs
to answer.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext

_SHOWN = 200


class QuestionForTheTeam(Rule):
    name = "question-for-the-team"
    description = "The sender also asks the team a question that a person needs to answer."
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        ex = ctx.extraction
        if ex is None or not ex.questions:
            return None
        if ex.classification not in ("nomination", "follow_up"):
            # Mail that is not a nomination is reviewed as such (``not-a-nomination``).
            return None
        first = ex.questions[0]
        if len(first) > _SHOWN:
            first = first[: _SHOWN - 1] + "…"
        more = len(ex.questions) - 1
        tail = f" (and {more} more question{'s' if more > 1 else ''})" if more else ""
        return f"The sender asks the team: “{first}”{tail}", []
