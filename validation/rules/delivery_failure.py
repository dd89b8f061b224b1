"""The ``delivery-failure`` rule: The message is a delivery status notification (bounce); it gets
no reply.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class DeliveryFailure(Rule):
    name = "delivery-failure"
    description = (
        "The message is a delivery status notification (bounce); it gets no reply."
    )
    kind = "ignore"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.parsed is None or ctx.parsed.classification != "bounce":
            return None
        return "Delivery status notification (RFC 3464).", []
