"""Registration, sign-in and sign-out pages."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from .. import accounts
from ..errors import BoardError
from ..extensions import login_manager
from ..models import User
from ..ratelimit import limit
from ..timeutil import utcnow
from .forms import LoginForm, RegisterForm

bp = Blueprint("auth", __name__)
log = logging.getLogger("board.auth")

login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Flask-Login's loader: the account behind a session, unless that session was ended."""
    return accounts.load_session_user(session_id)


def start_session(user: User, remember: bool = False) -> None:
    """Sign ``user`` in on this browser, with a new identity (and remember-me cookie)."""
    user.begin_sign_in()
    login_user(user, remember=remember)


def end_session(user: User, where: str) -> None:
    """Sign out: end every session of the account on the server, then clear this browser's."""
    accounts.sign_out(user, utcnow())
    logout_user()
    log.info("account %s signed out from %s", user.id, where)


def safe_next(target: str | None) -> str:
    """Only redirect to paths on this site after signing in."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("public.index")


def sign_in(form: LoginForm, where: str) -> User | None:
    """Check a validated sign-in form and start the session, or put the error on the form."""
    user = accounts.authenticate(form.email.data or "", form.password.data or "", utcnow())
    if user is None:
        log.info("failed sign-in from %s", where)
        form.password.errors = ["That e-mail address and password do not match an account."]
        return None
    start_session(user, remember=bool(form.remember.data))
    log.info("account %s signed in from %s", user.id, where)
    return user


@bp.route("/register", methods=["GET", "POST"])
@limit("RATELIMIT_REGISTER")
def register():
    """Create a member account and sign it in.

    A signed-in member is told so (with a way to sign out) and a POST creates nothing:
    one browser holds one account at a time, and every registration from an address counts
    against that address whoever is signed in.
    """
    if not current_app.config["REGISTRATION_OPEN"]:
        abort(404)
    if current_user.is_authenticated:
        status = 409 if request.method == "POST" else 200
        return render_template("auth/register.html", form=None, signed_in=True), status
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(form.email.data or "", form.display_name.data or "",
                                        form.password.data or "", now=utcnow())
        except BoardError as error:
            field = {"email_taken": form.email, "invalid_email": form.email,
                     "invalid_display_name": form.display_name}.get(error.code, form.password)
            field.errors = [*field.errors, error.message]
        else:
            start_session(user)
            log.info("account %s registered", user.id)
            flash("Welcome! Your account is ready.", "success")
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limit("RATELIMIT_SIGNIN")
def login():
    """Sign in with e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit() and sign_in(form, "the sign-in page") is not None:
        return redirect(safe_next(request.args.get("next")))
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out everywhere (POST with a CSRF token, so other sites cannot sign members out)."""
    end_session(current_user._get_current_object(), "the sign-out button")
    flash("You are signed out.", "info")
    return redirect(url_for("public.index"))
