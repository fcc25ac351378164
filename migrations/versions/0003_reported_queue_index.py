"""Reported-queue index: approved comments with open reports found by range.

The reported queue is ``state = 'approved' AND report_count > 0``. No index held
``report_count``, so its tab count (on every queue page) and its page read every
approved comment, which is most of the table. ``(state, report_count)`` makes both a
range over the few reported rows; sorting that small set is cheap, so the index needs
no descending column.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index("ix_comments_reported", ["state", "report_count"], unique=False)


def downgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_reported")
