"""The ``nominee-already-in-post`` rule: The nominee is already a specialist in post (here or at
another organisation).
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext
from validation.rules.replaced_person_not_in_register import NOT_LOADED


class NomineeAlreadyInPost(Rule):
    name = "nominee-already-in-post"
    description = "The nominee is already a specialist in post (here or at another organisation)."
    kind = "flag"

    def not_checked(self, ctx: RuleContext) -> str | None:
        return None if ctx.register.specialists_loaded else NOT_LOADED

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        found = ctx.register.nominees_in_post
        if not found:
            return None
        return "; ".join(f"{who} is already a specialist in post at {where}"
                         for who, where in found) + ".", []
