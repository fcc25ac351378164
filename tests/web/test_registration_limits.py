"""Registration: counted by address whoever is signed in; a signed-in member is told so."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from board.extensions import db
from board.models import User

from ..builders import PASSWORD, csrf_token, post_form, sign_in
from ..conftest import app_with_limits


def new_account() -> dict[str, str]:
    tag = uuid.uuid4().hex[:8]
    return {"email": f"new-{tag}@example.org", "display_name": f"New {tag}",
            "password": PASSWORD, "confirm": PASSWORD}


def accounts_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User)) or 0


def test_a_signed_in_member_is_told_so_and_a_post_creates_nothing(client, make) -> None:
    member = make.user(name="Ada")
    sign_in(client, member.email)
    page = client.get("/auth/register")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "You are signed in as Ada" in html and 'action="/auth/logout"' in html
    assert 'name="password"' not in html
    token = csrf_token(client, "/auth/register")
    response = client.post("/auth/register", data={"csrf_token": token, **new_account()})
    assert response.status_code == 409
    assert accounts_count() == 1
    assert "Ada" in client.get("/me/comments").get_data(as_text=True)  # still Ada


@pytest.fixture
def limited(database_url):  # type: ignore[no-untyped-def]
    """The app with the default registration limit, counted in memory."""
    with app_with_limits(database_url) as app:
        yield app


def test_one_address_cannot_register_a_dozen_accounts_in_seconds(limited) -> None:
    """The attack: register, (stay signed in or sign out), register again, twelve times."""
    client = limited.test_client()
    where = {"REMOTE_ADDR": "192.0.2.77"}
    allowed = int(limited.config["RATELIMIT_REGISTER"].split()[0])
    statuses = []
    for attempt in range(12):
        signed_in = client.get("/me/comments").status_code == 200
        if attempt % 2 and signed_in:  # every other time, sign out first: it must not matter
            post_form(client, "/auth/logout", {}, page="/auth/register", environ_base=where)
        statuses.append(post_form(client, "/auth/register", new_account(),
                                  environ_base=where).status_code)
    assert accounts_count() <= allowed
    assert statuses.count(429) >= 12 - 2 * allowed and 429 in statuses[allowed:]
    # Another address is not affected.
    fresh = limited.test_client()
    assert post_form(fresh, "/auth/register", new_account(),
                     environ_base={"REMOTE_ADDR": "192.0.2.78"}).status_code == 302
