"""Idempotent comment submission (SPEC 5): a retry gets the first answer, nothing new is stored.

A key is per account and kept 24 hours, as a digest. Its row is written in the same
transaction as the comment, so a key exists exactly when its comment does; two requests
with the same key at once are decided by the unique constraint (user, key digest): the
loser rolls back and replays the winner's answer.

Two kinds of key: an API client's ``Idempotency-Key`` header (the same key with another
request body is refused, 422 ``idempotency_key_reused``), and the hidden key of a page or
embed form, generated when the form is rendered. A form's key covers its content: sending
the same form again with the same text is recognised ("already received"); with edited
text it is a new comment.
"""
from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..errors import BoardError, Conflict, ValidationError
from ..extensions import db
from ..models import IdempotencyKey

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 200
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]{1,%d}" % MAX_KEY_LENGTH)
FORM_KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"

_keys = cast(sa.Table, IdempotencyKey.__table__)
_INSERT = sa.insert(_keys)
_FIND = sa.select(IdempotencyKey).where(IdempotencyKey.user_id == sa.bindparam("user_id"),
                                        IdempotencyKey.key_hash == sa.bindparam("key_hash"))


class IdempotencyKeyReused(BoardError):
    """The key was already used for a different request."""

    status = 422
    code = "idempotency_key_reused"
    message = ("This Idempotency-Key was already used for a different request; send a new key "
               "for a new comment.")


class AlreadyReceived(Conflict):
    """A form sent again: its comment was stored the first time."""

    code = "already_received"
    message = ("We already received this comment, so there is no need to send it again. You "
               "can follow it on your My comments page.")


class KeyTaken(Exception):
    """Another request stored a comment under the same key first (this one rolled back)."""


@dataclass(frozen=True)
class Claim:
    """A submission's key as stored: its digest, and the digest of the request it came with."""

    key_hash: str
    fingerprint: str


@dataclass
class Receipt:
    """The answer to a submission: the first one, replayed or not."""

    comment_id: int
    status: int
    body: dict[str, Any]
    replayed: bool = False
    comment: Any = field(default=None, repr=False)


def new_form_key() -> str:
    """A fresh key for a rendered comment form."""
    return secrets.token_urlsafe(24)


def check_key(raw: object) -> str:
    """A header key: 1-200 printable ASCII characters, else 400 ``invalid_idempotency_key``."""
    if not isinstance(raw, str) or not _PRINTABLE_ASCII.fullmatch(raw):
        raise ValidationError(
            f"An Idempotency-Key is 1 to {MAX_KEY_LENGTH} printable ASCII characters.",
            code="invalid_idempotency_key")
    return raw


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def fingerprint(thread_key: str, body: object, consent: object, parent_id: object) -> str:
    """The digest of what a submission asks for."""
    return _digest(json.dumps([thread_key, body, consent, parent_id], ensure_ascii=False))


def claim(scope: str, key: str, request_fingerprint: str) -> Claim:
    """The claim of ``key`` for a request; ``scope`` "form" makes the key cover the content."""
    if scope == "form":
        return Claim(_digest("form", key, request_fingerprint), request_fingerprint)
    return Claim(_digest("api", check_key(key)), request_fingerprint)


def find(user_id: int, held: Claim, now: datetime) -> IdempotencyKey | None:
    """The account's stored answer for this key, if younger than 24 hours.

    An expired row is deleted on the way (its key may be used again).
    """
    row = db.session.scalar(_FIND, {"user_id": user_id, "key_hash": held.key_hash})
    if row is not None and row.created_at <= now - KEY_LIFETIME:
        db.session.delete(row)
        db.session.commit()
        return None
    return row


def replay(row: IdempotencyKey, held: Claim) -> Receipt:
    """The first answer, for a retry; ``IdempotencyKeyReused`` if the request differs."""
    response = row.response or {}
    if response.get("request") != held.fingerprint:
        raise IdempotencyKeyReused()
    return Receipt(cast(int, row.comment_id), row.status, dict(response.get("body") or {}),
                   replayed=True)


def record(session: Session, user_id: int, held: Claim, comment_id: int, status: int,
           body: dict[str, Any], now: datetime) -> None:
    """Store the answer in the caller's transaction (a plain INSERT: the submission's hot path).

    ``response`` holds the request's digest next to the answer: a retry must match it.
    """
    session.execute(_INSERT, {
        "user_id": user_id, "key_hash": held.key_hash, "comment_id": comment_id,
        "status": status, "response": {"request": held.fingerprint, "body": body},
        "created_at": now,
    })


def update_answer(session: Session, user_id: int, held: Claim, body: dict[str, Any]) -> None:
    """Replace the stored answer's body (the state after an automatic decision), in the
    transaction of that decision."""
    session.execute(
        sa.update(_keys).where(_keys.c.user_id == user_id, _keys.c.key_hash == held.key_hash)
        .values(response={"request": held.fingerprint, "body": body}))


def is_taken(user_id: int, held: Claim) -> bool:
    """Whether a row holds this key (after a unique-constraint failure)."""
    return db.session.scalar(sa.select(_keys.c.id).where(
        _keys.c.user_id == user_id, _keys.c.key_hash == held.key_hash)) is not None


def purge_expired(now: datetime) -> int:
    """Delete keys older than 24 hours; returns how many (for a ``purge`` command)."""
    result = cast(sa.CursorResult[Any], db.session.execute(
        sa.delete(_keys).where(_keys.c.created_at <= now - KEY_LIFETIME)))
    db.session.commit()
    return result.rowcount or 0
