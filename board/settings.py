"""Admin-managed settings stored in the ``settings`` table: policy and word lists.

Every submission needs both, so they are read together and kept for a few seconds
(``SETTINGS_CACHE_SECONDS``) per app: an admin's change reaches every worker within
that time, and at once in the worker that made it.
"""
from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from flask import current_app

from .extensions import db
from .models import Setting
from .screening.policy import PolicySettings
from .screening.wordlists import WordLists
from .timeutil import utcnow

POLICY_KEY = "policy"
WORDLISTS_KEY = "wordlists"


def get_setting(key: str, default: Any = None) -> Any:
    """The stored value of ``key``, or ``default``."""
    value = _snapshot().get(key)
    return default if value is None else value


def _snapshot() -> dict[str, Any]:
    """Policy and word lists, read in one query and kept for ``SETTINGS_CACHE_SECONDS``."""
    store = current_app.extensions.setdefault("board.settings", {})
    ttl = float(current_app.config.get("SETTINGS_CACHE_SECONDS", 5))
    cached = store.get("snapshot")
    if cached is not None and time.monotonic() - cached[0] < ttl:
        return cached[1]
    rows = db.session.execute(
        sa.select(Setting.key, Setting.value).where(Setting.key.in_([POLICY_KEY, WORDLISTS_KEY]))
    ).all()
    snapshot = {key: value for key, value in rows}
    store["snapshot"] = (time.monotonic(), snapshot)
    return snapshot


def forget() -> None:
    """Drop this app's copy, so that the next read sees the database."""
    current_app.extensions.setdefault("board.settings", {}).pop("snapshot", None)


def put_setting(key: str, value: Any, actor_id: int | None) -> None:
    """Store ``value`` under ``key`` (the caller commits)."""
    forget()
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value, updated_by_id=actor_id, updated_at=utcnow()))
    else:
        row.value = value
        row.updated_by_id = actor_id
        row.updated_at = utcnow()


def policy() -> PolicySettings:
    """The moderation policy in force."""
    return PolicySettings.from_mapping(get_setting(POLICY_KEY, {}) or {})


def word_lists() -> WordLists:
    """The screening word lists in force (shipped defaults where the admin set none)."""
    overrides = get_setting(WORDLISTS_KEY, {}) or {}
    return _cached_lists(_freeze(overrides))


_LISTS_CACHE: dict[Any, WordLists] = {}


def _cached_lists(frozen: Any) -> WordLists:
    # Building the matchers costs far more than a comment: keep one per distinct setting.
    lists = _LISTS_CACHE.get(frozen)
    if lists is None:
        if len(_LISTS_CACHE) > 8:
            _LISTS_CACHE.clear()
        lists = WordLists.from_overrides({key: list(values) for key, values in frozen})
        _LISTS_CACHE[frozen] = lists
    return lists


def _freeze(overrides: dict[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted((str(k), tuple(str(v) for v in values)) for k, values in overrides.items()))

