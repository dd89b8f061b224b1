"""The ``missing-nominee-phone`` rule: A new Patient Safety Specialist named in the email has no
contact number.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext, missing_person_items


class MissingNomineePhone(Rule):
    name = "missing-nominee-phone"
    description = "A new Patient Safety Specialist named in the email has no contact number."
    kind = "missing"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        return missing_person_items(
            ctx.reading.nominees, "nominees", "phone", "contact number", "the new specialist"
        )
