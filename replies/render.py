"""Render replies (Jinja2 templates, plain text) into complete RFC 5322 messages.

Templates live in ``replies/templates``, keyed Mailman-style as ``sender:ack:complete`` and
``sender:request:missing-items`` (:data:`TEMPLATES`). Every reply carries the case reference in
the Subject, In-Reply-To/References for threading (RFC 5322 section 3.6.4) and
``Auto-Submitted: auto-replied`` (RFC 3834 section 5). Addresses are built from parsed
:class:`email.headerregistry.Address` objects, so a display name with a comma stays one mailbox.
Confidential fields (job title, pay band) are never put in a reply.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import secrets
from dataclasses import dataclass
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import SMTP
from email.policy import default as default_policy
from email.utils import format_datetime, getaddresses
from pathlib import Path

import email_validator
import jinja2
import phonenumbers

from parsing.headers import header_block_end
from parsing.model import Address, ParsedEmail
from validation.models import CaseReading, NominationType

TEMPLATES = {
    "sender:ack:complete": "sender-ack-complete.txt.j2",
    "sender:request:missing-items": "sender-request-missing.txt.j2",
    "sender:chase:missing-items": "sender-chase-missing.txt.j2",
}
SUBJECTS = {
    "sender:ack:complete": "[{ref}] Patient Safety Specialist nomination – received",
    "sender:request:missing-items": (
        "[{ref}] Patient Safety Specialist nomination – further information required"
    ),
    "sender:chase:missing-items": (
        "[{ref}] Reminder: Patient Safety Specialist nomination – further information required"
    ),
}
# A no-reply style local part: the word may stand anywhere between separators
# ("noreply", "alerts-noreply", "do.not.reply+x", "mailer-daemon", "bounces").
NO_REPLY = re.compile(
    r"(^|[-+._])(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]daemon|postmaster|bounces?)"
    r"($|[-+._])",
    re.IGNORECASE,
)
TYPE_WORDS = {
    NominationType.FIRST: "the organisation's first Patient Safety Specialist",
    NominationType.REPLACEMENT: "replacing a Patient Safety Specialist in post",
    NominationType.ADDITIONAL: "in addition to the Patient Safety Specialists in post",
}

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    undefined=jinja2.StrictUndefined,
    autoescape=jinja2.select_autoescape(["html"]),
    keep_trailing_newline=True,
)


@dataclass(frozen=True, slots=True)
class RenderedReply:
    """A reply ready for the outbox: the bytes to send and the parts the outbox row records."""

    message_id: str
    recipients: tuple[str, ...]
    subject: str
    content: bytes
    template: str


def reply_address(parsed: ParsedEmail, own_addresses: frozenset[str]) -> Address | None:
    """Who a reply to ``parsed`` goes to, or None when it must get no reply.

    No reply to automatic mail (auto-replies, bounces, lists: RFC 3834 section 2), to an empty
    Return-Path, to no-reply style addresses (local part or a domain label), list owners, our
    own addresses, or an address that is not valid syntax. Reply-To wins over From.
    """
    if parsed.classification in ("auto_reply", "bounce") or parsed.is_bulk:
        return None
    if parsed.is_auto_submitted or parsed.return_path_empty:
        return None
    target = parsed.reply_to[0] if parsed.reply_to else parsed.from_
    return answerable(target, own_addresses) if target is not None else None


def answerable(target: Address, own_addresses: frozenset[str]) -> Address | None:
    """``target`` when we may write to it, else None: not a no-reply style address (local part
    or a domain label), not a list owner, not ours, and valid syntax (RFC 5321/5322; no DNS)."""
    if "@" not in target.addr or not target.addr.isascii():
        # Valid as sent only: an 8-bit byte decoded into the address (``@nîrthshire``) is not
        # the sender's address, and would go out as an encoded-word (issue 11).
        return None
    local, _, domain = target.addr.partition("@")
    if NO_REPLY.search(local) or local.lower().startswith("owner-") or target.addr in own_addresses:
        return None
    if any(NO_REPLY.fullmatch(label) for label in domain.lower().split(".")):
        return None
    try:
        email_validator.validate_email(target.addr, check_deliverability=False,
                                       allow_smtputf8=False)
        # The header must be buildable too (source routes and the like are refused there).
        HeaderAddress(display_name=_clean_display(target.name), addr_spec=target.addr)
    except (email_validator.EmailNotValidError, ValueError, IndexError, TypeError):
        return None
    return target


def greeting_name(address: Address) -> str:
    """The name for "Dear …": ``"OSEI, Margaret (NHS WESSEX VALE ICB)"`` → ``"Margaret Osei"``;
    ``"Dr Helen Marsh"`` stays as written; no display name → ``"colleague"``."""
    name = re.sub(r"\s*[\(\[].*?[\)\]]\s*", " ", address.name or "").strip().strip('"')
    if "@" in name:
        # A display name that is just an address says nothing about the person.
        return "colleague"
    if "," in name:
        surname, _, forename = name.partition(",")
        name = f"{_uncap(forename.strip())} {_uncap(surname.strip())}".strip()
    return name or "colleague"


def _uncap(part: str) -> str:
    # NHSmail directory names shout ("OSEI, MARGARET"); people write "Margaret Osei".
    return part.title() if part.isupper() else part


def describe(reading: CaseReading) -> list[str]:
    """What we recorded, one line each, without confidential fields."""
    lines: list[str] = []
    if reading.organisation:
        lines.append(f"Organisation: {reading.organisation}")
    if reading.nomination_type:
        lines.append(f"Nomination: {TYPE_WORDS[NominationType(reading.nomination_type)]}")
    for i, p in enumerate(reading.nominees):
        label = "New Patient Safety Specialist" + (f" {i + 1}" if len(reading.nominees) > 1 else "")
        parts = [p.name or "(name not given)", p.email or "", national_phone(p.phone)]
        lines.append(f"{label}: " + ", ".join(x for x in parts if x))
    for i, p in enumerate(reading.replaced):
        label = "Replacing" + (f" ({i + 1})" if len(reading.replaced) > 1 else "")
        parts = [p.name or "(name not given)", p.email or "", national_phone(p.phone)]
        lines.append(f"{label}: " + ", ".join(x for x in parts if x))
    if reading.guidance_confirmed:
        lines.append("Identifying Patient Safety Specialists document: confirmed as considered")
    return lines


def national_phone(e164: str | None) -> str:
    """E.164 back to the form people read: ``+447700900123`` → ``07700 900123``; numbers
    outside the UK in international form; ``""`` for None."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException:
        return e164
    fmt = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 44
           else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, fmt)


def missing_words(item: str, reading: CaseReading) -> str:
    """One missing item (contract form, e.g. ``nominees[0].phone``) in plain words."""
    if item == "nomination_type":
        return ("whether the new Patient Safety Specialist is the organisation's first, is "
                "replacing someone currently in post, or is in addition to those in post")
    if item == "guidance_confirmation":
        return ("confirmation that the \u201cIdentifying Patient Safety Specialists\u201d document "
                "was considered in making this nomination")
    match = re.fullmatch(r"(nominees|replaced)\[(\d+)\]\.(name|email|phone)", item)
    if not match:
        return item
    role, index, field = match.group(1), int(match.group(2)), match.group(3)
    people = reading.nominees if role == "nominees" else reading.replaced
    person = people[index] if index < len(people) else None
    what = {"name": "the full name", "email": "an email address",
            "phone": "a contact telephone number"}[field]
    if role == "nominees":
        who = "the new Patient Safety Specialist"
    else:
        who = "the Patient Safety Specialist being replaced"
    if person is not None and person.name and field != "name":
        return f"{what} for {who}, {person.name}"
    prep = "of" if field == "name" else "for"
    if person is not None and person.email and field != "email":
        return f"{what} {prep} {who} whose email address is {person.email}"
    if person is not None and person.phone and field != "phone":
        return f"{what} {prep} {who} whose telephone number is {national_phone(person.phone)}"
    if len(people) > 1:
        return f"{what} of {who} ({_ordinal(index)} named)"
    return f"{what} of {who}"


def _ordinal(index: int) -> str:
    words = ["first", "second", "third", "fourth", "fifth"]
    return words[index] if index < len(words) else f"number {index + 1}"


def split_from_address(value: str) -> tuple[str, str]:
    """``'Display, Name <addr@host>'`` → ``('Display, Name', 'addr@host')``; a bare address
    gives an empty name. Lenient about an unquoted comma in the display name."""
    match = re.fullmatch(r"\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*", value)
    if match:
        return match.group(1).strip().strip('"'), match.group(2)
    return "", value.strip()


def reply_order(item: str) -> tuple[int, int, int]:
    """Sort key for missing items as a person reads them: the type, the guidance, then each
    nominee and each replaced person in turn, name before email before phone."""
    match = re.fullmatch(r"(nominees|replaced)\[(\d+)\]\.(name|email|phone)", item)
    if match is None:
        return (0 if item == "nomination_type" else 1, 0, 0)
    section = 2 if match.group(1) == "nominees" else 3
    return (section, int(match.group(2)), ("name", "email", "phone").index(match.group(3)))


def new_message_id(reference: str, domain: str) -> str:
    """A fresh Message-ID for a reply on case ``reference`` (RFC 5322 section 3.6.4)."""
    return f"<{reference.lower()}.{secrets.token_hex(6)}@{domain}>"


def render_reply(
    template: str,
    *,
    reference: str,
    reading: CaseReading,
    missing: list[str],
    to: Address,
    in_reply_to: ParsedEmail | None,
    from_address: str,
    team_name: str,
    message_id_domain: str,
    now: dt.datetime | None = None,
    follow_up: bool = False,
    thread: tuple[str, tuple[str, ...]] | None = None,
    asked_on: dt.date | None = None,
    reminder: int = 0,
) -> RenderedReply:
    """Render template ``template`` (a key of :data:`TEMPLATES`) into a complete message.

    :param missing: missing items in contract form (only for the request template).
    :param to: the one recipient; :param in_reply_to: the message answered (threading headers).
    :param follow_up: the message answered continued the case (thanks for further details).
    :param thread: ``(In-Reply-To, References)`` when the reply follows one of our own messages
        (a chaser under the request) rather than ``in_reply_to``.
    :param asked_on: the date of our first request, :param reminder: which reminder this is
        (chasers only).
    :raises KeyError: unknown template key; :raises jinja2.UndefinedError: a template bug.
    """
    body = _env.get_template(TEMPLATES[template]).render(
        greeting=greeting_name(to),
        reference=reference,
        recorded=describe(reading),
        missing=[missing_words(m, reading) for m in sorted(missing, key=reply_order)],
        follow_up=follow_up,
        team_name=team_name,
        mailbox=split_from_address(from_address)[1],
        asked_on=f"{asked_on.day} {asked_on:%B %Y}" if asked_on else "",
        reminder=reminder,
    )
    subject = SUBJECTS[template].format(ref=reference)
    message_id = new_message_id(reference, message_id_domain)
    msg = EmailMessage(policy=SMTP)
    from_name, from_addr = split_from_address(from_address)
    msg["From"] = HeaderAddress(display_name=from_name, addr_spec=from_addr)
    # Stored as written: a str set with ``msg["To"] = …`` would be parsed and refolded.
    msg.set_raw("To", mailbox_header(to.name, to.addr))
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now or dt.datetime.now(dt.UTC))
    msg["Message-ID"] = message_id
    if thread is not None and _sendable_id(thread[0]):
        msg["In-Reply-To"] = thread[0]
        msg["References"] = " ".join(dict.fromkeys(
            r for r in (*thread[1], thread[0]) if _sendable_id(r)))
    elif in_reply_to is not None and _sendable_id(in_reply_to.message_id):
        msg["In-Reply-To"] = in_reply_to.message_id
        refs = [r for r in (*in_reply_to.references, in_reply_to.message_id or "")
                if _sendable_id(r)]
        msg["References"] = " ".join(dict.fromkeys(refs))
    msg["Auto-Submitted"] = "auto-replied"
    msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content(body, charset="utf-8")
    content = msg.as_bytes()
    if header_mailboxes(content) != [to.addr.lower()]:
        # Cannot happen with mailbox_header's output; the bare address always reads back.
        msg.replace_header("To", to.addr)
        content = msg.as_bytes()
    return RenderedReply(
        message_id=message_id,
        recipients=(to.addr,),
        subject=subject,
        content=content,
        template=template,
    )


def _sendable_id(msg_id: str | None) -> bool:
    """True for a Message-ID we may copy into a header: printable US-ASCII without spaces
    (RFC 5322 section 3.6.4); one with a NUL or other control character is left out (the
    Subject's case reference still threads the reply)."""
    return bool(msg_id) and all(0x21 <= ord(c) <= 0x7e for c in msg_id or "")


#: Longest display name written in a reply's To (longer ones are cut at a word).
MAX_DISPLAY_CHARS = 160
_FOLD_AT = 76


def mailbox_header(name: str, addr: str) -> str:
    """The value of a To header for one mailbox, already folded (lines of at most 76
    characters), so the email package writes it as it is and never refolds it.

    Python 3.11's folder drops the quotes of a long display name with a comma (CPython
    gh-80222), which turned one NHSmail name into several mailboxes (issue 11). Here a short
    ASCII name is one quoted-string (RFC 5322 section 3.2.4; ``"`` and ``\\`` escaped) never
    folded inside; any other name is RFC 2047 ``B`` encoded-words of at most 75 characters,
    which no reader can take for address syntax. Folds fall only between those words and the
    ``<addr>``. ``addr`` must be a plain ASCII addr-spec."""
    display = _clean_display(name)
    if len(display) > MAX_DISPLAY_CHARS:
        display = display[:MAX_DISPLAY_CHARS].rsplit(" ", 1)[0]
    if not display:
        return addr
    quoted = '"' + display.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if display.isascii() and len("To: ") + len(quoted) <= _FOLD_AT:
        words = [quoted]
    else:
        words = _encoded_words(display)
    words.append(f"<{addr}>")
    lines = [words[0]]
    width = len("To: ") + len(words[0])
    for word in words[1:]:
        if width + 1 + len(word) > _FOLD_AT:
            lines.append(word)  # the fold stands for the space (RFC 5322 section 2.2.3)
            width = 1 + len(word)
        else:
            lines[-1] += " " + word
            width += 1 + len(word)
    return "\n ".join(lines)


def _encoded_words(text: str) -> list[str]:
    """``text`` as RFC 2047 ``=?utf-8?b?…?=`` words of at most 75 characters (45 bytes of
    text each), split after a space where one falls, else between characters (section 5: a
    word holds whole characters). The space stays at the end of a word: a decoder ignores the
    fold between words (section 6.2), and the standard library, which keeps it, shows two."""
    words: list[str] = []
    piece = ""
    for token in re.findall(r"\S+\s*|\s+", text):
        if len((piece + token).encode("utf-8")) <= 45:
            piece += token
            continue
        if piece:
            words.append(piece)
            piece = ""
        for char in token:
            if len((piece + char).encode("utf-8")) > 45:
                words.append(piece)
                piece = ""
            piece += char
    if piece:
        words.append(piece)
    return [f"=?utf-8?b?{base64.b64encode(w.encode('utf-8')).decode('ascii')}?=" for w in words]


def header_mailboxes(content: bytes) -> list[str]:
    """The lower-cased addr-specs of every To and Cc mailbox of a message, or ``[]`` when the
    two readers disagree: :func:`email.utils.getaddresses` on the raw values (as a naive
    client reads them) and the standard library's RFC 5322 header parser must both give the
    same list."""
    head = content[: header_block_end(content)]
    naive_msg = BytesHeaderParser().parsebytes(head)
    strict_msg = BytesHeaderParser(policy=default_policy).parsebytes(head)
    naive: list[str] = []
    strict: list[str] = []
    for field in ("To", "Cc"):
        # Unfolded first, as RFC 5322 section 2.2.3 reads a header.
        values = [re.sub(r"\r?\n(?=[ \t])", "", str(v)) for v in naive_msg.get_all(field, [])]
        naive.extend(a.lower() for _n, a in getaddresses(values))
        for header in strict_msg.get_all(field, []):
            strict.extend(a.addr_spec.lower() for a in getattr(header, "addresses", ()))
    return naive if naive == strict else []


def _clean_display(name: str) -> str:
    # Control characters or line breaks in a display name would corrupt the header.
    return re.sub(r"[\x00-\x1f\x7f]+", " ", name).strip()
