"""SIGKILL at the worst moments, then restart: no second case, no second reply.

The poller runs as ``python -m pss_intake.cli poll --once`` in a subprocess with the test-only
hook ``PSS_INTAKE_TEST_CRASH_AT`` (read in ``pss_intake/pipeline.py`` and
``replies/sender.py``), which makes the process SIGKILL itself at that point:

* ``after-store``: the raw bytes are committed, nothing processed, the message still in the
  intake folder;
* ``in-processing``: the case change and its reply are made but not committed (killed inside
  the transaction): the restart runs the message again;
* ``after-queue``: the case change and its reply are committed, the message not moved yet,
  the reply not sent;
* ``after-mail-from``: the reply claimed and MAIL FROM answered, no message text written: sent
  again once the claim is stale, not flagged;
* ``after-accept``: the SMTP server accepted the reply, ``sent`` not recorded yet (the window
  documented in ``replies/sender.py``).
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest
from imap_helpers import (
    Folders,
    audit_actions,
    cases,
    counts,
    outbox_rows,
    raw_rows,
    run_cli,
    smtp_message_ids,
    write_config,
)
from imap_servers import SmtpServer
from mailgen import nomination

from store.db import open_database
from store.models import CaseState


@pytest.fixture
def cli(make_settings: Any, tmp_path: Path) -> Any:
    settings = make_settings()
    config = tmp_path / "config.yaml"
    secrets = write_config(config, settings)

    def run(*args: str, **kwargs: Any) -> Any:
        return run_cli(config, secrets, *args, **kwargs)

    run.settings = settings  # type: ignore[attr-defined]
    return run


@pytest.mark.parametrize("point", ["after-store", "in-processing", "after-queue"])
def test_killed_before_moving_then_restarted(cli: Any, folders: Folders, smtp: SmtpServer,
                                             point: str) -> None:
    mail = nomination(1)
    folders.append(mail)

    crashed = cli("poll", "--once", crash_at=point)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr

    db = open_database(cli.settings.database.url, upgrade=False)
    [row] = raw_rows(db)
    assert row.content == mail and row.moved is False
    if point == "after-store":
        assert (row.status, counts(db)) == ("new", {"raw": 1, "cases": 0, "outbox": 0})
    elif point == "in-processing":  # the case transaction never committed
        assert (row.status, counts(db)) == ("processing", {"raw": 1, "cases": 0, "outbox": 0})
    else:
        assert counts(db) == {"raw": 1, "cases": 1, "outbox": 1, "outbox_pending": 1}
    assert [body for _u, body, _f in folders.contents(folders.intake)] == [mail]
    assert smtp.handler.messages == []

    restarted = cli("poll", "--once")
    assert restarted.returncode == 0, restarted.stderr
    assert counts(db) == {"raw": 1, "cases": 1, "outbox": 1, "outbox_sent": 1}
    assert len(smtp.handler.messages) == 1
    assert str(smtp.handler.messages[0].msg["Message-ID"]) == outbox_rows(db)[0].message_id
    assert folders.count(folders.intake) == 0
    assert folders.count(folders.processed) == 1
    [row] = raw_rows(db)
    assert (row.moved, row.target_folder) == (True, folders.processed)

    again = cli("poll", "--once")
    assert again.returncode == 0, again.stderr
    assert counts(db) == {"raw": 1, "cases": 1, "outbox": 1, "outbox_sent": 1}
    assert len(smtp.handler.messages) == 1
    db.dispose()


def test_killed_after_smtp_accepted_is_never_resent_but_flagged(
        cli: Any, folders: Folders, smtp: SmtpServer) -> None:
    folders.append(nomination(1))
    crashed = cli("poll", "--once", crash_at="after-accept")
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert smtp.handler.wait_for(1)
    db = open_database(cli.settings.database.url, upgrade=False)
    [row] = outbox_rows(db)
    assert row.status == "pending" and row.sending_started_at is not None

    # Restarted at once: the claim is recent, so the row is left alone (not resent).
    restarted = cli("poll", "--once")
    assert restarted.returncode == 0, restarted.stderr
    [row] = outbox_rows(db)
    assert row.status == "pending" and row.sending_started_at is not None
    assert len(smtp.handler.messages) == 1

    # Once the claim is older than smtp.claim_timeout_seconds: failed, flagged, not resent.
    later = cli("poll", "--once", extra_env={"PSS_INTAKE_SMTP__CLAIM_TIMEOUT_SECONDS": "0"})
    assert later.returncode == 0, later.stderr
    [row] = outbox_rows(db)
    assert row.status == "failed"
    assert row.last_error is not None and row.last_error.startswith("delivery uncertain")
    assert cases(db)[0].state == CaseState.NEEDS_REVIEW
    assert len(audit_actions(db, "reply-failed")) == 1
    assert len(smtp.handler.messages) == 1
    db.dispose()


def test_killed_mid_batch_leaves_only_the_last_sub_batch_to_offer_again(
        cli: Any, folders: Folders, smtp: SmtpServer) -> None:
    mails = [nomination(n) for n in range(1, 26)]
    for mail in mails:
        folders.append(mail)
    # One FETCH batch of 100; killed once the 25th message's case and reply are committed.
    crashed = cli("poll", "--once", crash_at="after-queue#25")
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    db = open_database(cli.settings.database.url, upgrade=False)
    assert counts(db) == {"raw": 25, "cases": 25, "outbox": 25, "outbox_pending": 25}
    # imap.move_batch_size (10): the first 20 were MOVEd as they were committed; 21-24 were
    # committed but not yet moved, the 25th not yet acknowledged.
    assert (folders.count(folders.intake), folders.count(folders.processed)) == (5, 20)
    assert sum(row.moved for row in raw_rows(db)) == 20

    restarted = cli("poll", "--once")
    assert restarted.returncode == 0, restarted.stderr
    assert (folders.count(folders.intake), folders.count(folders.processed)) == (0, 25)
    assert counts(db) == {"raw": 25, "cases": 25, "outbox": 25, "outbox_sent": 25}
    assert sorted(smtp_message_ids(smtp)) == sorted(r.message_id for r in outbox_rows(db))
    db.dispose()


def test_killed_after_mail_from_is_sent_again_not_flagged(
        cli: Any, folders: Folders, smtp: SmtpServer) -> None:
    folders.append(nomination(1))
    crashed = cli("poll", "--once", crash_at="after-mail-from")
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    db = open_database(cli.settings.database.url, upgrade=False)
    [row] = outbox_rows(db)
    # Claimed, MAIL FROM answered, no message text written: nothing can have been delivered.
    assert (row.status, row.smtp_stage) == ("pending", "envelope")
    assert row.sending_started_at is not None and smtp.handler.messages == []

    # Once the claim is older than smtp.claim_timeout_seconds: sent again, nothing flagged.
    later = cli("poll", "--once", extra_env={"PSS_INTAKE_SMTP__CLAIM_TIMEOUT_SECONDS": "0"})
    assert later.returncode == 0, later.stderr
    [row] = outbox_rows(db)
    assert (row.status, row.attempts, row.smtp_stage) == ("sent", 2, "final-dot")
    assert smtp_message_ids(smtp) == [row.message_id]
    assert cases(db)[0].state == CaseState.COMPLETE
    assert audit_actions(db, "reply-failed") == []
    db.dispose()
