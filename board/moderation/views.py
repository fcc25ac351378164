"""The moderation workspace: queues, decisions (one or bulk), history, log and members."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from .. import lifecycle, members, reports
from ..auth.access import staff_required
from ..comments.service import flags_of
from ..errors import BoardError, NotFound, ValidationError
from ..extensions import db
from ..models import Comment, User
from ..routing import parse_id
from ..screening.flags import CODES as FLAG_CODES
from ..screening.flags import Flag
from ..timeutil import utcnow
from ..vocabulary import Action, Reason
from . import service
from .forms import BulkForm, DecisionForm, PlainForm, ReinstateForm, SuspendForm
from .highlight import highlight

bp = Blueprint("moderation", __name__)
log = logging.getLogger("board.moderation")

PAGE_SIZE = 25
ACTION_WORDS = {
    Action.SUBMIT: "submitted", Action.APPROVE: "approved", Action.REJECT: "rejected",
    Action.UNPUBLISH: "unpublished", Action.REPUBLISH: "republished",
    Action.WITHDRAW: "withdrawn",
}


@dataclass
class Item:
    """One comment as the queue shows it: everything needed to decide, precomputed."""

    comment: Comment
    flags: list[Flag]
    raw: Markup
    age: timedelta
    standing: service.QueueStanding | None
    actions: list[str]
    report_reasons: list[tuple[Reason, int]]


def _items(comments: list[Comment], now: datetime) -> list[Item]:
    authors = [c.author for c in comments if c.author is not None]
    standing = service.queue_standings(authors, now)
    reasons = reports.open_reason_counts([c.id for c in comments if c.report_count])
    items = []
    for comment in comments:
        flags = flags_of(comment)
        allowed = [a.value for a in lifecycle.allowed_actions(comment.state)
                   if a in service.DECISION_ACTIONS]
        items.append(Item(comment, flags, highlight(comment.body_raw, flags),
                          now - comment.created_at,
                          standing.get(comment.author_id) if comment.author_id else None,
                          allowed, reasons.get(comment.id, [])))
    return items


def _safe_next(target: str | None) -> str:
    """Only pages of the moderation workspace are valid places to return to."""
    if target and target.startswith("/moderation/") and "\\" not in target \
            and not target.startswith("//"):
        return target
    return url_for(".queue")


def _flash_error(comment_id: int, error: BoardError) -> None:
    flash(f"Comment #{comment_id}: {error.message}", "error")


@bp.route("/")
@staff_required
def queue():
    """A queue with its filters, riskiest then oldest first, a page at a time."""
    args = request.args
    member = args.get("member", "").strip()
    filters = service.QueueFilter(
        queue=args.get("queue") or "pending",
        flag=args.get("flag") or None,
        thread_key=(args.get("thread") or "").strip()[:200] or None,
        author_id=parse_id(member),
    )
    now = utcnow()
    try:
        page = service.queue_page(filters, cursor=args.get("cursor") or None, limit=PAGE_SIZE)
    except ValidationError as error:
        flash(error.message, "error")
        return redirect(url_for(".queue"))
    counts = service.queue_counts(service.QueueFilter(
        flag=filters.flag, thread_key=filters.thread_key, author_id=filters.author_id))
    pairs = (("flag", filters.flag), ("thread", filters.thread_key), ("member", filters.author_id))
    keep: dict[str, Any] = {k: v for k, v in pairs if v}
    return render_template(
        "moderation/queue.html", filters=filters, items=_items(page.items, now),
        counts=counts, cap=service.COUNT_CAP, queues=service.QUEUES,
        labels=service.QUEUE_LABELS, flag_codes=sorted(FLAG_CODES), keep=keep,
        next_url=url_for(".queue", queue=filters.queue, cursor=page.next_cursor, **keep)
        if page.next_cursor else None,
        here=request.full_path.rstrip("?"), reasons=service.REASON_CHOICES,
        bulk=BulkForm(formdata=None, next=request.full_path.rstrip("?")),
    )


@bp.route("/comments/<int:comment_id>/decision", methods=["POST"])
@staff_required
def decide(comment_id: int):
    """Apply one decision from a queue or a comment page."""
    form = DecisionForm()
    back = _safe_next(form.next.data)
    if not form.validate_on_submit():
        flash("That decision could not be read; please try again.", "error")
        return redirect(back)
    decision = service.Decision(
        comment_id=comment_id, action=form.action.data or "", version=int(form.version.data or 0),
        reason=form.reason.data or None, note=form.note.data or None,
    )
    try:
        comment = service.decide(decision, current_user, utcnow())
    except BoardError as error:
        _flash_error(comment_id, error)
    else:
        log.info("moderator %s: %s comment %s", current_user.id, decision.action, comment.id)
        flash(f"Comment #{comment.id} is now {comment.state.value}.", "success")
    return redirect(back)


def _parse_items(values: list[str]) -> list[tuple[int, int]]:
    items = []
    for value in values[:service.MAX_LIMIT]:
        ident, _, version = value.partition(":")
        comment_id = parse_id(ident)
        if comment_id is not None and version.isascii() and version.isdigit() \
                and len(version) < 10:
            items.append((comment_id, int(version)))
    return items


@bp.route("/bulk", methods=["POST"])
@staff_required
def decide_bulk():
    """One action on every selected comment; each succeeds or fails on its own."""
    form = BulkForm()
    back = _safe_next(form.next.data)
    items = _parse_items(request.form.getlist("item"))
    if not form.validate_on_submit():
        flash("That bulk decision could not be read; please try again.", "error")
        return redirect(back)
    if not items:
        flash("Select at least one comment first.", "error")
        return redirect(back)
    try:
        results = service.decide_bulk(form.action.data or "", items, current_user, utcnow(),
                                      reason=form.reason.data or None, note=form.note.data or None)
    except BoardError as error:
        flash(error.message, "error")
        return redirect(back)
    done = [r for r in results if r.ok]
    if done:
        flash(f"{len(done)} comment{'s' if len(done) != 1 else ''} "
              f"{ACTION_WORDS[Action(form.action.data)]}.", "success")
    for result in results:
        if not result.ok and result.error:
            flash(f"Comment #{result.id}: {result.error['message']}", "error")
    return redirect(back)


@bp.route("/comments/<int:comment_id>")
@staff_required
def comment(comment_id: int):
    """One comment with everything about it: text, flags, reports and full history."""
    comment = service.get_comment(comment_id)
    now = utcnow()
    return render_template(
        "moderation/comment.html", item=_items([comment], now)[0],
        events=service.history(comment), reports=reports.open_reports(comment.id),
        here=request.path, reasons=service.REASON_CHOICES, words=ACTION_WORDS,
    )


@bp.route("/comments/<int:comment_id>/reports/dismiss", methods=["POST"])
@staff_required
def dismiss_reports(comment_id: int):
    """Keep a reported comment published and close its reports."""
    form = PlainForm()
    back = _safe_next(form.next.data)
    if not form.validate_on_submit():
        flash("That request could not be read; please try again.", "error")
        return redirect(back)
    try:
        count = reports.dismiss_reports(comment_id, current_user, utcnow())
    except BoardError as error:
        _flash_error(comment_id, error)
    else:
        flash(f"Comment #{comment_id} stays published; {count} report"
              f"{'s' if count != 1 else ''} closed.", "success")
    return redirect(back)


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@bp.route("/log")
@staff_required
def decision_log():
    """Every decision on every comment, newest first, by moderator, action and date."""
    args = request.args
    since, until = _day(args.get("since")), _day(args.get("until"))
    filters = service.LogFilter(
        actor=args.get("actor") or None, action=args.get("action") or None,
        since=datetime.combine(since, time()) if since else None,
        until=datetime.combine(until, time()) + timedelta(days=1) if until else None,
    )
    try:
        page = service.decision_log(filters, cursor=args.get("cursor") or None)
    except ValidationError as error:
        flash(error.message, "error")
        return redirect(url_for(".decision_log"))
    keep: dict[str, Any] = {k: v for k, v in args.items() if k != "cursor" and v}
    return render_template(
        "moderation/log.html", page=page, staff=service.staff_members(), actions=list(Action),
        args=args, words=ACTION_WORDS,
        next_url=url_for(".decision_log", cursor=page.next_cursor, **keep)
        if page.next_cursor else None,
    )


def _member(member_id: int) -> User:
    member = db.session.get(User, member_id)
    if member is None:
        raise NotFound("There is no such member.")
    return member


@bp.route("/members/<int:member_id>")
@staff_required
def member(member_id: int):
    """A member's standing, with the suspension and reinstatement forms."""
    member = _member(member_id)
    now = utcnow()
    return render_template(
        "moderation/member.html", member=member,
        standing=members.standings([member], now)[member.id],
        suspend_form=SuspendForm(formdata=None), reinstate_form=ReinstateForm(formdata=None),
        can_act=members.can_manage(current_user, member, now),
    )


@bp.route("/members/<int:member_id>/suspend", methods=["POST"])
@staff_required
def suspend(member_id: int):
    """Suspend a member, until a date or indefinitely."""
    form = SuspendForm()
    if form.validate_on_submit():
        until = datetime.combine(form.until.data, time()) if form.until.data else None
        try:
            members.suspend(member_id, current_user, form.reason.data or "", until, utcnow())
        except BoardError as error:
            flash(error.message, "error")
        else:
            flash("The member is suspended" + (f" until {until:%d %B %Y}." if until
                                               else " until further notice."), "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
    return redirect(url_for(".member", member_id=member_id))


@bp.route("/members/<int:member_id>/reinstate", methods=["POST"])
@staff_required
def reinstate(member_id: int):
    """Lift a member's suspension."""
    form = ReinstateForm()
    if form.validate_on_submit():
        try:
            members.reinstate(member_id, current_user, utcnow(), form.reason.data or None)
        except BoardError as error:
            flash(error.message, "error")
        else:
            flash("The member is reinstated and may comment again.", "success")
    else:
        flash("That request could not be read; please try again.", "error")
    return redirect(url_for(".member", member_id=member_id))


@bp.app_template_filter("when")
def when(moment: datetime | None) -> str:
    """A UTC time for staff pages."""
    return f"{moment:%d %b %Y, %H:%M} UTC" if moment else ""

