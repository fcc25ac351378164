"""Routes of the embed: ``/embed/<key>``, ``/embed.js``, the theme and the sign-in popup.

Embed pages are framable by the thread's site's allowed origins only (CSP
``frame-ancestors``); every other response keeps the default ``frame-ancestors 'none'``.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import (Response, current_app, flash, g, redirect, render_template, request, session,
                   send_from_directory, url_for)
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .. import accounts, cache, security
from ..auth.forms import LoginForm
from ..auth.views import end_session, sign_in
from ..comments import service
from ..comments.app import submit
from ..comments.idempotency import AlreadyReceived
from ..errors import BoardError
from ..extensions import db
from ..models import Comment, Thread
from ..public.forms import CommentForm
from ..ratelimit import limit
from ..routing import parse_id
from ..timeutil import isoformat, utcnow
from ..vocabulary import State
from . import bp
from .origins import allowed_origins, frame_ancestors, normalise_origin, sites_for_origin
from .service import HostPage, find_thread, thread_for_embed
from .theme import invalid_parameters, parse_theme, stylesheet

log = logging.getLogger("board.embed")

LOADER_MAX_AGE = 3600
THEME_MAX_AGE = 86400


class CsrfOnlyForm(FlaskForm):
    """A form with nothing but its CSRF token."""


# -- framing ---------------------------------------------------------------------------------

def embed_csp(sources: str) -> str:
    """The default CSP with ``frame-ancestors`` set to ``sources``."""
    default = "frame-ancestors 'none'"
    assert default in security.CSP
    return security.CSP.replace(default, f"frame-ancestors {sources}")


@bp.after_request
def framing(response: Response) -> Response:
    """Embed pages may be framed by the thread's site; the rest of the blueprint may not."""
    if request.endpoint == "embed.thread":
        response.headers["Content-Security-Policy"] = embed_csp(_ancestors_for_request())
    return response


def _ancestors_for_request() -> str:
    """Who may frame this embed answer (errors included, so that they show in the frame)."""
    if "embed_ancestors" in g:
        return str(g.embed_ancestors)
    thread = find_thread((request.view_args or {}).get("key", ""))
    if thread is not None:
        return frame_ancestors(allowed_origins(thread))
    return _ancestors_for_unknown()


def _ancestors_for_unknown() -> str:
    """An unknown thread's message may show in a page whose origin some site allows."""
    origin = normalise_origin(request.args.get("origin"))
    if origin and sites_for_origin(origin):
        return origin
    return "'none'"


def _own_origin() -> str | None:
    return normalise_origin(request.host_url)


def _parent_origin(thread: Thread) -> str | None:
    """The embedding page's origin when it is one allowed to frame ``thread``, else None."""
    claimed = normalise_origin(request.args.get("origin"))
    allowed = allowed_origins(thread) or [o for o in [_own_origin()] if o]
    return claimed if claimed in allowed else None


def _embed_args(parent_origin: str | None, theme: dict[str, str]) -> dict[str, Any]:
    """The verified query parameters that links and redirects inside the embed keep."""
    args: dict[str, Any] = dict(theme)
    if parent_origin:
        args["origin"] = parent_origin
    return args


@bp.errorhandler(BoardError)
def embed_error(error: BoardError) -> Any:
    """Errors are shown in the embed's light style (inside the frame, when framed)."""
    db.session.rollback()
    return _message(error.message, error.status)


@bp.errorhandler(HTTPException)
def embed_http_error(error: HTTPException) -> Any:
    """As above; a CSRF failure usually means that the frame has no Board session."""
    db.session.rollback()
    if isinstance(error, CSRFError):
        message = CSRF_MESSAGE if request.endpoint == "embed.thread" else \
            "The form was open too long. Please try again."
        return _message(message, 400)
    return _message(error.description or "The request could not be processed.",
                    error.code or 500)


CSRF_MESSAGE = ("Your comment could not be sent from this frame: your browser does not share "
                "your Board sign-in with it, or the form was open too long. Please go back, use "
                "“Sign in to comment” and send it again.")


def _message(message: str, status: int) -> Any:
    """A short message page in the embed's style, with a way back to the thread when useful."""
    theme = parse_theme(request.args)
    back = None
    key = (request.view_args or {}).get("key")
    if request.endpoint == "embed.thread" and key and status != 404:
        thread = find_thread(key)
        if thread is not None:
            back = url_for(".thread", key=key, **_embed_args(_parent_origin(thread), theme))
    elif request.endpoint in ("embed.signin", "embed.signout"):
        back = url_for(".signin")
    return render_template("embed/message.html", message=message, status=status, back_url=back,
                           theme_url=_theme_url(theme)), status


def _theme_url(theme: dict[str, str]) -> str | None:
    values: dict[str, Any] = dict(theme)
    return url_for(".theme", **values) if values else None


def _api_path(path: str) -> str:
    """A path of the JSON API (SPEC 5), under this application's root."""
    return f"{request.script_root}/api/v1/{path}"


# -- the thread ------------------------------------------------------------------------------

@bp.route("/embed/<key>", methods=["GET", "POST"])
@limit("RATELIMIT_COMMENTS")
def thread(key: str) -> Any:
    """The thread for an iframe: approved comments, threaded, and the comment form.

    Query parameters (from the loader): ``origin``, ``url`` and ``title`` of the host page
    (origin verified against the site before use), and the theme: ``accent``,
    ``background``, ``text``, ``font``.
    """
    g.embed_ancestors = _ancestors_for_unknown()
    host = HostPage(request.args.get("origin"), request.args.get("url"), request.args.get("title"))
    thread = thread_for_embed(key, host, now=utcnow())
    g.embed_ancestors = frame_ancestors(allowed_origins(thread))
    parent_origin = _parent_origin(thread)
    theme = parse_theme(request.args)
    embed_args = _embed_args(parent_origin, theme)

    signed_in = bool(current_user.is_authenticated)
    # No CSRF token (so no session cookie) for readers: they comment through the API.
    form = CommentForm(meta={"csrf": signed_in})
    status = 200
    if request.method == "POST":
        if not signed_in:
            return _message("Please sign in to comment.", 401)
        if form.validate_on_submit():
            try:
                comment = submit(thread, current_user, form.submission())
            except AlreadyReceived as received:  # the same form sent again: nothing new
                flash(received.message, "success")
                return redirect(url_for(".thread", key=thread.key, **embed_args,
                                        _anchor="comment-form"))
            except BoardError as error:
                target = {"consent_required": form.consent, "body_required": form.body,
                          "body_too_long": form.body}.get(error.code)
                if target is not None:
                    target.errors = [*target.errors, error.message]
                else:
                    form.form_errors.append(error.message)
                status = error.status
            else:
                flash(submitted_message(comment.state), "success")
                return redirect(url_for(".thread", key=thread.key, **embed_args,
                                        _anchor="comment-form"))
        else:
            status = 400

    def render() -> str:
        reply_to = _reply_target(thread, request.args.get("reply_to"))
        if reply_to is not None and not form.parent_id.data:
            form.parent_id.data = str(reply_to.id)
        comments = service.approved_comments(thread)
        return render_template(
            "embed/thread.html", thread=thread, tree=service.comment_tree(comments),
            count=len(comments), form=form, reply_to=reply_to, signed_in=signed_in,
            suspended=signed_in and current_user.is_suspended(utcnow()),
            parent_origin=parent_origin, embed_args=embed_args, theme_url=_theme_url(theme),
            api_url=_api_path(f"threads/{thread.key}/comments"),
            token_url=_api_path("tokens/current"),
            max_length=current_app.config["COMMENT_MAX_LENGTH"],
        )

    if request.method == "GET" and not signed_in and "_flashes" not in session:
        # Every signed-out reader with the same origin, theme and reply target gets the same
        # page: served from the thread cache (the headers are still made per request). The
        # script root is in the key too: every link in the page is under it.
        reply_raw = request.args.get("reply_to") or ""
        variant = cache.variant_key("embed", request.script_root, parent_origin, _theme_url(theme),
                                    reply_raw if reply_raw.isdigit() and len(reply_raw) < 19
                                    else "")
        html = cache.read_through(thread.id, variant, lambda: render().encode()).decode()
    else:
        html = render()
    response = current_app.make_response((html, status))
    response.headers["Cache-Control"] = "no-cache"
    if request.method == "GET" and status == 200 and not signed_in:
        # Readers revalidate on every load and get 304 while nothing changed.
        response.add_etag()
        response.make_conditional(request)
    return response


def _reply_target(thread: Thread, raw: str | None) -> Comment | None:
    comment_id = parse_id(raw)
    if comment_id is None:
        return None
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.thread_id != thread.id or comment.state != State.APPROVED:
        return None
    return comment


def submitted_message(state: State | str) -> str:
    """What the author is told after sending a comment."""
    if state == State.APPROVED:
        return "Thank you! Your comment is published."
    if state == State.REJECTED:
        return ("Thank you. Your comment could not be published; "
                "see My comments on Board for the reason.")
    return "Thank you! Your comment awaits moderation and will appear once a moderator approves it."


# -- the loader and the theme ----------------------------------------------------------------

@bp.get("/embed.js")
def loader() -> Response:
    """The loader script that host pages include; cacheable, loadable from any origin."""
    static = current_app.static_folder
    assert static is not None
    response = send_from_directory(static, "embed.js", mimetype="text/javascript",
                                   max_age=LOADER_MAX_AGE)
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@bp.get("/embed/_/theme.css")
def theme() -> Any:
    """CSS variables for a theme given as query parameters (validated strictly: 400 if not)."""
    bad = invalid_parameters(request.args)
    if bad:
        return current_app.response_class(
            f"/* Invalid theme parameter: {', '.join(bad)}. */\n", status=400, mimetype="text/css")
    response = current_app.response_class(stylesheet(parse_theme(request.args)),
                                          mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = THEME_MAX_AGE
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# -- sign-in popup ---------------------------------------------------------------------------

@bp.route("/embed/_/signin", methods=["GET", "POST"])
@limit("RATELIMIT_SIGNIN")
def signin() -> Any:
    """The sign-in popup, on Board's own origin, for embeds where third-party cookies are blocked.

    Signed out: the normal sign-in form. Signed in: "signed in as X" and a button to continue.
    Either way the result is a short-lived API token that the page hands to the embed
    (its opener) by postMessage, with Board's own origin as the fixed target.
    """
    if current_user.is_authenticated:
        form = CsrfOnlyForm()
        if form.validate_on_submit():
            return _handoff(current_user)
        return _no_store(render_template("embed/signin.html", continue_form=form,
                                         signout_form=CsrfOnlyForm()))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = sign_in(form, "the embed popup")
        if user is not None:
            return _handoff(user)
    if form.errors:
        status = 400
    return _no_store(render_template("embed/signin.html", form=form)), status


@bp.post("/embed/_/signout")
def signout() -> Any:
    """Sign out of Board inside the popup, to sign in with another account."""
    if CsrfOnlyForm().validate_on_submit() and current_user.is_authenticated:
        end_session(current_user._get_current_object(), "the embed popup")
    return redirect(url_for(".signin"))


def _handoff(user: Any) -> Any:
    """Issue a short-lived token and render the page whose script hands it to the opener.

    It lives a few minutes, unlisted, until the frame first uses it; that use gives it the
    configured embed lifetime (``board.api.auth.load_api_user``).
    """
    window = int(accounts.EMBED_CLAIM_WINDOW.total_seconds())
    token, row = accounts.issue_token(user, utcnow(), window, accounts.EMBED_TOKEN_LABEL)
    response = _no_store(render_template("embed/handoff.html", token=token, user=user,
                                         expires_at=isoformat(row.expires_at)))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _no_store(body: str) -> Response:
    response = current_app.make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response
