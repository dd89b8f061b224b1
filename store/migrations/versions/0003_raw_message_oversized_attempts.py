"""raw_message.oversized and raw_message.attempts

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("raw_message") as batch:
        batch.add_column(sa.Column("oversized", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False,
                                   server_default="0"))
    raw = sa.table("raw_message", sa.column("status", sa.String),
                   sa.column("oversized", sa.Boolean))
    op.execute(raw.update().where(raw.c.status == "oversized").values(oversized=True))


def downgrade() -> None:
    with op.batch_alter_table("raw_message") as batch:
        batch.drop_column("attempts")
        batch.drop_column("oversized")
