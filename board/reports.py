"""Readers' reports of approved comments, and the automatic hiding they can trigger.

``Comment.report_count`` counts the comment's *open* reports, from anyone: it puts the
comment in the reported queue. A moderator's decision or dismissal resolves them and sets
it back to 0. Hiding the comment automatically takes more: the policy's ``report_threshold``
of distinct *established* reporters (SPEC 2: accounts older than the policy's
``reporter_min_age_days``, with an approved comment, not suspended), so that a handful of
fresh accounts cannot take down what they dislike. The hidden comment carries no reason:
nobody has decided one; its author is told it is hidden while moderators review reports.
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa

from . import audit, lifecycle, settings
from .errors import AccountSuspended, BoardError, Forbidden, NotFound, ValidationError
from .extensions import db
from .models import Comment, Report, User
from .vocabulary import AccountStatus, Reason, State

log = logging.getLogger(__name__)

MAX_NOTE = 1000
SUSPENDED_MESSAGE = ("Your account is suspended, so you cannot report comments at the moment. "
                     "Moderators still read every report made by other members.")


def _clean_reason(reason: str) -> Reason:
    try:
        return Reason(reason)
    except ValueError:
        allowed = ", ".join(r.value for r in Reason)
        raise ValidationError(f"Choose a reason for the report; one of: {allowed}.",
                              code="invalid_reason") from None


def _clean_note(note: str | None) -> str | None:
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise ValidationError(f"The note is too long ({MAX_NOTE:,} characters at most).",
                              code="note_too_long")
    return note


def report_comment(comment_id: int, reporter: User, reason: str, note: str | None,
                   now: datetime) -> tuple[Report, bool]:
    """Record a member's report of an approved comment and commit it.

    Returns the report and whether it is new (False when this member had already reported
    the comment). Suspended members cannot report. Once the policy's ``report_threshold``
    established members have open reports on it, the comment is hidden automatically,
    recorded in its history, for a moderator to look at.
    """
    if reporter.is_suspended(now):
        raise AccountSuspended(SUSPENDED_MESSAGE)
    code = _clean_reason(reason)
    note = _clean_note(note)
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.state != State.APPROVED:
        raise NotFound("That comment is not published, so it cannot be reported.")
    if comment.author_id == reporter.id:
        raise Forbidden("You cannot report your own comment; you can withdraw it instead.",
                        code="own_comment")
    existing = _existing(comment_id, reporter.id)
    if existing is not None:
        return existing, False

    report = Report(comment_id=comment_id, reporter_id=reporter.id, reason=code, note=note,
                    created_at=now)
    db.session.add(report)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:  # the same member, twice at once
        db.session.rollback()
        existing = _existing(comment_id, reporter.id)
        if existing is None:
            raise
        return existing, False
    db.session.execute(
        sa.update(Comment).where(Comment.id == comment_id)
        .values(report_count=Comment.report_count + 1)
        .execution_options(synchronize_session=False)
    )
    audit.record(reporter, "comment.report", f"comment:{comment_id}",
                 {"report": report.id, "reason": code.value}, now=now)
    db.session.commit()
    db.session.refresh(comment)
    _unpublish_past_threshold(comment, now)
    return report, True


def _existing(comment_id: int, reporter_id: int) -> Report | None:
    return db.session.scalar(sa.select(Report).where(
        Report.comment_id == comment_id, Report.reporter_id == reporter_id))


def established_reporters(comment_id: int, now: datetime, min_age: timedelta) -> int:
    """How many distinct established members have open reports on the comment.

    Established (SPEC 2): the account is at least ``min_age`` old, has an approved comment
    and is not suspended at ``now``. Only these count toward hiding a comment automatically.
    """
    reporter_has_approved = sa.exists().where(Comment.author_id == User.id,
                                              Comment.state == State.APPROVED)
    not_suspended = sa.or_(User.status != AccountStatus.SUSPENDED,
                           sa.and_(User.suspended_until.is_not(None),
                                   User.suspended_until <= now))
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Report.reporter_id)))
        .join(User, User.id == Report.reporter_id)
        .where(Report.comment_id == comment_id, Report.resolved_at.is_(None),
               User.created_at <= now - min_age, not_suspended, reporter_has_approved)
    ) or 0


def _unpublish_past_threshold(comment: Comment, now: datetime) -> None:
    policy = settings.policy()
    threshold = policy.report_threshold
    # Every open report counts toward the queue; the cheap check first spares the count.
    if comment.state != State.APPROVED or comment.report_count < threshold:
        return
    established = established_reporters(comment.id, now,
                                        timedelta(days=policy.reporter_min_age_days))
    if established < threshold:
        return
    given = _reasons_given(comment.id)
    try:
        # No reason: nobody has decided one. The readers' reasons go in the staff note.
        event = lifecycle.transition(
            comment, "unpublish", lifecycle.SYSTEM, now=now, expected_version=comment.version,
            note=f"Automatic: {established} established readers reported this comment "
                 f"(threshold {threshold}; reasons given: {given}); hidden until a "
                 "moderator looks at it.",
        )
        audit.record(None, "comment.unpublish", f"comment:{comment.id}",
                     {"version": event.version, "reason": None,
                      "automatic": "report_threshold"}, now=now)
        db.session.commit()
    except BoardError:  # a moderator or another report decided first: nothing to do
        db.session.rollback()
    else:
        log.info("comment %s hidden after %s established reports", comment.id, established)


def _reasons_given(comment_id: int) -> str:
    """The open reports' reasons, most given first: "Spam or advertising (2), Off topic (1)"."""
    reasons = db.session.scalars(sa.select(Report.reason).where(
        Report.comment_id == comment_id, Report.resolved_at.is_(None)))
    counted = Counter(Reason(r) for r in reasons)
    return ", ".join(f"{reason.label} ({n})" for reason, n in counted.most_common()) or "none"


def resolve_open_reports(comment_id: int, now: datetime) -> int:
    """Mark the comment's open reports as looked at (the caller commits); how many there were."""
    result = cast(sa.CursorResult[Any], db.session.execute(
        sa.update(Report).where(Report.comment_id == comment_id, Report.resolved_at.is_(None))
        .values(resolved_at=now).execution_options(synchronize_session=False)
    ))
    if result.rowcount:
        db.session.execute(
            sa.update(Comment).where(Comment.id == comment_id).values(report_count=0)
            .execution_options(synchronize_session=False)
        )
        comment = db.session.get(Comment, comment_id)
        if comment is not None:
            db.session.expire(comment, ["report_count"])
    return result.rowcount


def dismiss_reports(comment_id: int, actor: User, now: datetime) -> int:
    """A moderator keeps a reported comment published: its open reports are resolved."""
    if not actor.is_staff:
        raise Forbidden("Only moderators can dismiss reports.")
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound("That comment does not exist.")
    count = resolve_open_reports(comment_id, now)
    audit.record(actor, "comment.reports_dismissed", f"comment:{comment_id}",
                 {"reports_resolved": count}, now=now)
    db.session.commit()
    return count


def open_reason_counts(comment_ids: Sequence[int]) -> dict[int, list[tuple[Reason, int]]]:
    """The reasons readers gave in each comment's open reports, most given first (one query),
    so that moderators see them next to a comment hidden without a decided reason."""
    if not comment_ids:
        return {}
    counted: dict[int, list[tuple[Reason, int]]] = {}
    rows = db.session.execute(
        sa.select(Report.comment_id, Report.reason, sa.func.count())
        .where(Report.comment_id.in_(sorted(set(comment_ids))), Report.resolved_at.is_(None))
        .group_by(Report.comment_id, Report.reason)
    )
    for comment_id, reason, n in rows:
        counted.setdefault(comment_id, []).append((Reason(reason), n))
    for reasons in counted.values():
        reasons.sort(key=lambda pair: (-pair[1], pair[0].value))
    return counted


def open_reports(comment_id: int) -> list[Report]:
    """The comment's reports, open ones first, newest first."""
    return list(db.session.scalars(
        sa.select(Report).where(Report.comment_id == comment_id)
        .order_by(Report.resolved_at.is_not(None), Report.created_at.desc(), Report.id.desc())
    ))
