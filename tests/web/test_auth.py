"""Registration, sign-in and sign-out through the pages."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from board.extensions import db
from board.models import User

from ..builders import PASSWORD, post_form, sign_in


def register(client, email="new@example.org", name="New Member", password=PASSWORD,
             confirm=None):  # type: ignore[no-untyped-def]
    return post_form(client, "/auth/register", {
        "email": email, "display_name": name, "password": password,
        "confirm": password if confirm is None else confirm,
    })


def test_register_creates_a_member_with_a_hashed_password_and_signs_in(client) -> None:
    response = register(client, email="New@Example.org")
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "new@example.org"))
    assert user is not None and user.role.value == "member"
    assert PASSWORD not in user.password_hash and user.check_password(PASSWORD)
    page = client.get("/me/comments")
    assert page.status_code == 200 and "My comments" in page.get_data(as_text=True)


@pytest.mark.parametrize("fields, message", [
    ({"email": "not-an-address"}, "valid e-mail"),
    ({"password": "short", "confirm": "short"}, "at least 10"),
    ({"confirm": "something else entirely"}, "do not match"),
    ({"name": "   "}, "This field is required"),
])
def test_register_explains_bad_input(client, fields, message) -> None:
    response = register(client, **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_register_refuses_a_taken_address(client, make) -> None:
    make.user(email="taken@example.org")
    response = register(client, email="TAKEN@example.org")
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)


def test_forms_without_a_csrf_token_are_refused(client) -> None:
    response = client.post("/auth/register", data={
        "email": "x@example.org", "display_name": "X", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_sign_in_and_out(client, make) -> None:
    user = make.user(email="member@example.org")
    sign_in(client, "member@example.org")
    assert client.get("/me/comments").status_code == 200
    assert db.session.get(User, user.id).last_login_at is not None
    response = post_form(client, "/auth/logout", {}, page="/")
    assert response.status_code == 302
    assert client.get("/me/comments").status_code == 302


def test_wrong_password_is_refused_without_saying_which_part(client, make) -> None:
    make.user(email="member@example.org")
    for email in ("member@example.org", "nobody@example.org"):
        response = post_form(client, "/auth/login", {"email": email, "password": "wrong password"})
        assert response.status_code == 400
        assert "do not match an account" in response.get_data(as_text=True)
    assert client.get("/me/comments").status_code == 302


@pytest.mark.parametrize("target, expected", [
    ("/t/post-1", "/t/post-1"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
])
def test_sign_in_only_returns_to_this_site(client, make, target, expected) -> None:
    make.user(email="member@example.org")
    response = post_form(client, f"/auth/login?next={target}",
                         {"email": "member@example.org", "password": PASSWORD},
                         page="/auth/login")
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_registration_can_be_closed(app, client) -> None:
    app.config["REGISTRATION_OPEN"] = False
    assert client.get("/auth/register").status_code == 404
    assert "Register" not in client.get("/").get_data(as_text=True)
