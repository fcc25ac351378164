"""API: registration and tokens."""
from __future__ import annotations

import logging

from flask import current_app, g, jsonify

from .. import accounts
from ..errors import AuthRequired, BoardError
from ..ratelimit import limit
from ..security import no_store
from ..timeutil import isoformat, utcnow
from . import bp
from .auth import token_required
from .inputs import field, json_object

log = logging.getLogger("board.api")


class RegistrationClosed(BoardError):
    status = 403
    code = "registration_closed"
    message = "Registration is closed; ask the site's administrators for an account."


@bp.post("/members")
@limit("RATELIMIT_REGISTER")
def create_member():
    """Register a member account."""
    if not current_app.config["REGISTRATION_OPEN"]:
        raise RegistrationClosed()
    data = json_object()
    user = accounts.create_user(
        field(data, "email", str, required=True, missing_code="invalid_email"),
        field(data, "display_name", str, required=True, missing_code="invalid_display_name"),
        field(data, "password", str, required=True, missing_code="invalid_password"),
        now=utcnow(),
    )
    log.info("account %s registered through the API", user.id)
    return jsonify(id=user.id, display_name=user.display_name), 201


@bp.post("/tokens")
@limit("RATELIMIT_SIGNIN")
@limit("RATELIMIT_TOKENS")
def create_token():
    """Exchange an e-mail address and password for an API token.

    A password check, so it shares the sign-in budget of the page and the embed popup;
    the answer holds a secret and is never stored by caches.
    """
    data = json_object()
    email = field(data, "email", str, required=True, missing_code="bad_credentials")
    password = field(data, "password", str, required=True, missing_code="bad_credentials")
    now = utcnow()
    user = accounts.authenticate(email, password, now)
    if user is None:
        raise AuthRequired("That e-mail address and password do not match an account.",
                           code="bad_credentials")
    label = field(data, "label", str, default="API") or "API"
    token, row = accounts.issue_token(user, now, current_app.config["TOKEN_LIFETIME"], label)
    response = jsonify(token=token, expires_at=isoformat(row.expires_at))
    response.status_code = 201
    return no_store(response)


@bp.delete("/tokens/current")
@token_required
def revoke_current_token():
    """Revoke the token this request was made with."""
    accounts.revoke_token(g.api_user, g.api_token.id, utcnow())
    return "", 204
