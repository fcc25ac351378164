"""API: threads and comments."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, g, jsonify, request
from sqlalchemy.orm import joinedload

from .. import cache, threads as thread_rules
from ..comments import service
from ..comments.app import receive
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import Comment, Thread
from ..pagination import decode_cursor, encode_cursor
from ..ratelimit import limit
from ..timeutil import utcnow
from ..vocabulary import State
from . import bp, serialize
from .auth import api_user, staff_required, token_required
from .inputs import field, json_object, path_id, query_limit


def approved_count(thread: Thread) -> int:
    """How many approved comments the thread has."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Comment)
        .where(Comment.thread_id == thread.id, Comment.state == State.APPROVED)
    ) or 0


@bp.post("/threads")
@staff_required
def create_thread():
    """Create a thread (staff)."""
    data = json_object()
    now = utcnow()
    thread = thread_rules.create_thread(
        field(data, "key", str, required=True, missing_code="invalid_key"),
        field(data, "title", str, required=True, missing_code="invalid_title"),
        field(data, "url", str, required=True, missing_code="invalid_url"),
        site=None, now=now, audit_as="thread.create", actor=g.api_user,
    )
    return jsonify(serialize.thread(thread, 0)), 201


@bp.get("/threads/<key>")
def get_thread(key: str):
    """A thread's description and approved comment count."""
    thread = service.get_thread(key)
    return jsonify(serialize.thread(thread, approved_count(thread)))


@bp.patch("/threads/<key>")
@staff_required
def update_thread(key: str):
    """Open or close a thread (staff), or change its title or address (admins)."""
    data = json_object()
    thread = service.get_thread(key)
    changes = thread_rules.ThreadChanges(field(data, "is_open", bool), field(data, "title", str),
                                         field(data, "url", str))
    if changes == thread_rules.ThreadChanges():
        raise ValidationError("Send at least one of is_open, title, url.", code="missing_field")
    thread = thread_rules.update_thread(thread, changes, g.api_user, utcnow())
    return jsonify(serialize.thread(thread, approved_count(thread)))


@bp.get("/threads/<key>/comments")
def list_comments(key: str):
    """Approved comments, oldest first, cursor-paginated; answers 304 to a matching ETag."""
    thread = service.get_thread(key)
    limit_ = query_limit()
    cursor = request.args.get("cursor")
    thread_id = thread.id

    def build() -> bytes:
        query = (
            sa.select(Comment)
            .where(Comment.thread_id == thread_id, Comment.state == State.APPROVED)
            .order_by(Comment.created_at, Comment.id)
            .options(joinedload(Comment.author), serialize.PARENT_STATE)
            .limit(limit_ + 1)
        )
        if cursor:
            created, last_id = decode_cursor(cursor, (datetime, int))
            query = query.where(sa.or_(
                Comment.created_at > created,
                sa.and_(Comment.created_at == created, Comment.id > last_id),
            ))
        rows = list(db.session.scalars(query))
        page, more = rows[:limit_], len(rows) > limit_
        next_cursor = encode_cursor(page[-1].created_at, page[-1].id) if more and page else None
        payload = {"comments": [serialize.public_comment(c) for c in page],
                   "next_cursor": next_cursor}
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        return hashlib.sha256(body).hexdigest()[:32].encode() + b"\n" + body

    etag, _, body = cache.read_through(
        thread_id, cache.variant_key("api", limit_, cursor), build).partition(b"\n")
    response = current_app.response_class(body, mimetype="application/json")
    response.set_etag(etag.decode())
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


@bp.post("/threads/<key>/comments")
@limit("RATELIMIT_COMMENTS")
@token_required
def submit_comment(key: str):
    """Submit a comment; it is screened and stored before the answer (202).

    With an ``Idempotency-Key`` header, a retry within 24 hours gets the first answer and
    stores nothing; the same key with another body is refused (422).
    """
    data = json_object()
    thread = service.get_thread(key)
    body = field(data, "body", str, required=True, missing_code="body_required")
    consent = field(data, "consent", bool, default=False)
    parent_id = field(data, "parent_id", int)
    retry_key = request.headers.get("Idempotency-Key")
    receipt = receive(thread, g.api_user, service.Submission(body, consent is True, parent_id,
                                                             idempotency_key=retry_key))
    response = jsonify(receipt.body)
    response.status_code = receipt.status
    if receipt.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def _visible_comment(comment_id: int) -> tuple[Comment, bool, bool]:
    """The comment if the caller may see it: approved, or theirs, or the caller is staff."""
    comment = db.session.get(Comment, path_id(comment_id))
    user = api_user(optional=True)
    is_author = bool(user and comment and comment.author_id == user.id)
    is_staff = bool(user and user.is_staff)
    if comment is None or not (comment.state == State.APPROVED or is_author or is_staff):
        raise NotFound("There is no such comment.")
    return comment, is_author, is_staff


@bp.get("/comments/<int:comment_id>")
def get_comment(comment_id: int):
    """A comment with its state; its author also gets the reason when it is not published."""
    comment, is_author, is_staff = _visible_comment(comment_id)
    return jsonify(serialize.comment_for(comment, is_author=is_author, is_staff=is_staff))


@bp.delete("/comments/<int:comment_id>")
@token_required
def withdraw_comment(comment_id: int):
    """The author withdraws their own pending or approved comment."""
    from ..comments.withdraw import withdraw_comment as withdraw

    comment, is_author, _ = _visible_comment(comment_id)
    if not is_author:
        raise NotFound("There is no such comment of yours.")
    comment = withdraw(comment.id, g.api_user, utcnow())
    return jsonify(id=comment.id, state=comment.state.value, version=comment.version)


@bp.post("/comments/<int:comment_id>/reports")
@limit("RATELIMIT_REPORTS")
@token_required
def report_comment(comment_id: int):
    """A member reports an approved comment (201; 200 if they already had)."""
    from ..reports import report_comment as report

    data = json_object()
    reason = field(data, "reason", str, required=True, missing_code="reason_required")
    note = field(data, "note", str)
    row, created = report(path_id(comment_id), g.api_user, reason, note, utcnow())
    return jsonify(id=row.id, comment_id=row.comment_id, reason=row.reason.value), \
        201 if created else 200
