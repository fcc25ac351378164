"""The member's API tokens page: list, create, revoke."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from .. import accounts
from ..ratelimit import limit
from ..security import no_store
from ..timeutil import utcnow

bp = Blueprint("tokens", __name__)


class TokenForm(FlaskForm):
    label = StringField("What is it for?", validators=[Optional(), Length(max=80)])


class RevokeForm(FlaskForm):
    """CSRF only."""


@bp.route("/me/tokens", methods=["GET", "POST"])
@login_required
@limit("RATELIMIT_TOKENS")
def tokens():
    """List the member's tokens; create one (shown once)."""
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        new_token, _ = accounts.issue_token(current_user, utcnow(),
                                            current_app.config["TOKEN_LIFETIME"],
                                            (form.label.data or "").strip() or "API")
        form = TokenForm(formdata=None)
    now = utcnow()
    rows = [{"token": t, "active": t.is_valid(now)} for t in accounts.tokens_of(current_user)]
    # The page may show a new token: never kept by a browser or proxy cache.
    return no_store(current_app.make_response(render_template(
        "public/tokens.html", rows=rows, form=form, new_token=new_token,
        revoke_form=RevokeForm())))


@bp.post("/me/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    """Revoke one token."""
    if RevokeForm().validate_on_submit():
        accounts.revoke_token(current_user, token_id, utcnow())
        flash("The token is revoked; programs using it can no longer sign in with it.", "success")
    return redirect(url_for(".tokens"))
