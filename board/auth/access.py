"""Staff checks for pages, made on the server for every request.

Role and suspension both count: a suspended moderator or admin gets 403 with the reason
(see ``board.members`` for who may act on whom).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app
from flask_login import current_user

from ..members import require_staff
from ..timeutil import utcnow


def _requires(admin: bool, message: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator: signed-out readers are sent to sign in; others need active staff power."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            require_staff(current_user, utcnow(), admin=admin, message=message)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = _requires(False, "This page is for moderators.")
admin_required = _requires(True, "This page is for administrators.")
