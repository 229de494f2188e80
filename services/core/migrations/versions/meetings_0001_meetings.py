"""meetings table: processed recordings with transcript, minutes and speaker names

Revision ID: meetings_0001
Revises: 0001_core
Create Date: 2026-12-04 22:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "meetings_0001"
down_revision = "0001_core"
branch_labels = ("meetings",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=True),
        sa.Column("job_id", sa.String(length=32), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_meetings_content_sha256", "meetings", ["content_sha256"])
    op.create_index("ix_meetings_owner", "meetings", ["owner"])


def downgrade() -> None:
    op.drop_index("ix_meetings_owner", table_name="meetings")
    op.drop_index("ix_meetings_content_sha256", table_name="meetings")
    op.drop_table("meetings")
