"""Submitting comments and reading threads: validate -> screen -> initial state -> save."""
from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import Session, make_transient_to_detached

from .. import lifecycle, settings
from . import idempotency
from ..errors import AccountSuspended, NotFound, ThreadClosed, ValidationError
from ..extensions import db
from ..models import Comment, Thread, User
from ..routing import fits_id
from ..screening.flags import Flag
from ..screening.pipeline import AuthorActivity, process
from ..screening.policy import decide
from ..screening.spam import REPEAT_BODIES
from ..vocabulary import Action, State

log = logging.getLogger(__name__)

# The statements every submission runs, built once: building a query costs more than
# running it. The table-level ones return plain rows, without the ORM's result machinery.
_comments = cast(sa.Table, Comment.__table__)
_THREAD_BY_KEY = sa.select(Thread).where(Thread.key == sa.bindparam("key"))
_RECENT_BY_AUTHOR = (
    sa.select(_comments.c.body_raw, _comments.c.created_at)
    .where(_comments.c.author_id == sa.bindparam("author_id"),
           _comments.c.created_at >= sa.bindparam("since"))
    .order_by(_comments.c.created_at.desc())
    .limit(REPEAT_BODIES)  # the bodies the spam screen compares
)
_INSERT_COMMENT = sa.insert(_comments).returning(_comments.c.id)


@dataclass(frozen=True)
class Submission:
    """What a member sends: the Markdown body, consent, and the comment it replies to."""

    body: str
    consent: bool
    parent_id: int | None = None
    # The form's hidden key or the API's Idempotency-Key header (see ``idempotency``).
    idempotency_key: str | None = None


def clean_body(body: str, max_length: int) -> str:
    """Normalise line endings and Unicode, trim, and enforce the length rules."""
    if not isinstance(body, str):
        raise ValidationError("The comment must be text.", code="body_required")
    body = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))
    body = body.replace("\x00", "").strip()
    if not body:
        raise ValidationError("Please write something before sending.", code="body_required")
    if len(body) > max_length:
        raise ValidationError(
            f"Comments can be at most {max_length:,} characters long; this one has {len(body):,}.",
            code="body_too_long",
        )
    return body


def submit_comment(
    thread: Thread,
    author: User,
    submission: Submission,
    *,
    now: datetime,
    terms_version: str,
    max_length: int,
    claim: idempotency.Claim | None = None,
) -> Comment:
    """Validate, screen and store a new comment, and apply the policy's initial state.

    The comment is committed as pending before any automatic decision, so a failure
    after that point never loses it. With ``claim``, the idempotency key and its answer
    are stored in the same transaction as the comment; ``idempotency.KeyTaken`` if another
    request stored one under that key first (this one is rolled back).
    """
    if author.is_suspended(now):
        raise AccountSuspended(_suspension_message(author))
    if not thread.is_open:
        raise ThreadClosed()
    body = clean_body(submission.body, max_length)
    if submission.consent is not True:
        raise ValidationError(
            "Please agree that the organisation may publish your comment.",
            code="consent_required",
        )
    parent = None
    if submission.parent_id is not None:
        parent = db.session.get(Comment, submission.parent_id) \
            if fits_id(submission.parent_id) else None
        if parent is None or parent.thread_id != thread.id or parent.state != State.APPROVED:
            raise ValidationError(
                "The comment you are replying to is not available.", code="parent_not_found"
            )

    screened = process(body, author_activity(author, now), settings.word_lists())
    policy = settings.policy()
    trusted = approved_count(author) if policy.may_auto_approve else 0
    verdict = decide(screened.flags, trusted, policy)
    values = {
        "thread_id": thread.id, "author_id": author.id, "parent_id": parent.id if parent else None,
        "body_raw": body, "body_html": screened.html, "state": State.PENDING, "version": 1,
        "reason": None, "flags": [flag.to_dict() for flag in screened.flags],
        "risk": verdict.risk, "report_count": 0, "consent_at": now,
        "terms_version": terms_version, "created_at": now, "updated_at": now,
    }
    session = db.session()
    # Two plain INSERTs in one short transaction: the ORM's unit of work would cost more
    # than screening the comment. Nothing in the approved thread changes (it is pending).
    try:
        comment_id = session.execute(_INSERT_COMMENT, values).scalar_one()
        lifecycle.record_submission(session, comment_id, author.id, now)
        if claim is not None:
            idempotency.record(session, author.id, claim, comment_id, 202,
                               {"id": comment_id, "state": State.PENDING.value}, now)
        _commit_keeping_loaded()
    except sa.exc.IntegrityError:
        session.rollback()
        if claim is not None and idempotency.is_taken(author.id, claim):
            raise idempotency.KeyTaken() from None
        raise
    comment = _persistent(Comment(id=comment_id, **values), session)
    log.info("comment %s submitted to thread %s (risk %s)", comment_id, thread.key, verdict.risk)

    if verdict.state != State.PENDING:
        action = Action.APPROVE if verdict.state == State.APPROVED else Action.REJECT
        try:
            lifecycle.transition(comment, action, lifecycle.SYSTEM, now=now,
                                 reason=verdict.reason, note="Automatic, by the moderation policy.")
            if claim is not None:  # a retry gets the answer this request gives
                idempotency.update_answer(session, author.id, claim,
                                          {"id": comment_id, "state": State(verdict.state).value})
            db.session.commit()
        except Exception:  # the comment is safe as pending; a moderator will see it
            db.session.rollback()
            log.exception("automatic %s of comment %s failed", action.value, comment.id)
    return comment


def _persistent(comment: Comment, session: Session) -> Comment:
    """Attach a comment built from the row just committed, as if it had been loaded."""
    make_transient_to_detached(comment)
    session.add(comment)
    return comment


def _commit_keeping_loaded() -> None:
    session = db.session()
    previous = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = previous


def author_activity(author: User, now: datetime) -> AuthorActivity:
    """The author's recent bodies and submission times, for the spam screen."""
    rows = db.session.execute(
        _RECENT_BY_AUTHOR, {"author_id": author.id, "since": now - timedelta(days=1)}
    ).all()
    recent = now - timedelta(minutes=10)
    return AuthorActivity(
        recent_bodies=[body for body, _ in rows],
        recent_times=[created for _, created in rows if created >= recent],
        now=now,
    )


def approved_count(author: User) -> int:
    """How many of the author's comments are approved (for auto-approval)."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Comment)
        .where(Comment.author_id == author.id, Comment.state == State.APPROVED)
    ) or 0


def _suspension_message(author: User) -> str:
    until = (
        f" until {author.suspended_until:%d %B %Y, %H:%M} UTC" if author.suspended_until else ""
    )
    reason = f" The reason given: {author.suspension_reason}" if author.suspension_reason else ""
    return f"Your account is suspended{until}, so you cannot comment at the moment.{reason}"


@dataclass
class Node:
    """An approved comment with its approved replies, for threaded display."""

    comment: Comment
    replies: list[Node] = field(default_factory=list)


def get_thread(key: str) -> Thread:
    """The thread with ``key``, or ``NotFound``."""
    thread = db.session.scalar(_THREAD_BY_KEY, {"key": key})
    if thread is None:
        raise NotFound("There is no comment thread here.", code="thread_not_found")
    return thread


def approved_comments(thread: Thread) -> list[Comment]:
    """The thread's approved comments, oldest first."""
    return list(db.session.scalars(
        sa.select(Comment)
        .where(Comment.thread_id == thread.id, Comment.state == State.APPROVED)
        .order_by(Comment.created_at, Comment.id)
        .options(sa.orm.joinedload(Comment.author))
    ))


def latest_approved(thread: Thread, limit: int) -> list[Comment]:
    """The thread's newest approved comments, newest first (for the feed)."""
    return list(db.session.scalars(
        sa.select(Comment)
        .where(Comment.thread_id == thread.id, Comment.state == State.APPROVED)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
        .options(sa.orm.joinedload(Comment.author))
    ))


def comment_tree(comments: list[Comment]) -> list[Node]:
    """Nest replies under their parents; a reply whose parent is not shown goes to the top."""
    nodes = {comment.id: Node(comment) for comment in comments}
    roots: list[Node] = []
    for comment in comments:
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        (parent.replies if parent else roots).append(nodes[comment.id])
    return roots


def flags_of(comment: Comment) -> list[Flag]:
    """The comment's stored screening flags."""
    return [Flag.from_dict(data) for data in comment.flags or []]
