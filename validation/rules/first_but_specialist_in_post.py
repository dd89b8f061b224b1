"""The ``first-but-specialist-in-post`` rule: The nomination says it is the organisation's first,
but the register already has a specialist in post there.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext
from validation.rules.replaced_person_not_in_register import NOT_LOADED


class FirstButSpecialistInPost(Rule):
    name = "first-but-specialist-in-post"
    description = (
        "The nomination says it is the organisation's first, but the register already has a "
        "specialist in post there."
    )
    kind = "flag"

    def not_checked(self, ctx: RuleContext) -> str | None:
        return None if ctx.register.specialists_loaded else NOT_LOADED

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        in_post = ctx.register.in_post
        if ctx.reading.nomination_type != "first" or not in_post:
            return None
        where = ctx.register.organisation_name or "the organisation"
        return (f"A first nomination, but {where} already has {', '.join(in_post)} in post.",
                [])
