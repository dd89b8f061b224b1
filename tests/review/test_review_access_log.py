"""Consultation of confidential data is recorded (DSPT: who consulted what): a case page shown
with job title and pay band is marked so in the audit log, one shown without them is not."""

from __future__ import annotations

from review_factories import ACCOUNTS, client_for, make_case, sign_in
from sqlalchemy import select

from pss_intake.config import Settings
from review.app import CONFIDENTIAL_SHOWN
from store.db import Database
from store.models import AuditEntry


def _views(db: Database) -> list[tuple[str, str | None]]:
    with db.transaction() as session:
        return [(e.actor, e.field) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "case-viewed").order_by(AuditEntry.id))]


def test_a_view_with_confidential_fields_is_marked_in_the_audit_log(settings: Settings,
                                                                    db: Database) -> None:
    reference = make_case(db)
    for who in ("reviewer", "confidential"):
        client = client_for(settings, db)
        sign_in(client, who)
        assert client.get(f"/cases/{reference}").status_code == 200
    assert _views(db) == [(ACCOUNTS["reviewer"][0], None),
                          (ACCOUNTS["confidential"][0], CONFIDENTIAL_SHOWN)]
