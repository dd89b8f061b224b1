"""Tombstones for the retention schedule and erasure (``purged_at``, ``redacted_sha256``)

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TOMBSTONED = ("raw_message", "case", "outbox", "specialist")


def upgrade() -> None:
    for table in TOMBSTONED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("raw_message") as batch:
        batch.add_column(sa.Column("redacted_sha256", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("raw_message") as batch:
        batch.drop_column("redacted_sha256")
    for table in TOMBSTONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("purged_at")
