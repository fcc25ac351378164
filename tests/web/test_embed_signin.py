"""The sign-in popup: the normal sign-in form, "signed in as", and the short-lived embed token."""
from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from board.accounts import token_digest
from board.extensions import db
from board.models import ApiToken
from board.timeutil import utcnow

from ..builders import PASSWORD, csrf_token, post_form, sign_in

POPUP = "/embed/_/signin"


def handed_token(response) -> str:
    match = re.search(r'data-token="(brd_[^"]+)"', response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return match.group(1)


def test_signed_out_popup_shows_the_sign_in_form(client) -> None:
    response = client.get(POPUP)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="email"' in html and 'name="password"' in html and 'name="csrf_token"' in html
    assert "Create an account" in html and "/auth/register?next=/embed/_/signin" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_signing_in_issues_a_short_lived_embed_token(client, make) -> None:
    member = make.user(name="Ada")
    before = utcnow()
    response = post_form(client, POPUP, {"email": member.email, "password": PASSWORD})
    assert response.status_code == 200
    token = handed_token(response)
    row = db.session.scalars(sa.select(ApiToken)).one()
    assert row.token_hash == token_digest(token) and token not in row.token_hash
    assert row.user_id == member.id and row.label == "embed"
    # Minutes until a frame first uses it (then the embed lifetime: test_embed_tokens.py).
    assert timedelta(minutes=4) < row.expires_at - before <= timedelta(minutes=5, seconds=5)
    html = response.get_data(as_text=True)
    assert 'data-name="Ada"' in html and "embed-popup.js" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    # The popup also signed in to Board itself, for the next time.
    assert "You are signed in to Board as <strong>Ada</strong>" in \
        client.get(POPUP).get_data(as_text=True)


def test_the_token_works_with_the_api(client, make) -> None:
    thread = make.thread("post-1")
    member = make.user()
    token = handed_token(post_form(client, POPUP, {"email": member.email, "password": PASSWORD}))
    other = client.application.test_client()
    response = other.post(f"/api/v1/threads/{thread.key}/comments",
                          json={"body": "Hello", "consent": True},
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 202 and response.get_json()["state"] == "pending"


def test_wrong_password_shows_the_form_again(client, make) -> None:
    member = make.user()
    response = post_form(client, POPUP, {"email": member.email, "password": "not the password"})
    assert response.status_code == 400
    assert "do not match an account" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_signed_in_popup_says_so_and_continues_on_request(client, make) -> None:
    member = make.user(name="Ada")
    sign_in(client, member.email)
    response = client.get(POPUP)
    html = response.get_data(as_text=True)
    assert "You are signed in to Board as <strong>Ada</strong>" in html
    assert "Continue as Ada" in html and 'name="password"' not in html
    # Merely opening the page issues nothing: a token needs the button (a POST with CSRF).
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
    token = handed_token(post_form(client, POPUP, {}))
    assert db.session.scalars(sa.select(ApiToken.label)).one() == "embed"
    assert token.startswith("brd_")


def test_continue_needs_the_csrf_token(client, make) -> None:
    sign_in(client, make.user().email)
    response = client.post(POPUP, data={})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_use_another_account_signs_out(client, make) -> None:
    sign_in(client, make.user().email)
    token = csrf_token(client, POPUP)
    response = client.post("/embed/_/signout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == POPUP
    assert 'name="password"' in client.get(POPUP).get_data(as_text=True)


def test_loader_is_served_as_cacheable_javascript(client) -> None:
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "board:resize" in response.get_data(as_text=True)
    response.close()
    etag = response.headers["ETag"]
    with client.get("/embed.js", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304
