"""Readers' reports of approved comments, and the automatic unpublication they can trigger.

``Comment.report_count`` counts the comment's *open* reports: a moderator's decision or
dismissal resolves them and sets it back to 0, so that the threshold counts fresh reports.
"""
from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa

from . import audit, lifecycle, settings
from .errors import BoardError, Forbidden, NotFound, ValidationError
from .extensions import db
from .models import Comment, Report, User
from .vocabulary import Reason, State

log = logging.getLogger(__name__)

MAX_NOTE = 1000


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
    the comment). Past the policy's ``report_threshold`` open reports the comment is
    unpublished automatically, recorded in its history, for a moderator to look at.
    """
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


def _unpublish_past_threshold(comment: Comment, now: datetime) -> None:
    threshold = settings.policy().report_threshold
    if comment.state != State.APPROVED or comment.report_count < threshold:
        return
    reason = _most_reported_reason(comment.id)
    try:
        event = lifecycle.transition(
            comment, "unpublish", lifecycle.SYSTEM, now=now, expected_version=comment.version,
            reason=reason,
            note=f"Automatic: {comment.report_count} readers reported this comment "
                 f"(threshold {threshold}); waiting for a moderator's look.",
        )
        audit.record(None, "comment.unpublish", f"comment:{comment.id}",
                     {"version": event.version, "reason": reason.value,
                      "automatic": "report_threshold"}, now=now)
        db.session.commit()
    except BoardError:  # a moderator or another report decided first: nothing to do
        db.session.rollback()
    else:
        log.info("comment %s unpublished after %s reports", comment.id, threshold)


def _most_reported_reason(comment_id: int) -> Reason:
    reasons = db.session.scalars(sa.select(Report.reason).where(
        Report.comment_id == comment_id, Report.resolved_at.is_(None)))
    counted = Counter(Reason(r) for r in reasons)
    return counted.most_common(1)[0][0] if counted else Reason.OTHER


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


def open_reports(comment_id: int) -> list[Report]:
    """The comment's reports, open ones first, newest first."""
    return list(db.session.scalars(
        sa.select(Report).where(Report.comment_id == comment_id)
        .order_by(Report.resolved_at.is_not(None), Report.created_at.desc(), Report.id.desc())
    ))
