"""What kind of message this is: bounce, auto-reply, bulk, follow-up, nomination, or other.

Pure functions over already-decoded header values and texts (no I/O, no logging).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from parsing.model import Classification

__all__ = [
    "DeliveryStatus",
    "Signals",
    "case_references",
    "classify",
    "is_auto_submitted",
    "is_out_of_office",
    "is_unsubscribe_request",
    "is_bounce",
    "is_bulk",
    "mentions_nomination",
    "mentions_topic",
    "parse_delivery_status",
]

Headers = Mapping[str, Sequence[str]]

# Out-of-office Subject prefixes (English Outlook/Exchange and Gmail, and the common
# European ones Exchange writes for users with other mailbox languages).
_AUTO_SUBJECT = re.compile(
    r"^\s*(?:automatic\s+reply|auto[\s-]?reply|auto[\s-]?response|out\s+of\s+(?:the\s+)?office"
    r"(?:\s+(?:reply|auto[\s-]?reply))?|autosvar|abwesenheitsnotiz|automatische\s+antwort"
    r"|r[ée]ponse\s+automatique|respuesta\s+autom[áa]tica|risposta\s+automatica"
    r"|automatisch\s+antwoord)\s*:",
    re.I,
)
# Without any header evidence, an out-of-office needs both its Subject prefix (broader: no
# colon needed, Welsh, "Absence", "OOO") and a body saying the writer is away.
_OOO_SUBJECT = re.compile(
    r"^\s*(?:automatic\s+reply|auto[\s-]?reply|auto[\s-]?response|out\s+of\s+(?:the\s+)?office"
    r"|ooo\b|absence\b|away\s+from\s+(?:the\s+)?office|on\s+(?:annual\s+)?leave\b"
    r"|ateb\s+awtomatig|allan\s+o['’]r\s+swyddfa)",
    re.I,
)
_OOO_BODY = re.compile(
    r"\b(?:(?:I\s+am|I['’]m|I\s+will\s+be|I['’]ll\s+be|I\s+am\s+currently|[A-Z][a-z]+\s+is)"
    r"\s+(?:currently\s+|now\s+)?(?:out\s+of\s+(?:the\s+)?office|away|on\s+(?:annual\s+|study\s+|"
    r"sick\s+|parental\s+|maternity\s+)?leave|absent|not\s+in\s+(?:the\s+)?office|off\s+work)"
    r"|allan\s+o['’]r\s+swyddfa|\bout\s+of\s+(?:the\s+)?office\s+(?:until|from|between)\b)",
    re.I,
)


def is_out_of_office(subject: str, body: str) -> bool:
    """True for an out-of-office that carries no header evidence: an out-of-office Subject
    prefix ("Out of office", "Automatic reply", "Auto-reply", "Allan o'r swyddfa", "Absence",
    "OOO") *and* a body that says the writer is away ("I am out of the office until …"). A
    human reply ("Re: Out of office …") does not start with the prefix."""
    return bool(_OOO_SUBJECT.match(subject or "")) and bool(_OOO_BODY.search((body or "")[:3000]))


_ITIP_METHOD = re.compile(r"(?im)^METHOD:([A-Z-]+)\s*$")

CALENDAR_RESPONSES = frozenset({"REPLY", "COUNTER", "DECLINECOUNTER", "REFRESH"})
"""iTIP methods (RFC 5546 section 1.4) a calendar client sends by itself when someone clicks
Accept, Decline or Propose (an attendee's response to an invitation): automatic mail."""


def calendar_method(content_type_method: str | None, payload: str) -> str | None:
    """The iTIP method of one text/calendar part: its Content-Type ``method`` parameter (RFC
    6047 section 2.4), else the calendar's own METHOD property; None without either."""
    if content_type_method:
        return content_type_method.strip().upper()
    match = _ITIP_METHOD.search(payload[:4096])
    return match.group(1).upper() if match else None


_UNSUBSCRIBE = re.compile(
    r"(?i)\b(?:please\s+)?(?:unsubscribe\s+me|(?:remove|take)\s+me\s+(?:off|from)\s+(?:this|your|the)\s+"
    r"(?:mailing|distribution|email|e-mail|circulation|contact)\s+list|"
    r"(?:want|wish|like)\s+to\s+(?:be\s+)?unsubscribe(?:d)?)\b"
)


def is_unsubscribe_request(body: str) -> bool:
    """True when the start of the sender's own text asks to be unsubscribed or taken off a
    mailing list ("Please unsubscribe me", "remove me from your distribution list")."""
    return bool(_UNSUBSCRIBE.search((body or "")[:600]))


_TOPIC = re.compile(r"patient[\s-]+safety[\s-]+specialist|(?<![\w.@/-])PSSs?(?![\w@]|[.-]\w)", re.I)
# Words that make a mention of a PSS a nomination (naming, replacing or adding one, or the
# "Identifying Patient Safety Specialists" document) rather than, say, a question about the
# PSS network meeting.
_INTENT = re.compile(
    r"nominat|identif|replac|appoint|designat|succe(?:ed|ssor)|tak(?:e|ing)\s+over"
    r"|step(?:ping|s)?\s+down|\b(?:new|first)\s+(?:PSS|patient\s+safety\s+specialist)|additional"
    r"|\bregist(?:er|ering)\b"
    r"|put(?:ting)?\s+forward|\bas\s+(?:our|the|a)\s+(?:new\s+|first\s+|second\s+)?"
    r"(?:PSS|patient\s+safety\s+specialist)|(?:PSS|specialist)\s+(?:is|will\s+be)\s+(?:now\s+)?"
    r"(?:(?:Dr|Mr|Mrs|Ms|Mx|Miss|Prof)\.?\s+)?[A-Z]|withdraw|disregard|leaving|left\s+the"
    # "Charlotte … is going to be picking up the PSS role for us".
    r"|(?:pick(?:ing|s)?|tak(?:e|es|ing))\s+(?:up|on)\s+(?:the|our|a)\s+(?:PSS|patient\s+safety\s+"
    r"specialist)\s+(?:role|post|position)",
    re.I,
)
_CASE_REF = re.compile(r"\bPSS[-\s]?(\d{6})\b", re.I)
_MSGID_DOMAIN = re.compile(r"@([^<>@\s]+)>")
_DAEMONS = frozenset({"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"})
_YES_VALUES = frozenset({"", "yes", "true", "1", "on"})


def _first(headers: Headers, name: str) -> str | None:
    values = headers.get(name)
    return values[0] if values else None


def is_auto_submitted(headers: Headers, subject: str) -> bool:
    """True for an automatic reply.

    Evidence (any one): RFC 3834 section 5 ``Auto-Submitted`` other than ``no``;
    ``X-Autoreply`` / ``X-Autorespond`` / ``X-Auto-Reply`` (not ``no``); ``Precedence:
    auto_reply``; or an out-of-office Subject prefix ("Automatic reply:", "Out of Office:",
    "Autosvar:" ...) together with Exchange's ``X-Auto-Response-Suppress`` or
    ``X-MS-Exchange-Inbox-Rules-Loop``. ``X-Auto-Response-Suppress`` alone is not evidence:
    Outlook adds it to ordinary mail.
    """
    auto = _first(headers, "auto-submitted")
    if auto is not None and auto.split(";", 1)[0].strip().lower() not in ("no", ""):
        return True
    for name in ("x-autoreply", "x-autorespond", "x-auto-reply"):
        value = _first(headers, name)
        if value is not None and value.strip().lower() in _YES_VALUES:
            return True
    precedence = (_first(headers, "precedence") or "").strip().lower()
    if precedence == "auto_reply":
        return True
    exchange_auto = "x-auto-response-suppress" in headers or (
        "x-ms-exchange-inbox-rules-loop" in headers
    )
    return bool(_AUTO_SUBJECT.match(subject)) and exchange_auto


def is_bulk(headers: Headers) -> bool:
    """True for list or bulk mail: ``List-Id`` or ``List-Unsubscribe`` (RFC 2919, RFC 2369),
    or ``Precedence: bulk|list|junk``."""
    if "list-id" in headers or "list-unsubscribe" in headers:
        return True
    precedence = (_first(headers, "precedence") or "").strip().lower()
    return precedence in ("bulk", "list", "junk")


def is_bounce(
    headers: Headers,
    *,
    content_type: str,
    report_type: str,
    from_addr: str,
    return_path_empty: bool,
) -> bool:
    """True for a non-delivery report: a top-level ``multipart/report;
    report-type=delivery-status`` (RFC 3464, RFC 6522); or a From of MAILER-DAEMON/postmaster
    with a null ``Return-Path: <>`` (RFC 5321 section 4.5.5); or Exchange's
    ``X-MS-Exchange-Message-Is-Ndr`` header."""
    if content_type == "multipart/report" and report_type == "delivery-status":
        return True
    if "x-ms-exchange-message-is-ndr" in headers:
        return True
    local = from_addr.rpartition("@")[0] if "@" in from_addr else from_addr
    return return_path_empty and local.lower() in _DAEMONS


@dataclass(frozen=True, slots=True)
class DeliveryStatus:
    """Per-recipient facts of an RFC 3464 report: failed addresses (lower case, in order) and
    whether any failure is permanent (``Action: failed`` or a ``Status`` of 5.x.x)."""

    recipients: tuple[str, ...] = ()
    permanent_failure: bool = False


def parse_delivery_status(blocks: Iterable[Mapping[str, str]]) -> DeliveryStatus:
    """Read RFC 3464 section 2.3 per-recipient fields from the ``message/delivery-status``
    blocks (lower-cased field name to decoded value). ``Final-Recipient: rfc822; a@b`` gives
    ``a@b``; the per-message block (no recipient) is skipped."""
    recipients: list[str] = []
    permanent = False
    for block in blocks:
        final = block.get("final-recipient") or block.get("original-recipient")
        if not final:
            continue
        addr = final.split(";", 1)[-1].strip().strip("<>").strip().lower()
        action = (block.get("action") or "").strip().lower()
        status = (block.get("status") or "").strip()
        if action in ("delayed", "delivered", "relayed", "expanded"):
            continue
        if addr and addr not in recipients:
            recipients.append(addr)
        if action == "failed" or status.startswith("5"):
            permanent = True
    return DeliveryStatus(tuple(recipients), permanent)


def case_references(subject: str) -> tuple[str, ...]:
    """``PSS-nnnnnn`` references in ``subject`` (case-insensitive, also ``PSS 000231`` and
    ``PSS000231``), normalised to ``PSS-000231``, in order, without repeats."""
    out: list[str] = []
    for m in _CASE_REF.finditer(subject):
        ref = f"PSS-{m.group(1)}"
        if ref not in out:
            out.append(ref)
    return tuple(out)


def mentions_topic(text: str) -> bool:
    """True when ``text`` mentions a patient safety specialist (or "PSS" as a word, not inside
    an address like ``pss.nominations@...``)."""
    return bool(_TOPIC.search(text))


def mentions_nomination(texts: Sequence[str]) -> bool:
    """True when ``texts`` together mention a patient safety specialist (:func:`mentions_topic`)
    *and* use a nominating word: nominate, identify, replace, appoint, successor, stepping
    down, new PSS, additional, "as our PSS", "our PSS is Dr ...", withdraw ... A question
    about the PSS network that names the current PSS is not a nomination."""
    present = [t for t in texts if t]
    return any(mentions_topic(t) for t in present) and any(_INTENT.search(t) for t in present)


@dataclass(frozen=True, slots=True)
class Signals:
    """Everything :func:`classify` looks at, already decoded.

    ``thread_ids`` are the In-Reply-To and References message IDs (with brackets);
    ``topic_texts`` are the texts that may carry a nomination (Subject, new text, forwarded
    text, attachment texts).
    """

    headers: Headers
    subject: str
    from_addr: str
    content_type: str
    report_type: str = ""
    return_path_empty: bool = False
    case_references: tuple[str, ...] = ()
    thread_ids: tuple[str, ...] = ()
    own_message_id_domains: frozenset[str] = field(default_factory=frozenset)
    own_addresses: frozenset[str] = field(default_factory=frozenset)
    topic_texts: tuple[str, ...] = ()
    body_text: str = ""
    calendar_methods: tuple[str, ...] = ()
    """The iTIP methods of the message's text/calendar parts (:func:`calendar_method`)."""


def _threads_to_us(thread_ids: Sequence[str], domains: frozenset[str]) -> bool:
    wanted = {d.lower().strip() for d in domains}
    for mid in thread_ids:
        m = _MSGID_DOMAIN.search(mid)
        if m and m.group(1).lower() in wanted:
            return True
    return False


def classify(s: Signals) -> Classification:
    """Decide the :class:`~parsing.model.Classification`, first match wins:

    1. ``bounce`` (:func:`is_bounce`; a bounce is also auto-submitted, bounce wins);
    2. ``auto_reply`` (:func:`is_auto_submitted`, or :func:`is_out_of_office` on the Subject
       and the new text, or a calendar client's response to an invitation: a text/calendar
       part whose method is one of :data:`CALENDAR_RESPONSES`);
    3. ``other`` for bulk/list mail (:func:`is_bulk`) and for mail from one of
       ``own_addresses`` (our own message come back);
    4. ``follow_up`` when the Subject carries a case reference or a thread ID's domain is one
       of ``own_message_id_domains``;
    5. ``other`` for a request to be unsubscribed (:func:`is_unsubscribe_request`);
    6. ``nomination`` when the topic texts mention a patient safety specialist / PSS with a
       nominating word (:func:`mentions_nomination`);
    7. ``other``.
    """
    if is_bounce(
        s.headers,
        content_type=s.content_type,
        report_type=s.report_type,
        from_addr=s.from_addr,
        return_path_empty=s.return_path_empty,
    ):
        return Classification.BOUNCE
    if (is_auto_submitted(s.headers, s.subject) or is_out_of_office(s.subject, s.body_text)
            or CALENDAR_RESPONSES.intersection(s.calendar_methods)):
        return Classification.AUTO_REPLY
    if is_bulk(s.headers):
        return Classification.OTHER
    if s.from_addr and s.from_addr.lower() in {a.lower() for a in s.own_addresses}:
        return Classification.OTHER
    if s.case_references or _threads_to_us(s.thread_ids, s.own_message_id_domains):
        return Classification.FOLLOW_UP
    if is_unsubscribe_request(s.body_text):
        # "Please unsubscribe me / remove me from this mailing list" is about a list, not a
        # nomination, whatever words about the PSS role it uses.
        return Classification.OTHER
    if mentions_nomination(s.topic_texts):
        return Classification.NOMINATION
    return Classification.OTHER
