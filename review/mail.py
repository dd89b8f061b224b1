"""The original email as a reviewer sees it: headers, text, sanitised HTML and attachments.

Read straight from the stored raw bytes with the standard library's parser, so a message that
the intake parser could not handle can still be shown (that is when a person most needs to see
it). Pure: bytes in, values out.

Safety (issue 5, "shown safely"):

- HTML is cleaned with nh3 (ammonia) to a small allow-list of tags and attributes; every URL
  attribute is dropped except ``data:image/...`` sources, so no remote image, tracking pixel,
  relative URL or ``javascript:`` link survives. The page then shows it inside
  ``<iframe sandbox srcdoc>`` (no scripts, opaque origin) under a strict Content-Security-Policy.
- Attachments are listed by their position in a depth-first walk of the MIME tree (the order of
  :meth:`email.message.Message.walk`) and served only as downloads, never inline.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser

import nh3

__all__ = ["MailPart", "MailView", "attachment", "sanitise_html", "view_message"]

#: Headers shown above each email, in this order.
SHOWN_HEADERS = ("From", "Sender", "Reply-To", "To", "Cc", "Date", "Subject", "Message-ID")

_TAGS = frozenset(nh3.ALLOWED_TAGS) - {"area", "map"}
_ATTRIBUTES: dict[str, set[str]] = {
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "a": {"href"},
}
_DATA_IMAGE = re.compile(r"^data:image/(?:png|gif|jpeg|webp);base64,[A-Za-z0-9+/=\s]+$", re.I)


@dataclass(frozen=True, slots=True)
class MailPart:
    """One attachment: ``index`` its position in ``walk()`` order, ``size`` decoded bytes."""

    index: int
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True, slots=True)
class MailView:
    """What the case page shows of one message.

    ``headers`` are (name, decoded value) pairs from :data:`SHOWN_HEADERS` that are present;
    ``text`` the plain-text body (the HTML turned into text when there is no plain part);
    ``html`` the sanitised HTML body or None; ``attachments`` the attachment parts;
    ``problem`` says in words why the message could not be read fully, or is None.
    """

    headers: tuple[tuple[str, str], ...]
    text: str
    html: str | None
    attachments: tuple[MailPart, ...]
    problem: str | None = None


def _parse(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def _walk(message: Message) -> Iterator[tuple[int, Message, bool]]:
    """Every part depth-first (the order of ``walk()``), with True when it lies inside an
    attached message/rfc822 (whose parts belong to that attachment, not to this email)."""
    index = 0

    def visit(part: Message, inside: bool) -> Iterator[tuple[int, Message, bool]]:
        nonlocal index
        yield index, part, inside
        index += 1
        if part.is_multipart():
            nested = inside or part.get_content_type() == "message/rfc822"
            for child in part.get_payload():
                if isinstance(child, Message):
                    yield from visit(child, nested)

    yield from visit(message, False)


def _decode_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    for candidate in (charset, "utf-8"):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    # cp1252 covers the mislabelled Outlook mail that is neither of the above.
    return payload.decode("cp1252", errors="replace")


def _is_attachment(part: Message) -> bool:
    if part.get_content_type() == "message/rfc822":
        return True
    if part.is_multipart():
        return False
    disposition = (part.get_content_disposition() or "").lower()
    return disposition == "attachment" or part.get_filename() is not None or (
        part.get_content_maintype() not in ("text",)
    )


def _payload_bytes(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            return inner[0].as_bytes()
        return b""
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _filename(part: Message, index: int) -> str:
    name = part.get_filename()
    if name:
        # Only the last path element, and no control characters (it ends up in a header).
        name = re.sub(r"[\x00-\x1f\x7f]", "", name.replace("\\", "/").rsplit("/", 1)[-1])
    if name:
        return name
    if part.get_content_type() == "message/rfc822":
        return f"attached-message-{index}.eml"
    return f"part-{index}"


def html_to_text(value: str) -> str:
    """Readable text of an HTML body: the intake parser's converter when it is available
    (so provenance snippets match), else a plain tag strip."""
    try:
        from parsing.html import html_to_text as convert

        return str(convert(value))
    except Exception:  # noqa: BLE001 - the parser may be missing or fail; fall back below
        pass
    value = re.sub(r"(?i)<br\s*/?>|</(?:p|div|tr|li|h[1-6]|table)>", "\n", value)
    stripped = nh3.clean(value, tags=set(), clean_content_tags={"script", "style", "head", "title"})
    text = htmllib.unescape(stripped)
    return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text).strip()


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    # URLs never survive (no request may leave the page, relative ones included), except
    # inline images carried in the message itself.
    if attribute in ("href", "cite", "background", "srcset", "action", "formaction"):
        return None
    if attribute == "src":
        return value if element == "img" and _DATA_IMAGE.match(value) else None
    return value


def sanitise_html(value: str) -> str:
    """HTML cleaned for display: scripts, styles, event handlers, forms and every URL removed
    (``data:image`` sources kept). Never raises on bad markup."""
    return nh3.clean(
        value,
        tags=set(_TAGS),
        clean_content_tags={"script", "style", "title", "head", "noscript", "template"},
        attributes=_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={"data"},
        strip_comments=True,
        link_rel=None,
    )


def _header_value(message: Message, name: str) -> str | None:
    try:
        values = message.get_all(name)
    except Exception:  # noqa: BLE001 - a header too broken to decode is shown as missing
        return None
    if not values:
        return None
    return "; ".join(" ".join(str(v).split()) for v in values)


def view_message(raw: bytes) -> MailView:
    """The displayable parts of raw RFC 5322 bytes. Never raises: a message that cannot be
    parsed comes back as its bytes decoded as text, with ``problem`` saying so."""
    try:
        message = _parse(raw)
        headers = tuple(
            (name, value) for name in SHOWN_HEADERS
            if (value := _header_value(message, name)) is not None
        )
        text: str | None = None
        html: str | None = None
        attachments: list[MailPart] = []
        for index, part, inside in _walk(message):
            if inside:
                continue
            if _is_attachment(part):
                attachments.append(MailPart(index, _filename(part, index),
                                            part.get_content_type(), len(_payload_bytes(part))))
            elif part.get_content_type() == "text/plain" and text is None:
                text = _decode_text(part)
            elif part.get_content_type() == "text/html" and html is None:
                html = _decode_text(part)
        if text is None:
            text = html_to_text(html) if html else ""
        return MailView(headers, text, sanitise_html(html) if html else None, tuple(attachments))
    except Exception as exc:  # noqa: BLE001 - show what we have rather than nothing
        return MailView((), raw.decode("utf-8", errors="replace"), None, (),
                        problem="The message could not be read as MIME "
                                f"({exc.__class__.__name__}); its raw text is shown.")


def attachment(raw: bytes, index: int) -> tuple[MailPart, bytes]:
    """The attachment at ``index`` (``walk()`` order) and its decoded bytes.

    Raises :class:`KeyError` when there is no attachment at that position.
    """
    message = _parse(raw)
    for position, part, inside in _walk(message):
        if position == index and not inside and _is_attachment(part):
            data = _payload_bytes(part)
            return MailPart(index, _filename(part, index), part.get_content_type(), len(data)), data
    raise KeyError(index)
