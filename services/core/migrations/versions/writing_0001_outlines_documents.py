"""writing: stored outlines and drafted documents

Revision ID: writing_0001
Revises: 0001_core
Create Date: 2026-12-04 21:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "writing_0001"
down_revision = "0001_core"
branch_labels = ("writing",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "writing_outlines",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("document_type", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("requirements", sa.Text(), nullable=False),
        sa.Column("structure_source", sa.Text(), nullable=True),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("references", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_writing_outlines_owner", "writing_outlines", ["owner"])
    op.create_table(
        "writing_documents",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("outline_id", sa.String(length=32), nullable=True),
        sa.Column("outline_version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("draft", sa.JSON(), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["outline_id"], ["writing_outlines.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_writing_documents_outline_id", "writing_documents", ["outline_id"])
    op.create_index("ix_writing_documents_owner", "writing_documents", ["owner"])


def downgrade() -> None:
    op.drop_index("ix_writing_documents_owner", table_name="writing_documents")
    op.drop_index("ix_writing_documents_outline_id", table_name="writing_documents")
    op.drop_table("writing_documents")
    op.drop_index("ix_writing_outlines_owner", table_name="writing_outlines")
    op.drop_table("writing_outlines")
