"""UK GDPR Article 14 privacy notices to the people a nomination names.

Nominees and replaced specialists did not give us their own details, so each must be told
what we hold, why, for how long, their rights and how to reach us, within a month (DOMAIN.md
section 7). When a case completes, one notice is queued in the outbox to each nominee and,
for a replacement, to each person replaced: once per person (address) per case, recorded in
the case's audit history. The text is the Jinja2 template ``privacy-notice.txt.j2`` (an
administrator may put their own in ``notices.template_dir``); it is never given the
confidential job title or pay band.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

import jinja2
from sqlalchemy import select
from sqlalchemy.orm import Session

from parsing.model import Address
from replies.render import greeting_name, new_message_id, split_from_address
from store.models import AuditEntry, Case, CasePerson, OutboxMessage

__all__ = ["TEMPLATE", "TEMPLATE_PREFIX", "NoticeOptions", "queue_notices", "render_notice"]

TEMPLATE = "privacy-notice.txt.j2"
#: Outbox rows of notices have templates ``privacy-notice:nominee`` / ``privacy-notice:replaced``.
TEMPLATE_PREFIX = "privacy-notice:"
HERE = Path(__file__).parent / "templates"
SUBJECT = "Your details on the Patient Safety Specialist register [{ref}]"


@dataclass(frozen=True, slots=True)
class NoticeOptions:
    """Settings for the notices (from ``notices`` and ``smtp``/``replies`` in config)."""

    from_address: str
    team_name: str
    message_id_domain: str
    retention: str
    template_dir: str | None = None


def _environment(template_dir: str | None) -> jinja2.Environment:
    folders = [template_dir, str(HERE)] if template_dir else [str(HERE)]
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folders), autoescape=False,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def render_notice(person: CasePerson, case: Case, organisation: str | None,
                  options: NoticeOptions) -> str:
    """The notice's text for ``person`` on ``case``. Only the name, email, phone and
    organisation are passed to the template: it cannot show a job title or pay band."""
    held = [f"Your name: {person.name}" if person.name else None,
            f"Your email address: {person.email}" if person.email else None,
            f"Your telephone number: {person.phone}" if person.phone else None,
            f"Your organisation: {organisation}" if organisation else None,
            ("That you were replaced as Patient Safety Specialist" if person.role == "replaced"
             else "That you are a Patient Safety Specialist, and since when"),
            "The email that named you, and our replies"]
    nominator = (greeting_name(Address(case.sender_name or "", case.sender_addr or ""))
                 if case.sender_name else "")
    nominator = "your organisation" if nominator in ("", "colleague") else nominator
    return _environment(options.template_dir).get_template(TEMPLATE).render(
        name=person.name or "colleague", role=person.role, reference=case.reference,
        organisation_phrase=organisation or "your organisation", nominator=nominator,
        held=[h for h in held if h], retention=options.retention,
        team_name=options.team_name, mailbox=split_from_address(options.from_address)[1])


def _message(person: CasePerson, body: str, reference: str,
             options: NoticeOptions) -> tuple[str, str, bytes]:
    msg = EmailMessage(policy=SMTP)
    from_name, from_addr = split_from_address(options.from_address)
    msg["From"] = HeaderAddress(display_name=from_name, addr_spec=from_addr)
    msg["To"] = HeaderAddress(display_name=" ".join((person.name or "").split()),
                              addr_spec=person.email or "")
    subject = SUBJECT.format(ref=reference)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message_id = new_message_id(reference, options.message_id_domain)
    msg["Message-ID"] = message_id
    # Sent by us unprompted (RFC 3834 section 5): auto-generated, and no auto-replies back.
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content(body, charset="utf-8")
    return message_id, subject, msg.as_bytes()


def queue_notices(session: Session, case: Case, organisation: str | None,
                  options: NoticeOptions, *, actor: str = "system") -> list[str]:
    """Queue the notices ``case`` still owes (nominees; replaced people of a replacement) and
    return their Message-IDs. People without an email address get none."""
    assert case.reference is not None
    roles = ("nominee", "replaced") if case.nomination_type == "replacement" else ("nominee",)
    sent = set(session.execute(select(OutboxMessage.to_addr).where(
        OutboxMessage.case_id == case.id,
        OutboxMessage.template.like(f"{TEMPLATE_PREFIX}%"))).scalars())
    queued = []
    for person in sorted(case.people, key=lambda p: (p.role, p.position)):
        address = (person.email or "").lower()
        if person.role not in roles or not address or address in sent:
            continue
        body = render_notice(person, case, organisation, options)
        message_id, subject, content = _message(person, body, case.reference, options)
        session.add(OutboxMessage(
            case_id=case.id, message_id=message_id, template=f"{TEMPLATE_PREFIX}{person.role}",
            recipients=[address], to_addr=address, subject=subject, content=content))
        session.add(AuditEntry(case_id=case.id, actor=actor, action="privacy-notice-queued",
                               field=f"{'nominees' if person.role == 'nominee' else 'replaced'}"
                                     f"[{person.position}]", new_value=message_id))
        sent.add(address)
        queued.append(message_id)
    return queued
