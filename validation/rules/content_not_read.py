"""The ``content-not-read`` rule: Part of the message was not read (too many or too deeply nested
parts, text too long, undecodable characters), so a person must check it."""

from __future__ import annotations

from parsing.model import CONTENT_NOT_READ
from validation.rules.base import Rule, RuleContext


class ContentNotRead(Rule):
    name = "content-not-read"
    description = (
        "Part of the message was not read (too many or too deeply nested parts, text too long, "
        "undecodable characters), so a person must check it."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.parsed is None:
            return None
        found = [
            d[len(CONTENT_NOT_READ) :] for d in ctx.parsed.defects if d.startswith(CONTENT_NOT_READ)
        ]
        if not found:
            return None
        return f"Part of the message was not read ({'; '.join(found[:3])}).", []
