"""The ``organisation-closed`` rule: The organisation named has closed and ODS gives no successor.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext
from validation.rules.organisation_not_recognised import NOT_LOADED


class OrganisationClosed(Rule):
    name = "organisation-closed"
    description = "The organisation named has closed and ODS gives no successor."
    kind = "flag"

    def not_checked(self, ctx: RuleContext) -> str | None:
        return None if ctx.register.organisations_loaded else NOT_LOADED

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        closed = ctx.register.closed_without_successor
        if not closed:
            return None
        return f"{closed}; ODS names no successor.", []
