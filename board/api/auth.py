"""Bearer-token authentication for the API."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, request

from ..accounts import note_token_use, token_digest
from ..errors import AuthRequired
from ..extensions import db
from ..members import require_staff
from ..models import ApiToken, User
from ..timeutil import utcnow

# Built once: every API request runs it, and a prebuilt statement skips the query building.
_TOKEN_AND_USER = (
    sa.select(ApiToken, User).join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == sa.bindparam("digest"))
)


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer`` header, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or len(token) > 200:
        return None
    return token.strip()


def load_api_user() -> None:
    """Resolve the bearer token once per request into ``g.api_user`` and ``g.api_token``."""
    current = request._get_current_object()  # type: ignore[attr-defined]
    if g.get("api_request") is current:
        return
    g.api_request = current
    g.api_user = g.api_token = None
    g.api_token_invalid = False
    token = bearer_token()
    if token is None:
        return
    found = db.session.execute(_TOKEN_AND_USER, {"digest": token_digest(token)}).first()
    now = utcnow()
    if found is None or not found.ApiToken.is_valid(now):
        g.api_token_invalid = True
        return
    row = found.ApiToken
    g.api_user, g.api_token = found.User, row
    note_token_use(row, now, int(current_app.config["EMBED_TOKEN_LIFETIME"]))


def api_user(optional: bool = False) -> User | None:
    """The caller's account; ``AuthRequired`` if there is none and it is needed."""
    user: User | None = g.get("api_user")
    if user is None and not optional:
        if g.get("api_token_invalid"):
            raise AuthRequired("That token is invalid, expired or revoked; create a new one.")
        raise AuthRequired("Send an API token: Authorization: Bearer <token>.")
    return user


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """The route needs a valid token."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        api_user()
        return view(*args, **kwargs)

    return wrapped


def staff_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """The route needs the token of a moderator or admin who is not suspended (checked now)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = api_user()
        assert user is not None
        require_staff(user, utcnow())
        return view(*args, **kwargs)

    return wrapped
