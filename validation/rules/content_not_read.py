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
        # The parser's defects (parts, length, characters) and the extraction's notes (people).
        seen = [*(ctx.parsed.defects if ctx.parsed else ()),
                *(ctx.extraction.notes if ctx.extraction else ())]
        found = [d[len(CONTENT_NOT_READ) :] for d in seen if d.startswith(CONTENT_NOT_READ)]
        if not found:
            return None
        return f"Part of the message was not read ({'; '.join(found[:3])}).", []
