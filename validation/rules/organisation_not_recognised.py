"""The ``organisation-not-recognised`` rule: No organisation in the ODS register matches the one
the nomination is from; a person must choose it.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext

NOT_LOADED = "Not checked: no organisations are loaded from ODS."


class OrganisationNotRecognised(Rule):
    name = "organisation-not-recognised"
    description = (
        "No organisation in the ODS register matches the one the nomination is from; a person "
        "must choose it."
    )
    kind = "flag"

    def not_checked(self, ctx: RuleContext) -> str | None:
        return None if ctx.register.organisations_loaded else NOT_LOADED

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        facts = ctx.register
        reading = ctx.reading
        if facts.organisation_code or not (reading.nominees or reading.nomination_type):
            return None
        if facts.ambiguous:
            return (f"“{facts.organisation_text}” could be any of "
                    f"{', '.join(facts.ambiguous)}.", [])
        if facts.organisation_text:
            return f"No organisation in the ODS register matches “{facts.organisation_text}”.", []
        return "The message does not say which organisation it is from.", []
