"""The ``unknown-case-reference`` rule: The message refers to a case (by reference or by replying
in its thread) that we do not know or that belongs to another sender.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class UnknownCaseReference(Rule):
    name = "unknown-case-reference"
    description = (
        "The message refers to a case (by reference or by replying in its thread) that we do not "
        "know or that belongs to another sender."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.foreign_case_reference is None:
            return None
        if ctx.thread_of_other_sender:
            return (
                f"The message replies in the thread of {ctx.foreign_case_reference}, whose "
                "nomination came from someone else; it was not merged into that case.",
                [],
            )
        return (
            f"The subject quotes {ctx.foreign_case_reference}, which is unknown or belongs to "
            "another sender's case; it was not merged into it.",
            [],
        )
