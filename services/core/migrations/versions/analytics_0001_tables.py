"""analytics tables: sources, glossary, examples, conversation turns

Revision ID: analytics_0001
Revises: 0001_core
Create Date: 2026-12-04 21:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "analytics_0001"
down_revision = "0001_core"
branch_labels = ("analytics",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_sources",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("allowed_tables", sa.JSON(), nullable=True),
        sa.Column("row_limit", sa.Integer(), nullable=True),
        sa.Column("timeout_seconds", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "analytics_glossary",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("term", sa.String(length=128), nullable=False),
        sa.Column("meaning", sa.Text(), nullable=False),
        sa.Column("sql_fragment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_analytics_glossary_source", "analytics_glossary", ["source"])
    op.create_table(
        "analytics_examples",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("sql", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_analytics_examples_source", "analytics_examples", ["source"])
    op.create_table(
        "analytics_turns",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("sql", sa.Text(), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("chart", sa.JSON(), nullable=True),
        sa.Column("analysis", sa.JSON(), nullable=True),
        sa.Column("owner", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_analytics_turns_conversation_id", "analytics_turns", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_analytics_turns_conversation_id", table_name="analytics_turns")
    op.drop_table("analytics_turns")
    op.drop_index("ix_analytics_examples_source", table_name="analytics_examples")
    op.drop_table("analytics_examples")
    op.drop_index("ix_analytics_glossary_source", table_name="analytics_glossary")
    op.drop_table("analytics_glossary")
    op.drop_table("analytics_sources")
