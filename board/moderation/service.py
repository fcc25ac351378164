"""Queue queries and decisions, shared by the moderation pages and the API.

Plain functions: no request, ``g`` or session; they take the actor and the time, commit
their own work and raise ``board.errors`` types.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import audit, lifecycle, reports
from ..members import suspension_counts
from ..errors import BoardError, NotFound, ValidationError
from ..extensions import db
from ..models import Comment, CommentEvent, Thread, User
from ..pagination import decode_cursor, encode_cursor
from ..routing import fits_id, parse_id
from ..screening.flags import CODES as FLAG_CODES
from ..vocabulary import Action, Reason, State

QUEUES = ("pending", "reported", "flagged", "rejected", "unpublished", "approved")
QUEUE_LABELS = {
    "pending": "Pending", "reported": "Reported", "flagged": "Flagged", "rejected": "Rejected",
    "unpublished": "Unpublished", "approved": "Approved",
}
_QUEUE_STATE = {
    "pending": State.PENDING, "flagged": State.PENDING, "reported": State.APPROVED,
    "rejected": State.REJECTED, "unpublished": State.UNPUBLISHED, "approved": State.APPROVED,
}
REASON_CHOICES = [(reason.value, reason.label) for reason in Reason]
DECISION_ACTIONS = (Action.APPROVE, Action.REJECT, Action.UNPUBLISH, Action.REPUBLISH)
MAX_LIMIT = 500
# Queue tabs count up to this many, then say "1000+": a bounded count stays fast at any size.
COUNT_CAP = 1000
# Each shown author's comments are counted per state up to this many, then "100+", for the
# same reason: the queue page must not read an author's whole history (SPEC 8).
STANDING_CAP = 100


@dataclass(frozen=True)
class QueueFilter:
    """Which queue, narrowed by a flag code, a thread key or an author."""

    queue: str = "pending"
    flag: str | None = None
    thread_key: str | None = None
    author_id: int | None = None


@dataclass
class QueuePage:
    """One page of a queue and the cursor of the next page (None on the last)."""

    items: list[Comment]
    next_cursor: str | None


def _check_filters(filters: QueueFilter) -> None:
    if filters.queue not in QUEUES:
        raise ValidationError(
            f"Unknown queue {filters.queue!r}; use one of: {', '.join(QUEUES)}.",
            code="invalid_queue",
        )
    if filters.flag is not None and filters.flag not in FLAG_CODES:
        raise ValidationError(
            f"Unknown flag {filters.flag!r}; use one of: {', '.join(sorted(FLAG_CODES))}.",
            code="invalid_flag",
        )
    if filters.author_id is not None and not fits_id(filters.author_id):
        raise ValidationError("'member' must be a member id.", code="invalid_member")


def _where(filters: QueueFilter) -> list[sa.ColumnElement[bool]]:
    """The conditions of a queue and its filters."""
    conditions: list[sa.ColumnElement[bool]] = [Comment.state == _QUEUE_STATE[filters.queue]]
    if filters.queue == "flagged":
        # A comment has a risk above zero exactly when screening flagged it (policy.risk_of).
        conditions.append(Comment.risk > 0)
    if filters.queue == "reported":
        # report_count counts the open reports; resolving them sets it back to 0.
        conditions.append(Comment.report_count > 0)
    if filters.flag:
        text = sa.cast(Comment.flags, sa.Text)
        conditions.append(sa.or_(text.like(f'%"code": "{filters.flag}"%'),
                                 text.like(f'%"code":"{filters.flag}"%')))
    if filters.thread_key:
        conditions.append(Comment.thread_id.in_(
            sa.select(Thread.id).where(Thread.key == filters.thread_key).scalar_subquery()))
    if filters.author_id is not None:
        conditions.append(Comment.author_id == filters.author_id)
    return conditions


def _sort_column(queue: str) -> Any:
    return Comment.report_count if queue == "reported" else Comment.risk


def queue_page(filters: QueueFilter, *, cursor: str | None, limit: int) -> QueuePage:
    """A page of a queue: riskiest (most reported) first, then oldest; keyset-paginated."""
    _check_filters(filters)
    limit = max(1, min(int(limit), MAX_LIMIT))
    primary = _sort_column(filters.queue)
    where = _where(filters)

    def fetch(*conditions: sa.ColumnElement[bool], count: int) -> list[Comment]:
        query = (
            sa.select(Comment)
            .where(*where, *conditions)
            .order_by(primary.desc(), Comment.created_at, Comment.id)
            .options(joinedload(Comment.author), joinedload(Comment.thread),
                     joinedload(Comment.parent).joinedload(Comment.author))
            .limit(count)
        )
        return list(db.session.scalars(query).unique())

    if not cursor:
        items = fetch(count=limit + 1)
    else:
        queue, score, created, last_id = decode_cursor(cursor, (str, int, datetime, int))
        if queue != filters.queue:
            raise ValidationError("That cursor belongs to another queue; start again without one.",
                                  code="invalid_cursor")
        # Two ranges of the queue index, each entered where it starts: the rest of the
        # cursor's score, then the lower scores. One OR of both would make the database
        # filter its way through every row of that score before the cursor.
        items = fetch(primary == score,
                      sa.tuple_(Comment.created_at, Comment.id) > sa.tuple_(created, last_id),
                      count=limit + 1)
        if len(items) <= limit:
            items += fetch(primary < score, count=limit + 1 - len(items))
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        score_value = last.report_count if filters.queue == "reported" else last.risk
        next_cursor = encode_cursor(filters.queue, score_value, last.created_at, last.id)
    return QueuePage(items=items, next_cursor=next_cursor)


def queue_counts(filters: QueueFilter | None = None) -> dict[str, int]:
    """How many comments each queue holds (capped at ``COUNT_CAP + 1``), under the filters."""
    base = filters or QueueFilter()
    counts: dict[str, int] = {}
    for queue in QUEUES:
        where = _where(QueueFilter(queue, base.flag, base.thread_key, base.author_id))
        # A constant, not a column: each queue's own conditions are columns of an index, so
        # PostgreSQL can count from the index alone (SQLite's rowid is in every index anyway).
        capped = (sa.select(sa.literal_column("1").label("one")).where(*where)
                  .limit(COUNT_CAP + 1).subquery())
        counts[queue] = db.session.scalar(sa.select(sa.func.count()).select_from(capped)) or 0
    return counts


@dataclass(frozen=True)
class QueueStanding:
    """An author as the queue shows them: comments per state, as text, and suspensions."""

    member_id: int
    counts: dict[str, str]  # "7", or "100+" past STANDING_CAP
    suspensions: int
    suspended: bool
    suspended_until: datetime | None
    suspension_reason: str | None


def _capped_count(state: State) -> Any:
    """How many comments the author (``users.id``) has in ``state``, up to STANDING_CAP + 1."""
    capped = (sa.select(sa.literal_column("1").label("one"))
              .where(Comment.author_id == User.id, Comment.state == state)
              .limit(STANDING_CAP + 1).correlate(User).subquery())
    return sa.select(sa.func.count()).select_from(capped).scalar_subquery().label(state.value)


def queue_standings(authors: Sequence[User], now: datetime) -> dict[int, QueueStanding]:
    """The standing of each shown author, in two queries whose cost does not grow with history.

    Exact counts (``members.standings``, the member page) read every comment of the author;
    here each (author, state) count stops after STANDING_CAP + 1 index entries.
    """
    ids = sorted({a.id for a in authors})
    if not ids:
        return {}
    counts: dict[int, dict[str, str]] = {}
    for member_id, *numbers in db.session.execute(
        sa.select(User.id, *(_capped_count(state) for state in State)).where(User.id.in_(ids))
    ):
        counts[member_id] = {state.value: f"{STANDING_CAP}+" if n > STANDING_CAP else str(n)
                             for state, n in zip(State, numbers)}
    suspensions = suspension_counts(ids)
    return {
        a.id: QueueStanding(a.id, counts[a.id], suspensions[a.id], a.is_suspended(now),
                            a.suspended_until, a.suspension_reason)
        for a in authors
    }


@dataclass(frozen=True)
class Decision:
    """A moderator's decision on one comment, as sent by a form or the API."""

    comment_id: int
    action: str
    version: int | None
    reason: str | None = None
    note: str | None = None


def _decision_action(action: str) -> Action:
    try:
        parsed = Action(action)
    except ValueError:
        parsed = None
    if parsed not in DECISION_ACTIONS:
        allowed = ", ".join(a.value for a in DECISION_ACTIONS)
        raise ValidationError(f"Unknown decision {action!r}; use one of: {allowed}.",
                              code="invalid_action")
    assert parsed is not None
    return parsed


def decide(decision: Decision, actor: User, now: datetime) -> Comment:
    """Apply a staff decision and commit it; domain errors propagate unchanged.

    A decision also closes the comment's open reports: a moderator has now looked at it.
    """
    action = _decision_action(decision.action)
    comment = db.session.get(Comment, decision.comment_id) if fits_id(decision.comment_id) \
        else None
    if comment is None:
        raise NotFound("That comment does not exist.")
    event = lifecycle.transition(
        comment, action, actor, now=now, expected_version=decision.version,
        reason=decision.reason, note=decision.note,
    )
    resolved = reports.resolve_open_reports(comment.id, now)
    audit.record(actor, f"comment.{event.action.value}", f"comment:{comment.id}",
                 {"version": event.version, "reason": event.reason.value if event.reason else None,
                  "reports_resolved": resolved},
                 now=now)
    db.session.commit()
    return comment


@dataclass
class BulkResult:
    """The outcome of one item of a bulk decision."""

    id: int
    ok: bool
    state: str | None
    version: int | None
    error: dict[str, str] | None


def decide_bulk(action: str, items: Sequence[tuple[int, int]], actor: User, now: datetime,
                reason: str | None = None, note: str | None = None) -> list[BulkResult]:
    """One action on many (id, version) items; each is committed or refused on its own.

    An unknown action or a missing reason is refused as a whole (``ValidationError``),
    since no item could succeed; every other failure is reported on its item.
    """
    parsed = _decision_action(action)
    if lifecycle.RULES[parsed].needs_reason and not reason:
        raise ValidationError(f"Choose a reason from the policy list to {parsed.value} comments.",
                              code="reason_required")
    results: list[BulkResult] = []
    for comment_id, version in items:
        try:
            comment = decide(Decision(comment_id, parsed.value, version, reason, note), actor, now)
        except BoardError as error:
            db.session.rollback()
            current = db.session.get(Comment, comment_id) if fits_id(comment_id) else None
            results.append(BulkResult(
                id=comment_id, ok=False,
                state=current.state.value if current else None,
                version=current.version if current else None,
                error={"code": error.code, "message": error.message},
            ))
        else:
            results.append(BulkResult(comment_id, True, comment.state.value, comment.version, None))
    return results


def get_comment(comment_id: int) -> Comment:
    """A comment with its thread, author and parent, or ``NotFound``."""
    comment = db.session.scalar(
        sa.select(Comment).where(Comment.id == comment_id)
        .options(joinedload(Comment.author), joinedload(Comment.thread),
                 joinedload(Comment.parent).joinedload(Comment.author))
    )
    if comment is None:
        raise NotFound("That comment does not exist.")
    return comment


def history(comment: Comment) -> list[CommentEvent]:
    """The comment's decision history, oldest first."""
    return list(db.session.scalars(
        sa.select(CommentEvent)
        .where(CommentEvent.comment_id == comment.id)
        .order_by(CommentEvent.version)
        .options(joinedload(CommentEvent.actor))
    ))


@dataclass(frozen=True)
class LogFilter:
    """The site-wide decision log's filters: moderator ("system" for automatic), action, dates."""

    actor: str | None = None  # a user id, or "system"
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass
class LogPage:
    """A page of the decision log, newest first."""

    events: list[CommentEvent]
    next_cursor: str | None


def decision_log(filters: LogFilter, *, cursor: str | None, limit: int = 50) -> LogPage:
    """Every transition of every comment, newest first, filtered; keyset-paginated."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    query = (
        sa.select(CommentEvent)
        .order_by(CommentEvent.created_at.desc(), CommentEvent.id.desc())
        .options(joinedload(CommentEvent.actor))
        .limit(limit + 1)
    )
    if filters.actor == "system":
        query = query.where(CommentEvent.actor_id.is_(None))
    elif filters.actor:
        actor_id = parse_id(filters.actor)
        if actor_id is None:
            raise ValidationError("Choose a moderator from the list.", code="invalid_actor")
        query = query.where(CommentEvent.actor_id == actor_id)
    if filters.action:
        try:
            query = query.where(CommentEvent.action == Action(filters.action))
        except ValueError:
            raise ValidationError("Choose an action from the list.",
                                  code="invalid_action") from None
    if filters.since:
        query = query.where(CommentEvent.created_at >= filters.since)
    if filters.until:
        query = query.where(CommentEvent.created_at < filters.until)
    if cursor:
        created, last_id = decode_cursor(cursor, (datetime, int))
        query = query.where(sa.or_(
            CommentEvent.created_at < created,
            sa.and_(CommentEvent.created_at == created, CommentEvent.id < last_id),
        ))
    events = list(db.session.scalars(query))
    next_cursor = None
    if len(events) > limit:
        events = events[:limit]
        next_cursor = encode_cursor(events[-1].created_at, events[-1].id)
    return LogPage(events, next_cursor)


def staff_members() -> list[User]:
    """Moderators and admins, by name (for the log's moderator filter)."""
    from ..vocabulary import Role

    return list(db.session.scalars(
        sa.select(User).where(User.role.in_([Role.MODERATOR, Role.ADMIN]))
        .order_by(User.display_name, User.id)
    ))
