"""Thread addresses: absolute http(s) URLs on the site's origins; who may change them; origins
entered on the admin pages."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from board import threads
from board.errors import ValidationError
from board.extensions import db
from board.models import Site, SiteOrigin, Thread
from board.timeutil import utcnow
from board.vocabulary import Role

from board import accounts

from ..api.conftest import Api, assert_error
from ..builders import post_form, sign_in


@pytest.fixture
def token_for():  # type: ignore[no-untyped-def]
    return lambda user: accounts.issue_token(user, utcnow(), 3600, "test")[0]

HOST = "https://blog.example.org"


def make_site(origins: list[str], name: str = "Blog") -> Site:
    site = Site(name=name, origins=[SiteOrigin(origin=o) for o in origins])
    db.session.add(site)
    db.session.commit()
    return site


BAD_URLS = [
    "/\\evil.example",                       # browsers read it as //evil.example
    "/\\/evil.example/post",
    "//evil.example/post",                   # scheme-relative: another host
    "/post-1",                               # relative: not an absolute address
    "https:/\\evil.example",
    "https://blog.example.org\\@evil.example/",
    "https://user:pw@blog.example.org/p",    # credentials
    "https://blog.example.org@evil.example/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://blog.example.org/p",
    "https://blog.example.org/p\nSet-Cookie: x",
    "https://blog.example.org/p\x00",
    "https://blog.example.org/\u202eexe.fdp",  # bidi control
    "https://blog.example.org:99999/p",
    "https://",
    "https:///p",
    "",
    "h" * 2001,
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_only_absolute_http_urls_are_thread_addresses(app, url) -> None:
    with pytest.raises(ValidationError) as caught:
        threads.check_url(url)
    assert caught.value.code == "invalid_url"


@pytest.mark.parametrize("url", ["https://example.org/post", "http://localhost:8000/p?x=1",
                                 "https://example.org/a%20b#c"])
def test_good_addresses_are_kept(app, url) -> None:
    assert threads.check_url(url) == url


def test_a_site_threads_address_must_be_on_one_of_its_origins(app) -> None:
    site = make_site([HOST, "http://localhost:8000"])
    assert threads.check_url(f"{HOST}/2026/post", site) == f"{HOST}/2026/post"
    assert threads.check_url("http://localhost:8000/p", site)
    for url in ("https://evil.example/post", "http://blog.example.org/post",
                "https://blog.example.org.evil.example/p", "/\\evil.example"):
        with pytest.raises(ValidationError):
            threads.check_url(url, site)


def test_the_api_refuses_a_backslash_address(client, make, token_for) -> None:
    api = Api(client)
    admin = token_for(make.user(Role.ADMIN))
    assert_error(api.post("/threads", {"key": "p1", "title": "T", "url": "/\\evil.example"},
                          token=admin), 400, "invalid_url")
    make.thread("post-1")
    assert_error(api.patch("/threads/post-1", {"url": "/\\evil.example"}, token=admin), 400,
                 "invalid_url")
    assert db.session.scalar(sa.select(Thread.url).where(Thread.key == "post-1")) \
        == "https://example.org/post"


def test_a_site_threads_address_can_only_move_within_its_origins(client, make,
                                                                 token_for) -> None:
    api = Api(client)
    admin = token_for(make.user(Role.ADMIN))
    thread = make.thread("post-1")
    thread.site = make_site([HOST])
    thread.url = f"{HOST}/post-1"
    db.session.commit()
    assert_error(api.patch("/threads/post-1", {"url": "https://evil.example/phish"},
                           token=admin), 400, "invalid_url")
    ok = api.patch("/threads/post-1", {"url": f"{HOST}/moved"}, token=admin)
    assert ok.status_code == 200 and ok.get_json()["url"] == f"{HOST}/moved"


def test_moderators_open_and_close_but_only_admins_rename(client, make, token_for) -> None:
    api = Api(client)
    make.thread("post-1", "Budget")
    moderator = token_for(make.user(Role.MODERATOR))
    assert_error(api.patch("/threads/post-1", {"title": "Click here"}, token=moderator), 403,
                 "admin_required")
    assert_error(api.patch("/threads/post-1", {"url": "https://example.org/phish"},
                           token=moderator), 403, "admin_required")
    assert_error(api.patch("/threads/post-1", {"is_open": False, "title": "X"},
                           token=moderator), 403)
    thread = db.session.scalar(sa.select(Thread))
    assert (thread.title, thread.url, thread.is_open) == ("Budget", "https://example.org/post",
                                                          True)
    closed = api.patch("/threads/post-1", {"is_open": False}, token=moderator)
    assert closed.status_code == 200 and closed.get_json()["is_open"] is False
    admin = token_for(make.user(Role.ADMIN))
    renamed = api.patch("/threads/post-1", {"title": "Budget 2027"}, token=admin)
    assert renamed.status_code == 200 and renamed.get_json()["title"] == "Budget 2027"


def test_the_same_rule_serves_the_admin_pages(app, make) -> None:
    from board.errors import Forbidden

    thread = make.thread("post-1", "Budget")
    moderator = make.user(Role.MODERATOR)
    with pytest.raises(Forbidden):
        threads.update_thread(thread, threads.ThreadChanges(title="Phish"), moderator, utcnow())
    threads.update_thread(thread, threads.ThreadChanges(is_open=False), moderator, utcnow())
    assert db.session.get(Thread, thread.id).is_open is False


# -- origins on the admin pages --------------------------------------------------------------

@pytest.fixture
def admin(client, make):  # type: ignore[no-untyped-def]
    make.user(Role.ADMIN, email="admin@example.org", name="Ada")
    sign_in(client, "admin@example.org")
    return client


BAD_ORIGINS = ["https://exa mple.org", "https://x.example/path", "javascript:alert(1)",
               "https://a.example;script-src *", "https://[::1", "https://x.example:99999",
               "https://user@x.example", "x" * 300, "https://" + "a" * 250 + ".org",
               "https://x.example'"]


@pytest.mark.parametrize("origin", BAD_ORIGINS)
def test_the_add_origin_form_refuses_invalid_origins_with_a_message(admin, origin) -> None:
    site = make_site([HOST])
    response = post_form(admin, f"/admin/sites/{site.id}/origins", {"origin": origin},
                         page="/admin/sites", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "is not an origin like https://www.example.org" in html or \
        "cannot be longer than 255 characters" in html
    db.session.expire_all()
    assert [o.origin for o in db.session.get(Site, site.id).origins] == [HOST]


@pytest.mark.parametrize("origin", BAD_ORIGINS)
def test_the_new_site_form_refuses_invalid_origins_with_a_message(admin, origin) -> None:
    response = post_form(admin, "/admin/sites", {"name": "Agency", "origins": f"{HOST}\n{origin}"})
    assert response.status_code == 200
    assert "is not an origin like https://www.example.org" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Site)) == 0


def test_a_valid_origin_is_stored_as_the_embed_reads_it(admin) -> None:
    response = post_form(admin, "/admin/sites", {"name": "Agency",
                                                 "origins": "HTTPS://Blog.Example.org:443/"},
                         follow_redirects=True)
    assert "Site Agency created" in response.get_data(as_text=True)
    assert db.session.scalars(sa.select(SiteOrigin.origin)).all() == [HOST]
