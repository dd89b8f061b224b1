"""The ``missing-replaced-email`` rule: A replacement nomination gives no email address for the
person being replaced.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext, missing_person_items


class MissingReplacedEmail(Rule):
    name = "missing-replaced-email"
    description = "A replacement nomination gives no email address for the person being replaced."
    kind = "missing"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.reading.nomination_type != "replacement":
            return None
        return missing_person_items(
            ctx.reading.replaced, "replaced", "email", "email address", "the person being replaced"
        )
