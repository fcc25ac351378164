"""Tokens of the embed's sign-in popup: minutes to live and unlisted until a frame uses them."""
from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from board import accounts
from board.extensions import db
from board.models import ApiToken
from board.timeutil import utcnow

from ..builders import PASSWORD, post_form, sign_in

POPUP = "/embed/_/signin"


def popup_token(client, email: str) -> str:
    response = post_form(client, POPUP, {"email": email, "password": PASSWORD})
    match = re.search(r'data-token="(brd_[^"]+)"', response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return match.group(1)


def the_row(token: str) -> ApiToken:
    db.session.expire_all()
    return db.session.scalars(sa.select(ApiToken).where(
        ApiToken.token_hash == accounts.token_digest(token))).one()


def test_a_token_no_frame_received_expires_within_minutes_and_is_not_listed(client, make) -> None:
    thread, member = make.thread("post-1"), make.user()
    before = utcnow()
    token = popup_token(client, member.email)
    row = the_row(token)
    assert row.expires_at - before <= timedelta(minutes=5, seconds=5)
    page = client.get("/me/tokens").get_data(as_text=True)
    assert "/revoke" not in page  # nothing listed, so nothing to revoke
    assert accounts.tokens_of(member) == []
    # Six minutes later, never used, it is dead.
    row.created_at -= timedelta(minutes=6)
    row.expires_at -= timedelta(minutes=6)
    db.session.commit()
    response = client.application.test_client().post(
        f"/api/v1/threads/{thread.key}/comments", json={"body": "Late", "consent": True},
        headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_the_frames_first_use_gives_the_embed_lifetime_and_lists_it(app, client, make) -> None:
    thread, member = make.thread("post-1"), make.user()
    token = popup_token(client, member.email)
    frame = app.test_client()
    response = frame.post(f"/api/v1/threads/{thread.key}/comments",
                          json={"body": "From the frame", "consent": True},
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 202
    row = the_row(token)
    lifetime = timedelta(seconds=app.config["EMBED_TOKEN_LIFETIME"])
    assert row.expires_at - row.created_at == lifetime
    assert [t.id for t in accounts.tokens_of(member)] == [row.id]
    # Later uses change nothing more.
    frame.get(f"/api/v1/threads/{thread.key}", headers={"Authorization": f"Bearer {token}"})
    assert the_row(token).expires_at - row.created_at == lifetime


def test_an_ordinary_token_labelled_embed_keeps_its_lifetime(app, client, make) -> None:
    thread, member = make.thread("post-1"), make.user()
    sign_in(client, member.email)
    html = post_form(client, "/me/tokens", {"label": "embed"}).get_data(as_text=True)
    token = re.search(r"(brd_[A-Za-z0-9_-]+)", html).group(1)
    row = the_row(token)
    full = row.expires_at - row.created_at
    assert full == timedelta(seconds=app.config["TOKEN_LIFETIME"])
    assert [t.id for t in accounts.tokens_of(member)] == [row.id]
    app.test_client().get(f"/api/v1/threads/{thread.key}",
                          headers={"Authorization": f"Bearer {token}"})
    assert the_row(token).expires_at - row.created_at == full
