"""Index data uploaded through the API: survey answers, objective rows, the data version.

Revision ID: 0002_index_data
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_index_data"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("region", sa.String(255), nullable=False),
        sa.Column("center_id", sa.String(255), nullable=False),
        sa.Column("period", sa.String(8), nullable=False),
        sa.Column("respondent_id", sa.String(255), nullable=False),
        sa.Column("respondent_type", sa.String(16), nullable=False),
        sa.Column("indicator", sa.String(8), nullable=False),
        sa.Column("answer", sa.Integer, nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
        sa.Column("uploaded_by", sa.String(255)),
        sa.UniqueConstraint("region", "center_id", "period", "respondent_id", "indicator",
                            name="uq_survey_answers_key"),
    )
    op.create_table(
        "objective_rows",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("region", sa.String(255), nullable=False),
        sa.Column("center_id", sa.String(255), nullable=False),
        sa.Column("period", sa.String(8), nullable=False),
        sa.Column("indicator", sa.String(8), nullable=False),
        sa.Column("fulfilled", sa.Integer, nullable=False),
        sa.Column("required", sa.Integer, nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
        sa.Column("uploaded_by", sa.String(255)),
        sa.UniqueConstraint("region", "center_id", "period", "indicator", name="uq_objective_rows_key"),
    )
    op.create_index("ix_survey_answers_period", "survey_answers", ["period"])
    op.create_index("ix_objective_rows_period", "objective_rows", ["period"])
    op.create_table(
        "data_versions",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("data_versions", "objective_rows", "survey_answers"):
        op.drop_table(table)
