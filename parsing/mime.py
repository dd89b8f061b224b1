"""Raw RFC 5322 bytes to a frozen :class:`~parsing.model.ParsedEmail`.

The stdlib ``email`` package (compat32) parses the bytes from a binary file object, which keeps
the peak memory near three times the message size; mail-parser then reads that same
``Message`` for its defect diagnostics. Bodies, charsets, addresses and attachments are read
here with the stdlib, because mail-parser decodes iso-8859-1 as latin-1 (0x92 is not ’), joins
encoded-words without their spaces, and counts Outlook's inline ``cid:`` images as
attachments.

Pure: no I/O; nothing is logged (mail-parser's own log records, which may quote header values,
are filtered out below).
"""

from __future__ import annotations

import binascii
import datetime as dt
import email
import email.errors
import email.header
import email.parser
import email.utils
import io
import itertools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email.message import Message

from parsing.attachments import MAX_READ_BYTES, read_attachment_text
from parsing.budget import DEFAULT_BUDGETS, Budgets
from parsing.classify import (
    Signals,
    calendar_method,
    case_references,
    classify,
    is_auto_submitted,
    is_bounce,
    is_bulk,
    parse_delivery_status,
)
from parsing.headers import prepare
from parsing.html import html_to_text
from parsing.model import (
    CONTENT_NOT_READ,
    Address,
    Attachment,
    BodyText,
    Classification,
    ParsedEmail,
)
from parsing.text import (
    decode_bytes,
    decode_header_value,
    looks_unreadable,
    normalise_text,
    split_body,
    unflow,
    unfold_header,
)

__all__ = ["MAX_MIME_DEPTH", "parse_email"]

#: MIME parts nested deeper than this are counted but not read.
MAX_MIME_DEPTH = 30
#: At most this many MIME parts are read (a "part bomb" has many thousands).
MAX_PARTS = 500

_B64_SLICE = 4 * 1024 * 1024
_NOT_B64 = re.compile(r"[^A-Za-z0-9+/]")
_ENCODED = re.compile(r"=\?[^?\s]{1,75}\?[bBqQ]\?[^?\s]*\?=")
_HIDDEN = re.compile(r"pssew(\d+)x")
# RFC 5322 section 3.6.4: a msg-id is printable ASCII; an 8-bit byte (read as a surrogate or
# a decoded letter) is not part of one, and must never reach a query (issue 11).
_MSG_ID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]{1,996}>")
_SKIP_TYPES = frozenset(
    {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}
)
_STDLIB_DEFECTS = {
    "CloseBoundaryNotFoundDefect": "multipart without closing boundary",
    "StartBoundaryNotFoundDefect": "multipart start boundary not found",
    "NoBoundaryInMultipartDefect": "multipart without a boundary parameter",
    "FirstHeaderLineIsContinuationDefect": "first header line is a continuation line",
    "MisplacedEnvelopeHeaderDefect": "misplaced envelope From_ line",
    "MissingHeaderBodySeparatorDefect": "missing blank line between headers and body",
    "MultipartInvariantViolationDefect": "multipart type without subparts",
    "InvalidMultipartContentTransferEncodingDefect": "invalid transfer encoding on a multipart",
    "UndecodableBytesDefect": "undecodable bytes in a header",
    "InvalidBase64PaddingDefect": "base64 padding errors",
    "InvalidBase64CharactersDefect": "invalid base64 characters",
    "InvalidBase64LengthDefect": "base64 data of invalid length",
    "InvalidHeaderDefect": "invalid header",
    "HeaderMissingRequiredValue": "header missing a required value",
    "NonPrintableDefect": "non-printable characters in a header",
    "ObsoleteHeaderDefect": "obsolete header syntax",
    "NonASCIILocalPartDefect": "non-ASCII local part in an address",
    "InvalidDateDefect": "invalid Date header",
}
_MAILPARSER_DEFECTS = {
    "AddressHeaderDefect": "address header could not be read unambiguously",
    "DateHeaderDefect": "Date header malformed",
    "MimeHeaderDefect": "MIME header with invalid UTF-8",
}


class _DropRecords(logging.Filter):
    """mail-parser logs raw header values on some errors; they may hold personal data."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


def _silence_mailparser() -> None:
    for name in (
        "mailparser",
        "mailparser.core",
        "mailparser.utils",
        "mailparser.addresses",
        "mailparser.dates",
        "mailparser.received",
    ):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _DropRecords) for f in logger.filters):
            logger.addFilter(_DropRecords())


_silence_mailparser()


# --------------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------------


def _raw_values(msg: Message, name: str) -> list[str]:
    """Every raw value of header ``name`` (case-insensitive), as stored by the parser."""
    lname = name.lower()
    return [str(v) for k, v in msg.raw_items() if k.lower() == lname]


def _header_map(msg: Message) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        out.setdefault(name.lower().strip(), []).append(decode_header_value(str(value)))
    return {k: tuple(v) for k, v in out.items()}


def parse_addresses(raw: str, *, limit: int | None = None) -> tuple[Address, ...]:
    """Mailboxes of one raw address header (RFC 5322 section 3.4), at most ``limit``.

    The header is tokenised with :func:`email.utils.getaddresses` *before* RFC 2047 decoding,
    so an encoded comma cannot split a name; each display name is decoded afterwards. An
    unquoted ``SURNAME, Forename (ORG) <a@b>`` (invalid but common) is rejoined into one
    mailbox. Addresses are lower-cased; groups and empty items are skipped.
    """
    value = unfold_header(raw)
    # An encoded-word may hide address syntax (":", ",", "<", "@"); each is swapped for an
    # inert atom before tokenising and restored only into display names, never addresses.
    words: list[str] = []

    def hide(m: re.Match[str]) -> str:
        words.append(m.group(0))
        return f"pssew{len(words) - 1}x"

    value = _ENCODED.sub(hide, value) if "=?" in value else value

    def restore(text: str) -> str:
        return _HIDDEN.sub(lambda m: words[int(m.group(1))], text) if words else text

    try:
        pairs = email.utils.getaddresses([value])
    except RecursionError:
        # Thousands of nested comment brackets: not an address anyone wrote.
        return ()
    out: list[Address] = []
    fragments: list[str] = []
    for name, addr in pairs:
        if limit is not None and len(out) >= limit:
            break
        if not name and not addr:
            continue
        if "@" not in addr and not name:
            # A piece of an unquoted display name cut at its comma.
            fragments.append(addr)
            continue
        if "@" not in addr:
            fragments.extend(p for p in (name, addr) if p)
            continue
        if fragments:
            name = ", ".join([*fragments, name] if name else fragments)
            fragments = []
        addr = addr.strip().lower()
        if (words and _HIDDEN.search(addr)) or not _valid_addr(addr):
            continue
        out.append(Address(name=decode_header_value(restore(name)), addr=addr))
    return tuple(out)


def _valid_addr(addr: str) -> bool:
    """RFC 5321/5322 syntax only (email_validator, no DNS); special-use domains allowed."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(addr, check_deliverability=False, globally_deliverable=False)
    except (EmailNotValidError, ValueError, TypeError):
        return False
    return True


def _addresses(msg: Message, name: str, budgets: Budgets = DEFAULT_BUDGETS,
               defects: list[str] | None = None) -> tuple[Address, ...]:
    """The mailboxes of every ``name`` header, at most ``budgets.addresses_per_header`` in
    all; when there were more, a ``content not read`` defect says so."""
    limit = budgets.addresses_per_header
    out: list[Address] = []
    for value in _raw_values(msg, name):
        # More than limit+1 mailboxes need more commas than that: only then tokenise a prefix.
        if value.count(",") > limit + 1:
            value = _prefix_of_items(value, limit + 1)
        out.extend(parse_addresses(value, limit=limit + 1 - len(out)))
        if len(out) > limit:
            break
    if len(out) > limit:
        if defects is not None:
            defects.append(f"{CONTENT_NOT_READ}{name.title()} names more than {limit} "
                           "addresses; the rest were not read")
        out = out[:limit]
    return tuple(out)


def _prefix_of_items(value: str, items: int) -> str:
    """``value`` cut after about ``items`` comma-separated pieces (commas inside quotes may
    make it fewer, which only reads fewer addresses)."""
    pos = -1
    for _ in range(items * 2):
        pos = value.find(",", pos + 1)
        if pos < 0:
            return value
    return value[:pos]


def _message_ids(value: str) -> tuple[str, ...]:
    return tuple(_MSG_ID.findall(value))


def _id_field(msg: Message, name: str) -> str:
    """An In-Reply-To or References field as text. Some mailers wrongly wrap a long one in
    RFC 2047 encoded words ("=?utf-8?q?=3CBN8PR…=40…?="): those are decoded, so the IDs in it
    still thread the message."""
    value = " ".join(unfold_header(v) for v in _raw_values(msg, name))
    if "=?" not in value:
        return value
    try:
        return str(email.header.make_header(email.header.decode_header(value)))
    except (LookupError, UnicodeError, ValueError, email.errors.HeaderParseError):
        return value


def _message_id(msg: Message) -> str | None:
    values = _raw_values(msg, "message-id")
    if not values:
        return None
    value = unfold_header(values[0]).strip()
    ids = _message_ids(value)
    if ids:
        return ids[0]
    # Some mailers omit the brackets; keep a bare id-like token in the bracketed form.
    if value and "@" in value and not any(c.isspace() for c in value):
        return f"<{value}>"
    return None


def _date(msg: Message, defects: list[str]) -> dt.datetime | None:
    values = _raw_values(msg, "date")
    if not values:
        return None
    try:
        when = email.utils.parsedate_to_datetime(unfold_header(values[0]).strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        defects.append("Date header could not be read")
        return None
    # RFC 5322 section 3.3: "-0000" means the time is UTC with no local zone known.
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.timezone.utc)


def _return_path_empty(msg: Message) -> bool:
    values = _raw_values(msg, "return-path")
    return bool(values) and unfold_header(values[0]).strip() in ("<>", "< >", "")


# --------------------------------------------------------------------------------------------
# MIME tree
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Seg:
    """One piece of body: its plain text and/or raw HTML (an alternative gives both)."""

    plain: str | None = None
    html: str | None = None

    def text(self) -> str:
        if self.plain is not None and self.plain.strip():
            return self.plain
        return normalise_text(html_to_text(self.html)) if self.html else (self.plain or "")


@dataclass(slots=True)
class _Acc:
    """What the walk gathers besides body text."""

    index: dict[int, int]
    bounce: bool
    budgets: Budgets = DEFAULT_BUDGETS
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: list[str] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    dsn_blocks: list[dict[str, str]] = field(default_factory=list)
    returned_ids: list[str] = field(default_factory=list)
    parts_read: int = 0


def _children(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    return []


def _walk_order(root: Message) -> Iterator[tuple[Message, int]]:
    """Parts in :meth:`email.message.Message.walk` order (depth-first, pre-order), with depth,
    without recursion."""
    stack: list[tuple[Message, int]] = [(root, 0)]
    while stack:
        part, depth = stack.pop()
        yield part, depth
        stack.extend((c, depth + 1) for c in reversed(_children(part)))


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except (TypeError, ValueError, LookupError, UnicodeError):
        return None
    if not name:
        return None
    # Outlook writes RFC 2047 encoded-words inside the filename parameter.
    return decode_header_value(str(name)) or None


def _transfer_encoding(part: Message) -> str:
    return str(part.get("content-transfer-encoding", "")).strip().lower()


def _b64_size(text: str) -> int:
    """Decoded length of a large base64 payload, counted in slices so that no full-size copy
    is made."""
    size = 0
    carry = ""
    for start in range(0, len(text), _B64_SLICE):
        clean = carry + _NOT_B64.sub("", text[start : start + _B64_SLICE])
        cut = len(clean) - len(clean) % 4
        size += len(binascii.a2b_base64(clean[:cut])) if cut else 0
        carry = clean[cut:]
    if len(carry) >= 2:
        size += len(binascii.a2b_base64(carry + "=" * (-len(carry) % 4)))
    return size


def _payload(part: Message, *, limit: int | None = None) -> tuple[bytes | None, int]:
    """The decoded payload and its length in bytes. With ``limit``, a base64 payload that
    decodes to more than ``limit`` bytes is only measured (bytes None).

    The stdlib's ``get_payload(decode=True)`` splits a base64 payload into lines and joins them
    again, peaking at about four times its size; binascii decodes in one pass."""
    raw = part.get_payload()
    if isinstance(raw, str) and _transfer_encoding(part) == "base64":
        if limit is not None and len(raw) * 3 // 4 > limit + 1024:
            size = _b64_size(raw)
            if size > limit:
                return None, size
        try:
            # binascii takes an ASCII str directly: no bytes copy of the payload is made.
            data = binascii.a2b_base64(raw)
            return data, len(data)
        except (binascii.Error, ValueError):
            pass
    try:
        decoded = part.get_payload(decode=True)
    except (TypeError, ValueError, LookupError, UnicodeError, AssertionError):
        return b"", 0
    data = decoded if isinstance(decoded, bytes) else b""
    return data, len(data)


def _payload_bytes(part: Message) -> bytes:
    return _payload(part)[0] or b""


def _charset(part: Message) -> str | None:
    charset = part.get_param("charset")
    if isinstance(charset, tuple):
        # RFC 2231 (charset, language, value) form.
        charset = email.utils.collapse_rfc2231_value(charset)
    return str(charset) if charset else None


def _decode_text_part(part: Message, acc: _Acc) -> str | None:
    """Decoded, normalised text of a text/* leaf, or None when it is binary garbage."""
    data = _payload_bytes(part)
    # Decoding is linear, but what reads the text after it is not cheap per character: only
    # the budget's worth is decoded (HTML, mostly markup, gets five times as much).
    limit = acc.budgets.text_chars * (5 if part.get_content_type() == "text/html" else 1)
    if len(data) > limit * 4:
        data = data[: limit * 4]
    decoded = decode_bytes(data, _charset(part))
    del data
    if len(decoded.text) > limit:
        decoded = replace(decoded, text=decoded.text[:limit])
        acc.defects.append(f"{CONTENT_NOT_READ}the text is longer than {limit:,} characters; "
                           "the rest was not read")
    if decoded.defect:
        acc.defects.append(decoded.defect)
        if "\ufffd" in decoded.text:
            acc.defects.append(
                f"{CONTENT_NOT_READ}characters that could not be decoded were replaced"
            )
    if looks_unreadable(decoded.text, guessed=decoded.guessed):
        acc.defects.append(f"unreadable {part.get_content_type()} part (binary data)")
        return None
    text = decoded.text
    if part.get_content_type() == "text/plain" and str(part.get_param("format", "")).lower() == (
        "flowed"
    ):
        text = unflow(text, delsp=str(part.get_param("delsp", "")).lower() == "yes")
    return text


def _is_inline_image(part: Message, disposition: str | None) -> bool:
    """Outlook/Gmail pictures shown in the body (``cid:`` references), not files sent."""
    if part.get_content_maintype() != "image":
        return False
    if disposition == "inline":
        return True
    return disposition is None and part.get("content-id") is not None


def _list_attachment(
    part: Message, acc: _Acc, *, filename: str | None, text: str | None = None
) -> None:
    ctype = part.get_content_type()
    data, size = _payload(part, limit=MAX_READ_BYTES)
    error = None
    if data is None:
        error = f"not read: larger than {MAX_READ_BYTES // (1024 * 1024)} MB"
    elif text is None:
        text, error = read_attachment_text(
            data, content_type=ctype, filename=filename, charset=_charset(part)
        )
    del data
    cap = acc.budgets.attachment_text_chars
    if text is not None and len(text) > cap:
        text = text[:cap]
        acc.defects.append(f"{CONTENT_NOT_READ}an attachment's text is longer than {cap:,} "
                           "characters; the rest was not read")
    acc.attachments.append(
        Attachment(
            filename=filename,
            content_type=ctype,
            size=size,
            part_index=acc.index.get(id(part), -1),
            text=text,
            error=error,
        )
    )


def _leaf(part: Message, acc: _Acc) -> list[_Seg]:
    ctype = part.get_content_type()
    disposition = part.get_content_disposition()
    filename = _filename(part)
    if part.get_content_maintype() == "multipart":
        # A multipart without a boundary: its payload can only be read as text.
        ctype = "text/plain"
    if ctype in ("text/plain", "text/html") and disposition != "attachment" and not filename:
        text = _decode_text_part(part, acc)
        if text is None:
            return []
        return [_Seg(plain=normalise_text(text))] if ctype == "text/plain" else [_Seg(html=text)]
    if ctype in _SKIP_TYPES or _is_inline_image(part, disposition):
        return []
    if ctype == "text/rfc822-headers":
        _returned_headers(part, acc)
    _list_attachment(part, acc, filename=filename)
    return []


def _returned_headers(part: Message, acc: _Acc) -> None:
    """Message-ID of the returned message in a ``text/rfc822-headers`` part (RFC 6522)."""
    text = decode_bytes(_payload_bytes(part), _charset(part)).text
    headers = email.parser.HeaderParser().parsestr(text, headersonly=True)
    ids = _message_ids(unfold_header(str(headers.get("message-id", ""))))
    acc.returned_ids.extend(ids[:1])


def _join(segs: list[_Seg]) -> _Seg:
    plains = [s.plain for s in segs if s.plain is not None]
    htmls = [s.html for s in segs if s.html is not None]
    if htmls and not plains:
        return _Seg(html="\n".join(htmls))
    if plains and not htmls:
        return _Seg(plain="\n\n".join(plains))
    return _Seg(plain="\n\n".join(s.text() for s in segs), html="\n".join(htmls) or None)


def _alternative(children: list[Message], depth: int, acc: _Acc) -> list[_Seg]:
    """RFC 2046 section 5.1.4: one body in several forms. Plain text preferred when it has
    text; the last HTML form (the richest) kept for display and as the fallback."""
    plain: str | None = None
    html: str | None = None
    for child in children:
        seg = _join(_collect(child, depth + 1, acc))
        if seg.html is not None:
            html = seg.html
        elif seg.plain is not None and (plain is None or (not plain.strip() and seg.plain.strip())):
            plain = seg.plain
    if plain is None and html is None:
        return []
    return [_Seg(plain=plain, html=html)]


def _delivery_status(part: Message, acc: _Acc) -> None:
    """Per-recipient blocks of a ``message/delivery-status`` part (RFC 3464 section 2)."""
    blocks = _children(part)
    if blocks:
        for block in blocks:
            acc.dsn_blocks.append(
                {k.lower(): decode_header_value(str(v)) for k, v in block.raw_items()}
            )
        return
    # Not parsed into blocks by the stdlib: read the text, blocks separated by blank lines.
    text = decode_bytes(_payload_bytes(part), None).text.replace("\r\n", "\n")
    for chunk in re.split(r"\n\s*\n", text):
        block = email.parser.HeaderParser().parsestr(chunk, headersonly=True)
        acc.dsn_blocks.append({k.lower(): decode_header_value(str(v)) for k, v in block.items()})


def _inner_text(inner: Message, depth: int, acc: _Acc) -> str:
    segs = _collect(inner, depth + 1, acc)
    return "\n\n".join(t for t in (s.text() for s in segs) if t.strip())


def _inner_header_lines(inner: Message) -> str:
    lines = []
    for label in ("From", "Date", "Subject"):
        values = _raw_values(inner, label)
        if values:
            lines.append(f"{label}: {decode_header_value(values[0])}")
    return "\n".join(lines)


def _message_part(part: Message, depth: int, acc: _Acc) -> list[_Seg]:
    """A ``message/rfc822`` part: a bounce's returned message is listed as an attachment;
    otherwise it is a forward, read into ``BodyText.forwarded``."""
    inner = next(iter(_children(part)), None)
    if inner is None:
        _list_attachment(part, acc, filename=_filename(part))
        return []
    if acc.bounce:
        ids = _message_ids(unfold_header(next(iter(_raw_values(inner, "message-id")), "")))
        acc.returned_ids.extend(ids[:1])
        # The returned message's own parts are not attachments of the bounce.
        scratch = _Acc(index=acc.index, bounce=False, budgets=acc.budgets,
                       parts_read=acc.parts_read)
        text = _inner_text(inner, depth, scratch)
        acc.parts_read = scratch.parts_read
        text = "\n\n".join(x for x in (_inner_header_lines(inner), text) if x)
        acc.attachments.append(
            Attachment(
                filename=_filename(part),
                content_type=part.get_content_type(),
                size=_flat_size(inner),
                part_index=acc.index.get(id(part), -1),
                text=text or None,
            )
        )
        return []
    text = _inner_text(inner, depth, acc)
    header = _inner_header_lines(inner)
    acc.forwarded.append(f"{header}\n\n{text}".strip() if header else text)
    return []


def _flat_size(msg: Message) -> int:
    try:
        return len(msg.as_bytes())
    except (TypeError, ValueError, LookupError, UnicodeError, RecursionError):
        return 0


def _report(children: list[Message], depth: int, acc: _Acc) -> list[_Seg]:
    """RFC 6522 ``multipart/report``: the first part is the human-readable text; a
    ``message/delivery-status`` part holds the recipients; the returned message follows."""
    segs: list[_Seg] = []
    for child in children:
        if child.get_content_type() == "message/delivery-status":
            _delivery_status(child, acc)
        else:
            segs.extend(_collect(child, depth + 1, acc))
    return segs


def _collect(part: Message, depth: int, acc: _Acc) -> list[_Seg]:
    """Body segments of ``part``; attachments, forwards and report data go into ``acc``."""
    if depth > MAX_MIME_DEPTH:
        acc.defects.append(
            f"{CONTENT_NOT_READ}MIME parts nested deeper than {MAX_MIME_DEPTH} levels not read"
        )
        return []
    acc.parts_read += 1
    if acc.parts_read > MAX_PARTS:
        acc.defects.append(f"{CONTENT_NOT_READ}more than {MAX_PARTS} MIME parts; the rest not read")
        return []
    ctype = part.get_content_type()
    if ctype == "message/rfc822" or (
        part.get_content_maintype() == "message"
        and ctype != "message/delivery-status"
        and _children(part)
    ):
        return _message_part(part, depth, acc)
    if ctype == "message/delivery-status":
        _delivery_status(part, acc)
        return []
    children = _children(part)
    if not part.is_multipart():
        return _leaf(part, acc)
    if ctype == "multipart/alternative":
        return _alternative(children, depth, acc)
    if ctype == "multipart/report":
        return _report(children, depth, acc)
    segs: list[_Seg] = []
    for child in children:
        segs.extend(_collect(child, depth + 1, acc))
    return segs


def _part_defects(root: Message, index: dict[int, int]) -> list[str]:
    out: list[str] = []
    for part, _depth in _walk_order(root):
        for defect in getattr(part, "defects", ()):
            name = type(defect).__name__
            out.append(_STDLIB_DEFECTS.get(name, f"MIME defect: {name}"))
    return out


def _mailparser_defects(msg: Message) -> list[str]:
    """Header diagnostics from mail-parser (addresses, dates, MIME header octets), as words.
    mail-parser's own messages quote header values, so only their categories are used."""
    from mailparser.core import MailParser

    try:
        categories = MailParser(msg).defects_categories
    except Exception:  # noqa: BLE001 - a diagnostics helper must not fail the parse
        return []
    return [_MAILPARSER_DEFECTS[c] for c in sorted(categories) if c in _MAILPARSER_DEFECTS]


# --------------------------------------------------------------------------------------------
# The whole message
# --------------------------------------------------------------------------------------------


def _load(raw: bytes) -> tuple[Message, bool]:
    """Parse ``raw``; on a structure too deeply nested for the stdlib, parse headers only.
    Returns the message and whether the body could be parsed."""
    try:
        return email.message_from_binary_file(io.BytesIO(raw)), True
    except RecursionError:
        return email.parser.BytesParser().parse(io.BytesIO(raw), headersonly=True), False


def _calendar_methods(root: Message) -> tuple[str, ...]:
    """The iTIP methods of the text/calendar parts among the first 50 parts."""
    methods = []
    for part, _depth in itertools.islice(_walk_order(root), 50):
        if part.get_content_type() == "text/calendar":
            payload = _payload_bytes(part)[:4096].decode("utf-8", "replace")
            method = calendar_method(str(part.get_param("method") or ""), payload)
            if method:
                methods.append(method)
    return tuple(methods)


def _dedupe(items: list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return tuple(seen)


def _first_address(msg: Message, name: str) -> Address | None:
    found = _addresses(msg, name)
    return found[0] if found else None


def _references(msg: Message, budgets: Budgets, defects: list[str]) -> tuple[str, ...]:
    """The References IDs (RFC 5322 section 3.6.4), at most ``budgets.ids_per_references``:
    the thread's first and its latest, which are what threading needs."""
    ids = _message_ids(_id_field(msg, "references"))
    limit = max(2, budgets.ids_per_references)
    if len(ids) <= limit:
        return ids
    defects.append(f"{CONTENT_NOT_READ}References holds {len(ids):,} Message-IDs; only the "
                   f"first and the latest {limit - 1} were read")
    return (ids[0], *ids[len(ids) - limit + 1 :])


def _parse(
    raw: bytes, own_addresses: frozenset[str], own_message_id_domains: frozenset[str],
    budgets: Budgets = DEFAULT_BUDGETS,
) -> ParsedEmail:
    prepared = prepare(raw, header_bytes=budgets.header_bytes)
    defects: list[str] = list(prepared.defects)
    msg, body_parsed = _load(prepared.raw)
    del prepared  # a repaired copy of the bytes is not kept while the body is read
    if not body_parsed:
        defects.append(f"{CONTENT_NOT_READ}MIME nesting too deep to read")
    headers = _header_map(msg)
    subject = headers.get("subject", ("",))[0]
    from_ = _first_address(msg, "from")
    sender = _first_address(msg, "sender")
    if sender is not None and from_ is not None and sender.addr == from_.addr:
        sender = None
    rp_empty = _return_path_empty(msg)
    content_type = msg.get_content_type()
    report_type = str(msg.get_param("report-type", "") or "").lower()
    bounce = is_bounce(
        headers,
        content_type=content_type,
        report_type=report_type,
        from_addr=from_.addr if from_ else "",
        return_path_empty=rp_empty,
    )

    index = {id(p): i for i, (p, _d) in enumerate(_walk_order(msg))}
    acc = _Acc(index=index, bounce=bounce, budgets=budgets)
    segs = _collect(msg, 0, acc) if body_parsed else []
    defects.extend(_part_defects(msg, index))
    defects.extend(_mailparser_defects(msg))
    defects.extend(acc.defects)
    date = _date(msg, defects)

    texts = [s.text() for s in segs]
    full = "\n\n".join(t.strip("\n") for t in texts if t.strip())
    del texts
    if len(full) > budgets.text_chars:
        full = full[: budgets.text_chars]
        defects.append(f"{CONTENT_NOT_READ}the text is longer than {budgets.text_chars:,} "
                       "characters; the rest was not read")
    names = [a.name for a in (from_, sender) if a is not None and a.name]
    body = split_body(full, subject=subject, sender_names=names)
    forwarded = "\n\n".join(x for x in (body.forwarded, *acc.forwarded) if x.strip())
    body = replace(body, forwarded=forwarded)
    from parsing.extract.people import MAX_REGION_CHARS  # parsing.extract imports this package

    if max(len(body.new), len(body.forwarded)) > MAX_REGION_CHARS:
        defects.append(
            f"{CONTENT_NOT_READ}the text is longer than {MAX_REGION_CHARS:,} characters; "
            "the rest was not read"
        )
    htmls = [s.html for s in segs if s.html]
    readable = [full, forwarded, *(a.text or "" for a in acc.attachments)]

    in_reply_to = next(iter(_message_ids(_id_field(msg, "in-reply-to"))), None)
    references = _references(msg, budgets, defects)
    refs = case_references(subject)
    dsn = parse_delivery_status(acc.dsn_blocks)
    signals = Signals(
        headers=headers,
        subject=subject,
        from_addr=from_.addr if from_ else "",
        content_type=content_type,
        report_type=report_type,
        return_path_empty=rp_empty,
        case_references=refs,
        thread_ids=tuple(x for x in (in_reply_to, *references) if x),
        own_message_id_domains=own_message_id_domains,
        own_addresses=own_addresses,
        topic_texts=(subject, body.new, body.forwarded, *(a.text or "" for a in acc.attachments)),
        body_text="\n".join((body.new, body.signature)),
        calendar_methods=_calendar_methods(msg) if body_parsed else (),
    )
    classification = classify(signals)
    return ParsedEmail(
        message_id=_message_id(msg),
        subject=subject,
        date=date,
        from_=from_,
        sender=sender,
        reply_to=_addresses(msg, "reply-to", budgets, defects),
        to=_addresses(msg, "to", budgets, defects),
        cc=_addresses(msg, "cc", budgets, defects),
        in_reply_to=in_reply_to,
        references=references,
        headers=headers,
        body=body,
        html="\n".join(htmls) if htmls else None,
        attachments=tuple(acc.attachments),
        classification=classification,
        is_bulk=is_bulk(headers),
        is_auto_submitted=bounce
        or is_auto_submitted(headers, subject)
        or classification == Classification.AUTO_REPLY,
        case_references=refs,
        bounced_message_id=(acc.returned_ids[0] if acc.returned_ids and bounce else None),
        bounce_recipients=dsn.recipients if bounce else (),
        permanent_failure=dsn.permanent_failure if bounce else False,
        defects=_dedupe(defects),
        return_path_empty=rp_empty,
        unreadable=not any(t.strip() for t in readable),
    )


def _failed(raw: bytes, reason: str) -> ParsedEmail:
    """The result for bytes that could not be parsed at all: headers if they can still be
    read, everything else empty, ``unreadable`` set."""
    headers: dict[str, tuple[str, ...]] = {}
    message_id = None
    subject = ""
    try:
        msg = email.parser.BytesParser().parse(io.BytesIO(raw), headersonly=True)
        headers = _header_map(msg)
        message_id = _message_id(msg)
        subject = headers.get("subject", ("",))[0]
    except Exception:  # noqa: BLE001 - salvage is best effort
        pass
    empty = BodyText(full="", new="", signature="", quoted="")
    return ParsedEmail(
        message_id=message_id,
        subject=subject,
        date=None,
        from_=None,
        sender=None,
        reply_to=(),
        to=(),
        cc=(),
        in_reply_to=None,
        references=(),
        headers=headers,
        body=empty,
        html=None,
        attachments=(),
        classification=Classification.OTHER,
        defects=(f"parse failed: {reason}",),
        unreadable=True,
    )


def parse_email(
    raw: bytes,
    *,
    own_addresses: frozenset[str] = frozenset(),
    own_message_id_domains: frozenset[str] = frozenset(),
    budgets: Budgets = DEFAULT_BUDGETS,
) -> ParsedEmail:
    """Parse one raw RFC 5322 message, reading at most what ``budgets`` allow.

    :param raw: the message bytes exactly as received (CRLF or LF line endings).
    :param own_addresses: our mailbox addresses (lower case); mail *from* one of them is
        classified ``other`` (our own message come back).
    :param own_message_id_domains: the domain parts of the Message-IDs we generate; an
        In-Reply-To/References to one of them makes a message a ``follow_up``.
    :returns: a frozen :class:`~parsing.model.ParsedEmail`. ``attachments[i].part_index``
        counts parts in :meth:`email.message.Message.walk` order of
        ``email.message_from_bytes(raw)`` (the root is 0).

    Never raises: any unexpected failure gives a ParsedEmail classified ``other`` with
    ``unreadable=True`` and ``defects=("parse failed: <ExceptionType>",)``.
    """
    try:
        return _parse(bytes(raw or b""), own_addresses, own_message_id_domains, budgets)
    except Exception as exc:  # noqa: BLE001 - parsing must never stop ingestion
        return _failed(bytes(raw or b""), type(exc).__name__)
