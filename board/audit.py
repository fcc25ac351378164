"""The audit log: sign-ins, staff decisions and admin changes (SPEC 9)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from .extensions import db
from .models import AuditEntry, User


def record(actor: User | None, action: str, target: str | None = None,
           detail: dict[str, Any] | None = None, *, now: datetime) -> AuditEntry:
    """Add an audit entry to the session (the caller's commit stores it with the change).

    ``detail`` must hold identifiers and codes only, never personal data or comment text.
    """
    entry = AuditEntry(actor_id=actor.id if actor else None, action=action, target=target,
                       detail=detail or {}, created_at=now)
    db.session.add(entry)
    return entry
