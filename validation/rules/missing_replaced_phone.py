"""The ``missing-replaced-phone`` rule: A replacement nomination gives no contact number for the
person being replaced.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext, missing_person_items


class MissingReplacedPhone(Rule):
    name = "missing-replaced-phone"
    description = "A replacement nomination gives no contact number for the person being replaced."
    kind = "missing"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.reading.nomination_type != "replacement":
            return None
        return missing_person_items(
            ctx.reading.replaced, "replaced", "phone", "contact number", "the person being replaced"
        )
