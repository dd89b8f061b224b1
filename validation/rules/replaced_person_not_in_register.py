"""The ``replaced-person-not-in-register`` rule: The person being replaced is not a specialist in
post at the organisation in the register.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext

NOT_LOADED = "Not checked: the register of specialists in post is not loaded."


class ReplacedPersonNotInRegister(Rule):
    name = "replaced-person-not-in-register"
    description = (
        "The person being replaced is not a specialist in post at the organisation in the "
        "register."
    )
    kind = "flag"

    def not_checked(self, ctx: RuleContext) -> str | None:
        return None if ctx.register.specialists_loaded else NOT_LOADED

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.reading.nomination_type != "replacement":
            return None
        missing = ctx.register.replaced_not_in_post
        if not missing:
            return None
        where = ctx.register.organisation_name or "the organisation"
        return (f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not in the "
                f"register as a specialist in post at {where}.", [])
