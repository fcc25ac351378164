"""Security hardening: session generations, unlisted auto-created threads, idempotency keys.

- ``users.session_generation``: part of every session and remember-me cookie; raising it
  ends them all on the server (sign-out, password change, reset).
- ``threads.is_listed``: a thread created by an anonymous first embed stays off the public
  index until a comment in it is approved or staff confirm it. Existing threads are listed.
- ``idempotency_keys``: the first answer to a comment submission sent with an
  ``Idempotency-Key`` header, replayed to retries for 24 hours.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), server_default="1",
                                      nullable=False))
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_listed", sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["comment_id"], ["comments.id"],
                                name=op.f("fk_idempotency_keys_comment_id_comments"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_idempotency_keys_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("user_id", "key_hash", name="uq_idempotency_keys_user_key"),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index("ix_idempotency_keys_created", ["created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_idempotency_keys_created")
    op.drop_table("idempotency_keys")
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.drop_column("is_listed")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
