"""The ``attachment-only`` rule: The nomination's details are only in an attachment (or in one that
could not be read), which a person must check.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class AttachmentOnly(Rule):
    name = "attachment-only"
    description = (
        "The nomination's details are only in an attachment (or in one that could not be read), "
        "which a person must check."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        ex, parsed = ctx.extraction, ctx.parsed
        if ex is None or parsed is None:
            return None
        if ex.details_from_attachment:
            names = ", ".join(a.filename or a.content_type for a in parsed.attachments if a.text)
            return f"The details were read only from an attachment ({names}).", []
        unread = [a for a in parsed.attachments if a.text is None and a.error]
        if unread and not ex.nominees and not ex.replaced:
            names = ", ".join(a.filename or a.content_type for a in unread)
            return (
                f"The email has no details in its text and an attachment could not be read "
                f"({names}).",
                [],
            )
        return None
