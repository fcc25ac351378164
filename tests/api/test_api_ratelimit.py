"""Rate limits: 429 with Retry-After and the error shape; in memory, or shared in Redis."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from board.extensions import db
from board.models import Comment

from ..builders import Builders, csrf_token
from ..conftest import LIMIT_STORAGES, app_with_limits
from .conftest import Api, assert_error

@pytest.fixture(params=LIMIT_STORAGES, ids=lambda s: s.split(":")[0])
def limited_app(request, database_url):  # type: ignore[no-untyped-def]
    """The app with rate limits on and small limits, on each storage."""
    with app_with_limits(database_url, request.param, RATELIMIT_TOKENS="3 per minute",
                         RATELIMIT_COMMENTS="2 per minute",
                         RATELIMIT_SIGNIN="3 per minute") as app:
        yield app


def fresh_address() -> dict[str, str]:
    """A client address of its own, so that counts in a shared Redis never carry over."""
    n = uuid.uuid4().int
    return {"REMOTE_ADDR": f"198.51.{n % 250}.{(n >> 8) % 250}"}


def test_token_creation_is_limited_with_retry_after(limited_app) -> None:
    api = Api(limited_app.test_client())
    address = fresh_address()
    for _ in range(3):
        response = api.post("/tokens", {"email": "x@example.org", "password": "wrong password"},
                            environ_base=address)
        assert response.status_code == 401
    response = api.post("/tokens", {"email": "x@example.org", "password": "wrong password"},
                        environ_base=address)
    assert_error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0
    other = api.post("/tokens", {"email": "x@example.org", "password": "wrong password"},
                     environ_base=fresh_address())
    assert other.status_code == 401


def test_comment_submission_is_limited_per_member(limited_app, token_for) -> None:
    make = Builders  # not the fixture: that one builds a second, unlimited app
    api = Api(limited_app.test_client())
    thread = make.thread(f"post-{uuid.uuid4().hex[:8]}")
    token = token_for(make.user(email=f"{uuid.uuid4().hex[:8]}@example.org"))
    statuses = [api.post(f"/threads/{thread.key}/comments", {"body": f"note {i}", "consent": True},
                         token=token, environ_base=fresh_address()).status_code
                for i in range(3)]
    assert statuses == [202, 202, 429]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 2


def test_sign_in_page_is_limited(limited_app) -> None:
    client = limited_app.test_client()
    address = fresh_address()
    token = csrf_token(client, "/auth/login")
    codes = [client.post("/auth/login", data={"email": "a@example.org", "password": "x",
                                              "csrf_token": token},
                         environ_base=address).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    response = client.post("/auth/login", data={"csrf_token": token}, environ_base=address)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "Too Many Requests" in response.get_data(as_text=True) or "429" in response.get_data(as_text=True)
