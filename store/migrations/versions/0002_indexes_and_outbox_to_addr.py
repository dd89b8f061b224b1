"""Indexes for the per-message queries; outbox.to_addr for the per-sender reply cap

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("to_addr", sa.String(length=320), nullable=True))
        batch.create_index("ix_outbox_to_addr", ["to_addr"])
    outbox = sa.table("outbox", sa.column("id", sa.Integer),
                      sa.column("recipients", sa.JSON), sa.column("to_addr", sa.String))
    connection = op.get_bind()
    for row_id, recipients in connection.execute(sa.select(outbox.c.id, outbox.c.recipients)):
        if recipients:
            connection.execute(outbox.update().where(outbox.c.id == row_id)
                               .values(to_addr=str(recipients[0]).lower()))
    op.create_index("ix_case_person_email", "case_person", ["email"])
    op.create_index("ix_raw_message_case_id", "raw_message", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_raw_message_case_id", table_name="raw_message")
    op.drop_index("ix_case_person_email", table_name="case_person")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_to_addr")
        batch.drop_column("to_addr")
