"""Signing out ends the session on the server: copied session and remember-me cookies stop
working, every sign-in gets a new remember-me cookie, and it lasts 30 days by default."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from board import accounts
from board.extensions import db
from board.models import AuditEntry, User
from board.timeutil import utcnow

from ..builders import PASSWORD, csrf_token, post_form

REMEMBER = "remember_token"


def signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    """Whether the client's cookies open a members-only page."""
    return client.get("/me/comments").status_code == 200


def sign_in(client, email: str, remember: bool = False):  # type: ignore[no-untyped-def]
    data = {"email": email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = post_form(client, "/auth/login", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def sign_out(client) -> None:  # type: ignore[no-untyped-def]
    response = post_form(client, "/auth/logout", {}, page="/me/comments")
    assert response.status_code == 302


def replay(app, name: str, value: str):  # type: ignore[no-untyped-def]
    """A fresh browser holding only one copied cookie."""
    other = app.test_client()
    other.set_cookie(name, value)
    return other


def test_a_session_cookie_copied_before_sign_out_no_longer_works(app, client, make) -> None:
    member = make.user()
    sign_in(client, member.email)
    copied = client.get_cookie("session").value
    assert signed_in(replay(app, "session", copied))
    sign_out(client)
    assert not signed_in(client)
    assert not signed_in(replay(app, "session", copied))


def test_a_remember_me_cookie_copied_before_sign_out_no_longer_works(app, client, make) -> None:
    member = make.user()
    sign_in(client, member.email, remember=True)
    copied = client.get_cookie(REMEMBER).value
    assert signed_in(replay(app, REMEMBER, copied))  # the cookie alone signs in...
    sign_out(client)
    assert not signed_in(replay(app, REMEMBER, copied))  # ...until the member signs out


def test_signing_out_ends_the_accounts_sessions_in_every_browser(app, make) -> None:
    member = make.user()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, member.email)
    sign_in(phone, member.email, remember=True)
    sign_out(laptop)
    assert not signed_in(phone)
    entry = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "auth.sessions_ended"))
    assert entry.actor_id == member.id and entry.detail == {"cause": "sign_out"}


def test_every_sign_in_gets_a_new_remember_me_cookie_of_30_days(client, make) -> None:
    member = make.user()
    values = []
    for _ in range(2):
        sign_in(client, member.email, remember=True)
        cookie = client.get_cookie(REMEMBER)
        values.append(cookie.value)
        lifetime = cookie.expires - datetime.now(UTC)
        assert timedelta(days=29, hours=23) < lifetime <= timedelta(days=30)
        assert signed_in(client)
        sign_out(client)
    assert values[0] != values[1]


def test_the_remember_me_lifetime_is_configurable() -> None:
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = subprocess.run(
        [sys.executable, "-c", "import config; print(config.Config.REMEMBER_COOKIE_DURATION.days)"],
        cwd=root, env={**os.environ, "BOARD_REMEMBER_DAYS": "7"}, capture_output=True, text=True,
        check=True, timeout=60,
    )
    assert out.stdout.strip() == "7"


def test_ending_sessions_from_a_service_signs_the_browser_out(app, client, make) -> None:
    """What a password change or reset does: one call ends every session of the account."""
    member = make.user()
    sign_in(client, member.email, remember=True)
    remembered = client.get_cookie(REMEMBER).value
    accounts.end_sessions(db.session.get(User, member.id), utcnow(), cause="password_change")
    db.session.commit()
    assert not signed_in(client)
    assert not signed_in(replay(app, REMEMBER, remembered))
    sign_in(client, member.email)  # signing in again works at the new generation
    assert signed_in(client)


def test_a_session_without_a_generation_is_refused(app, client, make) -> None:
    """Sessions that name only the account id (the old format) no longer sign anyone in."""
    member = make.user()
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    forged = serializer.dumps({"_user_id": str(member.id), "_fresh": True})
    assert not signed_in(replay(app, "session", forged))
    for bad in ("", "x:y:z", f"{member.id}:1", f"{member.id}:1:", "1" * 200):
        assert accounts.load_session_user(bad) is None
    good = db.session.get(User, member.id).get_id()
    assert accounts.load_session_user(good) is not None


def test_signing_out_from_the_embed_popup_ends_the_sessions_too(app, client, make) -> None:
    member = make.user()
    sign_in(client, member.email, remember=True)
    copied = client.get_cookie("session").value
    remembered = client.get_cookie(REMEMBER).value
    token = csrf_token(client, "/embed/_/signin")
    response = client.post("/embed/_/signout", data={"csrf_token": token})
    assert response.status_code == 302
    assert not signed_in(client)
    assert not signed_in(replay(app, "session", copied))
    assert not signed_in(replay(app, REMEMBER, remembered))
