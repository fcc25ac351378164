"""Role checks for staff routes, made on the server for every request."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app
from flask_login import current_user

from ..errors import Forbidden


def _requires(attribute: str, message: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator: signed-out readers are sent to sign in, others without ``attribute`` get 403."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if not getattr(current_user, attribute):
                raise Forbidden(message)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = _requires("is_staff", "This page is for moderators.")
admin_required = _requires("is_admin", "This page is for administrators.")
