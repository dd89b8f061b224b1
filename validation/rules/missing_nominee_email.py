"""The ``missing-nominee-email`` rule: A new Patient Safety Specialist named in the email has no
email address.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext, missing_person_items


class MissingNomineeEmail(Rule):
    name = "missing-nominee-email"
    description = "A new Patient Safety Specialist named in the email has no email address."
    kind = "missing"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        return missing_person_items(
            ctx.reading.nominees, "nominees", "email", "email address", "the new specialist"
        )
