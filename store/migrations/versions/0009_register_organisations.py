"""The register: ODS organisations, learned sender domains, case and specialist codes

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("code", sa.String(16), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("national_grouping", sa.String(16)),
        sa.Column("health_geography", sa.String(16)),
        sa.Column("postcode", sa.String(16)),
        sa.Column("telephone", sa.String(32)),
        sa.Column("opened_on", sa.Date()),
        sa.Column("closed_on", sa.Date()),
        sa.Column("successor_code", sa.String(16)),
        sa.Column("successor_on", sa.Date()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_organisation_kind", "organisation", ["kind"])
    op.create_table(
        "organisation_domain",
        sa.Column("domain", sa.String(255), primary_key=True),
        sa.Column("code", sa.String(16)),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case.id")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("case") as batch:
        batch.add_column(sa.Column("organisation_code", sa.String(16)))
        batch.add_column(sa.Column("in_post_from", sa.Date()))
        batch.create_index("ix_case_organisation_code", ["organisation_code"])
    with op.batch_alter_table("specialist") as batch:
        batch.add_column(sa.Column("organisation_code", sa.String(16)))
        batch.add_column(sa.Column("source", sa.String(16), nullable=False,
                                   server_default="case"))
        batch.add_column(sa.Column("ended_case_id", sa.Integer()))
        batch.create_foreign_key("fk_specialist_ended_case_id_case", "case",
                                 ["ended_case_id"], ["id"])
        batch.create_index("ix_specialist_organisation_code", ["organisation_code"])


def downgrade() -> None:
    with op.batch_alter_table("specialist") as batch:
        batch.drop_index("ix_specialist_organisation_code")
        batch.drop_constraint("fk_specialist_ended_case_id_case", type_="foreignkey")
        batch.drop_column("ended_case_id")
        batch.drop_column("source")
        batch.drop_column("organisation_code")
    with op.batch_alter_table("case") as batch:
        batch.drop_index("ix_case_organisation_code")
        batch.drop_column("in_post_from")
        batch.drop_column("organisation_code")
    op.drop_table("organisation_domain")
    op.drop_index("ix_organisation_kind", "organisation")
    op.drop_table("organisation")
