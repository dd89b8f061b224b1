"""Deliver the outbox over SMTP (smtplib): pending replies → ``sent`` exactly once, or ``failed``.

Every reply is an :class:`store.models.OutboxMessage` row written in the same transaction as
the case change that caused it. :func:`send_pending` delivers the rows that are due:

* One SMTP connection per run: implicit TLS (``smtp.ssl``) or STARTTLS (``smtp.starttls``,
  RFC 3207), verified against ``smtp.ca_file`` or the system store; AUTH when
  ``smtp.username`` is set; ``smtp.timeout_seconds`` on every socket operation.
* ``sendmail(from, recipients, content)``: the envelope sender is the addr-spec of
  ``smtp.from_address`` (so a hard bounce of a reply comes back to the mailbox, where the
  pipeline flags the case), the recipients are the stored JSON list, each re-parsed to exactly
  one addr-spec, and the content the stored bytes, unchanged.
* Accepted (250 after the final dot, RFC 5321 section 4.1.1.4) → ``sent``, ``sent_at`` and the
  server's answer in ``smtp_response``, committed at once. A reply is never sent again after
  that. Recipients refused while others were accepted are recorded and the case flagged.
* Refused with 4xx, or a connection error before the message was handed over (connect, TLS,
  AUTH, MAIL, RCPT, DATA refused) → retried: ``attempts`` + 1, ``next_attempt_at`` = now +
  ``smtp.backoff_base_seconds`` × 2^(attempts − 1), at most ``smtp.backoff_max_seconds``.
* Refused with 5xx, or ``smtp.max_attempts`` reached → ``failed``; the case goes to
  ``needs_review`` with an audit entry ``reply-failed`` saying why.

**The crash window.** Between the server's 250 and our commit of ``sent`` there are a few
milliseconds in which a crash (or a lost connection while waiting for that 250) leaves a reply
we cannot know the fate of. It is narrowed and made visible, never resent blindly:

1. the connection, STARTTLS and AUTH are done first; only then is the row *claimed*
   (``sending_started_at`` set and ``smtp_stage`` = ``envelope`` by a conditional UPDATE,
   committed: also what stops two senders from taking the same row), immediately before
   MAIL FROM;
2. the message text is written, then ``smtp_stage`` = ``final-dot`` is committed (only while
   the claim is still this sender's, else the dot is never sent), then the final dot;
3. ``sent`` is committed right after the 250, before the next row;
4. a row still claimed ``smtp.claim_timeout_seconds`` later (its sender died) is sent again
   when its stage is ``envelope`` (the conversation never reached the message text, so
   nothing can have been delivered), and otherwise marked ``failed`` with ``delivery
   uncertain`` and its case flagged (``reply-failed``), as is a row whose connection broke
   after the final dot was written but before the answer came: a person checks and resends
   if needed. At most once, then, with every doubtful case in front of a person; a crash
   *before* the claim (e.g. right after the reply was queued) just leaves the row pending and
   it is sent normally.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import getaddresses, parseaddr
from typing import Any

from sqlalchemy import select, update

from ingest.events import error_text, log_event, redact
from pss_intake.config import Settings, SmtpSettings
from pss_intake.crashpoints import crash_point
from store.db import Database
from store.models import Case, CaseState, OutboxMessage, utcnow

log = logging.getLogger("pss_intake.sender")

#: ``OutboxMessage.smtp_stage`` values: the conversation may have reached MAIL FROM, RCPT TO,
#: DATA or the message text, but not its final dot (nothing can have been delivered) / the
#: final dot may have been written (the server may have accepted the message).
ENVELOPE = "envelope"
FINAL_DOT = "final-dot"

__all__ = ["SendReport", "send_pending", "smtp_connect"]


@dataclass
class SendReport:
    """What one run did, in replies: ``sent`` (accepted), ``retrying`` (transient failure,
    next attempt scheduled), ``failed`` (gave up: permanent refusal or too many attempts),
    ``uncertain`` (interrupted mid-transaction: failed and flagged, not resent), ``due``
    (rows that were due when the run started)."""

    due: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    uncertain: int = 0

    def log_fields(self) -> dict[str, int]:
        return {"due": self.due, "sent": self.sent, "retrying": self.retrying,
                "failed": self.failed, "uncertain": self.uncertain}


class ClaimLost(Exception):
    """The reply's claim was taken back (found stale) before its text was sent: another
    sender has it now, so this one must not hand the message over."""


class _Tracking:
    """Mixin: remember the answer to DATA and whether the message's final dot was written
    (after it, a lost connection leaves the delivery uncertain); ``before_payload`` is called
    after the message text, just before its final dot is written (it records the stage)."""

    payload_sent = False
    data_response: tuple[int, bytes] | None = None
    before_payload: Callable[[], None] | None = None

    def mail(self, sender: str, options: Any = ()) -> tuple[int, bytes]:
        response: tuple[int, bytes] = super().mail(sender, options)  # type: ignore[misc]
        crash_point("after-mail-from")
        return response

    def send(self, s: Any) -> None:
        if not (isinstance(s, bytes) and s.endswith(b"\r\n.\r\n")):
            super().send(s)  # type: ignore[misc]
            return
        # The message text first, then the stage, then the final dot alone: a sender killed
        # before the dot left the server nothing to deliver (RFC 5321 section 4.1.1.4), so
        # only the instant between the stage's commit and the dot is truly uncertain.
        super().send(s[:-3])  # type: ignore[misc]
        if self.before_payload is not None:
            self.before_payload()
        super().send(s[-3:])  # type: ignore[misc]
        self.payload_sent = True

    def data(self, msg: Any) -> tuple[int, bytes]:
        self.payload_sent = False
        response: tuple[int, bytes] = super().data(msg)  # type: ignore[misc]
        self.data_response = response
        return response


class _SMTP(_Tracking, smtplib.SMTP):
    pass


class _SMTP_SSL(_Tracking, smtplib.SMTP_SSL):
    pass


def _context(settings: SmtpSettings) -> ssl.SSLContext:
    if settings.ca_file:
        return ssl.create_default_context(cafile=settings.ca_file)
    return ssl.create_default_context()


def smtp_connect(settings: SmtpSettings) -> smtplib.SMTP:
    """Connect, EHLO, STARTTLS and AUTH as configured. Raises ``smtplib.SMTPException`` or
    ``OSError`` (timeouts included)."""
    if settings.ssl:
        server: smtplib.SMTP = _SMTP_SSL(settings.host, settings.port,
                                         timeout=settings.timeout_seconds,
                                         context=_context(settings))
    else:
        server = _SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
    try:
        server.ehlo()
        if settings.starttls and not settings.ssl:
            server.starttls(context=_context(settings))
            server.ehlo()
        if settings.username:
            password = settings.password.get_secret_value() if settings.password else ""
            server.login(settings.username, password)
    except BaseException:
        _quit(server)
        raise
    return server


def _quit(server: smtplib.SMTP | None) -> None:
    if server is None:
        return
    try:
        server.quit()
    except Exception:
        try:
            server.close()
        except Exception:
            pass


def envelope_recipients(stored: list[Any]) -> list[str]:
    """The addr-specs of a row's stored recipients; each entry must be exactly one mailbox.

    Raises ValueError for an entry that parses to no address or to several (a display name
    with an unquoted comma must never become two recipients), or to one that is not ASCII
    (an 8-bit byte decoded into an address is not the address the sender wrote).
    """
    result: list[str] = []
    for entry in stored:
        parsed = [addr for _name, addr in getaddresses([str(entry)]) if addr]
        if len(parsed) != 1 or "@" not in parsed[0] or not parsed[0].isascii():
            raise ValueError(f"recipient entry {len(result)} is not exactly one mailbox")
        result.append(parsed[0])
    if not result:
        raise ValueError("no recipients")
    return result


def _headers_name_exactly(content: bytes, recipients: list[str]) -> None:
    """Raise ValueError unless the message's To and Cc parse back to exactly ``recipients``
    (the same mailboxes, in order): a header that folding or a hostile display name broke
    into other mailboxes is never sent (issue 11, CPython gh-80222)."""
    from replies.render import header_mailboxes

    if header_mailboxes(content) != [r.lower() for r in recipients]:
        raise ValueError("the To/Cc header does not parse back to exactly the recipients")


def _backoff(settings: SmtpSettings, attempts: int) -> float:
    delay = settings.backoff_base_seconds * (2 ** max(0, attempts - 1))
    return float(min(delay, settings.backoff_max_seconds))


def _is_permanent(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def _smtp_text(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = sorted({f"{code} {_decode(msg)}" for code, msg in exc.recipients.values()})
        return redact("recipients refused: " + "; ".join(parts))[:500]
    code = getattr(exc, "smtp_code", None)
    if isinstance(code, int):
        return redact(f"{code} {_decode(getattr(exc, 'smtp_error', b''))}")[:500]
    return error_text(exc, 500)


def _decode(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _flag_case(session: Any, row: OutboxMessage, reason: str) -> None:
    from pss_intake import cases

    case = session.get(Case, row.case_id) if row.case_id is not None else None
    cases.audit(session, case, "reply-failed", field=row.template, new_value=row.message_id,
                reason=reason)
    if case is not None:
        cases.set_state(session, case, CaseState.NEEDS_REVIEW, reason=f"reply not delivered: "
                        f"{reason}")


class _Run:
    def __init__(self, db: Database, settings: Settings, now: dt.datetime | None) -> None:
        self.db = db
        self.settings = settings
        self.smtp = settings.smtp
        self.fixed_now = now
        self.report = SendReport()
        self.from_addr = parseaddr(settings.smtp.from_address)[1] or settings.smtp.from_address

    def now(self) -> dt.datetime:
        return self.fixed_now or utcnow()

    # -- outcomes, each committed at once ----------------------------------------------

    def _fail(self, row_id: int, reason: str, *, uncertain: bool = False,
              attempted: bool = True) -> None:
        with self.db.transaction() as session:
            row = session.get(OutboxMessage, row_id)
            assert row is not None
            row.status = "failed"
            row.attempts += attempted
            row.last_error = reason[:2000]
            row.sending_started_at = None
            _flag_case(session, row, reason)
            case = row.case
            reference = case.reference if case is not None else None
        if uncertain:
            self.report.uncertain += 1
        else:
            self.report.failed += 1
        log_event(log, "reply-uncertain" if uncertain else "reply-failed", logging.WARNING,
                  outbox=row_id, case=reference, reason=reason)

    def _retry(self, row_id: int, reason: str, *, claimed: bool = True) -> None:
        with self.db.transaction() as session:
            row = session.get(OutboxMessage, row_id)
            assert row is not None
            if not claimed and (row.status != "pending" or row.sending_started_at is not None):
                return  # another sender has it now: leave it alone
            row.attempts += 1
            row.last_error = reason[:2000]
            row.sending_started_at = None
            row.smtp_stage = None
            attempts = row.attempts
            if attempts >= self.smtp.max_attempts:
                give_up = True
            else:
                give_up = False
                delay = _backoff(self.smtp, attempts)
                row.next_attempt_at = self.now() + dt.timedelta(seconds=delay)
        if give_up:
            self._fail(row_id, f"gave up after {attempts} attempts: {reason}", attempted=False)
            return
        self.report.retrying += 1
        log_event(log, "reply-retry", logging.WARNING, outbox=row_id, attempts=attempts,
                  retry_in=delay, reason=reason)

    def _sent(self, row_id: int, response: str, refused: dict[str, Any]) -> None:
        with self.db.transaction() as session:
            row = session.get(OutboxMessage, row_id)
            assert row is not None
            row.status = "sent"
            row.sent_at = utcnow()
            row.attempts += 1
            row.smtp_response = response[:2000]
            row.last_error = None
            if refused:
                text = "; ".join(sorted({f"{c} {_decode(m)}" for c, m in refused.values()}))
                row.last_error = redact(f"some recipients refused: {text}")[:2000]
                _flag_case(session, row, row.last_error)
            reference = row.case.reference if row.case is not None else None
        self.report.sent += 1
        log_event(log, "reply-sent", outbox=row_id, case=reference, response=response,
                  refused=len(refused) or None)

    # -- the run -----------------------------------------------------------------------

    def recover_stale_claims(self) -> None:
        """Claims older than ``smtp.claim_timeout_seconds`` (their sender died or hung): sent
        again when the conversation never reached the message text (``smtp_stage`` envelope:
        nothing can have been delivered), else failed as uncertain and flagged."""
        limit = self.now() - dt.timedelta(seconds=self.smtp.claim_timeout_seconds)
        with self.db.transaction() as session:
            stale = list(session.execute(
                select(OutboxMessage.id, OutboxMessage.smtp_stage)
                .where(OutboxMessage.status == "pending")
                .where(OutboxMessage.sending_started_at.is_not(None))
                .where(OutboxMessage.sending_started_at < limit)
            ))
        for row_id, stage in stale:
            if stage == ENVELOPE:
                self._release(row_id)
            else:
                self._fail(row_id, "delivery uncertain: the sender stopped during the SMTP "
                           "transaction after the message was sent; not resent automatically",
                           uncertain=True)

    def _release(self, row_id: int) -> None:
        """Give a stale pre-DATA claim back: due again at once (one attempt counted)."""
        with self.db.transaction() as session:
            row = session.get(OutboxMessage, row_id)
            assert row is not None
            row.attempts += 1
            row.sending_started_at = None
            row.smtp_stage = None
            row.next_attempt_at = self.now()
            row.last_error = "interrupted before the message was sent; sent again"
            attempts = row.attempts
        if attempts >= self.smtp.max_attempts:
            self._fail(row_id, f"gave up after {attempts} attempts: interrupted", attempted=False)
            return
        log_event(log, "reply-released", logging.WARNING, outbox=row_id, attempts=attempts)

    def _payload_stage(self, row_id: int, claimed_at: dt.datetime) -> None:
        """Commit ``final-dot`` before the final dot goes out, if the claim is still ours;
        raises :class:`ClaimLost` otherwise (the dot must then not be sent)."""
        with self.db.transaction() as session:
            result = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.status == "pending",
                       OutboxMessage.sending_started_at == claimed_at,
                       OutboxMessage.smtp_stage == ENVELOPE)
                .values(smtp_stage=FINAL_DOT)
                .execution_options(synchronize_session=False))
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise ClaimLost()

    def due_rows(self) -> list[int]:
        with self.db.transaction() as session:
            return list(session.scalars(
                select(OutboxMessage.id).where(OutboxMessage.status == "pending")
                .where(OutboxMessage.sending_started_at.is_(None))
                .where(OutboxMessage.next_attempt_at <= self.now())
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            ))

    def claim(self, row_id: int) -> OutboxMessage | None:
        with self.db.transaction() as session:
            result = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id)
                .where(OutboxMessage.status == "pending")
                .where(OutboxMessage.sending_started_at.is_(None))
                .values(sending_started_at=utcnow(), smtp_stage=ENVELOPE)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                return None  # another sender took it, or it changed meanwhile
            return session.get(OutboxMessage, row_id)

    def run(self, stop: Any = None) -> SendReport:
        self.recover_stale_claims()
        due = self.due_rows()
        self.report.due = len(due)
        server: smtplib.SMTP | None = None
        try:
            for index, row_id in enumerate(due):
                if stop is not None and stop.is_set():
                    break
                if server is None:
                    try:
                        server = smtp_connect(self.smtp)
                    except (smtplib.SMTPException, OSError) as exc:
                        # Nothing was handed over: a failed attempt for every reply due now.
                        reason = f"cannot connect: {_smtp_text(exc)}"
                        log_event(log, "smtp-unavailable", logging.WARNING, reason=reason,
                                  due=len(due) - index)
                        for rest in due[index:]:
                            self._retry(rest, reason, claimed=False)
                        break
                server = self._send_one(server, row_id)
        finally:
            _quit(server)
        return self.report

    def _send_one(self, server: smtplib.SMTP, row_id: int) -> smtplib.SMTP | None:
        """Send one row; returns the connection to go on with (None when it broke)."""
        row = self.claim(row_id)
        if row is None:
            return server
        try:
            recipients = envelope_recipients(row.recipients)
            _headers_name_exactly(row.content, recipients)
        except ValueError as exc:
            self._fail(row_id, f"bad recipients: {exc}", attempted=False)
            return server
        tracking: Any = server
        tracking.payload_sent = False
        tracking.data_response = None
        claimed_at = row.sending_started_at
        assert claimed_at is not None
        tracking.before_payload = lambda: self._payload_stage(row_id, claimed_at)
        try:
            refused = server.sendmail(self.from_addr, recipients, row.content)
        except ClaimLost:
            # Found stale and released by another sender meanwhile: it sends the reply.
            log_event(log, "reply-claim-lost", logging.WARNING, outbox=row_id)
            # Before the final dot: no QUIT (it would be taken as message text); closing the
            # connection makes the server discard the transaction (RFC 5321 section 4.1.1.4).
            server.close()
            return None
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                smtplib.SMTPDataError) as exc:
            # The server answered with a refusal: nothing was accepted.
            reason = _smtp_text(exc)
            if _is_permanent(exc):
                self._fail(row_id, f"refused: {reason}")
            else:
                self._retry(row_id, reason)
            try:
                server.rset()
                return server
            except (smtplib.SMTPException, OSError):
                _quit(server)
                return None
        except (smtplib.SMTPException, OSError) as exc:
            _quit(server)
            if tracking.payload_sent:
                self._fail(row_id, "delivery uncertain: connection lost after the message was "
                           f"sent, before the server answered ({error_text(exc)}); not resent "
                           "automatically", uncertain=True)
            else:
                self._retry(row_id, f"connection lost: {_smtp_text(exc)}")
            return None
        crash_point("after-accept")
        code, text = tracking.data_response or (250, b"")
        self._sent(row_id, f"{code} {_decode(text)}".strip(), refused)
        return server


def send_pending(db: Database, settings: Settings, now: dt.datetime | None = None, *,
                 stop: Any = None) -> SendReport:
    """Deliver every due pending reply (see the module docstring); returns a :class:`SendReport`.

    :param now: the time used for due-ness, backoff and stale claims (timezone-aware UTC);
        the current time when None (tests pass a later time to skip the backoff).
    :param stop: a ``threading.Event``; when set, no further reply is started.
    Never raises for SMTP trouble (each row records it); database errors propagate.
    """
    report = _Run(db, settings, now).run(stop)
    if report.due or report.uncertain:
        log_event(log, "send-done", **report.log_fields())
    return report
