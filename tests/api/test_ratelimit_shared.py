"""One budget per client and kind of action, across every route that performs it.

A client is counted by address always and by account when signed in: switching routes
(page, embed popup, API) or rotating accounts does not multiply a budget.
"""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from board import accounts
from board.extensions import db
from board.models import Comment, Report, User
from board.timeutil import utcnow
from board.vocabulary import State

from ..builders import PASSWORD, Builders, post_form
from ..conftest import LIMIT_STORAGES, app_with_limits
from .conftest import Api, assert_error

@pytest.fixture(params=LIMIT_STORAGES, ids=lambda s: s.split(":")[0])
def limited(request, database_url):  # type: ignore[no-untyped-def]
    """An app with small limits on each storage (built last, so that its limits are on)."""
    limits = {"RATELIMIT_SIGNIN": "3 per minute", "RATELIMIT_TOKENS": "20 per minute",
              "RATELIMIT_REGISTER": "3 per minute", "RATELIMIT_COMMENTS": "2 per minute",
              "RATELIMIT_REPORTS": "2 per minute"}
    with app_with_limits(database_url, request.param, **limits) as app:
        yield app


def address() -> dict[str, str]:
    """A client address of its own, so that counts never carry over between tests."""
    n = uuid.uuid4().int
    return {"REMOTE_ADDR": f"203.0.{n % 250}.{(n >> 8) % 250}"}


def member(name: str = "m") -> User:
    return Builders.user(email=f"{name}-{uuid.uuid4().hex[:8]}@example.org")


def test_sign_in_routes_share_one_budget_per_address(limited) -> None:
    """Page, embed popup and API token exchange: 3 guesses in all, not 3 on each."""
    client, where = limited.test_client(), address()
    api = Api(client)
    wrong = {"email": "victim@example.org", "password": "wrong password"}
    assert post_form(client, "/auth/login", wrong, environ_base=where).status_code == 400
    assert post_form(client, "/embed/_/signin", wrong, environ_base=where).status_code == 400
    assert api.post("/tokens", wrong, environ_base=where).status_code == 401
    assert post_form(client, "/auth/login", wrong, environ_base=where).status_code == 429
    assert post_form(client, "/embed/_/signin", wrong, environ_base=where).status_code == 429
    assert_error(api.post("/tokens", wrong, environ_base=where), 429, "rate_limited")
    # Another address has its own budget.
    assert api.post("/tokens", wrong, environ_base=address()).status_code == 401


def test_comment_routes_share_one_budget_per_account(limited) -> None:
    """Page, embed and API with one account, each from a new address: 2 comments in all."""
    author = member()
    thread = Builders.thread(f"post-{uuid.uuid4().hex[:8]}")
    token = accounts.issue_token(author, utcnow(), 3600, "test")[0]
    browser = limited.test_client()
    post_form(browser, "/auth/login", {"email": author.email, "password": PASSWORD},
              environ_base=address())
    body = {"body": "A fair point.", "consent": "y"}
    page = post_form(browser, f"/t/{thread.key}", body, environ_base=address())
    assert page.status_code == 302
    embed = post_form(browser, f"/embed/{thread.key}", body, environ_base=address())
    assert embed.status_code == 302
    api = Api(limited.test_client())
    assert_error(api.post(f"/threads/{thread.key}/comments", {"body": "Third", "consent": True},
                          token=token, environ_base=address()), 429, "rate_limited")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 2


def test_rotating_accounts_from_one_address_does_not_multiply_the_budget(limited) -> None:
    thread = Builders.thread(f"post-{uuid.uuid4().hex[:8]}")
    api, where = Api(limited.test_client()), address()
    statuses = []
    for i in range(4):
        token = accounts.issue_token(member(f"r{i}"), utcnow(), 3600, "test")[0]
        statuses.append(api.post(f"/threads/{thread.key}/comments",
                                 {"body": f"Comment {i}", "consent": True},
                                 token=token, environ_base=where).status_code)
    assert statuses == [202, 202, 429, 429]


def test_registration_is_counted_by_address_whoever_is_signed_in(limited) -> None:
    """API and page registrations share the address's budget; a bearer token changes nothing."""
    client, where = limited.test_client(), address()
    api = Api(client)
    bearer = accounts.issue_token(member(), utcnow(), 3600, "test")[0]

    def register(n: int):  # type: ignore[no-untyped-def]
        return api.post("/members", {"email": f"new{n}-{uuid.uuid4().hex[:6]}@example.org",
                                     "display_name": f"New {n}", "password": PASSWORD},
                        token=bearer, environ_base=where)

    assert register(1).status_code == 201
    assert register(2).status_code == 201
    page = post_form(client, "/auth/register", {
        "email": f"page-{uuid.uuid4().hex[:6]}@example.org", "display_name": "Paige",
        "password": PASSWORD, "confirm": PASSWORD}, environ_base=where)
    assert page.status_code == 302  # registered and signed in
    assert_error(register(4), 429, "rate_limited")
    # Signed in as the new account, the page is refused too: the address's budget is spent.
    again = post_form(client, "/auth/register", {
        "email": f"more-{uuid.uuid4().hex[:6]}@example.org", "display_name": "More",
        "password": PASSWORD, "confirm": PASSWORD}, environ_base=where)
    assert again.status_code == 429
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 4


def test_reports_share_one_budget_across_page_and_api(limited) -> None:
    author = member("author")
    thread = Builders.thread(f"post-{uuid.uuid4().hex[:8]}")
    comments = [Builders.comment(thread, author, body=f"Published {i}", state=State.APPROVED)
                for i in range(3)]
    reporter = member("reporter")
    token = accounts.issue_token(reporter, utcnow(), 3600, "test")[0]
    browser = limited.test_client()
    post_form(browser, "/auth/login", {"email": reporter.email, "password": PASSWORD},
              environ_base=address())
    api = Api(limited.test_client())
    assert api.post(f"/comments/{comments[0].id}/reports", {"reason": "spam"}, token=token,
                    environ_base=address()).status_code == 201
    page = post_form(browser, f"/comments/{comments[1].id}/report",
                     {"reason": "spam", "note": ""}, environ_base=address())
    assert page.status_code == 302
    assert_error(api.post(f"/comments/{comments[2].id}/reports", {"reason": "spam"},
                          token=token, environ_base=address()), 429, "rate_limited")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 2
