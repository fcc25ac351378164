"""API: registration and tokens."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from board.accounts import token_digest
from board.extensions import db
from board.models import ApiToken, User

from .conftest import assert_error

PASSWORD = "correct horse battery"


def test_register(api) -> None:
    response = api.post("/members", {"email": "A@Example.org", "display_name": "Ann",
                                     "password": PASSWORD, "unknown": "ignored"})
    assert response.status_code == 201
    assert response.get_json() == {"id": response.get_json()["id"], "display_name": "Ann"}
    assert db.session.scalar(sa.select(User.email)) == "a@example.org"
    again = api.post("/members", {"email": "a@example.org", "display_name": "B",
                                  "password": PASSWORD})
    assert_error(again, 409, "email_taken")


@pytest.mark.parametrize("body, code", [
    ({"display_name": "x", "password": PASSWORD}, "invalid_email"),
    ({"email": "nope", "display_name": "x", "password": PASSWORD}, "invalid_email"),
    ({"email": "a@example.org", "display_name": "", "password": PASSWORD}, "invalid_display_name"),
    ({"email": "a@example.org", "display_name": "x", "password": "short"}, "invalid_password"),
    ({"email": "a@example.org", "display_name": 5, "password": PASSWORD}, "invalid_type"),
    ({"email": ["a@example.org"], "display_name": "x", "password": PASSWORD}, "invalid_type"),
    ({"email": "a@example.org", "display_name": "x\u0000y", "password": PASSWORD}, "invalid_text"),
])
def test_register_refuses_bad_fields(api, body, code) -> None:
    assert_error(api.post("/members", body), 400, code)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_registration_can_be_closed(app, api) -> None:
    app.config["REGISTRATION_OPEN"] = False
    assert_error(api.post("/members", {"email": "a@example.org", "display_name": "A",
                                       "password": PASSWORD}), 403, "registration_closed")


def test_tokens_are_issued_stored_hashed_and_revocable(api, make) -> None:
    make.user(email="m@example.org")
    response = api.post("/tokens", {"email": "M@example.org", "password": PASSWORD})
    assert response.status_code == 201
    token = response.get_json()["token"]
    assert response.get_json()["expires_at"].endswith("Z")
    row = db.session.scalar(sa.select(ApiToken))
    assert row.token_hash == token_digest(token) and token not in row.token_hash
    assert api.delete("/tokens/current", token=token).status_code == 204
    assert_error(api.delete("/tokens/current", token=token), 401, "auth_required")


@pytest.mark.parametrize("body", [
    {"email": "m@example.org", "password": "wrong password"},
    {"email": "nobody@example.org", "password": PASSWORD},
    {"email": "m@example.org"},
])
def test_bad_credentials(api, make, body) -> None:
    make.user(email="m@example.org")
    assert_error(api.post("/tokens", body), 401 if "password" in body else 400)


def test_expired_and_unknown_tokens_are_refused(api, make, token_for) -> None:
    user = make.user()
    token = token_for(user)
    row = db.session.scalar(sa.select(ApiToken))
    row.expires_at -= timedelta(days=2)
    db.session.commit()
    thread = make.thread()
    body = {"body": "hi", "consent": True}
    assert_error(api.post(f"/threads/{thread.key}/comments", body, token=token), 401,
                 "auth_required")
    assert_error(api.post(f"/threads/{thread.key}/comments", body, token="brd_made_up"), 401)
    assert_error(api.post(f"/threads/{thread.key}/comments", body), 401, "auth_required")
