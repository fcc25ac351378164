"""Thread pages, the member's own comments, and the health check."""
from __future__ import annotations

import sqlalchemy as sa
from flask import (Blueprint, current_app, flash, jsonify, redirect, render_template, request,
                   session, url_for)
from flask_login import current_user, login_required

from .. import cache
from ..comments import service
from ..comments.app import submit
from ..comments.idempotency import AlreadyReceived
from ..comments.author_view import author_status
from ..errors import BoardError
from ..extensions import db
from ..models import Comment, Thread
from ..ratelimit import health as limits_health, limit
from ..routing import parse_id
from ..timeutil import utcnow
from ..vocabulary import State
from ..xmltext import xml_text
from .forms import CommentForm

bp = Blueprint("public", __name__)

@bp.route("/")
def index():
    """The list of open discussions."""
    threads = db.session.scalars(sa.select(Thread).where(Thread.is_listed)
                                 .order_by(Thread.created_at.desc()).limit(100))
    return render_template("public/index.html", threads=list(threads))


@bp.route("/t/<key>", methods=["GET", "POST"])
@limit("RATELIMIT_COMMENTS")
def thread(key: str):
    """A thread: approved comments, threaded, and the comment form for members."""
    thread = service.get_thread(key)
    if request.method == "GET" and not request.args and not current_user.is_authenticated \
            and "_flashes" not in session:
        # Every anonymous reader gets the same page: served from the cache.
        return cache.read_through(thread.id, "page", lambda: _render_thread(thread).encode())
    form = CommentForm()
    status = 200
    if request.method == "POST":
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
        if form.validate_on_submit():
            try:
                comment = submit(thread, current_user, form.submission())
            except AlreadyReceived as received:  # the same form sent again: nothing new
                flash(received.message, "success")
                return redirect(url_for(".thread", key=key, _anchor="comment-form"))
            except BoardError as error:
                target = form.consent if error.code == "consent_required" else form.body
                target.errors = [*target.errors, error.message]
                status = error.status
            else:
                flash(_submitted_message(comment), "success")
                return redirect(url_for(".thread", key=key, _anchor="comment-form"))
        else:
            status = 400
    reply_to = _reply_target(thread, request.args.get("reply_to"))
    if reply_to is not None and not form.parent_id.data:
        form.parent_id.data = str(reply_to.id)
    return _render_thread(thread, form, reply_to), status


def _render_thread(thread: Thread, form: CommentForm | None = None,
                   reply_to: Comment | None = None) -> str:
    comments = service.approved_comments(thread)
    return render_template(
        "public/thread.html", thread=thread, tree=service.comment_tree(comments),
        count=len(comments), form=form or CommentForm(), reply_to=reply_to,
        suspended=current_user.is_authenticated and current_user.is_suspended(utcnow()),
    )


@bp.route("/t/<key>/feed.atom")
def feed(key: str):
    """The thread's approved comments as an Atom feed, newest first."""
    thread = service.get_thread(key)
    comments = service.latest_approved(thread, limit=50)
    updated = max((c.updated_at for c in comments), default=thread.created_at)
    body = render_template(
        "public/feed.atom.xml", thread=thread, comments=comments,
        updated=updated.isoformat(timespec="seconds") + "Z",
        self_url=url_for(".feed", key=key, _external=True),
        page_url=url_for(".thread", key=key, _external=True),
    )
    # Every text in the feed (titles, names, bodies, addresses) passes through here: what
    # XML 1.0 forbids would make the whole feed unreadable.
    return current_app.response_class(xml_text(body), mimetype="application/atom+xml")


@bp.route("/me/comments")
@login_required
def my_comments():
    """The member's own comments, each with where it stands and why."""
    comments = db.session.scalars(
        sa.select(Comment)
        .where(Comment.author_id == current_user.id)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .options(sa.orm.joinedload(Comment.thread))
    )
    rows = [{"comment": comment, "status": author_status(comment)} for comment in comments]
    return render_template("public/my_comments.html", rows=rows)


@bp.route("/healthz")
def healthz():
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    limits = limits_health()  # Redis down: 200, limits counted per worker, said here
    return jsonify(status="degraded" if limits.get("redis") == "unreachable" else "ok",
                   database="ok", **limits)


def _reply_target(thread: Thread, raw: str | None) -> Comment | None:
    comment_id = parse_id(raw)
    if comment_id is None:
        return None
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.thread_id != thread.id or comment.state != State.APPROVED:
        return None
    return comment


def _submitted_message(comment: Comment) -> str:
    if comment.state == State.APPROVED:
        return "Thank you! Your comment is published."
    if comment.state == State.REJECTED:
        return "Thank you. Your comment could not be published; see My comments for the reason."
    return ("Thank you! Your comment awaits moderation and will appear once a moderator "
            "approves it. You can follow it on your My comments page.")
