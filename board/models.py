"""Database models: data only. State changes go through ``board.lifecycle``."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import Base, db
from .timeutil import utcnow
from .vocabulary import AccountStatus, Action, Reason, Role, State

if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model


def enum_column(enum: type, name: str, length: int = 20) -> sa.Enum:
    """A portable enum: VARCHAR with a CHECK constraint named after ``name``."""
    return sa.Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class User(UserMixin, Model):
    """A member or a staff account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(80))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), default=Role.MEMBER)
    status: Mapped[AccountStatus] = mapped_column(
        enum_column(AccountStatus, "status"), default=AccountStatus.ACTIVE
    )
    suspended_until: Mapped[datetime | None]
    suspension_reason: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Part of every session and remember-me cookie: raising it ends them all on the server
    # (sign-out, password change or reset).
    session_generation: Mapped[int] = mapped_column(default=1, server_default="1")

    comments: Mapped[list[Comment]] = relationship(
        back_populates="author", foreign_keys="Comment.author_id"
    )

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password`` (scrypt unless the config says otherwise)."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() \
            else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Whether ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def has_staff_role(self) -> bool:
        """Whether the account IS a moderator or an admin, suspended or not.

        For questions about what an account is (the staff list; whether a moderator may
        act on it), never for whether it may act as staff: that is ``is_staff``.
        """
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def has_admin_role(self) -> bool:
        """Whether the account IS an admin, suspended or not (see ``has_staff_role``)."""
        return self.role == Role.ADMIN

    @property
    def is_staff(self) -> bool:
        """Whether the account may act as staff now: a moderator or admin, not suspended.

        Checked on every request, so a suspension takes staff power away at once and a
        dated one gives it back when it lapses.
        """
        return self.has_staff_role and not self.is_suspended(utcnow())

    @property
    def is_admin(self) -> bool:
        """Whether the account may act as an admin now: an admin, not suspended."""
        return self.has_admin_role and not self.is_suspended(utcnow())

    def is_suspended(self, now: datetime) -> bool:
        """Whether the account is suspended at ``now`` (a dated suspension lapses by itself)."""
        if self.status != AccountStatus.SUSPENDED:
            return False
        return self.suspended_until is None or self.suspended_until > now

    def get_id(self) -> str:
        """Flask-Login's session identity: ``id:generation:sign-in``.

        The generation is ``session_generation`` when the session began: raising it ends
        the session and every remember-me cookie on the server. The last part is random
        per sign-in, so that each sign-in gets a new remember-me cookie.
        """
        sign_in = self.__dict__.get("_sign_in")
        if sign_in is None:
            sign_in = self.__dict__["_sign_in"] = secrets.token_urlsafe(12)
        return f"{self.id}:{self.session_generation}:{sign_in}"

    def begin_sign_in(self) -> None:
        """A new random part for the identity of the session about to start."""
        self.__dict__["_sign_in"] = secrets.token_urlsafe(12)

    def resume_sign_in(self, sign_in: str) -> None:
        """Take back the random part of a session identity read from a cookie."""
        self.__dict__["_sign_in"] = sign_in

    def __eq__(self, other: object) -> bool:
        """The same account, whichever sign-in it was loaded from."""
        if isinstance(other, User):
            return self.id is not None and self.id == other.id
        return NotImplemented

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class Site(Model):
    """An organisation's website that embeds threads."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    # Create a thread the first time an allowed origin embeds an unknown key.
    auto_create_threads: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    origins: Mapped[list[SiteOrigin]] = relationship(
        back_populates="site", cascade="all, delete-orphan", order_by="SiteOrigin.origin"
    )
    threads: Mapped[list[Thread]] = relationship(back_populates="site")


class SiteOrigin(Model):
    """An origin (scheme://host[:port]) allowed to frame a site's threads."""

    __tablename__ = "site_origins"
    __table_args__ = (sa.UniqueConstraint("site_id", "origin", name="uq_site_origins_site_origin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    origin: Mapped[str] = mapped_column(sa.String(255), index=True)

    site: Mapped[Site] = relationship(back_populates="origins")


class Thread(Model):
    """The comment thread under one post."""

    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    url: Mapped[str] = mapped_column(sa.String(2000))
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sites.id", ondelete="SET NULL"))
    is_open: Mapped[bool] = mapped_column(default=True)
    # On the public index. A thread created by an anonymous first embed is not, until a
    # comment in it is approved or staff confirm it (its title and address are unverified).
    is_listed: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[Site | None] = relationship(back_populates="threads")
    comments: Mapped[list[Comment]] = relationship(back_populates="thread")


class Comment(Model):
    """A comment: raw text for moderators, sanitized HTML for readers, and its state."""

    __tablename__ = "comments"
    __table_args__ = (
        sa.CheckConstraint("version >= 1", name="version_positive"),
        # Approved comments of a thread, oldest first.
        sa.Index("ix_comments_thread_state_created", "thread_id", "state", "created_at", "id"),
        # Moderation queues: riskiest first, then oldest, read straight off the index.
        sa.Index("ix_comments_queue", "state", sa.text("risk DESC"), "created_at", "id"),
        sa.Index("ix_comments_author_created", "author_id", "created_at"),
        # Authors' standing (comments per state) counted from the index alone.
        sa.Index("ix_comments_author_state", "author_id", "state"),
        # The reported queue (approved with open reports): a small range, not every approved row.
        sa.Index("ix_comments_reported", "state", "report_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="SET NULL"), index=True
    )
    body_raw: Mapped[str] = mapped_column(sa.Text)
    # Sanitized HTML with personal information masked: the only markup readers receive.
    body_html: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[State] = mapped_column(enum_column(State, "state"), default=State.PENDING)
    version: Mapped[int] = mapped_column(default=1)
    # The reason of the last rejection or unpublication, shown to the author.
    reason: Mapped[Reason | None] = mapped_column(enum_column(Reason, "reason", 40))
    # Screening flags: [{code, severity, detail, span}], and the queue priority they give.
    flags: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    risk: Mapped[int] = mapped_column(default=0)
    report_count: Mapped[int] = mapped_column(default=0)
    consent_at: Mapped[datetime]
    terms_version: Mapped[str] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    thread: Mapped[Thread] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship(back_populates="comments", foreign_keys=[author_id])
    parent: Mapped[Comment | None] = relationship(remote_side=[id])
    events: Mapped[list[CommentEvent]] = relationship(
        back_populates="comment", order_by="CommentEvent.version", cascade="all"
    )

    def __repr__(self) -> str:
        return f"<Comment {self.id} {self.state} v{self.version}>"


class CommentEvent(Model):
    """One row of a comment's append-only decision history."""

    __tablename__ = "comment_events"
    __table_args__ = (
        # One row per version: a transition can never be recorded twice.
        sa.UniqueConstraint("comment_id", "version", name="uq_comment_events_comment_version"),
        sa.Index("ix_comment_events_created", "created_at"),
        sa.Index("ix_comment_events_actor_created", "actor_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    version: Mapped[int]
    # None for automatic transitions (screening policy, report threshold).
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[Action] = mapped_column(enum_column(Action, "action"))
    from_state: Mapped[State | None] = mapped_column(enum_column(State, "from_state"))
    to_state: Mapped[State] = mapped_column(enum_column(State, "to_state"))
    reason: Mapped[Reason | None] = mapped_column(enum_column(Reason, "reason", 40))
    note: Mapped[str | None] = mapped_column(sa.String(2000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


@sa.event.listens_for(CommentEvent, "before_update")
def _history_is_append_only(mapper: Any, connection: Any, target: CommentEvent) -> None:
    raise RuntimeError("comment history rows are immutable")


class Report(Model):
    """A reader's report of an approved comment; one per member and comment."""

    __tablename__ = "reports"
    __table_args__ = (
        sa.UniqueConstraint("comment_id", "reporter_id", name="uq_reports_comment_reporter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[Reason] = mapped_column(enum_column(Reason, "reason", 40))
    note: Mapped[str | None] = mapped_column(sa.String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a moderator has looked at the report (it leaves the reported queue).
    resolved_at: Mapped[datetime | None]

    comment: Mapped[Comment] = relationship()
    reporter: Mapped[User | None] = relationship()


class AuditEntry(Model):
    """The log of sign-ins, staff actions and admin changes (never personal data)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        sa.Index("ix_audit_log_created", "created_at"),
        sa.Index("ix_audit_log_actor_created", "actor_id", "created_at"),
        sa.Index("ix_audit_log_action_created", "action", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(60))  # e.g. "site.update", "auth.sign_in"
    target: Mapped[str | None] = mapped_column(sa.String(200))  # e.g. "site:3"
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship()


class ApiToken(Model):
    """An API token; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    label: Mapped[str] = mapped_column(sa.String(80), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def is_valid(self, now: datetime) -> bool:
        """Neither revoked nor expired at ``now``."""
        return self.revoked_at is None and self.expires_at > now


class IdempotencyKey(Model):
    """A comment submission's ``Idempotency-Key``: a retry gets the first answer back.

    Written in the same transaction as the comment, so that a key exists exactly when its
    comment does. Keys are per account, stored as a digest, and kept for 24 hours.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "key_hash", name="uq_idempotency_keys_user_key"),
        sa.Index("ix_idempotency_keys_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    key_hash: Mapped[str] = mapped_column(sa.String(64))
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"))
    # The first answer, replayed to retries: HTTP status and JSON body.
    status: Mapped[int]
    response: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Setting(Model):
    """An admin-managed setting (moderation policy, screening word lists), stored as JSON."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
