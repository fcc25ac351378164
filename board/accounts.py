"""Account rules shared by the pages, the API and the CLI."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email

from . import audit
from .errors import Conflict, ValidationError
from .extensions import db
from .models import ApiToken, User
from .vocabulary import Role

MIN_PASSWORD = 10
MAX_PASSWORD = 1024


def normalise_email(email: str) -> str:
    """A syntactically valid, lower-cased e-mail address, or ``ValidationError``."""
    if not isinstance(email, str):
        raise ValidationError("Enter an e-mail address.", code="invalid_email")
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError("Enter a valid e-mail address.", code="invalid_email") from None
    return checked.normalized.lower()


def check_password_rules(password: str) -> None:
    """Passwords are 10 to 1024 characters."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationError(
            f"Choose a password of at least {MIN_PASSWORD} characters.", code="invalid_password"
        )
    if len(password) > MAX_PASSWORD:
        raise ValidationError("That password is too long.", code="invalid_password")


def clean_display_name(name: str) -> str:
    """A display name of 1 to 80 printable characters."""
    if not isinstance(name, str):
        raise ValidationError("Enter a display name.", code="invalid_display_name")
    name = " ".join(name.split())
    if not name or len(name) > 80 or not name.isprintable():
        raise ValidationError(
            "Display names are 1 to 80 printable characters.", code="invalid_display_name"
        )
    return name


def find_by_email(email: str) -> User | None:
    """The account with this e-mail address, if any."""
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def create_user(email: str, display_name: str, password: str, role: Role | str = Role.MEMBER,
                *, now: datetime) -> User:
    """Create an account and commit it; ``Conflict(email_taken)`` if the address is in use."""
    email = normalise_email(email)
    display_name = clean_display_name(display_name)
    check_password_rules(password)
    try:
        role = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise ValidationError(f"Unknown role {role!r}; use one of: {roles}.",
                              code="invalid_role") from None
    if find_by_email(email) is not None:
        raise Conflict("An account with that e-mail address already exists.", code="email_taken")
    user = User(email=email, display_name=display_name, role=role, created_at=now)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # lost a race with the same address
        db.session.rollback()
        raise Conflict("An account with that e-mail address already exists.",
                       code="email_taken") from None
    return user


def authenticate(email: str, password: str, now: datetime) -> User | None:
    """The account if the password matches, else None (same cost either way)."""
    user = find_by_email(email) if isinstance(email, str) else None
    if user is None or not isinstance(password, str):
        # Spend the same time as a real check so that timing does not reveal accounts.
        User(password_hash=_DUMMY_HASH).check_password("not the password")
        return None
    if not user.check_password(password):
        audit.record(user, "auth.sign_in_failed", f"user:{user.id}", now=now)
        db.session.commit()
        return None
    user.last_login_at = now
    audit.record(user, "auth.sign_in", f"user:{user.id}", now=now)
    db.session.commit()
    return user


def load_session_user(session_id: str) -> User | None:
    """The account behind a session or remember-me identity (``User.get_id``), if still valid.

    An identity whose generation is not the account's current ``session_generation`` was
    ended (sign-out, password change or reset) and loads nobody; so does the bare id of
    sessions made before identities carried a generation.
    """
    if not isinstance(session_id, str) or len(session_id) > 100:
        return None
    parts = session_id.split(":")
    if len(parts) != 3 or not all(p.isdigit() and len(p) < 19 for p in parts[:2]) \
            or not parts[2]:
        return None
    user = db.session.get(User, int(parts[0]))
    if user is None or user.session_generation != int(parts[1]):
        return None
    user.resume_sign_in(parts[2])
    return user


def end_sessions(user: User, now: datetime, cause: str = "sign_out") -> None:
    """End every session and remember-me cookie of ``user`` on the server.

    Raises the account's session generation in the database (one atomic increment, so that
    two ends at once both count). The caller commits, in the same transaction as the change
    that calls for it; ``cause`` names it in the audit log: ``sign_out``,
    ``password_change``, ``password_reset``.
    """
    db.session.execute(
        sa.update(User).where(User.id == user.id)
        .values(session_generation=User.session_generation + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["session_generation"])
    audit.record(user, "auth.sessions_ended", f"user:{user.id}", {"cause": cause}, now=now)


def sign_out(user: User, now: datetime) -> None:
    """Sign ``user`` out everywhere: every session and remember-me cookie ends; commits."""
    end_sessions(user, now)
    db.session.commit()


def token_digest(token: str) -> str:
    """The stored form of an API token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(user: User, now: datetime, lifetime: int, label: str = "") -> tuple[str, ApiToken]:
    """A new random API token for ``user``; only its digest is stored."""
    token = "brd_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=token_digest(token), label=label[:80],
                   created_at=now, expires_at=now + timedelta(seconds=lifetime))
    db.session.add(row)
    db.session.commit()
    return token, row


def _dummy_hash() -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash("timing-equaliser")


_DUMMY_HASH = _dummy_hash()


def tokens_of(user: User) -> list[ApiToken]:
    """The account's API tokens, newest first (not those the embed's popup minted that no
    frame has used: they expire within minutes unseen)."""
    return [row for row in db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ) if not is_unclaimed_embed_token(row)]


EMBED_TOKEN_LABEL = "embed"
# How long a token handed out by the embed's sign-in popup lives until a frame first uses it.
EMBED_CLAIM_WINDOW = timedelta(minutes=5)


def is_unclaimed_embed_token(row: ApiToken) -> bool:
    """A token minted by the embed's popup that no frame has used yet.

    Recognised by its label, no use, and a lifetime no longer than the claim window (so an
    ordinary token that a member happened to label "embed" is never taken for one).
    """
    return (row.label == EMBED_TOKEN_LABEL and row.last_used_at is None
            and row.expires_at - row.created_at <= EMBED_CLAIM_WINDOW)


def claim_embed_token(row: ApiToken, lifetime: int) -> None:
    """At a frame's first use, give a popup's token its full lifetime (the caller commits)."""
    if is_unclaimed_embed_token(row):
        row.expires_at = row.created_at + timedelta(seconds=lifetime)


LAST_USED_PRECISION = timedelta(hours=1)


def note_token_use(row: ApiToken, now: datetime, embed_lifetime: int) -> None:
    """Record that a token was used: at most one write an hour per token, plus the first use
    of a popup's token by its frame (which gives it ``embed_lifetime`` seconds); commits."""
    if row.last_used_at is None:
        claim_embed_token(row, embed_lifetime)
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_PRECISION:
        row.last_used_at = now
        db.session.commit()


def revoke_token(user: User, token_id: int, now: datetime) -> ApiToken:
    """Revoke one of the account's own tokens (revoking twice changes nothing)."""
    from .errors import NotFound

    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFound("There is no such token of yours.")
    if row.revoked_at is None:
        row.revoked_at = now
        audit.record(user, "token.revoke", f"token:{row.id}", now=now)
        db.session.commit()
    return row
