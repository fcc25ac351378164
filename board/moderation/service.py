"""Queue queries and decisions, shared by the moderation pages and the API."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import audit, lifecycle
from ..errors import NotFound
from ..extensions import db
from ..models import Comment, CommentEvent, User
from ..vocabulary import Action, Reason, State

QUEUE_STATES = {
    "pending": State.PENDING,
    "approved": State.APPROVED,
    "rejected": State.REJECTED,
    "unpublished": State.UNPUBLISHED,
}


def pending_queue(limit: int = 50) -> list[Comment]:
    """Pending comments, riskiest first, then oldest first."""
    return list(db.session.scalars(
        sa.select(Comment)
        .where(Comment.state == State.PENDING)
        .order_by(Comment.risk.desc(), Comment.created_at, Comment.id)
        .options(joinedload(Comment.author), joinedload(Comment.thread))
        .limit(limit)
    ))


def pending_count() -> int:
    """How many comments wait for a decision."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Comment).where(Comment.state == State.PENDING)
    ) or 0


@dataclass(frozen=True)
class Decision:
    """A moderator's decision on one comment, as sent by a form or the API."""

    comment_id: int
    action: str
    version: int | None
    reason: str | None = None
    note: str | None = None


def decide(decision: Decision, actor: User, now: datetime) -> Comment:
    """Apply a staff decision and commit it; domain errors propagate unchanged."""
    comment = db.session.get(Comment, decision.comment_id)
    if comment is None:
        raise NotFound("That comment does not exist.")
    event = lifecycle.transition(
        comment, decision.action, actor, now=now, expected_version=decision.version,
        reason=decision.reason, note=decision.note,
    )
    audit.record(actor, f"comment.{event.action.value}", f"comment:{comment.id}",
                 {"version": event.version, "reason": event.reason.value if event.reason else None},
                 now=now)
    db.session.commit()
    return comment


def history(comment: Comment) -> list[CommentEvent]:
    """The comment's decision history, oldest first."""
    return list(db.session.scalars(
        sa.select(CommentEvent)
        .where(CommentEvent.comment_id == comment.id)
        .order_by(CommentEvent.version)
        .options(joinedload(CommentEvent.actor))
    ))


REASON_CHOICES = [(reason.value, reason.label) for reason in Reason]
DECISION_ACTIONS = [Action.APPROVE, Action.REJECT, Action.UNPUBLISH, Action.REPUBLISH]
