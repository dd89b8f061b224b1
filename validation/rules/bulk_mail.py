"""The ``bulk-mail`` rule: The message is bulk or mailing-list mail (List-Id, Precedence); it gets
no reply.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class BulkMail(Rule):
    name = "bulk-mail"
    description = (
        "The message is bulk or mailing-list mail (List-Id, Precedence); it gets no reply."
    )
    kind = "ignore"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.parsed is None or not ctx.parsed.is_bulk:
            return None
        return "Bulk or mailing-list mail (List-Id, List-Unsubscribe or Precedence header).", []
