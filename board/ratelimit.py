"""Rate limits (Flask-Limiter): in memory by default, Redis when ``BOARD_REDIS_URL`` is set.

Clients are told apart by account when one is known, else by a keyed hash of the
address: IP addresses are never stored in the clear, not even as limiter keys.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import Flask, current_app, g, request
from limits import parse_many
from werkzeug.exceptions import TooManyRequests
from flask_limiter import Limiter
from flask_login import current_user


def client_key() -> str:
    """The identity a limit counts against: the account, or a hash of the address."""
    if request.path.startswith("/api/"):
        from .api.auth import load_api_user

        load_api_user()  # limits are checked before the blueprint's own hooks run
    user = getattr(g, "api_user", None)
    if user is None and current_user and current_user.is_authenticated:
        user = current_user
    if user is not None:
        return f"user:{user.id}"
    address = (request.remote_addr or "unknown").encode()
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return "addr:" + hmac.new(secret, address, hashlib.sha256).hexdigest()[:24]


limiter = Limiter(client_key, headers_enabled=True, swallow_errors=True,
                  strategy="moving-window")


def init_app(app: Flask) -> None:
    """Bind the limiter: Redis if configured, else process memory."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "board")
    limiter.enabled = bool(app.config.get("RATELIMIT_ENABLED", True))
    limiter.init_app(app)


def limit(setting: str) -> Any:
    """A limit read from the config key ``setting`` (e.g. ``RATELIMIT_SIGNIN``), for POSTs."""
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"],
                         key_func=client_key)


def consume(setting: str, scope: str) -> None:
    """Count one use of ``scope`` against the limit ``setting`` outside a decorated view.

    For actions that only some requests perform (creating a thread on first embed); raises
    ``TooManyRequests`` with Retry-After when the client is over the limit.
    """
    if not limiter.enabled:
        return
    try:
        strategy = limiter.limiter
        key = client_key()
        for item in parse_many(current_app.config[setting]):
            if not strategy.hit(item, "board", scope, key):
                raise TooManyRequests(retry_after=item.get_expiry())
    except TooManyRequests:
        raise
    except Exception:  # storage down: fail open, as the decorated limits do
        return
