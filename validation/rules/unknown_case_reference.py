"""The ``unknown-case-reference`` rule: The subject quotes a case reference that we do not know or that belongs to another sender's case."""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class UnknownCaseReference(Rule):
    name = "unknown-case-reference"
    description = (
        "The subject quotes a case reference that we do not know or that belongs to another sender's case."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.foreign_case_reference is None:
            return None
        return (
            f"The subject quotes {ctx.foreign_case_reference}, which is unknown or belongs to "
            "another sender's case; it was not merged into it.",
            [],
        )
