"""Building :class:`parsing.model.ParsedEmail` values from literal text for extraction tests."""

from __future__ import annotations

from parsing.model import Address, Attachment, BodyText, Classification, ParsedEmail


def addr(text: str) -> Address:
    """``"Helen Marsh <helen.marsh@nhs.net>"`` or ``"helen.marsh@nhs.net"`` → :class:`Address`."""
    text = text.strip()
    if "<" in text:
        name, _, rest = text.partition("<")
        return Address(name.strip().strip('"'), rest.rstrip(">").strip().lower())
    return Address("", text.lower())


def make_parsed(
    new: str = "",
    *,
    signature: str = "",
    quoted: str = "",
    forwarded: str = "",
    subject: str = "PSS nomination",
    from_: str | None = "Helen Marsh <helen.marsh@nhs.net>",
    sender: str | None = None,
    to: tuple[str, ...] = ("PSS Nominations <pss.nominations@england.example>",),
    cc: tuple[str, ...] = (),
    attachments: tuple[Attachment, ...] = (),
    classification: Classification = Classification.NOMINATION,
    is_bulk: bool = False,
    message_id: str | None = "<test@example>",
) -> ParsedEmail:
    """A parsed email whose body regions are given directly (``full`` is their join)."""
    full = "\n\n".join(part for part in (new, signature, forwarded, quoted) if part)
    return ParsedEmail(
        message_id=message_id,
        subject=subject,
        date=None,
        from_=addr(from_) if from_ else None,
        sender=addr(sender) if sender else None,
        reply_to=(),
        to=tuple(addr(a) for a in to),
        cc=tuple(addr(a) for a in cc),
        in_reply_to=None,
        references=(),
        headers={},
        body=BodyText(full=full, new=new, signature=signature, quoted=quoted, forwarded=forwarded),
        html=None,
        attachments=attachments,
        classification=classification,
        is_bulk=is_bulk,
    )


def docx_attachment(text: str, filename: str = "letter.docx") -> Attachment:
    """An attachment whose extracted text is ``text``."""
    return Attachment(
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        size=len(text),
        part_index=2,
        text=text,
    )
