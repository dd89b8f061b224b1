"""The ``missing-replaced-name`` rule: A replacement nomination gives no name for the person being
replaced.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext, missing_person_items


class MissingReplacedName(Rule):
    name = "missing-replaced-name"
    description = "A replacement nomination gives no name for the person being replaced."
    kind = "missing"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.reading.nomination_type != "replacement":
            return None
        return missing_person_items(
            ctx.reading.replaced, "replaced", "name", "name", "the person being replaced"
        )
