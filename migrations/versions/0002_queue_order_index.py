"""Queue indexes: the queue's own order, and authors' standing by state.

The queues sort riskiest first, then oldest; an index on ascending risk cannot give
that mixed order, so every request sorted the whole queue. The queue page also counts
each shown author's comments per state, which (author_id, state) answers from the index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_queue")
        batch_op.create_index("ix_comments_queue",
                              ["state", sa.text("risk DESC"), "created_at", "id"], unique=False)
        batch_op.create_index("ix_comments_author_state", ["author_id", "state"], unique=False)


def downgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_author_state")
        batch_op.drop_index("ix_comments_queue")
        batch_op.create_index("ix_comments_queue", ["state", "risk", "created_at", "id"],
                              unique=False)
