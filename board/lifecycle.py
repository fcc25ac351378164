"""The comment lifecycle of SPEC 2: the only code that changes a comment's state.

Every transition is checked against the table, guarded by the comment's version
in the database (``UPDATE ... WHERE version = :seen``) so that two moderators can
never both win, and recorded as one immutable history row.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session, object_session

from . import cache, threads
from .errors import Forbidden, InvalidTransition, StaleVersion, ValidationError
from .models import Comment, CommentEvent, User
from .vocabulary import Action, Reason, State


@dataclass(frozen=True)
class Rule:
    """Who may take an action, from which states, to which state, and what it needs."""

    sources: frozenset[State]
    target: State
    by: str  # "staff", "author" or "system" (system may also take every staff action)
    needs_reason: bool = False
    # The system may take it without a reason: it hides a comment pending a moderator's look
    # (the report threshold), and its author must not be told a reason nobody decided.
    system_without_reason: bool = False


RULES: dict[Action, Rule] = {
    Action.APPROVE: Rule(frozenset({State.PENDING}), State.APPROVED, "staff"),
    Action.REJECT: Rule(frozenset({State.PENDING}), State.REJECTED, "staff", needs_reason=True),
    Action.UNPUBLISH: Rule(
        frozenset({State.APPROVED}), State.UNPUBLISHED, "staff", needs_reason=True,
        system_without_reason=True,
    ),
    Action.REPUBLISH: Rule(
        frozenset({State.REJECTED, State.UNPUBLISHED}), State.APPROVED, "staff"
    ),
    Action.WITHDRAW: Rule(frozenset({State.PENDING, State.APPROVED}), State.WITHDRAWN, "author"),
}

SYSTEM = None  # the actor of automatic transitions (screening policy, report threshold)
# What an author is told when their action meets a change they have not seen yet.
CHANGED_MEANWHILE = "This comment changed meanwhile; reload to see where it stands."


def allowed_actions(state: State) -> list[Action]:
    """The actions the table allows from ``state``, in table order."""
    return [action for action, rule in RULES.items() if state in rule.sources]


def target_state(state: State, action: Action) -> State:
    """Where ``action`` takes a comment in ``state``; raises ``InvalidTransition`` if nowhere."""
    rule = RULES.get(action)
    if rule is None or state not in rule.sources:
        raise InvalidTransition(
            f"A comment that is {state.value} cannot be {_past(action)}."
        )
    return rule.target


_INSERT_EVENT = sa.insert(cast(sa.Table, CommentEvent.__table__))


def record_submission(session: Session, comment_id: int, author_id: int, now: datetime) -> None:
    """Append the history row of a new comment (version 1, state pending).

    A plain INSERT, not an ORM object: submission is the hot path, and nothing else in
    the transaction needs the row as an object.
    """
    session.execute(_INSERT_EVENT, {
        "comment_id": comment_id, "version": 1, "actor_id": author_id,
        "action": Action.SUBMIT, "from_state": None, "to_state": State.PENDING,
        "reason": None, "note": None, "created_at": now,
    })


def transition(
    comment: Comment,
    action_name: Action | str,
    actor: User | None,
    *,
    now: datetime,
    expected_version: int | None = None,
    reason: Reason | str | None = None,
    note: str | None = None,
) -> CommentEvent:
    """Apply ``action`` to ``comment`` on behalf of ``actor`` (None: the system).

    Checks the action against the table, the actor's right to take it, the reason it
    needs and the version the actor saw; then moves the state and version in one
    guarded UPDATE and appends the history row. Does not commit.
    """
    action: Action = _parse(Action, action_name, "action")
    reason_code = _parse(Reason, reason, "reason") if reason not in (None, "") else None
    note = (note or "").strip() or None
    if note is not None and len(note) > 2000:
        raise ValidationError("The note is too long (2,000 characters at most).", code="note_too_long")
    rule = RULES.get(action)
    if rule is None:  # submit is not a transition of an existing comment
        raise InvalidTransition(f"A comment cannot be {_past(action)} once it exists.")
    _check_actor(rule, comment, actor)

    seen = comment.version if expected_version is None else expected_version
    if seen != comment.version:
        raise _stale(comment, rule)
    source = State(comment.state)
    target = target_state(source, action)
    if rule.needs_reason and reason_code is None \
            and not (actor is SYSTEM and rule.system_without_reason):
        raise ValidationError(
            f"Choose a reason from the policy list to {action.value} a comment.",
            code="reason_required",
        )
    if not rule.needs_reason:
        reason_code = None

    session = _session(comment)
    result = cast(sa.CursorResult[Any], session.execute(
        sa.update(Comment)
        .where(Comment.id == comment.id, Comment.version == seen, Comment.state == source)
        .values(state=target, version=seen + 1, reason=reason_code, updated_at=now)
        .execution_options(synchronize_session=False)
    ))
    if result.rowcount != 1:
        session.expire(comment)
        raise _stale(comment, rule)
    cache.mark_transition(session, comment.thread_id, source, target)  # after commit
    if target == State.APPROVED:  # an approved comment vouches for an embed-created thread
        threads.list_thread(session, comment.thread_id)
    event = CommentEvent(
        comment_id=comment.id, version=seen + 1, actor_id=actor.id if actor else None,
        action=action, from_state=source, to_state=target, reason=reason_code, note=note,
        created_at=now,
    )
    session.add(event)
    session.flush()
    session.expire(comment, ["state", "version", "reason", "updated_at", "events"])
    return event


def _check_actor(rule: Rule, comment: Comment, actor: User | None) -> None:
    if actor is None:
        if rule.by == "author":
            raise Forbidden("Only the author can withdraw a comment.")
        return
    if rule.by == "staff" and not actor.is_staff:
        raise Forbidden("Only moderators can decide comments.")
    if rule.by == "author" and actor.id != comment.author_id:
        raise Forbidden("Only the author can withdraw a comment.")


def _stale(comment: Comment, rule: Rule) -> StaleVersion:
    """A StaleVersion error: a moderator who lost learns who decided last; an author is told
    only that the comment changed (member-facing messages never name staff)."""
    if rule.by != "staff":
        return StaleVersion(CHANGED_MEANWHILE)
    session = _session(comment)
    last = session.scalars(
        sa.select(CommentEvent)
        .where(CommentEvent.comment_id == comment.id)
        .order_by(CommentEvent.version.desc())
        .limit(1)
    ).first()
    if last is None:
        return StaleVersion()
    who = last.actor.display_name if last.actor else "automatic moderation"
    return StaleVersion(
        f"{who} already changed this comment ({last.action.value}, now {last.to_state.value}); "
        "your decision was not applied.",
        decided_by=who,
        state=last.to_state.value,
        version=last.version,
    )


def _session(comment: Comment) -> Session:
    session = object_session(comment)
    if session is None:
        raise RuntimeError("the comment is not attached to a session")
    return session


def _parse(enum: type, value: object, what: str):
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(str(member) for member in cast(Any, enum))
        raise ValidationError(f"Unknown {what} {value!r}; use one of: {allowed}.",
                              code=f"invalid_{what}") from None


def _past(action: Action) -> str:
    return {
        Action.SUBMIT: "submitted", Action.APPROVE: "approved", Action.REJECT: "rejected",
        Action.UNPUBLISH: "unpublished", Action.REPUBLISH: "republished",
        Action.WITHDRAW: "withdrawn",
    }[action]
