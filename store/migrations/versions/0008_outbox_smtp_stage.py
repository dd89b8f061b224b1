"""outbox.smtp_stage: how far the SMTP conversation of a claimed reply got

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("smtp_stage", sa.String(16), nullable=True))
    # A claim left by the previous release says nothing about how far it got: assume the
    # worst (the message may have been handed over), as that release did.
    outbox = sa.table("outbox", sa.column("sending_started_at", sa.DateTime),
                      sa.column("smtp_stage", sa.String))
    op.execute(outbox.update().where(outbox.c.sending_started_at.is_not(None))
               .values(smtp_stage="final-dot"))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("smtp_stage")
