"""Rate limits (Flask-Limiter): in Redis when ``BOARD_REDIS_URL`` is set, else process memory.

Each kind of action has one budget per client, shared by every route that performs it
(the ``RATELIMIT_*`` setting names the kind):

- ``RATELIMIT_SIGNIN``: the sign-in page, the embed's sign-in popup, the API's token exchange;
- ``RATELIMIT_REGISTER``: the registration page and the API's registration;
- ``RATELIMIT_COMMENTS``: comments from the thread page, the embed and the API;
- ``RATELIMIT_REPORTS``: reports from the page and the API;
- ``RATELIMIT_TOKENS``: new API tokens (the tokens page and the API).

A client is counted twice, by a keyed hash of its address always and by its account when
one is signed in (session or bearer token); whichever count runs out first refuses. So
neither switching routes nor rotating accounts multiplies a budget. Registration is counted
by address only: who is signed in does not matter. IP addresses are never stored in the
clear, not even as limiter keys.

When Redis fails, counting goes on in process memory (per worker) until Redis answers
again: a storage failure never switches limits off.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, g, request
from flask_limiter import Limiter
from flask_login import current_user
from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

log = logging.getLogger("board.ratelimit")

F = TypeVar("F", bound=Callable[..., Any])

# Counted by address only, whoever is signed in.
ADDRESS_ONLY = frozenset({"RATELIMIT_REGISTER"})
# A Redis that does not answer must not hold requests up: give up quickly and fall back.
REDIS_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def address_key() -> str:
    """A keyed hash of the client's address (the proxy's client, with ``PROXY_COUNT``)."""
    address = (request.remote_addr or "unknown").encode()
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return "addr:" + hmac.new(secret, address, hashlib.sha256).hexdigest()[:24]


def account_key() -> str | None:
    """The signed-in account (bearer token on the API, else the session), if any."""
    if request.path.startswith("/api/"):
        from .api.auth import load_api_user

        load_api_user()  # limits are checked before the blueprint's own hooks run
    user = getattr(g, "api_user", None)
    if user is None and current_user and current_user.is_authenticated:
        user = current_user
    return f"user:{user.id}" if user is not None else None


def client_keys(setting: str) -> list[str]:
    """Every identity one use of ``setting``'s kind of action counts against."""
    keys = [address_key()]
    account = None if setting in ADDRESS_ONLY else account_key()
    if account is not None:
        keys.append(account)
    return keys


def client_key() -> str:
    """The limiter's default identity: the account when known, else the address."""
    return account_key() or address_key()


limiter = Limiter(client_key, headers_enabled=True, swallow_errors=True,
                  strategy="moving-window", in_memory_fallback_enabled=True)
# ``consume`` counts here while the main storage fails.
_fallback = MovingWindowRateLimiter(MemoryStorage())


def init_app(app: Flask) -> None:
    """Bind the limiter: Redis if configured (memory while it fails), else process memory."""
    storage = app.config.setdefault("RATELIMIT_STORAGE_URI",
                                    app.config.get("REDIS_URL") or "memory://")
    if str(storage).startswith(("redis://", "rediss://", "unix://")):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", dict(REDIS_TIMEOUTS))
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "board")
    limiter.enabled = bool(app.config.get("RATELIMIT_ENABLED", True))
    # The limiter object outlives an app (tests build many): each app starts on its own
    # storage, not on a fallback an earlier app fell into.
    limiter._storage_dead = False
    limiter.init_app(app)


def scope_of(setting: str) -> str:
    """The shared count's name for a kind of action: ``RATELIMIT_SIGNIN`` -> ``signin``."""
    return setting.removeprefix("RATELIMIT_").lower()


def limit(setting: str) -> Callable[[F], F]:
    """Limit POSTs of a view by the kind of action ``setting`` names (see the module).

    The count is shared with every other view decorated with the same setting, by address
    and, unless the kind is counted by address only, by signed-in account.
    """
    scope = scope_of(setting)

    def value() -> str:
        return str(current_app.config[setting])

    by_address = limiter.shared_limit(value, scope, key_func=address_key, methods=["POST"])
    if setting in ADDRESS_ONLY:
        return by_address  # type: ignore[return-value]
    by_account = limiter.shared_limit(
        value, scope, key_func=lambda: account_key() or "", methods=["POST"],
        exempt_when=lambda: account_key() is None,
    )

    def decorate(view: F) -> F:
        return by_address(by_account(view))  # type: ignore[return-value]

    return decorate


def consume(setting: str, scope: str, key: str | None = None) -> None:
    """Count one use of ``scope`` against the limit ``setting`` outside a decorated view.

    For actions that only some requests perform (creating a thread on first embed). Counts
    against ``key`` when given (e.g. ``site:3``), else against the client (address, and
    account when signed in). Raises ``TooManyRequests`` with Retry-After when over the limit.
    """
    if not (limiter.enabled and current_app.config.get("RATELIMIT_ENABLED", True)):
        return
    keys = [key] if key else client_keys(setting)
    prefix = str(current_app.config.get("RATELIMIT_KEY_PREFIX") or "board")
    for item in parse_many(str(current_app.config[setting])):
        for identity in keys:
            if not _hit(item, prefix, scope, identity):
                raise TooManyRequests(retry_after=item.get_expiry())


def _hit(item: Any, *identifiers: str) -> bool:
    """One hit on the main storage, or on process memory while that fails (never open)."""
    try:
        return bool(limiter.limiter.hit(item, *identifiers))
    except Exception:
        log.warning("rate-limit storage unreachable; counting in process memory")
        return bool(_fallback.hit(item, *identifiers))


def health() -> dict[str, str]:
    """Where limits are counted, for ``/healthz``: empty without Redis.

    ``{"redis": "ok"}``, or ``{"redis": "unreachable", "rate_limits": "process memory"}``
    while Redis fails (limits then hold per worker, which is degraded but safe).
    """
    uri = str(current_app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if uri.startswith("memory://") or not current_app.config.get("RATELIMIT_ENABLED", True):
        return {}
    try:
        reachable = bool(limiter.storage.check())
    except Exception:
        reachable = False
    if reachable:
        return {"redis": "ok"}
    return {"redis": "unreachable", "rate_limits": "process memory"}
