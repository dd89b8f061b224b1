"""The ``attachment-only`` rule: The nomination's details are only in an attachment (or in one that
could not be read), which a person must check.
"""

from __future__ import annotations

from parsing.model import Classification
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
        if ex.nominees or ex.replaced:
            return None
        unread = [a for a in parsed.attachments if a.text is None and a.error]
        if unread:
            names = ", ".join(a.filename or a.content_type for a in unread)
            return (
                f"The email has no details in its text and an attachment could not be read "
                f"({names}).",
                [],
            )
        # "Please find attached our completed form", and nothing could be read from it (a PDF
        # whose text comes out letter by letter): the sender has sent everything, so asking
        # for every item would be wrong; a person reads the document.
        documents = [a for a in parsed.attachments if _is_document(a.content_type)]
        if documents and not ctx.reading.nominees and ex.classification in _NOMINATING:
            names = ", ".join(a.filename or a.content_type for a in documents)
            return (
                f"The email has no details in its text and none could be read from its "
                f"attachment ({names}): a person must read it.",
                [],
            )
        return None


_NOMINATING = (Classification.NOMINATION, Classification.FOLLOW_UP)
_DOCUMENT_TYPES = ("application/pdf", "application/msword", "application/rtf", "text/rtf",
                   "application/vnd.openxmlformats-officedocument.",
                   "application/vnd.oasis.opendocument.", "application/vnd.ms-")


def _is_document(content_type: str) -> bool:
    """A letter or form (PDF, Word, RTF, OpenDocument, Excel), not an image or a signature."""
    return content_type.lower().startswith(_DOCUMENT_TYPES)
