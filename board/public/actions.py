"""Readers report comments; authors withdraw their own (forms that work without JavaScript)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..comments.withdraw import withdraw_comment
from ..errors import AccountSuspended, BoardError, NotFound
from ..extensions import db
from ..models import Comment
from ..ratelimit import limit
from ..reports import SUSPENDED_MESSAGE, report_comment
from ..timeutil import utcnow
from ..vocabulary import Reason, State

bp = Blueprint("actions", __name__)


class ReportForm(FlaskForm):
    """Why a reader thinks a published comment breaks the policy."""

    reason = SelectField(
        "What is wrong with this comment?",
        choices=[SelectChoice("", "Choose a reason")]
        + [SelectChoice(r.value, r.label) for r in Reason],
        validators=[DataRequired(message="Choose a reason from the list.")],
    )
    note = TextAreaField("Anything a moderator should know (optional)",
                         validators=[Optional(), Length(max=1000)])


class WithdrawForm(FlaskForm):
    """The withdraw button (CSRF token only)."""


@bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@login_required
@limit("RATELIMIT_REPORTS")
def report(comment_id: int):
    """Report a published comment to the moderators."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.state != State.APPROVED:
        raise NotFound("That comment is not published, so it cannot be reported.")
    form = ReportForm()
    status, notice = 200, None
    if current_user.is_suspended(utcnow()):  # the service refuses too; say so before the form
        status, notice = 403, SUSPENDED_MESSAGE
    elif form.validate_on_submit():
        thread_key = comment.thread.key
        try:
            _, created = report_comment(comment_id, current_user, form.reason.data or "",
                                        form.note.data or None, utcnow())
        except AccountSuspended as error:
            status, notice = error.status, error.message
        except BoardError as error:
            form.reason.errors = [*form.reason.errors, error.message]
            status = error.status
        else:
            flash("Thank you. A moderator will look at this comment." if created else
                  "You have already reported this comment; a moderator will look at it.",
                  "success")
            return redirect(url_for("public.thread", key=thread_key))
    elif form.is_submitted():
        status = 400
    return render_template("public/report.html", comment=comment, form=form,
                           notice=notice), status


@bp.route("/me/comments/<int:comment_id>/withdraw", methods=["POST"])
@login_required
def withdraw(comment_id: int):
    """Withdraw one of the member's own pending or published comments."""
    if WithdrawForm().validate_on_submit():
        try:
            withdraw_comment(comment_id, current_user, utcnow())
        except BoardError as error:
            flash(error.message, "error")
        else:
            flash("Your comment is withdrawn; it is no longer shown or waiting for moderation.",
                  "success")
    else:
        flash("That request could not be read; please try again.", "error")
    return redirect(url_for("public.my_comments"))
