"""Responses that show a new token are never cached; production sends HSTS."""
from __future__ import annotations

import re

import pytest

from board import create_app

from ..api.conftest import Api
from ..builders import PASSWORD, post_form, sign_in


def test_the_api_token_exchange_is_no_store(client, make) -> None:
    member = make.user()
    response = Api(client).post("/tokens", {"email": member.email, "password": PASSWORD})
    assert response.status_code == 201 and response.get_json()["token"].startswith("brd_")
    assert response.headers["Cache-Control"] == "no-store"


def test_the_tokens_page_showing_a_new_token_is_no_store(client, make) -> None:
    member = make.user()
    sign_in(client, member.email)
    response = post_form(client, "/me/tokens", {"label": "Script"})
    assert response.status_code == 200
    assert re.search(r"brd_[A-Za-z0-9_-]{20,}", response.get_data(as_text=True))
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/me/tokens").headers["Cache-Control"] == "no-store"


def test_the_embed_handoff_is_no_store(client, make) -> None:
    member = make.user()
    response = post_form(client, "/embed/_/signin", {"email": member.email,
                                                     "password": PASSWORD})
    assert 'data-token="brd_' in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("overrides", "expected"), [
    ({}, "max-age=31536000"),
    ({"HSTS_SECONDS": 600}, "max-age=600"),
    ({"HSTS_SECONDS": 600, "HSTS_INCLUDE_SUBDOMAINS": True}, "max-age=600; includeSubDomains"),
    ({"HSTS_SECONDS": 0}, None),
])
def test_production_sends_hsts(overrides, expected) -> None:
    app = create_app({"BOARD_ENV": "production", "SECRET_KEY": "k" * 40,
                      "SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": False,
                      **overrides})
    response = app.test_client().get("/auth/login")
    assert response.headers.get("Strict-Transport-Security") == expected


def test_development_and_tests_send_no_hsts(client) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers
