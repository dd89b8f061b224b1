"""Polling a real Dovecot: APPEND → case → reply at SMTP → message moved; idempotence;
UIDVALIDITY changes; oversized and broken messages; MOVE and COPY+EXPUNGE; `n:*`."""

from __future__ import annotations

import re
import threading
from email import message_from_bytes, policy
from typing import Any

import pytest
from imap_helpers import (
    Folders,
    audit_actions,
    cases,
    counts,
    flags_of,
    one_mailbox_each,
    outbox_rows,
    raw_rows,
    sample,
)
from imap_servers import SmtpServer
from mailgen import broken_mime, nomination, person, with_attachment
from sqlalchemy import update

from ingest.imap import ImapSource, close, connect
from ingest.poller import poll_once
from pss_intake.config import Settings
from pss_intake.pipeline import ingest as real_ingest
from replies.sender import send_pending
from store.db import Database, open_database
from store.models import CaseState, MailboxState

REF = re.compile(r"\[PSS-\d{6}\]")


def _header_message_id(raw: bytes) -> str:
    return str(message_from_bytes(raw, policy=policy.default)["Message-ID"]).strip()


def test_nomination_becomes_case_reply_sent_and_message_moved(
        settings: Settings, db: Database, folders: Folders, smtp: SmtpServer) -> None:
    complete = nomination(1, comma_name=True)
    missing_phone = nomination(2, phone=False)
    auto_reply = sample("S06.eml")
    folders.append(complete, missing_phone, auto_reply)

    report = poll_once(db, settings)

    assert (report.fetched, report.stored, report.duplicates, report.failed, report.filed) == (
        3, 3, 0, 0, 3)
    assert dict(report.actions) == {"accept": 1, "request_missing": 1, "ignore": 1}
    assert folders.count(folders.intake) == 0
    moved = folders.contents(folders.processed)
    assert sorted(body for _uid, body, _flags in moved) == sorted(
        [complete, missing_phone, auto_reply])
    # BODY.PEEK[] never set \Seen, so the team still sees the messages as unread.
    assert all(b"\\Seen" not in flags for _uid, _body, flags in moved)
    assert [(r.moved, r.target_folder) for r in raw_rows(db)] == [(True, folders.processed)] * 3
    assert counts(db) == {"raw": 3, "cases": 3, "outbox": 2, "outbox_pending": 2}

    sent = send_pending(db, settings)
    assert (sent.due, sent.sent, sent.retrying, sent.failed) == (2, 2, 0, 0)
    assert smtp.handler.wait_for(2)
    by_reply_to = {str(m.msg["In-Reply-To"]).strip(): m for m in smtp.handler.messages}
    assert set(by_reply_to) == {_header_message_id(complete), _header_message_id(missing_phone)}
    for original, who in ((complete, person(1)), (missing_phone, person(2))):
        delivered = by_reply_to[_header_message_id(original)]
        msg = delivered.msg
        assert REF.search(str(msg["Subject"]))
        assert str(msg["Auto-Submitted"]) == "auto-replied"
        assert _header_message_id(original) in str(msg["References"])
        to = one_mailbox_each(str(msg["To"]))
        assert [addr for _name, addr in to] == [who["exec_email"]]
        assert delivered.rcpt_tos == [who["exec_email"]]
        assert delivered.mail_from == "pss.nominations@england.example"
    # The display name with a comma stays one mailbox, its name intact.
    comma = by_reply_to[_header_message_id(complete)].msg
    p1 = person(1)
    assert one_mailbox_each(str(comma["To"])) == [
        (f"{p1['exec_last']}, {p1['exec_first']}", p1["exec_email"])]
    rows = outbox_rows(db)
    assert [r.status for r in rows] == ["sent", "sent"]
    assert all(r.smtp_response and r.smtp_response.startswith("250 ") for r in rows)
    assert sorted(str(m.msg["Message-ID"]) for m in smtp.handler.messages) == sorted(
        r.message_id for r in rows)


def test_polling_twice_changes_nothing_the_second_time(
        settings: Settings, db: Database, folders: Folders, smtp: SmtpServer) -> None:
    folders.append(nomination(1), nomination(2))
    first = poll_once(db, settings)
    assert (first.stored, first.filed) == (2, 2)
    assert send_pending(db, settings).sent == 2
    before = counts(db)

    second = poll_once(db, settings)
    again = send_pending(db, settings)

    assert (second.fetched, second.stored, second.duplicates, second.filed) == (0, 0, 0, 0)
    assert (again.due, again.sent) == (0, 0)
    assert counts(db) == before == {"raw": 2, "cases": 2, "outbox": 2, "outbox_sent": 2}
    assert len(smtp.handler.messages) == 2


def test_two_pollers_at_once_handle_each_message_once(
        settings: Settings, folders: Folders, smtp: SmtpServer) -> None:
    folders.append(*[nomination(n) for n in range(1, 7)])
    open_database(settings.database.url).dispose()
    barrier = threading.Barrier(2)
    reports: list[Any] = []

    def poller() -> None:
        database = open_database(settings.database.url, upgrade=False)
        try:
            barrier.wait()
            reports.append(poll_once(database, settings))
        finally:
            database.dispose()

    threads = [threading.Thread(target=poller) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    db = open_database(settings.database.url, upgrade=False)
    # One took the lease and did everything; the other found it held and did nothing (or,
    # if the first had already finished, found nothing new).
    assert sorted(r.stored for r in reports) == [0, 6]
    assert counts(db) == {"raw": 6, "cases": 6, "outbox": 6, "outbox_pending": 6}
    assert send_pending(db, settings).sent == 6
    assert send_pending(db, settings).due == 0
    assert len(smtp.handler.messages) == 6
    assert len(set(str(m.msg["In-Reply-To"]) for m in smtp.handler.messages)) == 6
    assert folders.count(folders.intake) == 0
    assert folders.count(folders.processed) == 6
    db.dispose()


def test_copy_delete_expunge_when_move_is_not_used(
        settings: Settings, db: Database, folders: Folders) -> None:
    folders.append(nomination(1), nomination(2))
    report = poll_once(db, settings, prefer_move=False)
    assert report.filed == 2
    assert folders.count(folders.intake) == 0
    assert folders.count(folders.processed) == 2


def test_search_star_quirk_does_not_refetch_the_last_message(
        settings: Settings, db: Database, folders: Folders) -> None:
    folders.append(nomination(1), nomination(2))
    client = connect(settings.imap)
    try:
        source = ImapSource(db, settings, client)
        source.open()
        assert source.new_uids() == [1, 2]
        # Pretend UID 2 was handled but is still in the folder: "3:*" still matches UID 2.
        assert client.search(["UID", "3:*"]) == [2]
        with db.transaction() as s:
            s.execute(update(MailboxState).values(last_uid=2))
        source.open()
        assert source.new_uids() == []
    finally:
        close(client)


def test_a_failing_message_stays_for_the_next_pass_and_the_batch_carries_on(
        settings: Settings, db: Database, folders: Folders) -> None:
    bad = nomination(2)
    folders.append(nomination(1), bad, nomination(3))

    def flaky(db_: Database, settings_: Settings, incoming: Any) -> Any:
        if incoming.content == bad:
            raise RuntimeError("database went away")
        return real_ingest(db_, settings_, incoming)

    report = poll_once(db, settings, ingest=flaky)
    assert (report.fetched, report.stored, report.failed, report.filed) == (3, 2, 1, 2)
    assert [body for _u, body, _f in folders.contents(folders.intake)] == [bad]
    with db.transaction() as s:
        assert s.get(MailboxState, folders.intake).last_uid == 1  # type: ignore[union-attr]

    retry = poll_once(db, settings)
    assert (retry.fetched, retry.stored, retry.failed, retry.filed) == (1, 1, 0, 1)
    assert folders.count(folders.intake) == 0
    assert counts(db)["cases"] == 3


def test_uidvalidity_change_rescans_without_duplicates_and_takes_new_mail(
        settings: Settings, db: Database, folders: Folders, smtp: SmtpServer) -> None:
    one, two, three = nomination(1), nomination(2), nomination(3)
    folders.append(one, two)
    assert poll_once(db, settings).stored == 2
    assert send_pending(db, settings).sent == 2
    old_validity = folders.uidvalidity()

    # The mailbox is recreated (as after a server migration) holding the same mail plus new.
    folders.recreate_intake()
    assert folders.uidvalidity() != old_validity
    folders.append(one, two, three)
    report = poll_once(db, settings)

    assert report.uidvalidity_changed is True
    assert (report.fetched, report.stored, report.duplicates, report.filed) == (3, 1, 2, 3)
    assert send_pending(db, settings).sent == 1
    assert counts(db) == {"raw": 3, "cases": 3, "outbox": 3, "outbox_sent": 3}
    assert len(smtp.handler.messages) == 3
    assert folders.count(folders.intake) == 0
    with db.transaction() as s:
        state = s.get(MailboxState, folders.intake)
        assert state is not None
        assert (state.uidvalidity, state.last_uid) == (folders.uidvalidity(), 3)


def test_reused_message_id_with_different_content_is_stored_and_flagged(
        settings: Settings, db: Database, folders: Folders) -> None:
    first = nomination(1, message_id="<same@mail.example.nhs.uk>")
    other = nomination(2, message_id="<same@mail.example.nhs.uk>")
    folders.append(first, other)
    report = poll_once(db, settings)
    assert (report.stored, report.duplicates) == (2, 0)
    rows = raw_rows(db)
    assert [r.message_id for r in rows] == ["<same@mail.example.nhs.uk>"] * 2
    second_case = [c for c in cases(db) if c.id == rows[1].case_id][0]
    assert second_case.state == CaseState.NEEDS_REVIEW
    assert "message-id-reused" in flags_of(db, second_case.id)
    assert rows[1].target_folder == folders.review


def test_oversized_and_broken_messages_are_stored_flagged_and_the_batch_carries_on(
        make_settings: Any, folders: Folders) -> None:
    settings = make_settings(intake={"max_message_bytes": 200_000})
    db = open_database(settings.database.url)
    big = with_attachment(2, 300_000)
    broken = broken_mime(3)
    folders.append(nomination(1), big, broken, nomination(4))

    report = poll_once(db, settings)

    assert (report.fetched, report.stored, report.failed, report.oversized, report.filed) == (
        4, 4, 0, 1, 4)
    assert report.actions["accept"] == 2
    rows = raw_rows(db)
    big_row = rows[1]
    assert big_row.size == len(big)  # RFC822.SIZE as the server reported it
    head = big[: big.index(b"\r\n\r\n") + 4]
    assert big_row.content == head  # only the header block was fetched
    by_id = {c.id: c for c in cases(db)}
    assert by_id[big_row.case_id].state == CaseState.NEEDS_REVIEW  # type: ignore[index]
    assert by_id[rows[2].case_id].state == CaseState.NEEDS_REVIEW  # type: ignore[index]
    assert "oversized-message" in flags_of(db, big_row.case_id)
    assert "unparseable-message" in flags_of(db, rows[2].case_id)
    assert rows[2].content == broken  # stored byte for byte
    assert [r.target_folder for r in rows] == [
        folders.processed, folders.review, folders.review, folders.processed]
    assert folders.count(folders.review) == 2
    # The whole oversized message is still on the server, untouched, for a person.
    assert [b for _u, b, _f in folders.contents(folders.review)][0] == big
    assert folders.count(folders.intake) == 0
    db.dispose()


@pytest.mark.parametrize("batch_size", [1, 2])
def test_small_batches_handle_everything_in_uid_order(
        make_settings: Any, folders: Folders, batch_size: int) -> None:
    settings = make_settings(imap={"batch_size": batch_size, "batch_max_bytes": 1})
    db = open_database(settings.database.url)
    mails = [nomination(n) for n in range(1, 6)]
    folders.append(*mails)
    report = poll_once(db, settings)
    assert (report.stored, report.filed) == (5, 5)
    assert [r.content for r in raw_rows(db)] == mails
    assert [r.uid for r in raw_rows(db)] == [1, 2, 3, 4, 5]
    db.dispose()


def test_no_reply_failure_audit_on_happy_path(settings: Settings, db: Database,
                                              folders: Folders) -> None:
    folders.append(nomination(1))
    poll_once(db, settings)
    send_pending(db, settings)
    assert audit_actions(db, "reply-failed") == []
