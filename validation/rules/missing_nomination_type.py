"""The ``missing-nomination-type`` rule: The email does not say whether the new specialist is the
organisation's first, a replacement, or additional.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class MissingNominationType(Rule):
    name = "missing-nomination-type"
    description = (
        "The email does not say whether the new specialist is the organisation's first, a "
        "replacement, or additional."
    )
    kind = "missing"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.reading.nomination_type is not None:
            return None
        return (
            "The email does not say whether the new Patient Safety Specialist is the first, "
            "a replacement or additional.",
            ["nomination_type"],
        )
