"""case_correspondent; raw_message.foreign_case_reference and thread_of_other_sender

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_correspondent",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case.id"), nullable=False),
        sa.Column("addr", sa.String(320), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("raw_message_id", sa.Integer(), sa.ForeignKey("raw_message.id"),
                  nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("case_id", "addr", name="uq_case_correspondent"),
    )
    op.create_index("ix_case_correspondent_case_id", "case_correspondent", ["case_id"])
    op.create_index("ix_case_correspondent_addr", "case_correspondent", ["addr"])
    with op.batch_alter_table("raw_message") as batch:
        batch.add_column(sa.Column("foreign_case_reference", sa.String(16), nullable=True))
        batch.add_column(sa.Column("thread_of_other_sender", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("raw_message") as batch:
        batch.drop_column("thread_of_other_sender")
        batch.drop_column("foreign_case_reference")
    op.drop_index("ix_case_correspondent_addr", table_name="case_correspondent")
    op.drop_index("ix_case_correspondent_case_id", table_name="case_correspondent")
    op.drop_table("case_correspondent")
