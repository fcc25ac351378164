"""The moderation page: the pending queue, approve and reject."""
from __future__ import annotations

import logging

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ..auth.access import staff_required
from ..comments.service import flags_of
from ..errors import BoardError
from ..timeutil import utcnow
from . import service
from .forms import DecisionForm

bp = Blueprint("moderation", __name__)
log = logging.getLogger("board.moderation")


@bp.route("/")
@staff_required
def queue():
    """The pending queue, riskiest then oldest first."""
    now = utcnow()
    items = [
        {"comment": comment, "flags": flags_of(comment), "age": now - comment.created_at}
        for comment in service.pending_queue()
    ]
    return render_template(
        "moderation/queue.html", items=items, total=service.pending_count(),
        form=DecisionForm(), reasons=service.REASON_CHOICES,
    )


@bp.route("/comments/<int:comment_id>/decision", methods=["POST"])
@staff_required
def decide(comment_id: int):
    """Apply one decision from the queue page."""
    form = DecisionForm()
    if not form.validate_on_submit():
        flash("That decision could not be read; please try again.", "error")
        return redirect(url_for(".queue"))
    decision = service.Decision(
        comment_id=comment_id, action=form.action.data or "", version=int(form.version.data or 0),
        reason=form.reason.data or None, note=form.note.data or None,
    )
    try:
        comment = service.decide(decision, current_user, utcnow())
    except BoardError as error:
        flash(f"Comment #{comment_id}: {error.message}", "error")
    else:
        log.info("moderator %s: %s comment %s", current_user.id, decision.action, comment.id)
        flash(f"Comment #{comment.id} is now {comment.state.value}.", "success")
    return redirect(url_for(".queue"))
