"""Threads created by anonymous embeds: limited per client and per site, titles screened,
unlisted until a comment is approved or an admin confirms them, and a squatted key given
back to the site's real page."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from board import lifecycle
from board.extensions import db
from board.models import AuditEntry, Site, SiteOrigin, Thread
from board.timeutil import utcnow
from board.vocabulary import Role

from ..builders import post_form, sign_in
from ..conftest import app_with_limits

HOST = "https://blog.example.org"


def make_site(origins: list[str] | None = None, name: str = "Blog") -> Site:
    site = Site(name=name, auto_create_threads=True,
                origins=[SiteOrigin(origin=o) for o in origins or [HOST]])
    db.session.add(site)
    db.session.commit()
    return site


def embed(client, key: str, title: str = "A post", url: str | None = None,
          origin: str = HOST, **environ: str):
    return client.get(f"/embed/{key}", environ_base=environ, query_string={
        "origin": origin, "url": url or f"{origin}/{key}", "title": title})


def thread(key: str) -> Thread:
    db.session.expire_all()
    return db.session.scalars(sa.select(Thread).where(Thread.key == key)).one()


def count_threads() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Thread)) or 0


# -- limits ----------------------------------------------------------------------------------

@pytest.fixture
def limited_app(database_url: str) -> Iterator[Flask]:
    with app_with_limits(database_url, RATELIMIT_AUTO_THREADS="3 per minute",
                         RATELIMIT_AUTO_THREADS_SITE="5 per hour") as app:
        yield app


def test_many_addresses_cannot_fill_a_site_with_threads(limited_app) -> None:
    make_site()
    client = limited_app.test_client()
    statuses = [embed(client, f"spam-{n}", REMOTE_ADDR=f"203.0.113.{n}").status_code
                for n in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    assert count_threads() == 5
    # Another site has its own budget.
    make_site(["https://news.example.org"], name="News")
    assert embed(client, "fine", origin="https://news.example.org",
                 REMOTE_ADDR="203.0.113.99").status_code == 200


def test_one_address_is_limited_across_sites(limited_app) -> None:
    make_site()
    make_site(["https://news.example.org"], name="News")
    client = limited_app.test_client()
    statuses = [embed(client, f"p-{n}", origin=origin, REMOTE_ADDR="198.51.100.7").status_code
                for n, origin in enumerate([HOST, "https://news.example.org"] * 2)]
    assert statuses == [200, 200, 200, 429]


# -- titles ----------------------------------------------------------------------------------

@pytest.mark.parametrize("title", [
    "You fucking idiots",
    "I will kill you",
    "Call me at 415-555-0173 or jane.doe@example.com",
    "Card 4111 1111 1111 1111",
])
def test_a_flagged_title_is_not_used(client, title) -> None:
    make_site()
    assert embed(client, "new-post", title=title).status_code == 200
    assert thread("new-post").title == "new-post"


def test_a_clean_title_is_used(client) -> None:
    make_site()
    embed(client, "new-post", title="Draft plan for the city parks")
    assert thread("new-post").title == "Draft plan for the city parks"


# -- the public index ------------------------------------------------------------------------

def test_an_embed_created_thread_is_reachable_but_not_on_the_index(client) -> None:
    make_site()
    embed(client, "squat-1", title="Totally official announcement")
    assert thread("squat-1").is_listed is False
    assert "Totally official announcement" not in client.get("/").get_data(as_text=True)
    assert client.get("/t/squat-1").status_code == 200
    assert embed(client, "squat-1", title="Totally official announcement").status_code == 200
    assert client.get("/api/v1/threads/squat-1").status_code == 200


def test_an_approved_comment_lists_the_thread(client, make) -> None:
    make_site()
    embed(client, "new-post", title="Parks plan")
    comment = make.comment(thread("new-post"), make.user(), "Nice plan")
    assert thread("new-post").is_listed is False  # a pending comment vouches for nothing
    lifecycle.transition(comment, "approve", make.user(Role.MODERATOR), now=utcnow())
    db.session.commit()
    assert thread("new-post").is_listed is True
    assert "Parks plan" in client.get("/").get_data(as_text=True)


def test_an_admin_confirms_a_thread_and_it_is_audited(client, make) -> None:
    make_site()
    embed(client, "new-post", title="Parks plan")
    make.user(Role.ADMIN, email="admin@example.org")
    sign_in(client, "admin@example.org")
    page = client.get("/admin/threads").get_data(as_text=True)
    assert "Created by an embed, not listed" in page
    target = thread("new-post")
    response = post_form(client, f"/admin/threads/{target.id}/confirm", {},
                         page="/admin/threads", follow_redirects=True)
    assert "is confirmed and listed" in response.get_data(as_text=True)
    assert thread("new-post").is_listed is True
    assert db.session.scalars(sa.select(AuditEntry.action)
                              .where(AuditEntry.action == "thread.confirm")).all()
    assert "Parks plan" in client.get("/").get_data(as_text=True)


def test_moderators_cannot_confirm(client, make) -> None:
    make_site()
    embed(client, "new-post")
    make.user(Role.MODERATOR, email="mod@example.org")
    sign_in(client, "mod@example.org")
    response = post_form(client, f"/admin/threads/{thread('new-post').id}/confirm", {},
                         page="/moderation/")
    assert response.status_code in (302, 403)
    assert thread("new-post").is_listed is False


# -- a squatted key ----------------------------------------------------------------------------

def test_the_real_page_takes_back_a_squatted_key(client, make) -> None:
    make_site()
    # Someone embeds tomorrow's post key first, with a title of their choosing.
    embed(client, "2026-budget", title="Budget leaked: visit our site",
          url=f"{HOST}/whatever?ref=squat")
    squatted = thread("2026-budget")
    assert (squatted.title, squatted.is_listed) == ("Budget leaked: visit our site", False)
    # The real post is published and loads the embed.
    embed(client, "2026-budget", title="The 2026 budget", url=f"{HOST}/2026/budget")
    real = thread("2026-budget")
    assert (real.title, real.url) == ("The 2026 budget", f"{HOST}/2026/budget")
    assert "The 2026 budget" in client.get("/t/2026-budget").get_data(as_text=True)
    # Pages of other origins change nothing.
    embed(client, "2026-budget", title="Evil", url="https://evil.example/x",
          origin="https://evil.example")
    embed(client, "2026-budget", title="Evil", url="https://evil.example/x")
    assert thread("2026-budget").title == "The 2026 budget"
    # Once a comment is approved, title and address are final.
    comment = make.comment(real, make.user(), "First!")
    lifecycle.transition(comment, "approve", make.user(Role.MODERATOR), now=utcnow())
    db.session.commit()
    embed(client, "2026-budget", title="Changed later", url=f"{HOST}/elsewhere")
    final = thread("2026-budget")
    assert (final.title, final.url, final.is_listed) == ("The 2026 budget",
                                                         f"{HOST}/2026/budget", True)


def test_a_flagged_title_never_replaces_one(client) -> None:
    make_site()
    embed(client, "new-post", title="Parks plan")
    embed(client, "new-post", title="I will kill you", url=f"{HOST}/new-post")
    assert thread("new-post").title == "new-post"  # the key, never the flagged words


def test_threads_made_by_staff_are_listed_and_never_retitled(client, make) -> None:
    site = make_site()
    staff_thread = make.thread("post-1", "Official title")
    staff_thread.site, staff_thread.url = site, f"{HOST}/post-1"
    db.session.commit()
    embed(client, "post-1", title="Something else")
    assert (thread("post-1").title, thread("post-1").is_listed) == ("Official title", True)
    assert "Official title" in client.get("/").get_data(as_text=True)
