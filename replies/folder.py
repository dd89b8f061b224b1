"""Deliver pending outbox rows into a folder as .eml files instead of over SMTP.

What ``pss-intake demo`` and ``pss-intake import --outbox DIR`` use: each reply is written once
(``<reference>-<outbox id>.eml``) and its row marked sent, so running again writes nothing new.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from store.db import Database
from store.models import Case, OutboxMessage, utcnow


def deliver_to_folder(db: Database, folder: Path) -> list[Path]:
    """Write every pending reply to ``folder`` (created if missing); returns the new files.

    The file is written (to a temporary name, then renamed) before the row is marked sent, so a
    crash in between leaves the reply pending and it is rewritten to the same name, never lost.
    Raises OSError when the folder cannot be written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with db.transaction() as session:
        rows = session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.status == "pending")
            .order_by(OutboxMessage.id)
        ).scalars().all()
        for row in rows:
            case = session.get(Case, row.case_id) if row.case_id else None
            name = f"{case.reference if case else 'reply'}-{row.id:06d}.eml"
            target = folder / name
            temp = folder / f".{name}.tmp"
            temp.write_bytes(row.content)
            os.replace(temp, target)
            row.status = "sent"
            row.sent_at = utcnow()
            row.smtp_response = f"written to {target}"
            written.append(target)
    return written
