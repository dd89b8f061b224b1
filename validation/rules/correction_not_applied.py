"""The ``correction-not-applied`` rule: The message says it corrects a detail sent before, but
no value of the case changed; a person checks what it corrects.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class CorrectionNotApplied(Rule):
    name = "correction-not-applied"
    description = (
        "The message says it corrects a detail sent before, but no value of the case changed; "
        "a person checks what it corrects."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if not ctx.correction_unapplied:
            return None
        # Without this, the case would stay accepted with the value the sender says is wrong.
        return (
            "The message says it corrects a detail, but no value of the case could be read from "
            "it; the case still holds what was sent before.",
            [],
        )
