"""Message dates (raw_message.arrived_at, dated_at; case.opened_at), claiming a case
(case.claimed_by, claimed_at), Outlook .msg originals (raw_message.original, original_format).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

TS = sa.DateTime(timezone=True)
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("raw_message") as batch:
        batch.add_column(sa.Column("arrived_at", TS, nullable=True))
        batch.add_column(sa.Column("dated_at", TS, nullable=True))
        batch.add_column(sa.Column("original", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("original_format", sa.String(16), nullable=True))
    with op.batch_alter_table("case") as batch:
        batch.add_column(sa.Column("opened_at", TS, nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(320), nullable=True))
        batch.add_column(sa.Column("claimed_at", TS, nullable=True))
        batch.create_index("ix_case_opened_at", ["opened_at"])
    # Existing rows: the best date known before this migration (the Date header, else when
    # the message was stored); a case opens at its first message's date.
    raw = sa.table("raw_message", sa.column("date", TS),
                   sa.column("received_at", TS), sa.column("dated_at", TS),
                   sa.column("case_id", sa.Integer))
    op.execute(raw.update().values(dated_at=sa.func.coalesce(raw.c.date, raw.c.received_at)))
    case = sa.table("case", sa.column("id", sa.Integer), sa.column("opened_at", TS),
                    sa.column("created_at", TS))
    first = (sa.select(sa.func.min(raw.c.dated_at)).where(raw.c.case_id == case.c.id)
             .scalar_subquery())
    op.execute(case.update().values(opened_at=sa.func.coalesce(first, case.c.created_at)))


def downgrade() -> None:
    with op.batch_alter_table("case") as batch:
        batch.drop_index("ix_case_opened_at")
        batch.drop_column("claimed_at")
        batch.drop_column("claimed_by")
        batch.drop_column("opened_at")
    with op.batch_alter_table("raw_message") as batch:
        batch.drop_column("original_format")
        batch.drop_column("original")
        batch.drop_column("dated_at")
        batch.drop_column("arrived_at")
