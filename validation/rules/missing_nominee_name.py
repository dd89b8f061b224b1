"""The ``missing-nominee-name`` rule: A new Patient Safety Specialist named in the email has no
name.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext, missing_person_items


class MissingNomineeName(Rule):
    name = "missing-nominee-name"
    description = "A new Patient Safety Specialist named in the email has no name."
    kind = "missing"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        return missing_person_items(
            ctx.reading.nominees, "nominees", "name", "name", "the new specialist"
        )
