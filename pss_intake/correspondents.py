"""A case's correspondents, and who may speak for a case (DESIGN.md "The case").

The correspondents of a case are everyone on its messages: the From, Sender and Reply-To of
every message that opened or joined it, and the other To/Cc recipients of the message that
opened it (the executive a PA copied in), stored in ``case_correspondent``; the senders of its
messages and the recipients of our replies count too.

A message that points at a case (by its reference, or by In-Reply-To/References) may change it
when its sender

1. is a correspondent of the case; or
2. writes from the same organisation's own mail domain as a correspondent (a colleague; the
   receiving checks, sender-authentication-failed, apply to that domain); or
3. writes from a shared domain (``intake.shared_domains`` such as nhs.net, and webmail), names
   one of the Message-IDs of our replies on the case, and copies a correspondent in (To/Cc).
   Our Message-IDs carry a random token, so naming one proves the writer received our mail;
   the copy says whom they answer for. Either alone proves nothing: To/Cc can be typed by
   anyone, and a Message-ID of mail we received is no secret of ours.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from parsing.model import Address, ParsedEmail
from register.notices import TEMPLATE_PREFIX
from store.models import Case, CaseCorrespondent, OutboxMessage, RawMessage


def correspondents(session: Session, case: Case) -> set[str]:
    """The lower-cased addresses that may speak for ``case``."""
    found = {case.sender_addr} if case.sender_addr else set()
    found.update(session.execute(
        select(CaseCorrespondent.addr).where(CaseCorrespondent.case_id == case.id)).scalars())
    found.update(a for a in session.execute(
        select(RawMessage.from_addr).where(RawMessage.case_id == case.id)).scalars() if a)
    # The people a privacy notice went to were named, not asked: an answer from them is read
    # by a person (a new flagged case), it does not change the nomination.
    found.update(a for a in session.execute(
        select(OutboxMessage.to_addr).where(
            OutboxMessage.case_id == case.id,
            OutboxMessage.template.not_like(f"{TEMPLATE_PREFIX}%"))).scalars() if a)
    return found


def names_our_reply(session: Session, case: Case, parsed: ParsedEmail) -> bool:
    """True when In-Reply-To or References names the Message-ID of one of our replies on
    ``case`` (one query for the case's few replies, whatever the length of References)."""
    named = {i for i in (parsed.in_reply_to, *parsed.references) if i}
    if not named:
        return False
    ours = session.execute(
        select(OutboxMessage.message_id).where(
            OutboxMessage.case_id == case.id,
            OutboxMessage.template.not_like(f"{TEMPLATE_PREFIX}%"))).scalars()
    return any(m in named for m in ours)


def may_speak_for(
    session: Session, case: Case, parsed: ParsedEmail, shared_domains: frozenset[str]
) -> bool:
    """True when the message's sender may change ``case`` (the three ways in the module
    docstring)."""
    if parsed.from_ is None or not parsed.from_.addr:
        return False
    found = correspondents(session, case)
    if parsed.from_.addr in found:
        return True
    domain = parsed.from_.domain
    if not domain:
        return False
    if domain not in shared_domains:
        return any(a.rpartition("@")[2] == domain for a in found)
    copied = {a.addr for a in (*parsed.to, *parsed.cc) if a.addr}
    return bool(copied & found) and names_our_reply(session, case, parsed)


def record(session: Session, case: Case, parsed: ParsedEmail, *, raw_message_id: int,
           opened: bool, own: frozenset[str]) -> None:
    """Store the message's people as correspondents of ``case``: From, Sender and Reply-To;
    when the message ``opened`` the case, its other To/Cc recipients too. Our own addresses
    (``own``) and addresses already stored are skipped."""
    people: list[tuple[str, Address]] = [("from", parsed.from_)] if parsed.from_ else []
    people += [("sender", parsed.sender)] if parsed.sender else []
    people += [("reply-to", a) for a in parsed.reply_to]
    if opened:
        people += [("to", a) for a in parsed.to] + [("cc", a) for a in parsed.cc]
    known = set(session.execute(
        select(CaseCorrespondent.addr).where(CaseCorrespondent.case_id == case.id)).scalars())
    for source, address in people:
        addr = (address.addr or "").lower()
        if "@" not in addr or len(addr) > 320 or addr in own or addr in known:
            continue
        known.add(addr)
        session.add(CaseCorrespondent(case_id=case.id, addr=addr, name=address.name or None,
                                      source=source, raw_message_id=raw_message_id))
    session.flush()
