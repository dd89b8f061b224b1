"""The ``guidance-not-confirmed`` rule: The email does not confirm that the Identifying Patient
Safety Specialists document was considered.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class GuidanceNotConfirmed(Rule):
    name = "guidance-not-confirmed"
    description = (
        "The email does not confirm that the Identifying Patient Safety Specialists document "
        "was considered."
    )
    kind = "missing"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.reading.guidance_confirmed:
            return None
        if ctx.extraction is not None and ctx.extraction.guidance_negated:
            reason = ("The email says the Identifying Patient Safety Specialists document has "
                      "not (yet) been considered.")
        else:
            reason = ("The email does not confirm that the Identifying Patient Safety "
                      "Specialists document was considered.")
        return reason, ["guidance_confirmation"]
