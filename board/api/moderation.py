"""API: the moderation queue, decisions, history and suspensions (staff only)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import g, jsonify, request

from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import Comment
from ..moderation import service as moderation
from ..reports import open_reason_counts
from ..routing import parse_id
from ..timeutil import isoformat, utcnow
from . import bp, serialize
from .auth import staff_required
from .inputs import field, json_object, path_id, query_limit, query_text

MAX_BULK = 500


def queue_item(comment: Comment, report_reasons: Any = ()) -> dict[str, Any]:
    """A queue entry: everything a moderator needs to decide, with the reasons readers gave
    in its open reports ((Reason, count) pairs)."""
    return {
        "id": comment.id,
        "thread_key": comment.thread.key,
        "author": {"id": comment.author.id, "display_name": comment.author.display_name}
        if comment.author else None,
        "parent_id": comment.parent_id,
        "body_raw": comment.body_raw,
        "body_html": comment.body_html,
        "state": comment.state.value,
        "version": comment.version,
        "reason": comment.reason.value if comment.reason else None,
        "flags": comment.flags or [],
        "risk": comment.risk,
        "report_count": comment.report_count,
        "report_reasons": [{"code": reason.value, "count": n} for reason, n in report_reasons],
        "created_at": isoformat(comment.created_at),
    }


@bp.get("/moderation/queue")
@staff_required
def queue():
    """One of the six queues, riskiest then oldest first, cursor-paginated."""
    author = query_text("member", 12)
    if author is not None and parse_id(author) is None:
        raise ValidationError("'member' must be a member id.", code="invalid_member")
    filters = moderation.QueueFilter(
        queue=query_text("queue", 20) or "pending",
        flag=query_text("flag", 40),
        thread_key=query_text("thread", 200),
        author_id=parse_id(author),
    )
    page = moderation.queue_page(filters, cursor=request.args.get("cursor") or None,
                                 limit=query_limit())
    reasons = open_reason_counts([c.id for c in page.items if c.report_count])
    return jsonify(items=[queue_item(c, reasons.get(c.id, ())) for c in page.items],
                   next_cursor=page.next_cursor)


def _decision_fields(data: dict[str, Any]) -> tuple[str, str | None, str | None]:
    action = field(data, "action", str, required=True, missing_code="action_required")
    reason = field(data, "reason", str)
    note = field(data, "note", str)
    return action, reason, note


@bp.post("/moderation/comments/<int:comment_id>/decisions")
@staff_required
def decide(comment_id: int):
    """Approve, reject, unpublish or republish one comment at the version the moderator saw."""
    data = json_object()
    action, reason, note = _decision_fields(data)
    version = field(data, "version", int, required=True, missing_code="version_required")
    comment = moderation.decide(
        moderation.Decision(path_id(comment_id), action, version, reason, note),
        g.api_user, utcnow(),
    )
    return jsonify(id=comment.id, state=comment.state.value, version=comment.version)


@bp.get("/moderation/comments/<int:comment_id>/decisions")
@staff_required
def history(comment_id: int):
    """The comment's full decision history, oldest first."""
    comment = db.session.get(Comment, path_id(comment_id))
    if comment is None:
        raise NotFound("There is no such comment.")
    return jsonify(decisions=[serialize.event(e) for e in moderation.history(comment)])


@bp.post("/moderation/decisions")
@staff_required
def decide_bulk():
    """One action on many comments; each item succeeds or fails on its own."""
    data = json_object()
    action, reason, note = _decision_fields(data)
    items = field(data, "items", list, required=True, missing_code="items_required")
    if not items or len(items) > MAX_BULK:
        raise ValidationError(f"Send 1 to {MAX_BULK} items.", code="invalid_items")
    pairs: list[tuple[int, int]] = []
    for item in items:
        if not isinstance(item, dict):
            raise ValidationError("Each item is an object {id, version}.", code="invalid_items")
        pairs.append((field(item, "id", int, required=True, missing_code="invalid_items"),
                      field(item, "version", int, required=True, missing_code="invalid_items")))
    results = moderation.decide_bulk(action, pairs, g.api_user, utcnow(), reason=reason,
                                     note=note)
    return jsonify(results=[
        {"id": r.id, "ok": r.ok, "state": r.state, "version": r.version, "error": r.error}
        for r in results
    ])


@bp.post("/moderation/members/<int:member_id>/suspension")
@staff_required
def suspend(member_id: int):
    """Suspend a member until a date, or indefinitely."""
    from ..members import suspend as suspend_member

    data = json_object()
    reason = field(data, "reason", str, required=True, missing_code="reason_required")
    until_raw = field(data, "until", str)
    until = None
    if until_raw is not None:
        try:
            until = datetime.fromisoformat(until_raw.replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError("'until' must be an ISO 8601 date and time.",
                                  code="invalid_until") from None
        if until.tzinfo is not None:
            until = until.astimezone(UTC).replace(tzinfo=None)
    member = suspend_member(path_id(member_id), g.api_user, reason, until, utcnow())
    return jsonify(member_state(member))


@bp.delete("/moderation/members/<int:member_id>/suspension")
@staff_required
def reinstate(member_id: int):
    """Lift a member's suspension."""
    from ..members import reinstate as reinstate_member

    member = reinstate_member(path_id(member_id), g.api_user, utcnow())
    return jsonify(member_state(member))


def member_state(member: Any) -> dict[str, Any]:
    """A member's standing as staff see it."""
    return {
        "id": member.id, "display_name": member.display_name, "status": member.status.value,
        "suspended_until": isoformat(member.suspended_until),
        "suspension_reason": member.suspension_reason,
    }
