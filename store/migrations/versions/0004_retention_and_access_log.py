"""Tombstones for the retention schedule and erasure (``purged_at``, ``redacted_sha256``) and
the access log of confidential views

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
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case.id"), nullable=True),
        sa.Column("what", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
    )
    op.create_index("ix_access_log_at", "access_log", ["at"])
    op.create_index("ix_access_log_case_id", "access_log", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_access_log_case_id", "access_log")
    op.drop_index("ix_access_log_at", "access_log")
    op.drop_table("access_log")
    with op.batch_alter_table("raw_message") as batch:
        batch.drop_column("redacted_sha256")
    for table in TOMBSTONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("purged_at")
